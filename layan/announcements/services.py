"""Writes to announcements: create, edit, schedule, cancel, and publish everywhere.

Publishing makes the web copy (page, RSS, Atom) visible at once, posts to the office's Facebook
Page, then writes the broadcast to the messaging outbox in batches: each batch is one short
transaction that locks its delivery row, has messaging enqueue the next subscribers after the
delivery's cursor (keyset by URN id) with their links, and moves the cursor. Memory stays flat
whatever the number of contacts, the outbox worker can start sending while later batches are
written, and a second or resumed run continues where the first stopped: nothing is enqueued twice.
"""

import datetime as dt
import importlib
import logging
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from layan.messaging.channels import sms_kinds
from layan.messaging.models import Channel
from layan.messaging.routing import broadcast_channel
from layan.messaging.services import Audience, BroadcastLink, enqueue_broadcast
from layan.offices.models import AuditEvent, Office
from layan.offices.services import record_audit_event

from . import text as texts
from .models import Announcement, AnnouncementDelivery, AnnouncementMessage

logger = logging.getLogger(__name__)

# Rows per batch transaction. Past ~5,000 the size hardly matters on PostgreSQL (5k, 10k and 20k
# were within noise of each other for 100k contacts; the time is index entries and foreign-key
# checks per row): 10,000 keeps each batch at about a second, so the outbox worker starts sending
# early and a SIGTERM waits at most that long. Memory does not depend on it: rows never come into
# Python.
BATCH_SIZE = 10_000
FACEBOOK_POST_FUNCTION = "layan.messaging.channels.facebook.transport.post_to_page"
# A Facebook delivery still "running" this long after it started belongs to a process that died
# mid-post; we cannot know whether the post went out, so it is failed with a note to check.
STALE_POST_SECONDS = 600
LATEST_CACHE_SECONDS = 60


class AnnouncementError(Exception):
    """A request staff can fix (bad schedule, not editable): the message is shown to them."""


def latest_cache_key(office_id: int) -> str:
    return f"announcements:latest:{office_id}"


def _forget_latest(office_id: int) -> None:
    transaction.on_commit(lambda: cache.delete(latest_cache_key(office_id)))


# --- editing ---------------------------------------------------------------------------------

EDIT_FIELDS = ("title", "body", "link", "publish_at", "to_facebook_page", "to_sms", "to_whatsapp", "to_telegram")


