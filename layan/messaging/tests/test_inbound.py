"""receive, one message at a time: raw storage, deduplication, opt-out, replies in the outbox."""

import datetime as dt

import pytest
from django.utils import timezone

from layan.messaging.models import ContactURN, InboundEvent, Message
from layan.messaging.services import get_or_create_urn, update_status
from testkit.personas import create_service

from .helpers import CITIZEN, ask, broadcast, create_test_channel, receive_one, subscription_state


@pytest.fixture
def channel(personas):
    create_service(personas.office, "ktp-el", "Pelayanan KTP-el", keywords=["ktp"])
    return create_test_channel(personas.office)


def test_replayed_webhook_yields_one_reply(channel):
    first = receive_one(channel, urn="0812-3456-7890", text="syarat ktp", provider_id="gw-17", payload=b"{}")
    again = receive_one(channel, urn="+6281234567890", text="syarat ktp", provider_id="gw-17", payload=b"{}")
    assert first is not None and again is None
    assert InboundEvent.objects.count() == 1
    assert Message.objects.filter(direction=Message.Direction.OUT).count() == 1


def test_same_text_without_provider_id_is_deduplicated_within_window(channel):
    now = timezone.now()
    assert receive_one(channel, urn=CITIZEN, text="JAM", received_at=now) is not None
    assert receive_one(channel, urn=CITIZEN, text="JAM", received_at=now + dt.timedelta(seconds=2)) is None
    assert receive_one(channel, urn=CITIZEN, text="JAM", received_at=now + dt.timedelta(seconds=30)) is not None


def test_raw_payload_is_kept_and_reply_is_queued_in_same_transaction(channel):
    event = receive_one(channel, urn=CITIZEN, text="syarat ktp", provider_id="x1", payload={"from": "0812"})
    assert event.status == InboundEvent.Status.HANDLED
    assert '"from"' in event.payload
    reply = Message.objects.get(direction=Message.Direction.OUT)
    assert reply.status == Message.Status.QUEUED and reply.next_attempt_at is not None
    assert reply.in_reply_to.event == event
    assert reply.office == channel.office


def test_nul_and_odd_text_never_raise(channel):
    event = receive_one(channel, urn=CITIZEN, text="syarat\x00 ktp \u202e😀" * 500, provider_id="odd")
    assert event is not None


def test_stop_then_broadcast_skipped_but_own_question_answered_then_mulai(channel, personas):
    [confirm] = ask(channel, "stop")
    assert "MULAI" in confirm
    assert subscription_state(CITIZEN, personas.office) == "opted out"

    # No row at all: an opted-out citizen is not part of the broadcast's audience.
    assert broadcast(personas.office, "Pengumuman: kantor tutup Jumat", channel=channel) == []

    [answer] = ask(channel, "syarat ktp")
    assert "/layanan/ktp-el/" in answer
    reply = Message.objects.filter(direction=Message.Direction.OUT, text=answer).get()
    assert reply.status == Message.Status.QUEUED

    ask(channel, "mulai")
    assert subscription_state(CITIZEN, personas.office) == "subscribed"
    [again] = broadcast(personas.office, "Pengumuman kedua", channel=channel)
    assert again.status == Message.Status.QUEUED


def test_stop_typo_does_not_opt_out(channel, personas):
    ask(channel, "stip")
    assert subscription_state(CITIZEN, personas.office) == "subscribed"


def test_delivery_receipts_move_forward_only_and_are_idempotent(channel):
    ask(channel, "JAM")
    msg = Message.objects.get(direction=Message.Direction.OUT)
    Message.objects.filter(pk=msg.pk).update(status=Message.Status.SENT, provider_ref="ref-1")
    assert update_status(channel, provider_ref="ref-1", status="delivered").status == "delivered"
    assert update_status(channel, provider_ref="ref-1", status="delivered").status == "delivered"
    assert update_status(channel, provider_ref="ref-1", status="sent").status == "delivered"
    assert update_status(channel, provider_ref="unknown", status="delivered") is None


def test_same_number_in_different_formats_is_one_contact(channel):
    ask(channel, "JAM", urn="081234567890")
    ask(channel, "MENU", urn="62 812 3456 7890")
    assert ContactURN.objects.count() == 1
    assert get_or_create_urn("+62 812-3456-7890").contact.messages.count() == 4


def test_an_event_has_one_log_row_and_message_ids_follow_time(channel):
    from django.db import IntegrityError, transaction

    first = receive_one(channel, urn=CITIZEN, text="JAM", provider_id="one")
    second = receive_one(channel, urn=CITIZEN, text="menu", provider_id="two")
    copy = {f.attname: getattr(Message.objects.get(event=first), f.attname) for f in Message._meta.concrete_fields}
    del copy["id"], copy["uuid"]
    with pytest.raises(IntegrityError, match="event"), transaction.atomic():
        Message.objects.create(**copy)
    # Replies (no event) are not held by that rule; their ids are time-ordered (version 7 UUIDs).
    uuids = list(Message.objects.filter(urn__identity=CITIZEN).order_by("id").values_list("uuid", flat=True))
    assert len(uuids) == 4 and {u.version for u in uuids} == {7}
    assert [u.int >> 80 for u in uuids] == sorted(u.int >> 80 for u in uuids)  # milliseconds first
    assert second is not None
