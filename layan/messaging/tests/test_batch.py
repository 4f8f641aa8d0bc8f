"""receive: many inbound messages in one transaction, each with the rules of one."""

import datetime as dt

import pytest
from django.utils import timezone

from layan.messaging import engine
from layan.messaging.models import ContactURN, ConversationState, InboundEvent, Message
from layan.messaging.services import Incoming, receive
from layan.messaging.urns import URNError
from testkit.personas import create_service

from .helpers import CITIZEN, create_test_channel, receive_one, replies_to, subscription_state

OTHER = "tel:+6281311112222"


@pytest.fixture
def channel(personas):
    create_service(personas.office, "ktp-el", "Pelayanan KTP-el", keywords=["ktp"])
    create_service(personas.office, "sk-domisili", "Surat Keterangan Domisili", keywords=["domisili"])
    create_service(personas.office, "sk-usaha", "Surat Keterangan Usaha", keywords=["usaha"])
    return create_test_channel(personas.office)


def test_batch_answers_every_message_like_single_ones(channel):
    results = receive(
        channel,
        [
            Incoming(urn=CITIZEN, text="syarat ktp", provider_id="m1", payload=b"{}"),
            Incoming(urn=OTHER, text="JAM", provider_id="m2"),
            Incoming(urn="0813-1111-3333", text="menu", provider_id="m3"),
        ],
    )
    assert all(isinstance(r, InboundEvent) for r in results)
    assert "/layanan/ktp-el/" in replies_to(results[0])[0]
    assert "Jam layanan" in replies_to(results[1])[0]
    assert "SYARAT" in replies_to(results[2])[0]
    assert InboundEvent.objects.filter(status=InboundEvent.Status.HANDLED).count() == 3
    assert ContactURN.objects.get(identity=OTHER).last_inbound_at is not None
    assert Message.objects.filter(direction=Message.Direction.OUT, status=Message.Status.QUEUED).count() == 3


def test_duplicates_in_batch_and_from_earlier_get_one_reply(channel):
    receive_one(channel, urn=CITIZEN, text="JAM", provider_id="gw-1")
    now = timezone.now()
    results = receive(
        channel,
        [
            Incoming(urn=CITIZEN, text="JAM", provider_id="gw-1"),  # replayed from before
            Incoming(urn=CITIZEN, text="menu", provider_id="gw-2"),
            Incoming(urn=CITIZEN, text="menu", provider_id="gw-2"),  # replayed within the batch
            Incoming(urn=OTHER, text="syarat ktp", received_at=now),
            Incoming(urn=OTHER, text="syarat ktp", received_at=now + dt.timedelta(seconds=1)),  # no id, same text
        ],
    )
    assert results[0] is None and results[2] is None and results[4] is None
    assert isinstance(results[1], InboundEvent) and isinstance(results[3], InboundEvent)
    assert InboundEvent.objects.count() == 3
    assert Message.objects.filter(direction=Message.Direction.OUT).count() == 3


def test_numbered_answer_in_same_batch_follows_the_choices(channel):
    first, second = receive(
        channel,
        [
            Incoming(urn=CITIZEN, text="surat keterangan", provider_id="a"),
            Incoming(urn=CITIZEN, text="2", provider_id="b"),
        ],
    )
    [choices] = replies_to(first)
    chosen = choices.splitlines()[2].split(". ", 1)[1]
    [answer] = replies_to(second)
    assert "Syarat:" in answer and chosen[:20] in answer


def test_bad_item_fails_alone(channel, monkeypatch):
    real_respond = engine.respond

    def respond_or_break(ctx):
        if ctx.text == "rusak":
            raise RuntimeError("bug in a command")
        return real_respond(ctx)

    monkeypatch.setattr(engine, "respond", respond_or_break)
    results = receive(
        channel,
        [
            Incoming(urn="bukan nomor", text="syarat ktp", provider_id="x1"),
            Incoming(urn=CITIZEN, text="rusak", provider_id="x2"),
            Incoming(urn=OTHER, text="syarat ktp", provider_id="x3"),
        ],
    )
    assert isinstance(results[0], URNError)
    # The engine failing is no failure of the message: it is stored, a person sees it, the
    # citizen gets a polite answer.
    [polite] = replies_to(results[1])
    assert "Petugas" in polite
    assert Message.objects.get(event=results[1]).needs_reply
    assert "/layanan/ktp-el/" in replies_to(results[2])[0]
    assert InboundEvent.objects.count() == 2


