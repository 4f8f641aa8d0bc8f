"""Messaging: channels, contacts and their URNs, raw inbound events, and the outbox.

The outbox is the `Message` table itself (direction=out): a row is written in the same transaction
as the change that causes it, and `manage.py sendmessages` delivers it. No broker.
"""

import os
import time
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from layan.offices.models import Office
from layan.regions.models import Regency

from . import channels

# Config keys that are always treated as secrets, whatever the channel kind (each kind declares its own too).
SECRET_HINTS = ("password", "secret", "token", "api_key", "apikey", "signing_key")


def channel_kind_choices() -> list[tuple[str, str | Promise]]:
    return channels.kind_choices()


class Channel(models.Model):
    """One way in and out: a GSM modem, an SMS gateway, a chat bot, the browser simulator.

    Exactly one of `office` (serves that office) or `regency` (kabupaten-wide: serves every office
    of the regency; the engine asks the citizen for their kecamatan once and remembers it).
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    office = models.ForeignKey(
        Office, on_delete=models.CASCADE, null=True, blank=True, related_name="channels", verbose_name=_("kantor")
    )
    regency = models.ForeignKey(
        Regency,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="channels",
        verbose_name=_("kabupaten (kanal bersama)"),
    )
    # Choices from the kinds' declarations (a callable: a new kind needs no migration).
    kind = models.CharField(_("jenis"), max_length=20, choices=channel_kind_choices)
    name = models.CharField(_("nama"), max_length=100)
    address = models.CharField(_("alamat/nomor kanal"), max_length=100, blank=True)
    config = models.JSONField(_("konfigurasi"), default=dict, blank=True)
    is_active = models.BooleanField(_("aktif"), default=True)
    tps = models.FloatField(_("pesan per detik"), default=10.0, help_text=_("Batas kirim per detik kanal ini."))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("kanal pesan")
        verbose_name_plural = _("kanal pesan")
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(office__isnull=False, regency__isnull=True))
                | models.Q(office__isnull=True, regency__isnull=False),
                name="channel_office_xor_regency",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.kind})"

    @property
    def is_regency_wide(self) -> bool:
        return self.regency_id is not None

    def is_secret_key(self, key: str) -> bool:
        lowered = key.lower()
        return lowered in channels.secret_keys(self.kind) or any(h in lowered for h in SECRET_HINTS)

    def masked_config(self) -> dict:
        """The config safe to show or log: secret values replaced by '••••'."""
        return {k: ("••••" if self.is_secret_key(k) and v else v) for k, v in (self.config or {}).items()}


class Contact(models.Model):
    """A citizen, known by one or more URNs. `office` is the office they talk to (remembered on
    kabupaten-wide channels after they named their kecamatan)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    office = models.ForeignKey(
        Office, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("kantor")
    )
    name = models.CharField(_("nama"), max_length=120, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("kontak")
        verbose_name_plural = _("kontak")

    def __str__(self) -> str:
        return self.name or str(self.uuid)


class ContactURN(models.Model):
    """One address of a contact, RapidPro style: `tel:+62812…`, `whatsapp:62812…`, `telegram:<id>`."""

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="urns")
    scheme = models.CharField(_("skema"), max_length=20)
    path = models.CharField(_("alamat"), max_length=200)
    identity = models.CharField(_("URN"), max_length=230, unique=True)
    last_inbound_at = models.DateTimeField(null=True, blank=True)
    channel = models.ForeignKey(
        Channel, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("kanal terakhir")
    )

    class Meta:
        verbose_name = _("alamat kontak")
        verbose_name_plural = _("alamat kontak")

    def __str__(self) -> str:
        return self.identity


class Subscription(models.Model):
    """One URN's subscription to one office's broadcasts (pengumuman).

    Written when the URN writes to the office, on any channel that reaches it: a citizen who
    writes to two kecamatan receives both offices' announcements. STOP on an office's channel
    opts out of that office; on a kabupaten-wide channel, of every office behind it (MULAI
    likewise). Broadcasts skip an opted-out subscription (Permenkominfo 01/2009 art. 18–19);
    replies to the citizen's own requests still go.

        subscribed ──STOP──▶ opted out (opted_out_at set) ──MULAI──▶ subscribed
    """

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="+", verbose_name=_("kantor"))
    urn = models.ForeignKey(ContactURN, on_delete=models.CASCADE, related_name="subscriptions")
    opted_out_at = models.DateTimeField(_("berhenti berlangganan"), null=True, blank=True)
    opt_out_source = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("langganan pengumuman")
        verbose_name_plural = _("langganan pengumuman")
        constraints = [
            # Also the broadcast's index: office = x AND urn_id > cursor ORDER BY urn_id.
            models.UniqueConstraint(fields=["office", "urn"], name="subscription_office_urn")
        ]

    def __str__(self) -> str:
        return f"{self.office_id}:{self.urn_id}"

    @property
    def is_opted_out(self) -> bool:
        return self.opted_out_at is not None


