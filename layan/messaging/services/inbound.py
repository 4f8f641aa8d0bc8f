"""Inbound: one path for one message or many (a webhook, a modem inbox read).

`receive(channel, items)` stores each raw event, runs the engine, and writes the conversation log
and the replies, all in the caller's one transaction. Per message it checks for a duplicate, runs
the engine (which only reads) and collects the rows and the engine's decisions; nothing is written
until the end, where a few statements write everything the batch collected. A message that fails
is dropped alone: it collected nothing, and a sender created for it is removed again.

A command with consequences (`Context.act`) is the exception: right after the engine answered,
its message's event is stored (a duplicate then stops there) and its actions run in a savepoint;
their replies join the message's. A failing action rolls back alone and the citizen is told that
an officer will answer. Messages without actions open no savepoint.
"""

import datetime as dt
import hashlib
import json
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from layan.messaging import conf, engine
from layan.messaging.engine import Context, EngineReply, EngineResult
from layan.messaging.engine.context import as_replies
from layan.messaging.engine.core import non_text_label
from layan.messaging.engine.memo import current_office
from layan.messaging.models import Channel, Contact, ContactURN, ConversationState, InboundEvent, Message
from layan.messaging.rows import CompiledQuery, build, insert_rows, insert_rows_skipping_conflicts, update_rows
from layan.messaging.urns import normalize_urn, parse_urn
from layan.offices.models import Office

from .outbound import outbound_row
from .subscriptions import apply_keyword, subscribe_rows

logger = logging.getLogger(__name__)

MAX_INBOUND_CHARS = 2000

# What the citizen is told when the answer failed (the engine or a command's action): the
# message waits in the staff inbox.
STAFF_WILL_REPLY = "Terima kasih, pesan Anda kami terima. Petugas akan membalas secepatnya."

# A sender's last contact (ContactURN.last_inbound_at) is rewritten only when it is older than this
# or the channel changed: a citizen chatting writes no UPDATE per message. Its one reader, the
# 24-hour window of WhatsApp and Messenger, then sees the window close at most this much early
# (it sends the template instead of free text), never late.
LAST_CONTACT_PRECISION = dt.timedelta(minutes=5)


@dataclass(frozen=True, slots=True)
class Incoming:
    """One inbound message as a channel read it. `provider_id` makes a resend a no-op; without
    one, the same text from the same URN within LAYAN_INBOUND_DEDUP_SECONDS is one message.
    `media` says what a message carried besides text ("image", "audio", "location" …, see
    engine.core.NON_TEXT_LABELS); without text it is logged by its label, gets the engine's
    non-text reply and waits in the staff inbox."""

    urn: str
    text: str
    provider_id: str | None = None
    payload: str | bytes | dict = ""
    received_at: dt.datetime | None = None
    media: str = ""


Responder = Callable[[Context], EngineResult]


@transaction.atomic
def receive(
    channel: Channel, items: Iterable[Incoming], *, responder: Responder | None = None
) -> list[InboundEvent | None | Exception]:
    """Store and answer inbound messages of one channel in ONE transaction.

    Returns one entry per item, in order: its InboundEvent, None for a duplicate, or the exception
    that item raised (URNError for an unusable sender address; a bug is logged). A failed item is
    dropped alone; the others are kept. Odd text never fails: the engine answers everything.
    `responder` replaces the conversation engine (a Page comment answered from the catalogue).
    """
    items = list(items)
    batch = _InboundBatch(channel, responder or _respond)
    identities: list[str | Exception] = []
    for item in items:
        try:
            identities.append(normalize_urn(item.urn))
        except ValueError as exc:
            identities.append(exc)
    batch.preload([i for i in identities if isinstance(i, str)], [item.provider_id for item in items])
    results: list[InboundEvent | None | Exception] = []
    for index, (item, identity) in enumerate(zip(items, identities, strict=True)):
        if isinstance(identity, Exception):
            results.append(identity)
            continue
        try:
            results.append(batch.receive(index, identity, item))
        except Exception as exc:
            batch.drop_sender(identity)
            logger.exception("inbound message failed on channel %s", channel.uuid)
            results.append(exc)
    for index in batch.flush():
        results[index] = None  # stored meanwhile by another process: a duplicate after all
    return results


def get_or_create_urn(
    identity: str, *, channel: Channel | None = None, last_inbound_at: dt.datetime | None = None
) -> ContactURN:
    """The URN `identity` (normalised), creating its contact on first contact."""
    identity = normalize_urn(identity)
    return _find_urn(identity) or _create_urn(identity, channel=channel, last_inbound_at=last_inbound_at)


