"""Writes to messaging: inbound handling, the outbox, opt-out, staff replies, delivery receipts.

Every outbound message is a `Message` row written in the caller's transaction; the worker
(`manage.py sendmessages`) delivers it. Nothing here talks to a provider.
"""

import contextlib
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

from . import channels, conf
from .engine.core import Context
from .gsm import sms_form, sms_parts, to_gsm7
from .models import Channel, Contact, ContactURN, ConversationState, InboundEvent, Message
from .rows import build, insert_rows
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


def get_or_create_urn(
    identity: str, *, channel: Channel | None = None, last_inbound_at: dt.datetime | None = None
) -> ContactURN:
    """The URN `identity` (normalised), creating its contact on first contact."""
    identity = normalize_urn(identity)
    return _find_urn(identity) or _create_urn(identity, channel=channel, last_inbound_at=last_inbound_at)


def _find_urn(identity: str) -> ContactURN | None:
    # identity is unique: no ordering needed.
    found = list(ContactURN.objects.select_related("contact", "conversation").filter(identity=identity))
    return found[0] if found else None


def _create_urn(identity: str, *, channel: Channel | None, last_inbound_at: dt.datetime | None) -> ContactURN:
    scheme, path = parse_urn(identity)
    try:
        with transaction.atomic():
            contact = Contact.objects.create(office_id=channel.office_id if channel else None)
            urn = ContactURN.objects.create(
                contact=contact,
                scheme=scheme,
                path=path,
                identity=identity,
                channel=channel,
                last_inbound_at=last_inbound_at,
            )
    except IntegrityError:
        # Another process created it between our read and our insert.
        found = _find_urn(identity)
        assert found is not None
        return found
    # A URN created just now has no conversation yet: knowing it saves the engine a query.
    ContactURN.conversation.related.set_cached_value(urn, None)
    return urn


@transaction.atomic
def receive_message(
    channel: Channel,
    *,
    urn: str,
    text: str,
    provider_id: str | None = None,
    payload: str | bytes | dict = "",
    received_at: dt.datetime | None = None,
    media: str = "",
) -> InboundEvent | None:
    """Store one inbound message, answer it through the engine and queue the replies, all in one
    transaction. Returns None for a duplicate (same provider id, or the same text from the same
    URN within LAYAN_INBOUND_DEDUP_SECONDS when the channel gives no id).

    `media` says what a message carried besides text ("image", "audio", "location" …, see
    engine.core.NON_TEXT_LABELS); without text it is logged by its label, gets the engine's
    non-text reply and waits in the staff inbox.

    Raises URNError (a ValueError) only for an unusable sender address; odd text never raises.
    """
    batch = _InboundBatch(channel)
    event = batch.receive(
        normalize_urn(urn), text=text, provider_id=provider_id, payload=payload, received_at=received_at, media=media
    )
    batch.flush()
    return event


@transaction.atomic
def receive_messages(channel: Channel, items: Iterable[dict]) -> list[InboundEvent | None | Exception]:
    """`receive_message` for many inbound messages of one channel in ONE transaction (a modem
    inbox read, a webhook carrying many messages): much cheaper per message.

    Each item is a dict of `receive_message`'s keyword arguments (urn, text, provider_id,
    payload, received_at, media), with the same semantics (deduplication, opt-out, replies). Each item
    runs in its own savepoint, so an item that fails (an unusable sender address, a bug) is
    rolled back alone. Returns one entry per item, in order: the InboundEvent, None for a
    duplicate, or the exception that item raised.
    """
    items = list(items)
    try:
        with transaction.atomic():
            return _receive_batch(channel, items, defer_events=True)
    except IntegrityError:
        # A provider id stored by another process meanwhile (concurrent webhooks on
        # PostgreSQL): again item by item, each duplicate caught by its own insert.
        return _receive_batch(channel, items, defer_events=False)


