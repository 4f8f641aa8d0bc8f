"""Writes to messaging: inbound handling, the outbox, opt-out, staff replies, delivery receipts.

Every outbound message is a `Message` row written in the caller's transaction; the worker
(`manage.py sendmessages`) delivers it. Nothing here talks to a provider.
"""

import datetime as dt
import hashlib
import json
import logging
import uuid
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from layan.offices.models import Office

from . import conf
from .gsm import fit_sms, sms_parts, to_gsm7
from .models import Channel, Contact, ContactURN, InboundEvent, Message
from .urns import normalize_urn, parse_urn

logger = logging.getLogger(__name__)

MAX_INBOUND_CHARS = 2000
MAX_STAFF_REPLY_CHARS = 1000


class MessagingError(Exception):
    """A bad request from a person (empty reply, no channel): the message is shown to them."""


def _clean(text: str) -> str:
    # PostgreSQL text cannot hold NUL; a gateway may still send one.
    return (text or "").replace("\x00", "")


def _payload_text(payload) -> str:
    if isinstance(payload, bytes):
        payload = payload.decode("utf-8", errors="replace")
    elif not isinstance(payload, str):
        payload = json.dumps(payload, ensure_ascii=False, default=str)
    return _clean(payload)


def get_or_create_urn(identity: str, *, channel: Channel | None = None) -> ContactURN:
    """The URN `identity` (normalised), creating its contact on first contact."""
    identity = normalize_urn(identity)
    urn = ContactURN.objects.select_related("contact", "conversation").filter(identity=identity).first()
    if urn is not None:
        return urn
    scheme, path = parse_urn(identity)
    try:
        with transaction.atomic():
            contact = Contact.objects.create(office=channel.office if channel else None)
            return ContactURN.objects.create(
                contact=contact, scheme=scheme, path=path, identity=identity, channel=channel
            )
    except IntegrityError:
        # Another process created it between our read and our insert.
        return ContactURN.objects.select_related("contact", "conversation").get(identity=identity)


@transaction.atomic
def receive_message(
    channel: Channel,
    *,
    urn: str,
    text: str,
    provider_id: str | None = None,
    payload: str | bytes | dict = "",
    received_at: dt.datetime | None = None,
) -> InboundEvent | None:
    """Store one inbound message, answer it through the engine and queue the replies, all in one
    transaction. Returns None for a duplicate (same provider id, or the same text from the same
    URN within LAYAN_INBOUND_DEDUP_SECONDS when the channel gives no id).

    Raises URNError (a ValueError) only for an unusable sender address; odd text never raises.
    """
    now = timezone.now()
    received_at = received_at or now
    text = _clean(text)[:MAX_INBOUND_CHARS]
    contact_urn = get_or_create_urn(urn, channel=channel)
    content_hash = hashlib.sha256(f"{contact_urn.identity}\n{text}".encode()).hexdigest()
    fields = dict(
        channel=channel,
        urn=contact_urn,
        text=text,
        content_hash=content_hash,
        payload=_payload_text(payload),
        received_at=received_at,
    )
    if provider_id:
        try:
            with transaction.atomic():
                event = InboundEvent.objects.create(provider_id=str(provider_id)[:200], **fields)
        except IntegrityError:
            return None
    else:
        window = dt.timedelta(seconds=conf.inbound_dedup_seconds())
        duplicate = InboundEvent.objects.filter(
            channel=channel,
            urn=contact_urn,
            content_hash=content_hash,
            received_at__gte=received_at - window,
            received_at__lte=received_at + window,
        ).exists()
        if duplicate:
            return None
        event = InboundEvent.objects.create(**fields)

    ContactURN.objects.filter(pk=contact_urn.pk).update(last_inbound_at=now, channel=channel)
    contact_urn.channel = channel
    result = _run_engine(channel, contact_urn, text, now)
    inbound = Message.objects.create(
        office=result.office,
        channel=channel,
        contact_id=contact_urn.contact_id,
        urn=contact_urn,
        direction=Message.Direction.IN,
        text=text,
        status=Message.Status.HANDLED,
        needs_reply=result.needs_staff,
        event=event,
        created_at=received_at,
    )
    Message.objects.bulk_create(
        _outbound(
            channel,
            contact_urn,
            reply.text,
            office=result.office,
            in_reply_to=inbound,
            choices=reply.choices,
            now=now,
        )
        for reply in result.replies
    )
    event.status = InboundEvent.Status.HANDLED
    event.save(update_fields=["status"])
    return event


def _run_engine(channel: Channel, contact_urn: ContactURN, text: str, now: dt.datetime):
    from .engine import Context, EngineReply, EngineResult, respond

    ctx = Context(channel=channel, urn=contact_urn, contact=contact_urn.contact, text=text, now=now)
    try:
        with transaction.atomic():
            return respond(ctx)
    except Exception:
        # The citizen still gets an answer and a person sees the message; the bug is logged
        # without the text (personal data).
        logger.exception("conversation engine failed on channel %s", channel.uuid)
        office = ctx.office or channel.office
        reply = EngineReply("Terima kasih, pesan Anda kami terima. Petugas akan membalas secepatnya.")
        return EngineResult([reply], office, needs_staff=True)