# identity is unique: no ordering needed.
_URN_BY_IDENTITY = CompiledQuery(
    lambda identity: ContactURN.objects.select_related("contact", "conversation").filter(identity=identity), "identity"
)


def _find_urn(identity: str) -> ContactURN | None:
    found = _URN_BY_IDENTITY.fetch(identity)
    return found[0] if found else None


def _create_urn(identity: str, *, channel: Channel | None, last_inbound_at: dt.datetime | None) -> ContactURN:
    """A new contact and its URN, without a savepoint: the URN's INSERT skips an identity that
    another process stored between our read and our insert, and our contact then goes again."""
    scheme, path = parse_urn(identity)
    contact = build(Contact, office_id=channel.office_id if channel else None)
    insert_rows(Contact, [contact])
    urn = build(
        ContactURN,
        contact_id=contact.pk,
        scheme=scheme,
        path=path,
        identity=identity,
        channel_id=channel.pk if channel else None,
        last_inbound_at=last_inbound_at,
    )
    insert_rows_skipping_conflicts(ContactURN, [urn], key="identity")
    if urn.pk is None:
        Contact.objects.filter(pk=contact.pk).delete()
        found = _find_urn(identity)
        assert found is not None
        return found
    urn.contact = contact
    # A URN created just now has no conversation yet: knowing it saves the engine a query.
    ContactURN.conversation.related.set_cached_value(urn, None)
    return urn


def _clean(text: str) -> str:
    # PostgreSQL text cannot hold NUL; a gateway may still send one.
    return (text or "").replace("\x00", "")


def _payload_text(payload) -> str:
    if isinstance(payload, bytes):
        payload = payload.decode("utf-8", errors="replace")
    elif not isinstance(payload, str):
        payload = json.dumps(payload, ensure_ascii=False, default=str)
    return _clean(payload)


@dataclass
class _Received:
    """What one message collected: written by `flush`, or not at all."""

    index: int
    urn: ContactURN
    event: InboundEvent
    inbound: Message
    replies: list[Message]
    decided: Context | None
    office_id: int | None
    touched: bool = field(default=True)


