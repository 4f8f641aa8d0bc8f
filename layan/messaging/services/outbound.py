"""Outbound: the outbox rows, written in the caller's transaction.

`enqueue` (one message to one citizen), `enqueue_broadcast` (an office's announcement to its
subscribers, written by the database itself), `send_staff_reply` (an officer answers a
conversation), `update_status` (a delivery receipt); `enqueue_sms` (sms.py) builds on `enqueue`.
Nothing here talks to a provider: `manage.py sendmessages` delivers the rows.
"""

import datetime as dt
import logging
import uuid
from dataclasses import dataclass

from django.db import connection, models, transaction
from django.db.models import F, Q
from django.utils import timezone

from layan.messaging import conf
from layan.messaging.gsm import sms_form, sms_parts, to_gsm7
from layan.messaging.models import Channel, Contact, ContactURN, Message, Subscription
from layan.messaging.routing import reply_channel
from layan.messaging.rows import build
from layan.offices.models import Office

from .errors import MessagingError

logger = logging.getLogger(__name__)

MAX_STAFF_REPLY_CHARS = 1000
RECEIPT_STATUSES = {"sent", "delivered", "failed"}


def outbound_row(
    channel: Channel,
    contact_urn: ContactURN,
    text: str,
    *,
    office: Office | None,
    now: dt.datetime,
    in_reply_to: Message | None = None,
    choices: list[str] | None = None,
    sent_by=None,
) -> Message:
    """An unsaved outbox row (the inbound path inserts many at once)."""
    text, parts = sms_form(text, conf.sms_max_parts())
    message = build(
        Message,
        office_id=office.pk if office else None,
        channel_id=channel.pk,
        contact_id=contact_urn.contact_id,
        urn_id=contact_urn.pk,
        direction=Message.Direction.OUT,
        text=text,
        choices=choices or [],
        status=Message.Status.QUEUED,
        next_attempt_at=now,
        parts=parts,
        sent_by_id=sent_by.pk if sent_by else None,
        created_at=now,
    )
    if in_reply_to is not None:
        message.in_reply_to = in_reply_to  # may be unsaved yet (a batch): linked by object
    return message


def enqueue(
    contact_urn: ContactURN,
    text: str,
    *,
    office: Office | None,
    channel: Channel | None = None,
    in_reply_to: Message | None = None,
    sent_by=None,
) -> Message:
    """Write one transactional message (a reply, a status notification) to the outbox, on
    `channel` or the channel that reaches the URN (`routing.reply_channel`). Opt-out does not
    apply: the citizen asked for it."""
    channel = channel or reply_channel(contact_urn, office)
    if channel is None:
        raise MessagingError("Tidak ada kanal aktif untuk mengirim pesan ke kontak ini.")
    message = outbound_row(
        channel, contact_urn, text, office=office, in_reply_to=in_reply_to, sent_by=sent_by, now=timezone.now()
    )
    message.save()
    return message


@transaction.atomic
def send_staff_reply(office: Office, contact: Contact, *, text: str, user) -> Message:
    """An officer answers a conversation: the reply goes out on the channel and URN the citizen
    last wrote from, and the conversation leaves the inbox."""
    text = (text or "").strip()
    if not text:
        raise MessagingError("Balasan tidak boleh kosong.")
    if len(text) > MAX_STAFF_REPLY_CHARS:
        raise MessagingError(f"Balasan terlalu panjang (maksimal {MAX_STAFF_REPLY_CHARS} karakter).")
    if sms_parts(to_gsm7(text)) > conf.sms_max_parts():
        raise MessagingError(f"Balasan terlalu panjang untuk SMS (maksimal {conf.sms_max_parts()} bagian).")
    last_in = (
        Message.objects.filter(office=office, contact=contact, direction=Message.Direction.IN)
        .select_related("channel", "urn")
        .order_by("-created_at", "-id")
        .first()
    )
    if last_in is None:
        raise MessagingError("Kontak ini belum pernah mengirim pesan ke kantor ini.")
    message = outbound_row(
        last_in.channel, last_in.urn, text, office=office, in_reply_to=last_in, sent_by=user, now=timezone.now()
    )
    message.save()
    Message.objects.filter(office=office, contact=contact, direction=Message.Direction.IN, needs_reply=True).update(
        needs_reply=False
    )
    return message


@transaction.atomic
def update_status(channel: Channel, *, provider_ref: str, status: str, error: str = "") -> Message | None:
    """Apply a delivery receipt. Idempotent; only moves forward (sent -> delivered/failed);
    unknown references are ignored. `provider_ref` may also be the message uuid."""
    if status not in RECEIPT_STATUSES or not provider_ref:
        logger.info("ignored receipt with status %r on channel %s", status, channel.uuid)
        return None
    match = Q(provider_ref=provider_ref)
    try:
        match |= Q(uuid=uuid.UUID(str(provider_ref)))
    except ValueError:
        pass
    message = (
        Message.objects.select_for_update()
        .filter(match, channel=channel, direction=Message.Direction.OUT)
        .order_by("id")
        .first()
    )
    if message is None:
        logger.info("receipt for unknown message on channel %s", channel.uuid)
        return None
    now = timezone.now()
    S = Message.Status
    changed = []
    if status == "sent" and message.status in (S.QUEUED, S.SENDING):
        message.status, message.sent_at = S.SENT, message.sent_at or now
        changed = ["status", "sent_at"]
    elif status == "delivered" and message.status in (S.QUEUED, S.SENDING, S.SENT):
        message.status, message.delivered_at = S.DELIVERED, now
        message.sent_at = message.sent_at or now
        changed = ["status", "delivered_at", "sent_at"]
    elif status == "failed" and message.status in (S.QUEUED, S.SENDING, S.SENT):
        message.status, message.failed_reason, message.error = S.FAILED, Message.FailedReason.RECEIPT, error[:500]
        changed = ["status", "failed_reason", "error"]
    if changed:
        message.claim_token, message.claimed_until = None, None
        if not message.provider_ref:
            message.provider_ref = provider_ref[:200]
            changed.append("provider_ref")
        message.save(update_fields=[*changed, "claim_token", "claimed_until"])
    return message