def test_item_failing_after_storage_leaves_no_trace_and_others_stay(channel, monkeypatch):
    from layan.messaging.services import inbound as services

    real_run = services._run_engine

    def run_or_fail(responder, channel, office, contact_urn, text, now, *args):
        if text == "gagal":
            raise RuntimeError("disk full")
        return real_run(responder, channel, office, contact_urn, text, now, *args)

    monkeypatch.setattr(services, "_run_engine", run_or_fail)
    results = receive(
        channel,
        [
            Incoming(urn="tel:+6281355550000", text="gagal", provider_id="f1"),
            Incoming(urn=OTHER, text="menu", provider_id="f2"),
        ],
    )
    assert isinstance(results[0], RuntimeError)
    assert isinstance(results[1], InboundEvent)
    assert not ContactURN.objects.filter(identity="tel:+6281355550000").exists()
    assert list(InboundEvent.objects.values_list("provider_id", flat=True)) == ["f2"]
    # The failed message may be sent again (the modem keeps it): it is then processed.
    [again] = receive(channel, [Incoming(urn="tel:+6281355550000", text="menu", provider_id="f1")])
    assert isinstance(again, InboundEvent)


def test_conversation_reads_in_order_after_a_batch(channel):
    receive(
        channel,
        [Incoming(urn=CITIZEN, text="menu", provider_id="o1"), Incoming(urn=CITIZEN, text="JAM", provider_id="o2")],
    )
    thread = list(Message.objects.filter(urn__identity=CITIZEN).order_by("created_at", "id"))
    assert [m.direction for m in thread] == ["in", "out", "in", "out"]
    assert thread[1].in_reply_to == thread[0] and thread[3].in_reply_to == thread[2]


def test_an_engine_failing_after_offering_choices_leaves_no_pending_question(channel, monkeypatch):
    real_respond = engine.respond

    def offer_then_break(ctx):
        real_respond(ctx)  # remembers the numbered choices for "surat keterangan"
        raise RuntimeError("bug after the choices")

    monkeypatch.setattr(engine, "respond", offer_then_break)
    [broken] = receive(channel, [Incoming(urn=CITIZEN, text="surat keterangan", provider_id="c1")])
    assert "Petugas" in replies_to(broken)[0]
    assert not ConversationState.objects.exists()
    monkeypatch.undo()

    # "2" is no answer to a question the citizen never saw: it goes to the staff.
    [two] = receive(channel, [Incoming(urn=CITIZEN, text="2", provider_id="c2")])
    assert "Syarat:" not in replies_to(two)[0]


def test_choices_offered_in_one_batch_are_answered_in_the_next(channel):
    [first] = receive(channel, [Incoming(urn=CITIZEN, text="surat keterangan", provider_id="n1")])
    assert ConversationState.objects.get(urn__identity=CITIZEN).data["kind"] == "choices"
    [second] = receive(channel, [Incoming(urn=CITIZEN, text="1", provider_id="n2")])
    chosen = replies_to(first)[0].splitlines()[1].split(". ", 1)[1]
    assert chosen[:20] in replies_to(second)[0]
    assert not ConversationState.objects.exists()  # answered: the question is gone


def test_stop_and_mulai_in_one_batch_leave_the_last_word(channel):
    receive(
        channel,
        [
            Incoming(urn=CITIZEN, text="STOP", provider_id="s1"),
            Incoming(urn=OTHER, text="STOP", provider_id="s2"),
            Incoming(urn=CITIZEN, text="MULAI", provider_id="s3"),
        ],
    )
    assert subscription_state(CITIZEN, channel.office) == "subscribed"
    assert subscription_state(OTHER, channel.office) == "opted out"