class _InboundBatch:
    """Inbound messages of one channel handled in one transaction (see the module docstring).

    The objects in memory (the URN's cached question, the contact) change only once a message is
    complete, so a message that fails leaves them as they were. Duplicates are found from one
    query for the batch's provider ids (and, without one, by content within the window); a
    provider id stored meanwhile by another process is caught by the events' INSERT, which skips
    it, and `flush` then drops that message's rows.
    """

    def __init__(self, channel: Channel, responder: Responder):
        self.channel = channel
        self.responder = responder
        # Loaded once per batch; a publish after this commits is seen by the next batch.
        self.office = current_office(channel.office_id) if channel.office_id else None
        self.urns: dict[str, ContactURN] = {}
        # Looked up in one query and not found: created without another look.
        self.known_missing: set[str] = set()
        # Senders this batch created: removed again if their message fails.
        self.created: set[str] = set()
        self.seen_provider_ids: set[str] = set()
        self.received: list[_Received] = []

    def preload(self, identities: list[str], provider_ids: list) -> None:
        if len(identities) == 1 and len(provider_ids) == 1:
            # One message (a webhook): its sender in one compiled look-up, and no look for its
            # provider id: the events' INSERT skips a duplicate, and flush then drops its rows.
            return
        for chunk in _chunks(sorted(set(identities))):
            self.known_missing.update(chunk)
            for urn in ContactURN.objects.select_related("contact", "conversation").filter(identity__in=chunk):
                self.urns[urn.identity] = urn
                self.known_missing.discard(urn.identity)
        if len(self.known_missing) > 1:
            self._create_missing_urns()
        for chunk in _chunks(sorted({str(p)[:200] for p in provider_ids if p})):
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

    def drop_sender(self, identity: str) -> None:
        """After a message failed: its sender goes too if this batch created it for that message
        alone (a later message of the same sender creates it again)."""
        if identity in self.created and not any(r.urn.identity == identity for r in self.received):
            self.created.discard(identity)
            urn = self.urns.pop(identity)
            ContactURN.objects.filter(pk=urn.pk).delete()
            Contact.objects.filter(pk=urn.contact_id, urns__isnull=True).delete()

    def _urn(self, identity: str, now: dt.datetime) -> tuple[ContactURN, bool]:
        """The sender's URN, and whether it existed before this message (its last_inbound_at and
        channel are then updated by `flush` unless recent: LAST_CONTACT_PRECISION)."""
        urn = self.urns.get(identity)
        if urn is not None:
            return urn, identity not in self.created
        found = None if identity in self.known_missing else _find_urn(identity)
        self.known_missing.discard(identity)
        if found is not None:
            self.urns[identity] = found
            return found, True
        urn = _create_urn(identity, channel=self.channel, last_inbound_at=now)
        self.urns[identity] = urn
        self.created.add(identity)
        return urn, False

    def _is_duplicate(self, event: InboundEvent) -> bool:
        if event.provider_id:
            if event.provider_id in self.seen_provider_ids:
                return True
            self.seen_provider_ids.add(event.provider_id)
            return False
        window = dt.timedelta(seconds=conf.inbound_dedup_seconds())
        low, high = event.received_at - window, event.received_at + window
        if any(
            r.event.urn_id == event.urn_id
            and r.event.content_hash == event.content_hash
            and low <= r.event.received_at <= high
            for r in self.received
        ):
            return True
        return InboundEvent.objects.filter(
            channel=self.channel,
            urn_id=event.urn_id,
            content_hash=event.content_hash,
            received_at__gte=low,
            received_at__lte=high,
        ).exists()

    def receive(self, index: int, identity: str, item: Incoming) -> InboundEvent | None:
        channel = self.channel
        now = timezone.now()
        received_at = item.received_at or now
        text = _clean(item.text)[:MAX_INBOUND_CHARS]
        media = item.media if item.media and not text.strip() else ""
        if media:
            text = non_text_label(media)
        contact_urn, existed = self._urn(identity, now)
        touched = existed and not (
            contact_urn.channel_id == channel.pk
            and contact_urn.last_inbound_at is not None
            and now - contact_urn.last_inbound_at < LAST_CONTACT_PRECISION
        )
        content_hash = hashlib.sha256(f"{contact_urn.identity}\n{text}".encode()).hexdigest()
        event = build(
            InboundEvent,
            channel_id=channel.pk,
            urn_id=contact_urn.pk,
            text=text,
            content_hash=content_hash,
            payload=_payload_text(item.payload),
            received_at=received_at,
            # Final at once: the engine runs and the replies are queued in this transaction.
            status=InboundEvent.Status.HANDLED,
        )
        if item.provider_id:
            event.provider_id = str(item.provider_id)[:200]
        if self._is_duplicate(event):
            return None
        try:
            contact_urn.channel = channel
            engine_text = "" if media else text
            result, decided = _run_engine(self.responder, channel, self.office, contact_urn, engine_text, now, media)
            office = result.office
            inbound = build(
                Message,
                office_id=office.pk if office else None,
                channel_id=channel.pk,
                contact_id=contact_urn.contact_id,
                urn_id=contact_urn.pk,
                direction=Message.Direction.IN,
                text=text,
                status=Message.Status.HANDLED,
                needs_reply=result.needs_staff,
                created_at=received_at,
            )
            inbound.event = event  # saved by flush: linked by object
            replies = [
                outbound_row(
                    channel,
                    contact_urn,
                    reply.text,
                    office=office,
                    in_reply_to=inbound,
                    choices=reply.choices,
                    now=now,
                )
                for reply in result.replies
            ]
        except Exception:
            self.seen_provider_ids.discard(event.provider_id or "")
            raise
        if decided is not None and decided.actions:
            if event.provider_id:
                # Stored now, before the actions: a webhook retried elsewhere meanwhile is caught
                # here and causes nothing twice. (flush skips an event that has its id.)
                insert_rows_skipping_conflicts(InboundEvent, [event], key="provider_id")
                if event.pk is None:
                    return None

            def reply_row(reply: EngineReply) -> Message:
                return outbound_row(
                    channel, contact_urn, reply.text, office=office, in_reply_to=inbound, choices=reply.choices, now=now
                )

            acted = _run_actions(channel, decided, reply_row)
            if acted is None:
                decided = None
                inbound.needs_reply = True
                replies = [reply_row(EngineReply(STAFF_WILL_REPLY))]
            else:
                replies += acted
        # Last step of a message: it cannot fail.
        if decided is not None:
            self._decide(contact_urn, decided)
        self.received.append(
            _Received(index, contact_urn, event, inbound, replies, decided, inbound.office_id, touched=touched)
        )
        return event

    def _decide(self, contact_urn: ContactURN, ctx: Context) -> None:
        """The engine's decisions, applied to the objects in memory (the batch's next message from
        this citizen sees them); `flush` writes them."""
        if ctx.state_changed:
            ContactURN.conversation.related.set_cached_value(contact_urn, ctx.new_state)
        if ctx.contact_office is not None:
            contact_urn.contact.office = ctx.contact_office

    def flush(self) -> list[int]:
        """Write what the batch collected. Returns the indexes of messages that turned out to be
        duplicates (stored meanwhile by another process): their rows are not written."""
        dropped = self._insert_events()
        kept = [r for r in self.received if r.event.pk is not None]
        now = timezone.now()
        for chunk in _chunks(sorted({r.urn.pk for r in kept if r.touched})):
            update_rows(ContactURN, chunk, last_inbound_at=now, channel_id=self.channel.pk)
        # Each INSERT gives its rows their primary keys, which the next rows point at (a log row
        # at its event, a reply at its log row): insert_rows takes those ids from the linked objects.
        insert_rows(Message, [r.inbound for r in kept])
        insert_rows(Message, [reply for r in kept for reply in r.replies])
        subscribe_rows({(r.office_id, r.urn.pk) for r in kept if r.office_id is not None})
        self._write_decisions([r for r in kept if r.decided is not None])
        return dropped

    def _insert_events(self) -> list[int]:
        with_id = [r.event for r in self.received if r.event.provider_id and r.event.pk is None]
        insert_rows(InboundEvent, [r.event for r in self.received if not r.event.provider_id])
        # A provider id another process stored after our preload: skipped here, and the message
        # is a duplicate. (Later messages of this batch from the same citizen have seen its
        # decisions in memory; a rare race, and what they answered is still right for them.)
        insert_rows_skipping_conflicts(InboundEvent, with_id, key="provider_id")
        return [r.index for r in self.received if r.event.pk is None]

    def _write_decisions(self, decided: list[_Received]) -> None:
        states: dict[int, ConversationState | None] = {}
        contact_offices: dict[int, int] = {}
        keywords: dict[str, tuple[ContactURN, Context]] = {}
        for r in decided:  # in order: the last decision wins
            ctx = r.decided
            assert ctx is not None
            if ctx.state_changed:
                states[r.urn.pk] = ctx.new_state
            if ctx.contact_office is not None:
                contact_offices[r.urn.contact_id] = ctx.contact_office.pk
            if ctx.opt_out is not None:
                keywords[r.urn.identity] = (r.urn, ctx)
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
        for contact_urn, ctx in keywords.values():
            apply_keyword(contact_urn, channel=self.channel, office=ctx.office, stop=bool(ctx.opt_out), now=ctx.now)