class InboundEvent(models.Model):
    """The raw inbound, stored before anything else; unique per (channel, provider id) so a
    retried webhook or a re-read modem inbox is processed once.

        received ──engine ran, replies queued──▶ handled

    A webhook event that could not be used is kept too, raw, in a final status of its own, with
    `error` saying why (no URN, nothing answered): `malformed` (its shape or values were not
    what the provider documents) or `unrouted` (addressed to a Page or number no active channel
    has). Its provider id is the status and a hash of the raw event, so a retried delivery
    stores it once.
    """

    class Status(models.TextChoices):
        RECEIVED = "received", _("diterima")
        HANDLED = "handled", _("diproses")
        MALFORMED = "malformed", _("rusak, tidak diproses")
        UNROUTED = "unrouted", _("tujuan tidak dikenal")

    # No index of its own: every lookup names the channel with a provider id
    # (inbound_unique_provider_id) or a URN (inbound_dedup_idx); deleting a channel, a rare admin
    # action, scans the table once instead of every event writing one more index entry.
    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="inbound_events", db_index=False)
    provider_id = models.CharField(max_length=200, null=True, blank=True)
    content_hash = models.CharField(max_length=64)
    payload = models.TextField(blank=True)
    # No index of its own: inbound_dedup_idx starts with urn.
    urn = models.ForeignKey(
        ContactURN, on_delete=models.CASCADE, null=True, blank=True, related_name="+", db_index=False
    )
    text = models.TextField(blank=True)
    received_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RECEIVED)
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name = _("pesan masuk mentah")
        verbose_name_plural = _("pesan masuk mentah")
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "provider_id"],
                condition=models.Q(provider_id__isnull=False),
                name="inbound_unique_provider_id",
            )
        ]
        indexes = [models.Index(fields=["urn", "content_hash", "received_at"], name="inbound_dedup_idx")]

    def __str__(self) -> str:
        return f"{self.channel_id}:{self.provider_id or self.content_hash[:12]}"