def test_a_question_stored_meanwhile_by_another_process_is_replaced_not_a_crash(channel, monkeypatch):
    from layan.messaging.services import inbound as services

    urn = services.get_or_create_urn(CITIZEN, channel=channel)
    real_respond = services._respond

    def other_process_writes_then_respond(ctx):
        # The sender has been read (no pending question) when another process stores one.
        ConversationState.objects.create(
            urn=urn, data={"kind": "ask_office", "question": []}, expires_at=timezone.now() + dt.timedelta(hours=1)
        )
        return real_respond(ctx)

    monkeypatch.setattr(services, "_respond", other_process_writes_then_respond)
    [event] = receive(channel, [Incoming(urn=CITIZEN, text="surat keterangan", provider_id="r1")])

    assert isinstance(event, InboundEvent) and "Balas" in replies_to(event)[0]
    assert ConversationState.objects.get(urn=urn).data["kind"] == "choices"


def test_a_sender_created_meanwhile_by_another_process_is_used_and_no_contact_is_left_over(channel, monkeypatch):
    from layan.messaging.models import Contact
    from layan.messaging.services import inbound as services

    existing = services.get_or_create_urn(CITIZEN, channel=channel)
    real_find = services._find_urn
    reads = []

    def stale_first_read(identity):
        reads.append(identity)
        return None if len(reads) == 1 else real_find(identity)  # our read came before theirs

    monkeypatch.setattr(services, "_find_urn", stale_first_read)
    [event] = receive(channel, [Incoming(urn=CITIZEN, text="syarat ktp", provider_id="m1")])

    assert isinstance(event, InboundEvent) and event.urn_id == existing.pk and replies_to(event)
    assert Contact.objects.count() == 1 and ContactURN.objects.count() == 1


def test_a_provider_id_stored_meanwhile_by_another_process_makes_that_message_a_duplicate(channel, monkeypatch):
    from layan.messaging.services import inbound as services

    real_preload = services._InboundBatch.preload

    def preload_then_other_process_stores(self, identities, provider_ids):
        real_preload(self, identities, provider_ids)  # this batch has looked: "p1" is new
        if "p1" in provider_ids:
            monkeypatch.undo()
            receive_one(channel, urn=CITIZEN, text="JAM", provider_id="p1")  # a retried webhook, elsewhere

    monkeypatch.setattr(services._InboundBatch, "preload", preload_then_other_process_stores)
    items = [Incoming(urn=CITIZEN, text="JAM", provider_id="p1"), Incoming(urn=OTHER, text="menu", provider_id="p2")]
    first, second = receive(channel, items)

    assert first is None and isinstance(second, InboundEvent)
    assert InboundEvent.objects.filter(provider_id="p1").count() == 1
    # One answer to "JAM", the other process's: this batch wrote no log row or reply for it.
    assert Message.objects.filter(urn__identity=CITIZEN, direction=Message.Direction.OUT).count() == 1
    assert Message.objects.filter(urn__identity=OTHER, direction=Message.Direction.OUT).count() == 1


def test_last_contact_moves_after_five_minutes_or_on_another_channel(channel, personas):
    receive_one(channel, urn=CITIZEN, text="JAM")
    urn = ContactURN.objects.get(identity=CITIZEN)
    minute_ago = timezone.now() - dt.timedelta(minutes=1)
    ContactURN.objects.filter(pk=urn.pk).update(last_inbound_at=minute_ago)
    receive_one(channel, urn=CITIZEN, text="MENU")
    assert ContactURN.objects.get(pk=urn.pk).last_inbound_at == minute_ago  # chatting: no rewrite

    other = create_test_channel(personas.office)
    receive_one(other, urn=CITIZEN, text="JAM")
    urn.refresh_from_db()
    assert urn.channel_id == other.pk and urn.last_inbound_at > minute_ago

    long_ago = timezone.now() - dt.timedelta(minutes=6)
    ContactURN.objects.filter(pk=urn.pk).update(last_inbound_at=long_ago)
    receive_one(other, urn=CITIZEN, text="MENU")
    assert ContactURN.objects.get(pk=urn.pk).last_inbound_at > long_ago
