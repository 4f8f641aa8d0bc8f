"""Commands with consequences: `ctx.act(fn)` runs after the engine answered, in the inbound transaction."""

import logging

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from layan.messaging.engine import commands
from layan.messaging.models import ConversationState, InboundEvent, Message
from layan.messaging.services import Incoming, enqueue, receive
from layan.messaging.services.inbound import STAFF_WILL_REPLY

from .helpers import CITIZEN, create_test_channel, receive_one, replies_to

OTHER = "tel:+6281311112222"


def _note(ctx, args: str) -> str:
    # A domain service's write: here a notification in the outbox, as a status change writes one.
    enqueue(ctx.urn, f"Catatan {args} disimpan", office=ctx.the_office, channel=ctx.channel)
    if "gagal" in args:
        raise RuntimeError("the domain service refused")
    return f"Tercatat: {args}"


@pytest.fixture
def catat():
    """CATAT <teks>: a test-only command whose action writes one outbox row and replies.
    Its handler also offers a pending question, to show what survives a failing action."""

    def handler(ctx, args):
        ctx.remember({"kind": "catat", "text": args})
        ctx.act(lambda: _note(ctx, args))
        return "Sedang dicatat."

    before = dict(commands.REGISTRY)
    commands.command("CATAT", fuzzy=False)(handler)
    yield
    commands.REGISTRY.clear()
    commands.REGISTRY.update(before)


@pytest.fixture
def channel(personas, catat):
    return create_test_channel(personas.office)


def notes() -> list[str]:
    return list(Message.objects.filter(text__startswith="Catatan ").values_list("text", flat=True))


def test_an_action_that_succeeds_writes_and_its_reply_follows_the_handlers(channel):
    event = receive_one(channel, urn=CITIZEN, text="CATAT pagar", provider_id="a1")
    assert replies_to(event) == ["Sedang dicatat.", "Tercatat: pagar"]
    assert notes() == ["Catatan pagar disimpan"]
    inbound = Message.objects.get(event=event)
    assert not inbound.needs_reply
    assert ConversationState.objects.get(urn=event.urn).data == {"kind": "catat", "text": "pagar"}


def test_a_failing_action_leaves_no_row_and_the_citizen_is_told_an_officer_will_answer(channel, caplog):
    with caplog.at_level(logging.ERROR):
        event = receive_one(channel, urn=CITIZEN, text="CATAT gagal rahasia", provider_id="a2")
    assert replies_to(event) == [STAFF_WILL_REPLY]
    assert notes() == []
    # The message itself is kept and waits for staff; what the engine decided is dropped.
    assert InboundEvent.objects.filter(provider_id="a2").exists()
    assert Message.objects.get(event=event).needs_reply
    assert not ConversationState.objects.exists()
    assert "action failed" in caplog.text and "rahasia" not in caplog.text


def test_a_batch_with_one_failing_action_keeps_the_other_messages(channel):
    results = receive(
        channel,
        [
            Incoming(urn=CITIZEN, text="CATAT pagar", provider_id="b1"),
            Incoming(urn=OTHER, text="CATAT gagal", provider_id="b2"),
            Incoming(urn=OTHER, text="JAM", provider_id="b3"),
            Incoming(urn="tel:+6281399998888", text="CATAT atap"),
        ],
    )
    assert all(isinstance(r, InboundEvent) for r in results)
    assert sorted(notes()) == ["Catatan atap disimpan", "Catatan pagar disimpan"]
    assert "Tercatat: pagar" in replies_to(results[0])
    assert replies_to(results[1]) == [STAFF_WILL_REPLY]
    assert "Jam layanan" in replies_to(results[2])[0]
    assert "Tercatat: atap" in replies_to(results[3])
    assert Message.objects.filter(direction="in", needs_reply=True).get().event == results[1]


def test_a_retried_webhook_runs_the_action_once(channel):
    first = receive_one(channel, urn=CITIZEN, text="CATAT pagar", provider_id="r1")
    again = receive_one(channel, urn=CITIZEN, text="CATAT pagar", provider_id="r1")
    [in_batch] = receive(channel, [Incoming(urn=CITIZEN, text="CATAT pagar", provider_id="r1")])
    assert first is not None and again is None and in_batch is None
    assert notes() == ["Catatan pagar disimpan"]


def test_only_a_message_with_actions_opens_a_savepoint(channel):
    def savepoints(text: str, provider_id: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            receive_one(channel, urn=CITIZEN, text=text, provider_id=provider_id)
        return sum(q["sql"].startswith("SAVEPOINT") for q in queries.captured_queries)

    ordinary = savepoints("JAM", "s1")  # receive's own atomic block (a savepoint inside the test's)
    assert savepoints("CATAT pagar", "s2") == ordinary + 1