def time_ordered_uuid() -> uuid.UUID:
    """A version 7 UUID (RFC 9562): 48 bits of Unix time in milliseconds, then 74 random bits.
    As unique as uuid4 for our purposes, and later ones sort after earlier ones."""
    value = (time.time_ns() // 1_000_000) << 80 | int.from_bytes(os.urandom(10), "big")
    value = value & ~(0xF << 76) | 0x7 << 76  # version 7
    value = value & ~(0x3 << 62) | 0x2 << 62  # RFC 9562 variant
    return uuid.UUID(int=value & (1 << 128) - 1)


class Message(models.Model):
    """A message in the conversation log (direction=in) or the outbox (direction=out).

    Outbound::

        queued ──claimed by a worker──▶ sending ──transport accepted──▶ sent ──receipt──▶ delivered
          ▲                                │ │                            │
          └──temporary error, attempts+1───┘ │                            └──receipt──▶ failed
             next_attempt_at = now + backoff │
                                             └──permanent error, or attempts >= LAYAN_OUTBOX_MAX_ATTEMPTS──▶ failed

        A `sending` row whose lease (`claimed_until`) expired (worker killed) is claimed again and
        sent again: delivery is at least once. Where the provider takes the message uuid as an
        idempotency key (the Android gateway's `id`, Gammu's CreatorID row), that resend is not a
        second SMS. Kannel's sendsms has no such key: if a worker dies after Kannel accepted a
        message and before the row was marked sent, the citizen gets it twice. The worker keeps
        that window small (the row is marked sent, with its provider ref, in one statement right
        after the transport accepted it, and a send is only started while the lease still covers
        the transport's timeout; see outbox.Worker.process).
        A broadcast to an opted-out URN is written straight as failed (failed_reason=stopped).

    Inbound::

        received ──engine answered──▶ handled      (needs_reply=True: waits in the staff inbox)
    """

    class Direction(models.TextChoices):
        IN = "in", _("masuk")
        OUT = "out", _("keluar")

    class Status(models.TextChoices):
        RECEIVED = "received", _("diterima")
        HANDLED = "handled", _("diproses")
        QUEUED = "queued", _("antre")
        SENDING = "sending", _("sedang dikirim")
        SENT = "sent", _("terkirim")
        DELIVERED = "delivered", _("sampai")
        FAILED = "failed", _("gagal")

    class FailedReason(models.TextChoices):
        RETRIES = "retries", _("batas percobaan habis")
        PERMANENT = "permanent", _("ditolak penyedia")
        STOPPED = "stopped", _("kontak berhenti berlangganan")
        NO_CHANNEL = "no_channel", _("kanal tidak aktif")
        RECEIPT = "receipt", _("laporan gagal dari penyedia")

    # Index diet: every index is written for every outbox row, and a broadcast writes 100,000 rows
    # at once. office, channel and urn lookups use the composite indexes below that start with
    # them (msg_inbox_idx, msg_provider_ref_idx, msg_thread_idx), so no single-column index of
    # their own. contact keeps one: the staff conversation filters on it.
    # Time-ordered: the two rows of an inbound message (and a broadcast's thousands) go to the
    # right-hand leaf of the unique index instead of random ones.
    uuid = models.UUIDField(default=time_ordered_uuid, unique=True, editable=False)
    office = models.ForeignKey(
        Office, on_delete=models.CASCADE, null=True, blank=True, related_name="+", db_index=False
    )
    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="messages", db_index=False)
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="messages")
    urn = models.ForeignKey(ContactURN, on_delete=models.CASCADE, related_name="messages", db_index=False)
    direction = models.CharField(max_length=3, choices=Direction.choices)
    text = models.TextField()
    choices = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    claim_token = models.CharField(max_length=32, null=True, blank=True)
    provider_ref = models.CharField(max_length=200, blank=True)
    error = models.TextField(blank=True)
    failed_reason = models.CharField(max_length=12, choices=FailedReason.choices, blank=True)
    parts = models.PositiveSmallIntegerField(default=1)
    is_broadcast = models.BooleanField(default=False)
    needs_reply = models.BooleanField(default=False)
    # For inbound messages: the raw event it came from (one log row per event). Unique through the
    # partial constraint msg_one_per_event, not a column UNIQUE: that would index the NULL of
    # every outbound row.
    event = models.ForeignKey(
        InboundEvent, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", db_index=False
    )
    # No index on in_reply_to or sent_by: nothing looks messages up by them (only the dev
    # `simulate` command, on a tiny database), and their parents are rarely deleted — messages are
    # never deleted by the app, users seldom. Such a delete (Django's SET NULL, then PostgreSQL's
    # foreign-key check) scans the table once, which is fine for a rare admin action and cheaper
    # than maintaining two more indexes on every outbox row.
    in_reply_to = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="replies", db_index=False
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", db_index=False
    )
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("pesan")
        verbose_name_plural = _("pesan")
        indexes = [
            # The worker's claim query (outbox._due): status='queued' AND next_attempt_at <= now, OR
            # status='sending' AND claimed_until < now. Partial: only rows that can be claimed are
            # in them (a BitmapOr of the two on PostgreSQL), so the millions of sent/delivered/
            # inbound rows cost nothing, and a broadcast insert writes one entry, not two.
            models.Index(fields=["next_attempt_at"], name="msg_outbox_due_idx", condition=Q(status="queued")),
            models.Index(fields=["claimed_until"], name="msg_outbox_lease_idx", condition=Q(status="sending")),
            # A token is only set while a worker holds the row; `claim_token = x` implies not null.
            models.Index(fields=["claim_token"], name="msg_claim_token_idx", condition=Q(claim_token__isnull=False)),
            # Receipts and the Gammu poller look up outbound rows (direction = 'out' in each query):
            # an inbound log row writes no entry.
            models.Index(
                fields=["channel", "provider_ref"], name="msg_out_provider_ref_idx", condition=Q(direction="out")
            ),
            # The staff inbox and the attention counts: office = x AND direction = 'in' AND needs_reply.
            # Partial: only messages waiting for an officer are in it, so an answered message or a
            # reply (nearly every row) writes no entry. Other office lookups also name the contact
            # (its own index).
            models.Index(
                fields=["office", "created_at"],
                name="msg_waiting_idx",
                condition=Q(direction="in", needs_reply=True),
            ),
            models.Index(fields=["urn", "created_at"], name="msg_thread_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["event"], name="msg_one_per_event", condition=Q(event__isnull=False)),
        ]

    def __str__(self) -> str:
        return f"{self.direction} {self.status} {self.uuid}"


class ConversationState(models.Model):
    """What the engine is waiting for from one URN (numbered choices, the kecamatan name).

    Expires so that a "2" sent next week is not read as an answer to an old question.
    """

    urn = models.OneToOneField(ContactURN, on_delete=models.CASCADE, related_name="conversation")
    office = models.ForeignKey(Office, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    data = models.JSONField(default=dict)
    expires_at = models.DateTimeField()

    class Meta:
        verbose_name = _("status percakapan")
        verbose_name_plural = _("status percakapan")

    def __str__(self) -> str:
        return f"{self.urn_id}: {self.data.get('kind', '')}"


class InboxAssignment(models.Model):
    """Who took a conversation in the staff inbox, and when it was last marked done: one row per
    (office, contact), written only by messaging.services.inbox. A conversation shows as taken
    while `taken_by` is set; marking it done clears that, so the citizen's next question comes
    back to the inbox untaken."""

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="+")
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="inbox_assignments")
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    taken_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("penanganan percakapan")
        verbose_name_plural = _("penanganan percakapan")
        constraints = [models.UniqueConstraint(fields=["office", "contact"], name="inbox_one_per_contact")]

    def __str__(self) -> str:
        return f"{self.office_id}/{self.contact_id}: {self.taken_by_id or '-'}"
