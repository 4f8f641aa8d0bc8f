import pytest

from layan.messaging.channels.gammu.models import GammuInbox, GammuSentItem
from layan.messaging.channels.gammu.poller import poll_channel
from layan.messaging.channels.gammu.transport import GammuTransport
from layan.messaging.models import Message
from layan.messaging.services import create_channel


@pytest.fixture
def channel(demo_office):
    return create_channel(kind="gammu", name="Modem kantor", office=demo_office, config={"phone_id": "kt1"})


def inbox(sender: str, text: str, phone_id: str = "kt1") -> GammuInbox:
    return GammuInbox.objects.create(sender_number=sender, text_decoded=text, recipient_id=phone_id)


def replies() -> list[Message]:
    return list(Message.objects.filter(direction=Message.Direction.OUT))


def test_incoming_sms_is_answered_with_the_requirements_and_marked_processed(channel):
    row = inbox("+6281234567890", "SYARAT KTP")
    assert poll_channel(channel).received == 1
    [reply] = replies()
    assert reply.urn.identity == "tel:+6281234567890"
    assert reply.channel == channel and reply.status == Message.Status.QUEUED
    assert "KTP" in reply.text.upper()
    row.refresh_from_db()
    assert row.processed


def test_a_row_read_twice_is_answered_once(channel):
    row = inbox("081234567890", "SYARAT KTP")
    poll_channel(channel)
    GammuInbox.objects.filter(id=row.id).update(processed=False)  # e.g. crash before marking
    assert poll_channel(channel).received == 0
    assert len(replies()) == 1


def test_rows_of_another_modem_are_left_alone(channel):
    row = inbox("+6281234567890", "SYARAT KTP", phone_id="other-office")
    assert poll_channel(channel).received == 0
    row.refresh_from_db()
    assert not row.processed


def test_operator_sender_is_skipped_without_reply(channel):
    row = inbox("TELKOMSEL", "Sisa pulsa Anda Rp1.000")
    poll_channel(channel)
    row.refresh_from_db()
    assert row.processed and not replies()


def sent_reply(channel) -> Message:
    inbox("+6281234567890", "SYARAT KTP")
    poll_channel(channel)
    [reply] = replies()
    ref = GammuTransport(channel).send(reply)
    Message.objects.filter(pk=reply.pk).update(status=Message.Status.SENT, provider_ref=ref)
    return reply


@pytest.mark.parametrize(("gammu_status", "expected"), [("DeliveryOK", "delivered"), ("SendingError", "failed")])
def test_sentitems_status_reaches_the_message(channel, gammu_status, expected):
    reply = sent_reply(channel)
    reply.refresh_from_db()
    GammuSentItem.objects.create(
        outbox_id=int(reply.provider_ref),
        sequence_position=1,
        destination_number="+6281234567890",
        sender_id="kt1",
        creator_id=str(reply.uuid),
        status=gammu_status,
    )
    assert poll_channel(channel).statuses == 1
    reply.refresh_from_db()
    assert reply.status == expected
    assert poll_channel(channel).statuses == 0
