import pytest

from layan.messaging.channels.gammu.models import GammuOutbox, GammuOutboxMultipart, GammuSentItem
from layan.messaging.channels.gammu.parts import split_parts
from layan.messaging.channels.gammu.transport import GammuTransport, combined_status
from layan.messaging.models import Message
from layan.messaging.services import create_channel, enqueue, get_or_create_urn


@pytest.fixture
def channel(personas):
    return create_channel(kind="gammu", name="Modem kantor", office=personas.office, config={"phone_id": "kt1"})


def outbound(channel, text: str) -> Message:
    return enqueue(get_or_create_urn("tel:081234567890"), text, office=channel.office, channel=channel)


def test_short_sms_is_one_outbox_row_for_this_modem(channel):
    message = outbound(channel, "Syarat KTP: KK asli, surat pengantar RT/RW")
    ref = GammuTransport(channel).send(message)
    row = GammuOutbox.objects.get(id=int(ref))
    assert row.destination_number == "+6281234567890"
    assert row.text_decoded == message.text
    assert row.sender_id == "kt1"
    assert row.creator_id == str(message.uuid)
    assert row.coding == "Default_No_Compression" and not row.multipart
    assert not GammuOutboxMultipart.objects.exists()


def test_long_sms_is_split_into_153_character_parts_with_one_concatenation_header(channel):
    message = outbound(channel, "Persyaratan lengkap pembuatan KTP elektronik di kecamatan. " * 6)
    ref = int(GammuTransport(channel).send(message))
    first = GammuOutbox.objects.get(id=ref)
    rest = list(GammuOutboxMultipart.objects.filter(outbox_id=ref).order_by("sequence_position"))
    texts = [first.text_decoded] + [part.text_decoded for part in rest]
    assert "".join(texts) == message.text
    assert first.multipart and len(texts) == 3 and len(texts[0]) == 153
    udhs = [first.udh] + [part.udh for part in rest]
    assert [udh[:6] for udh in udhs] == ["050003"] * 3
    assert len({udh[6:8] for udh in udhs}) == 1  # one reference for all parts
    assert [udh[8:] for udh in udhs] == ["0301", "0302", "0303"]


def test_non_gsm_text_goes_as_unicode_in_67_unit_parts():
    parts = split_parts("Antrean Anda 🙂 " * 10, reference=7)
    assert all(len(p.text.encode("utf-16-le")) // 2 <= 67 for p in parts)
    assert "".join(p.text for p in parts) == "Antrean Anda 🙂 " * 10
    assert parts[0].udh == f"05000307{len(parts):02X}01"


def test_resend_after_a_crash_reuses_the_outbox_row(channel):
    message = outbound(channel, "Status KTP-2026-0001: SELESAI")
    transport = GammuTransport(channel)
    assert transport.send(message) == transport.send(message)
    assert GammuOutbox.objects.count() == 1


def test_resend_after_smsd_sent_it_returns_the_sentitems_id(channel):
    message = outbound(channel, "Status: SELESAI")
    GammuSentItem.objects.create(
        outbox_id=41,
        sequence_position=1,
        destination_number="+6281234567890",
        sender_id="kt1",
        creator_id=str(message.uuid),
        status="SendingOK",
    )
    assert GammuTransport(channel).send(message) == "41"
    assert not GammuOutbox.objects.exists()


def test_channel_without_phone_id_fails_permanently(personas):
    from layan.messaging.channels.base import SendError

    channel = create_channel(kind="gammu", name="Modem", office=personas.office, config={})
    with pytest.raises(SendError) as err:
        GammuTransport(channel).send(outbound(channel, "halo"))
    assert err.value.permanent


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        (["SendingOKNoReport"], "sent"),
        (["SendingOK", "SendingOK"], "sent"),
        (["DeliveryOK", "DeliveryOK"], "delivered"),
        (["DeliveryOK", "SendingOK"], "sent"),
        (["SendingOK", "SendingError"], "failed"),
        (["DeliveryFailed"], "failed"),
        (["Error"], "failed"),
        (["DeliveryPending"], None),
    ],
)
def test_sentitems_statuses_map_to_message_statuses(statuses, expected):
    assert combined_status(statuses) == expected