def _chunks(values: list, size: int = 500):
    # Below every database's limit on query parameters.
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _respond(ctx: Context) -> EngineResult:
    return engine.respond(ctx)  # looked up at each call: tests replace it


def _run_engine(
    responder: Responder,
    channel: Channel,
    office: Office | None,
    contact_urn: ContactURN,
    text: str,
    now: dt.datetime,
    media: str = "",
):
    """The engine's answer and the context holding its decisions (None when it failed)."""
    ctx = Context(
        channel=channel, urn=contact_urn, contact=contact_urn.contact, text=text, now=now, office=office, media=media
    )
    try:
        # The engine only reads: nothing to roll back if it fails.
        return responder(ctx), ctx
    except Exception:
        # The citizen still gets an answer and a person sees the message; the bug is logged
        # without the text (personal data). What the engine decided before failing is dropped.
        logger.exception("conversation engine failed on channel %s", channel.uuid)
        office = ctx.office or office or channel.office
        return EngineResult([EngineReply(STAFF_WILL_REPLY)], office, needs_staff=True), None


def _run_actions(channel: Channel, ctx: Context, reply_row: Callable[[EngineReply], Message]) -> list[Message] | None:
    """Run the message's actions (`Context.act`) in one savepoint: their reply rows, or None when
    one failed (its writes and the others' are rolled back, the bug logged without the text)."""
    try:
        with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
            return [reply_row(reply) for fn in ctx.actions for reply in as_replies(fn(), ctx.max_parts)]
    except Exception:
        logger.exception("chat command action failed on channel %s", channel.uuid)
        return None