def _receive_batch(channel: Channel, items: list[dict], *, defer_events: bool) -> list:
    batch = _InboundBatch(channel, defer_events=defer_events)
    identities: list[str | ValueError] = []
    for item in items:
        try:
            identities.append(normalize_urn(item.get("urn", "")))
        except ValueError as exc:
            identities.append(exc)
    batch.preload([i for i in identities if isinstance(i, str)], [item.get("provider_id") for item in items])
    results: list[InboundEvent | None | Exception] = []
    for item, identity in zip(items, identities, strict=True):
        if isinstance(identity, Exception):
            results.append(identity)
            continue
        fields = {k: item.get(k) for k in ("text", "provider_id", "received_at")}
        fields["media"] = item.get("media") or ""
        mark = batch.mark()
        # With deferred events an item writes nothing until `flush` (a new sender's URN has its
        # own savepoint, and is deleted again below): no savepoint per item is needed.
        try:
            with contextlib.nullcontext() if defer_events else transaction.atomic():
                results.append(batch.receive(identity, payload=item.get("payload", ""), **fields))
        except Exception as exc:
            batch.roll_back_to(mark, identity)
            logger.exception("inbound message failed on channel %s", channel.uuid)
            results.append(exc)
    batch.flush()
    return results


class _InboundBatch:
    """Inbound messages of one channel handled in one transaction.

    Per message: check for a duplicate, store the raw event (already in its final status: the
    engine runs in the same transaction), run the engine, collect the log and reply rows and
    the engine's decisions (pending question, contact's kecamatan, opt-out). The objects in
    memory (the URN's cached question, the contact) change only once the message is complete,
    so a message that fails leaves them as they were. `flush` writes what was collected: the
    URNs' last_inbound_at in one UPDATE, the log rows and replies, then the decisions (the last
    one per URN or contact). With `defer_events` (batches) the raw events are written by `flush`
    too, in one INSERT, and duplicates are found from one query for the batch's provider ids;
    a provider id stored meanwhile by another process makes that INSERT fail (the caller then
    goes item by item).
    """

    def __init__(self, channel: Channel, *, defer_events: bool = False):
        from .engine.memo import current_office

        self.channel = channel
        self.defer_events = defer_events
        # Loaded once per batch; a publish after this commits is seen by the next batch.
        self.office = current_office(channel.office_id) if channel.office_id else None
        self.urns: dict[str, ContactURN] = {}
        # Looked up in one query and not found: created without another look.
        self.known_missing: set[str] = set()
        # Senders whose contact and URN this batch created: removed again if their message fails.
        self.created: set[str] = set()
        self.seen_provider_ids: set[str] = set()
        self.item_provider_id: str | None = None
        self.touched_urns: list[int] = []
        self.events: list[InboundEvent] = []
        self.inbound: list[Message] = []
        self.replies: list[Message] = []
        self.decisions: list[tuple[ContactURN, Context]] = []

    def preload(self, identities: list[str], provider_ids: list) -> None:
        for chunk in _chunks(sorted(set(identities)) if len(identities) > 1 else []):
            self.known_missing.update(chunk)
            for urn in ContactURN.objects.select_related("contact", "conversation").filter(identity__in=chunk):
                self.urns[urn.identity] = urn
                self.known_missing.discard(urn.identity)
        if self.defer_events and len(self.known_missing) > 1:
            self._create_missing_urns()
        if self.defer_events:
            wanted = sorted({str(p)[:200] for p in provider_ids if p})
            for chunk in _chunks(wanted):
                found = InboundEvent.objects.filter(channel=self.channel, provider_id__in=chunk)
                self.seen_provider_ids.update(p for p in found.values_list("provider_id", flat=True) if p)

    def _create_missing_urns(self) -> None:
        """New senders of the batch: their contacts and URNs in two INSERTs instead of two each.

        If another process created one of them meanwhile, nothing is kept and each is created
        on its own as it comes (`_urn`), which handles that race.
        """
        now = timezone.now()
        identities = sorted(self.known_missing)
        try:
            with transaction.atomic():
                contacts = Contact.objects.bulk_create(
                    [Contact(office_id=self.channel.office_id) for _ in identities], batch_size=500
                )
                urns = ContactURN.objects.bulk_create(
                    [
                        ContactURN(
                            contact=contact,
                            scheme=scheme,
                            path=path,
                            identity=identity,
                            channel=self.channel,
                            last_inbound_at=now,
                        )
                        for identity, contact in zip(identities, contacts, strict=True)
                        for scheme, path in [identity.split(":", 1)]
                    ],
                    batch_size=500,
                )
        except IntegrityError:
            return
        for urn in urns:
            ContactURN.conversation.related.set_cached_value(urn, None)
            self.urns[urn.identity] = urn
        self.created.update(self.known_missing)
        self.known_missing.clear()

    def mark(self) -> tuple[int, ...]:
        self.item_provider_id = None
        lists = (self.touched_urns, self.events, self.inbound, self.replies, self.decisions)
        return tuple(len(rows) for rows in lists)

    def roll_back_to(self, mark: tuple[int, ...], identity: str) -> None:
        """After an item failed: drop what it collected, and its sender if this batch created it
        (the item's savepoint, if any, has rolled that row back already)."""
        touched, events, inbound, replies, decisions = mark
        del self.touched_urns[touched:], self.events[events:], self.inbound[inbound:]
        del self.replies[replies:], self.decisions[decisions:]
        if identity in self.created:
            self.created.discard(identity)
            urn = self.urns.pop(identity)
            ContactURN.objects.filter(pk=urn.pk).delete()
            Contact.objects.filter(pk=urn.contact_id, urns__isnull=True).delete()
        self.seen_provider_ids.discard(self.item_provider_id)

    def _urn(self, identity: str, now: dt.datetime) -> ContactURN:
        urn = self.urns.get(identity)
        if urn is None:
            urn = None if identity in self.known_missing else _find_urn(identity)
            self.known_missing.discard(identity)
            if urn is None:
                urn = _create_urn(identity, channel=self.channel, last_inbound_at=now)
                self.urns[identity] = urn
                self.created.add(identity)
                return urn
            self.urns[identity] = urn
        self.touched_urns.append(urn.pk)
        return urn

    def _is_duplicate(self, event: InboundEvent) -> bool:
        """Outside a batch, an event with a provider id is stored here: the INSERT against the
        unique constraint is the check."""
        if event.provider_id and self.defer_events:
            if event.provider_id in self.seen_provider_ids:
                return True
            self.seen_provider_ids.add(event.provider_id)
            self.item_provider_id = event.provider_id
            return False
        if event.provider_id:
            # Stored at once; the unique constraint finds the duplicate.
            try:
                with transaction.atomic():
                    insert_rows(InboundEvent, [event])
            except IntegrityError:
                return True
            return False
        window = dt.timedelta(seconds=conf.inbound_dedup_seconds())
        low, high = event.received_at - window, event.received_at + window
        if any(
            e.urn_id == event.urn_id and e.content_hash == event.content_hash and low <= e.received_at <= high
            for e in self.events
        ):
            return True
        return InboundEvent.objects.filter(
            channel=self.channel,
            urn_id=event.urn_id,
            content_hash=event.content_hash,
            received_at__gte=low,
            received_at__lte=high,
        ).exists()

    def receive(self, identity, *, text, provider_id, payload, received_at, media="") -> InboundEvent | None:
        channel = self.channel
        now = timezone.now()
        received_at = received_at or now
        text = _clean(text)[:MAX_INBOUND_CHARS]
        if media and not text.strip():
            from .engine.core import non_text_label

            text = non_text_label(media)
        else:
            media = ""
        contact_urn = self._urn(identity, now)
        content_hash = hashlib.sha256(f"{contact_urn.identity}\n{text}".encode()).hexdigest()
        event = build(
            InboundEvent,
            channel_id=channel.pk,
            urn_id=contact_urn.pk,
            text=text,
            content_hash=content_hash,
            payload=_payload_text(payload),
            received_at=received_at,
            # Final at once: the engine runs and the replies are queued in this transaction.
            status=InboundEvent.Status.HANDLED,
        )
        if provider_id:
            event.provider_id = str(provider_id)[:200]
        if self._is_duplicate(event):
            return None
        if self.defer_events:
            self.events.append(event)
        elif event.pk is None:
            insert_rows(InboundEvent, [event])

        contact_urn.channel = channel
        result, decided = _run_engine(channel, self.office, contact_urn, "" if media else text, now, media=media)
        inbound = build(
            Message,
            office_id=result.office.pk if result.office else None,
            channel_id=channel.pk,
            contact_id=contact_urn.contact_id,
            urn_id=contact_urn.pk,
            direction=Message.Direction.IN,
            text=text,
            status=Message.Status.HANDLED,
            needs_reply=result.needs_staff,
            created_at=received_at,
        )
        inbound.event = event  # saved by flush in batches: linked by object
        self.inbound.append(inbound)
        self.replies.extend(
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
        if decided is not None:
            self._decide(contact_urn, decided)
        return event

    def _decide(self, contact_urn: ContactURN, ctx: Context) -> None:
        """The engine's decisions, applied to the objects in memory (the batch's next message from
        this citizen sees them) and kept for `flush`. Last step of a message: it cannot fail."""
        if ctx.state_changed:
            ContactURN.conversation.related.set_cached_value(contact_urn, ctx.new_state)
        if ctx.contact_office is not None:
            contact_urn.contact.office = ctx.contact_office
        if ctx.state_changed or ctx.contact_office is not None or ctx.opt_out is not None:
            self.decisions.append((contact_urn, ctx))

    def _write_decisions(self) -> None:
        states: dict[int, ConversationState | None] = {}
        contact_offices: dict[int, int] = {}
        opt_outs: dict[str, tuple[bool, dt.datetime]] = {}
        for contact_urn, ctx in self.decisions:  # in order: the last decision wins
            if ctx.state_changed:
                states[contact_urn.pk] = ctx.new_state
            if ctx.contact_office is not None:
                contact_offices[contact_urn.contact_id] = ctx.contact_office.pk
            if ctx.opt_out is not None:
                opt_outs[contact_urn.identity] = (ctx.opt_out, ctx.now)
        for chunk in _chunks(sorted(urn_id for urn_id, state in states.items() if state is None)):
            ConversationState.objects.filter(urn_id__in=chunk).delete()
        # An upsert: another process may have stored a question for the same URN meanwhile.
        ConversationState.objects.bulk_create(
            [state for state in states.values() if state is not None],
            update_conflicts=True,
            unique_fields=["urn"],
            update_fields=["office", "data", "expires_at"],
        )
        by_office: dict[int, list[int]] = {}
        for contact_id, office_id in contact_offices.items():
            by_office.setdefault(office_id, []).append(contact_id)
        for office_id, contact_ids in by_office.items():
            Contact.objects.filter(pk__in=contact_ids).update(office_id=office_id)
        for identity, (out, when) in opt_outs.items():
            if out:
                mark_urn_opted_out(identity, source="keyword", now=when)
            else:
                mark_urn_opted_in(identity, source="keyword")

    def flush(self) -> None:
        now = timezone.now()
        for chunk in _chunks(sorted(set(self.touched_urns))):
            ContactURN.objects.filter(pk__in=chunk).update(last_inbound_at=now, channel=self.channel)
        # Each INSERT gives its rows their primary keys, which the next rows point at (a log row
        # at its event, a reply at its log row): insert_rows takes those ids from the linked objects.
        insert_rows(InboundEvent, self.events)
        insert_rows(Message, self.inbound)
        insert_rows(Message, self.replies)
        self._write_decisions()


def _chunks(values: list, size: int = 500):
    # Below every database's limit on query parameters.
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _run_engine(
    channel: Channel, office: Office | None, contact_urn: ContactURN, text: str, now: dt.datetime, *, media: str = ""
):
    """The engine's answer and the context holding its decisions (None when it failed)."""
    from .engine import EngineReply, EngineResult, respond

    ctx = Context(
        channel=channel, urn=contact_urn, contact=contact_urn.contact, text=text, now=now, office=office, media=media
    )
    try:
        # The engine only reads: nothing to roll back if it fails.
        return respond(ctx), ctx
    except Exception:
        # The citizen still gets an answer and a person sees the message; the bug is logged
        # without the text (personal data). What the engine decided before failing is dropped.
        logger.exception("conversation engine failed on channel %s", channel.uuid)
        office = ctx.office or office or channel.office
        reply = EngineReply("Terima kasih, pesan Anda kami terima. Petugas akan membalas secepatnya.")
        return EngineResult([reply], office, needs_staff=True), None


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
        is_broadcast=is_broadcast,
        sent_by_id=sent_by.pk if sent_by else None,
        created_at=now,
    )
    if in_reply_to is not None:
        message.in_reply_to = in_reply_to  # may be unsaved yet (a batch): linked by object
    return message


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
        .exclude(kind="test")
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
    channel = Channel.objects.filter(office=office, kind="test").order_by("id").first()
    if channel is None:
        channel = Channel.objects.create(office=office, kind="test", name="Simulator", tps=1000)
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
    if kind not in channels.channel_types():
        raise MessagingError(f"Jenis kanal tidak dikenal: {kind}. Pilihan: {', '.join(channels.channel_types())}.")
    channel = Channel(kind=kind, name=name, office=office, regency=regency, address=address, config=config or {})
    if tps is not None:
        channel.tps = tps
    channel.save()
    return channel