# --- broadcasts ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Audience:
    """Who a broadcast batch goes to: the URNs of one scheme subscribed to `office`'s broadcasts
    and not opted out, after URN id `after` (keyset: a resumed broadcast continues there), at
    most `limit` of them."""

    office: Office
    scheme: str
    after: int = 0
    limit: int = 10_000

    def urns(self):
        """The audience's URNs in id order, as (recipient_urn, recipient_contact) rows."""
        return (
            Subscription.objects.filter(
                office_id=self.office.pk, urn__scheme=self.scheme, opted_out_at__isnull=True, urn_id__gt=self.after
            )
            .order_by("urn_id")
            .values(recipient_urn=F("urn_id"), recipient_contact=F("urn__contact_id"))[: self.limit]
        )

    def opted_out_count(self) -> int:
        return Subscription.objects.filter(
            office_id=self.office.pk, urn__scheme=self.scheme, opted_out_at__isnull=False
        ).count()


@dataclass(frozen=True)
class BroadcastLink:
    """A row the caller keeps per broadcast message (announcements' AnnouncementMessage), written
    in the same statement: `model` has foreign keys `urn` and `message`; `values` gives its other
    columns (by field name), the same for every row."""

    model: type[models.Model]
    values: dict[str, int]


def enqueue_broadcast(
    text: str, audience: Audience, *, channel: Channel, sent_by_id: int | None = None, link: BroadcastLink | None = None
) -> tuple[int, int]:
    """Write one outbox row per URN of `audience` on `channel` (and its `link` row). Returns
    (rows written, highest URN id: the `after` of the next batch). An opted-out URN gets no row
    at all. Runs in the caller's transaction.

    The database writes the rows itself (INSERT … SELECT): bulk_create() builds and prepares
    every value of every row in Python, then sends them all back; for a 100,000-citizen
    broadcast that was most of the time (about 1 ms a row on a small server). Here a batch is
    one or two short statements whatever its size."""
    now = timezone.now()
    template = Message(
        office_id=audience.office.pk,
        channel=channel,
        direction=Message.Direction.OUT,
        text=text,
        status=Message.Status.QUEUED,
        next_attempt_at=now,
        # Other schemes are chat: one message whatever its length.
        parts=sms_parts(text) if audience.scheme == "tel" else 1,
        is_broadcast=True,
        sent_by_id=sent_by_id,
        created_at=now,
    )
    return _insert_messages(template, audience.urns(), link)


def _insert_messages(template: Message, recipients, link: BroadcastLink | None) -> tuple[int, int]:
    quote = connection.ops.quote_name
    postgres = connection.vendor == "postgresql"
    columns: list[str] = ["uuid", "contact_id", "urn_id"]
    values: list[str] = []
    params: list = []
    # SQLite stores a UUIDField as 32 hex digits.
    values += [
        "gen_random_uuid()" if postgres else "lower(hex(randomblob(16)))",
        "r.recipient_contact",
        "r.recipient_urn",
    ]
    for field in Message._meta.concrete_fields:
        if field.name in ("id", "uuid", "contact", "urn"):
            continue
        columns.append(field.column)  # type: ignore[arg-type]  # concrete fields have a column
        # PostgreSQL types a bare parameter in a SELECT list as text; say what each one is.
        values.append(f"CAST(%s AS {field.cast_db_type(connection)})" if postgres else "%s")
        params.append(field.get_db_prep_save(getattr(template, field.attname), connection))
    select_sql, select_params = recipients.query.sql_with_params()
    # Only identifiers from model metadata and the ORM's own SELECT are formatted in.
    insert = (
        f"INSERT INTO {quote(Message._meta.db_table)} ({', '.join(quote(c) for c in columns)}) "  # noqa: S608
        f"SELECT {', '.join(values)} FROM ({select_sql}) r RETURNING id, urn_id"
    )
    link_sql, link_params = "", []
    if link is not None:
        meta = link.model._meta
        names = [*link.values, "urn", "message"]
        link_columns = ", ".join(quote(meta.get_field(f).column) for f in names)  # type: ignore[union-attr,arg-type]
        link_sql = f"INSERT INTO {quote(meta.db_table)} ({link_columns}) "  # noqa: S608
        link_params = list(link.values.values())
    with connection.cursor() as cursor:
        if postgres:
            if link is None:
                summary = f"WITH m AS ({insert}) SELECT count(*), coalesce(max(urn_id), 0) FROM m"  # noqa: S608
                cursor.execute(summary, [*params, *select_params])
            else:
                constants = ", ".join("CAST(%s AS bigint)" for _ in link_params)
                cursor.execute(
                    f"WITH m AS ({insert}), l AS ({link_sql}SELECT {constants}, urn_id, id FROM m) "  # noqa: S608
                    "SELECT count(*), coalesce(max(urn_id), 0) FROM m",
                    [*params, *select_params, *link_params],
                )
            count, last = cursor.fetchone()
            return count, last
        cursor.execute(insert, [*params, *select_params])
        created = cursor.fetchall()
        if link is not None:
            placeholders = ", ".join(["%s"] * (len(link_params) + 2))
            cursor.executemany(
                f"{link_sql}VALUES ({placeholders})",
                [(*link_params, urn_id, message_id) for message_id, urn_id in created],
            )
        return len(created), max((urn_id for _, urn_id in created), default=0)