def _outbound(
    channel: Channel,
    contact_urn: ContactURN,
    text: str,
    *,
    office: Office | None,
    now: dt.datetime,
    in_reply_to: Message | None = None,
    choices: list[str] | None = None,
    is_broadcast: bool = False,
    sent_by=None,
) -> Message:
    text = fit_sms(to_gsm7(text))
    return Message(
        office=office,
        channel=channel,
        contact_id=contact_urn.contact_id,
        urn=contact_urn,
        direction=Message.Direction.OUT,
        text=text,
        choices=choices or [],
        status=Message.Status.QUEUED,
        next_attempt_at=now,
        parts=max(1, sms_parts(text)),
        in_reply_to=in_reply_to,
        is_broadcast=is_broadcast,
        sent_by=sent_by,
        created_at=now,
    )


def queue_message(
    contact_urn: ContactURN,
    text: str,
    *,
    office: Office | None,
    channel: Channel | None = None,
    in_reply_to: Message | None = None,
    sent_by=None,
) -> Message:
    """Write one transactional message (a reply, a status notification) to the outbox, on
    `channel` or the URN's last channel. Opt-out does not apply: the citizen asked for it."""
    channel = channel or _channel_for(contact_urn, office)
    if channel is None:
        raise MessagingError("Tidak ada kanal aktif untuk mengirim pesan ke kontak ini.")
    message = _outbound(
        channel, contact_urn, text, office=office, in_reply_to=in_reply_to, sent_by=sent_by, now=timezone.now()
    )
    message.save()
    return message


@transaction.atomic
def send_broadcast(office: Office, text: str, urns: Iterable[ContactURN]) -> list[Message]:
    """Announcement to many URNs. Opted-out URNs get no SMS: their row is written as failed
    (reason: stopped) so the record shows why."""
    now = timezone.now()
    rows = []
    for contact_urn in urns:
        channel = _channel_for(contact_urn, office)
        if channel is None:
            continue
        message = _outbound(channel, contact_urn, text, office=office, is_broadcast=True, now=now)
        if contact_urn.opted_out_at is not None:
            message.status = Message.Status.FAILED
            message.failed_reason = Message.FailedReason.STOPPED
            message.next_attempt_at = None
        rows.append(message)
    return Message.objects.bulk_create(rows)


def _channel_for(contact_urn: ContactURN, office: Office | None) -> Channel | None:
    if contact_urn.channel_id and contact_urn.channel and contact_urn.channel.is_active:
        return contact_urn.channel
    if office is None:
        return None
    return (
        Channel.objects.filter(is_active=True)
        .filter(Q(office=office) | Q(regency_id=office.district.regency_id))
        .exclude(kind=Channel.Kind.TEST)
        .order_by("regency_id", "id")
        .first()
    )


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
    message = _outbound(
        last_in.channel,
        last_in.urn,
        text,
        office=office,
        in_reply_to=last_in,
        sent_by=user,
        now=timezone.now(),
    )
    message.save()
    Message.objects.filter(office=office, contact=contact, direction=Message.Direction.IN, needs_reply=True).update(
        needs_reply=False
    )
    return message


def mark_urn_opted_out(urn_identity: str, *, source: str, now: dt.datetime | None = None) -> bool:
    """Stop broadcasts to this URN. Returns False when it was already opted out or is unknown."""
    identity = normalize_urn(urn_identity)
    return bool(
        ContactURN.objects.filter(identity=identity, opted_out_at__isnull=True).update(
            opted_out_at=now or timezone.now(), opt_out_source=source[:40]
        )
    )


def mark_urn_opted_in(urn_identity: str, *, source: str) -> bool:
    identity = normalize_urn(urn_identity)
    return bool(
        ContactURN.objects.filter(identity=identity, opted_out_at__isnull=False).update(
            opted_out_at=None, opt_out_source=source[:40]
        )
    )


RECEIPT_STATUSES = {"sent", "delivered", "failed"}


@transaction.atomic
def update_message_status(channel: Channel, *, provider_ref: str, status: str, error: str = "") -> Message | None:
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


def get_simulator_channel(office: Office) -> Channel:
    """The office's test channel, created on first use (the browser simulator and `simulate`)."""
    channel = Channel.objects.filter(office=office, kind=Channel.Kind.TEST).order_by("id").first()
    if channel is None:
        channel = Channel.objects.create(office=office, kind=Channel.Kind.TEST, name="Simulator", tps=1000)
    return channel


def create_channel(
    *,
    kind: str,
    name: str,
    office: Office | None = None,
    regency=None,
    address: str = "",
    config: dict | None = None,
    tps: float | None = None,
) -> Channel:
    if (office is None) == (regency is None):
        raise MessagingError("Pilih satu: kantor atau kabupaten.")
    if kind not in Channel.Kind.values:
        raise MessagingError(f"Jenis kanal tidak dikenal: {kind}. Pilihan: {', '.join(Channel.Kind.values)}.")
    channel = Channel(kind=kind, name=name, office=office, regency=regency, address=address, config=config or {})
    if tps is not None:
        channel.tps = tps
    channel.save()
    return channel