@transaction.atomic
def create_announcement(office: Office, *, user=None, **fields) -> Announcement:
    """A new draft. `fields` are any of EDIT_FIELDS."""
    unknown = set(fields) - set(EDIT_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    if not (fields.get("title") or "").strip() or not (fields.get("body") or "").strip():
        raise AnnouncementError(_("Judul dan isi pengumuman wajib diisi."))
    return Announcement.objects.create(office=office, created_by=user, **fields)


@transaction.atomic
def update_announcement(announcement: Announcement, **fields) -> Announcement:
    locked = Announcement.objects.select_for_update().get(pk=announcement.pk)
    if not locked.is_editable:
        raise AnnouncementError(_("Pengumuman yang sudah diterbitkan atau dibatalkan tidak dapat diubah."))
    for name, value in fields.items():
        if name not in EDIT_FIELDS:
            raise TypeError(f"unknown field: {name}")
        setattr(locked, name, value)
    if not locked.title.strip() or not locked.body.strip():
        raise AnnouncementError(_("Judul dan isi pengumuman wajib diisi."))
    if locked.status == Announcement.Status.SCHEDULED and locked.publish_at is None:
        locked.status = Announcement.Status.DRAFT
    locked.save()
    return locked


@transaction.atomic
def schedule_announcement(announcement: Announcement, *, publish_at: dt.datetime, now=None) -> Announcement:
    """Publish later: `manage.py publish_announcements` publishes it once `publish_at` has come."""
    now = now or timezone.now()
    if publish_at is None or publish_at <= now:
        raise AnnouncementError(_("Jadwal terbit harus di masa depan. Untuk menerbitkan sekarang, pilih Terbitkan."))
    locked = Announcement.objects.select_for_update().get(pk=announcement.pk)
    if not locked.is_editable:
        raise AnnouncementError(_("Pengumuman ini tidak dapat dijadwalkan lagi."))
    locked.publish_at = publish_at
    locked.status = Announcement.Status.SCHEDULED
    locked.save(update_fields=["publish_at", "status", "updated_at"])
    return locked


@transaction.atomic
def cancel_announcement(announcement: Announcement) -> Announcement:
    """Cancel a draft or a scheduled announcement. Once publishing has begun, messages are in the
    outbox and the web copy is out: that cannot be cancelled here."""
    locked = Announcement.objects.select_for_update().get(pk=announcement.pk)
    if not locked.is_editable:
        raise AnnouncementError(_("Pengumuman yang sudah diterbitkan tidak dapat dibatalkan."))
    locked.status = Announcement.Status.CANCELLED
    locked.save(update_fields=["status", "updated_at"])
    return locked


# --- after publishing: correct, withdraw --------------------------------------------------------

PUBLIC_EDIT_FIELDS = ("title", "body", "link")


@transaction.atomic
def correct_announcement(announcement: Announcement, *, user, **fields) -> Announcement:
    """Correct a public announcement's web copy (title, body, link): the page and feeds change at
    once. Nothing is sent again: the deliveries, their cursors and the outbox rows already
    written stay as they are, so no citizen receives a second message. Audited."""
    locked = Announcement.objects.select_for_update().get(pk=announcement.pk)
    if locked.status not in Announcement.PUBLIC:
        raise AnnouncementError(_("Hanya pengumuman yang sudah terbit yang dapat dikoreksi di sini."))
    for name, value in fields.items():
        if name not in PUBLIC_EDIT_FIELDS:
            raise TypeError(f"unknown or fixed field: {name}")
        setattr(locked, name, value)
    if not locked.title.strip() or not locked.body.strip():
        raise AnnouncementError(_("Judul dan isi pengumuman wajib diisi."))
    locked.save(update_fields=[*fields, "updated_at"])
    record_audit_event(
        locked.office, actor=user, action=AuditEvent.Action.EDIT_ANNOUNCEMENT, target=f"announcement:{locked.pk}"
    )
    _forget_latest(locked.office_id)
    return locked


@transaction.atomic
def withdraw_announcement(announcement: Announcement, *, user, now: dt.datetime | None = None) -> Announcement:
    """Withdraw a public announcement: lists, feeds and the office home leave it out, its page
    says it was withdrawn and when, and broadcast batches not yet written are stopped (messages
    already in the outbox are not recalled). Audited."""
    locked = Announcement.objects.select_for_update().get(pk=announcement.pk)
    if locked.status not in Announcement.PUBLIC:
        raise AnnouncementError(_("Hanya pengumuman yang sudah terbit yang dapat ditarik."))
    now = now or timezone.now()
    locked.status = Announcement.Status.WITHDRAWN
    locked.withdrawn_at = now
    locked.save(update_fields=["status", "withdrawn_at", "updated_at"])
    AnnouncementDelivery.objects.filter(
        announcement=locked,
        status__in=[AnnouncementDelivery.Status.PENDING, AnnouncementDelivery.Status.RUNNING],
    ).update(status=AnnouncementDelivery.Status.FAILED, error=_("Dihentikan: pengumuman ditarik."), finished_at=now)
    record_audit_event(
        locked.office, actor=user, action=AuditEvent.Action.WITHDRAW_ANNOUNCEMENT, target=f"announcement:{locked.pk}"
    )
    _forget_latest(locked.office_id)
    return locked


# --- publishing ------------------------------------------------------------------------------


def publish_now(announcement: Announcement, *, now: dt.datetime | None = None) -> Announcement:
    """Staff pressed "Terbitkan sekarang": the web copy and feeds go out at once (status
    `publishing`, one pending delivery per chosen channel) and the rest — the Facebook post, the
    broadcast batches — is left to `manage.py publish_announcements --loop`, which picks up every
    `publishing` announcement within a second or two. The web request stays short whatever the
    number of contacts. With no channel chosen there is nothing left to do: published at once."""
    now = now or timezone.now()
    started = _start_publishing(announcement.pk, now)
    if started is None:
        announcement.refresh_from_db()
        return announcement
    _finish_if_done(started.pk)
    started.refresh_from_db()
    return started


def publish_announcement(
    announcement: Announcement,
    *,
    now: dt.datetime | None = None,
    should_stop: Callable[[], bool] | None = None,
    batch_size: int = BATCH_SIZE,
) -> Announcement:
    """Publish on the web at once, then on every chosen channel. Safe to call again and from
    several processes: a published or cancelled announcement is left alone, one that is still
    `publishing` (a crash, `should_stop`) continues from each delivery's cursor.

    Not one big transaction on purpose: the Facebook call is network I/O, and 100,000 outbox
    rows in one transaction would hold SQLite's write lock for seconds.
    """
    now = now or timezone.now()
    started = _start_publishing(announcement.pk, now)
    if started is None:
        announcement.refresh_from_db()
        return announcement
    deliveries = started.deliveries.filter(
        status__in=[AnnouncementDelivery.Status.PENDING, AnnouncementDelivery.Status.RUNNING]
    ).order_by("id")
    for delivery in deliveries:
        delivery.announcement = started
        if delivery.kind == AnnouncementDelivery.Kind.FACEBOOK_PAGE:
            _post_to_facebook(delivery, now=now)
        elif not _broadcast(delivery, batch_size=batch_size, should_stop=should_stop):
            started.refresh_from_db()
            return started
    _finish_if_done(started.pk)
    started.refresh_from_db()
    return started


def _finish_if_done(pk: int) -> None:
    """publishing -> published once no delivery is pending or running."""
    Announcement.objects.filter(pk=pk, status=Announcement.Status.PUBLISHING).exclude(
        deliveries__status__in=[AnnouncementDelivery.Status.PENDING, AnnouncementDelivery.Status.RUNNING]
    ).update(status=Announcement.Status.PUBLISHED)


@transaction.atomic
def _start_publishing(pk: int, now: dt.datetime) -> Announcement | None:
    """draft/scheduled -> publishing (web copy visible) with one delivery row per chosen channel.
    Returns the announcement when there is publishing work to do, else None."""
    announcement = Announcement.objects.select_for_update().select_related("office__district").get(pk=pk)
    if announcement.status in Announcement.EDITABLE:
        announcement.status = Announcement.Status.PUBLISHING
        announcement.published_at = now
        announcement.save(update_fields=["status", "published_at", "updated_at"])
        AnnouncementDelivery.objects.bulk_create(
            [AnnouncementDelivery(announcement=announcement, kind=kind) for kind in announcement.wanted_kinds()],
            ignore_conflicts=True,
        )
        _forget_latest(announcement.office_id)
        return announcement
    if announcement.status == Announcement.Status.PUBLISHING:
        return announcement
    return None


def channel_for(office: Office, kind: str) -> Channel | None:
    """The office's active channel for a delivery kind (messaging's broadcast policy). SMS: the
    registry's SMS kinds in its order, the test channel (simulator, demos) last."""
    kinds = sms_kinds() if kind == AnnouncementDelivery.Kind.SMS else [_channel_kind(kind)]
    return broadcast_channel(office, tuple(kinds))


def _channel_kind(kind: str) -> str:
    return "facebook" if kind == AnnouncementDelivery.Kind.FACEBOOK_PAGE else kind


def load_post_to_page() -> Callable:
    """The Facebook channel's `post_to_page(channel, message, link=None) -> post_id`, imported
    lazily so announcements work (and say why Facebook failed) before that channel is installed."""
    path = getattr(settings, "LAYAN_FACEBOOK_POST_FUNCTION", FACEBOOK_POST_FUNCTION)
    module_name, _, attr = path.rpartition(".")
    module = importlib.import_module(module_name)
    return getattr(module, attr)


def _post_to_facebook(delivery: AnnouncementDelivery, *, now: dt.datetime) -> None:
    pending = AnnouncementDelivery.Status.PENDING
    claimed = AnnouncementDelivery.objects.filter(pk=delivery.pk, status=pending).update(
        status=AnnouncementDelivery.Status.RUNNING, started_at=now
    )
    if not claimed:
        stale = now - dt.timedelta(seconds=STALE_POST_SECONDS)
        AnnouncementDelivery.objects.filter(
            pk=delivery.pk, status=AnnouncementDelivery.Status.RUNNING, started_at__lt=stale
        ).update(
            status=AnnouncementDelivery.Status.FAILED,
            error="Proses terhenti saat mengirim ke Facebook; periksa Halaman sebelum mengirim ulang.",
            finished_at=now,
        )
        return
    announcement = delivery.announcement
    channel = channel_for(announcement.office, delivery.kind)
    post_id, error = "", ""
    if channel is None:
        error = "Kantor ini belum punya kanal Facebook yang aktif."
    else:
        try:
            post_to_page = load_post_to_page()
        except (ImportError, AttributeError):
            error = f"Kanal Facebook belum terpasang ({FACEBOOK_POST_FUNCTION} tidak ditemukan)."
        else:
            try:
                post_id = str(
                    post_to_page(channel, texts.page_post_text(announcement), link=texts.public_url(announcement))
                )
            except Exception as exc:
                # The error text is the provider's answer (no personal data in a Page post).
                logger.warning("facebook page post failed for announcement %s: %s", announcement.pk, exc)
                error = f"Facebook menolak kiriman: {exc}"[:500]
    AnnouncementDelivery.objects.filter(pk=delivery.pk).update(
        channel=channel,
        status=AnnouncementDelivery.Status.FAILED if error else AnnouncementDelivery.Status.DONE,
        post_id=post_id[:200],
        error=error,
        finished_at=timezone.now(),
    )


def _broadcast(delivery: AnnouncementDelivery, *, batch_size: int, should_stop: Callable[[], bool] | None) -> bool:
    """Enqueue this delivery's remaining recipients. False when stopped early (resume later)."""
    announcement = delivery.announcement
    office = announcement.office
    channel = channel_for(office, delivery.kind)
    open_statuses = [AnnouncementDelivery.Status.PENDING, AnnouncementDelivery.Status.RUNNING]
    if channel is None:
        AnnouncementDelivery.objects.filter(pk=delivery.pk, status__in=open_statuses).update(
            status=AnnouncementDelivery.Status.FAILED,
            error=f"Kantor ini belum punya kanal {delivery.get_kind_display()} yang aktif.",
            finished_at=timezone.now(),
        )
        return True
    AnnouncementDelivery.objects.filter(pk=delivery.pk, status=AnnouncementDelivery.Status.PENDING).update(
        status=AnnouncementDelivery.Status.RUNNING, channel=channel, started_at=timezone.now()
    )
    sms = delivery.kind == AnnouncementDelivery.Kind.SMS
    body = texts.sms_text(announcement) if sms else texts.chat_text(announcement)
    scheme = AnnouncementDelivery.scheme_for(delivery.kind)
    assert scheme is not None, f"{delivery.kind} is no broadcast"
    while True:
        if should_stop is not None and should_stop():
            return False
        if not _enqueue_batch(delivery.pk, channel=channel, scheme=scheme, text=body, limit=batch_size):
            break
    skipped = Audience(office, scheme).opted_out_count()
    AnnouncementDelivery.objects.filter(pk=delivery.pk, status=AnnouncementDelivery.Status.RUNNING).update(
        status=AnnouncementDelivery.Status.DONE, skipped_opted_out=skipped, finished_at=timezone.now()
    )
    return True


@transaction.atomic
def _enqueue_batch(delivery_pk: int, *, channel: Channel, scheme: str, text: str, limit: int) -> int:
    """Write the next `limit` outbox rows of one delivery; 0 when there is nobody left.

    The delivery row lock (a no-op on SQLite, whose IMMEDIATE transactions already serialise
    writers) makes two publishers take turns, each reading the cursor the other left."""
    delivery = (
        AnnouncementDelivery.objects.select_for_update()
        .select_related("announcement__office")
        .filter(pk=delivery_pk, status=AnnouncementDelivery.Status.RUNNING)
        .first()
    )
    if delivery is None:
        return 0
    if connection.vendor == "postgresql":
        # This transaction only: COMMIT returns before its WAL reaches the disk. Safe here because
        # a crash can lose only the last batches' rows *and* their cursor move together (one
        # transaction, never half of it); the announcement is still `publishing`, so the next
        # publish_announcements run re-enqueues them from the older cursor. No citizen gets one
        # twice: the outbox worker's claim (a normal, durable commit) flushes the WAL up to and
        # including every batch it could see, so a row that was claimed — let alone sent —
        # cannot be lost. Everything else keeps the server's durable default.
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")
    announcement = delivery.announcement
    count, last_urn_id = enqueue_broadcast(
        text,
        Audience(announcement.office, scheme, after=delivery.cursor, limit=limit),
        channel=channel,
        sent_by_id=announcement.created_by_id,
        link=BroadcastLink(AnnouncementMessage, {"announcement": announcement.pk, "delivery": delivery.pk}),
    )
    if count:
        AnnouncementDelivery.objects.filter(pk=delivery.pk).update(cursor=last_urn_id, queued=F("queued") + count)
    return count


def due_announcement_ids(now: dt.datetime | None = None) -> list[int]:
    """What `publish_announcements` has to do: scheduled ones that are due, and any left
    `publishing` (a crashed or stopped run) to resume."""
    now = now or timezone.now()
    return list(
        Announcement.objects.filter(
            Q(status=Announcement.Status.SCHEDULED, publish_at__lte=now) | Q(status=Announcement.Status.PUBLISHING)
        )
        .order_by("publish_at", "id")
        .values_list("id", flat=True)
    )
