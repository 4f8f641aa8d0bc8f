"""Real WhatsApp payloads: malformed events kept alone, business-scoped user ids, messages
without text, and the business number picking the office's channel."""

import pytest

from layan.messaging.models import ContactURN, InboundEvent, Message
from layan.messaging.services import create_channel
from layan.offices.models import Office

from .test_whatsapp import APP_SECRET, PHONE_ID, WA_ID, outbox, post, send_all, sends, text, webhook

BSUID = "US.13491208655302741918"


@pytest.fixture
def channel(demo_office, fake_api):
    config = {"phone_number_id": PHONE_ID, "access_token": "token-sistem", "app_secret": APP_SECRET}
    return create_channel(kind="whatsapp", name="WA kantor", office=demo_office, config={**config, "verify_token": "v"})


def malformed():
    return list(InboundEvent.objects.filter(status=InboundEvent.Status.MALFORMED))


def test_errors_object_in_a_status_is_kept_raw_and_the_other_events_are_handled(client, channel):
    post(client, channel, webhook(messages=[text()]))
    send_all()
    [reply] = outbox()
    bad = {"id": reply.provider_ref, "status": "failed", "timestamp": "1", "errors": {"code": 131026}}
    delivered = {"id": reply.provider_ref, "status": "delivered", "timestamp": "2"}
    response = post(client, channel, webhook(messages=[text("JAM", wamid="wamid.after")], statuses=[bad, delivered]))
    assert response.status_code == 200
    [kept] = malformed()
    assert '"errors"' in kept.payload and "errors" in kept.error and kept.urn is None
    reply.refresh_from_db()
    assert reply.status == Message.Status.DELIVERED
    assert InboundEvent.objects.filter(provider_id="wamid.after", status=InboundEvent.Status.HANDLED).exists()
    # Meta retries the delivery: the malformed event is not stored twice.
    post(client, channel, webhook(messages=[text("JAM", wamid="wamid.after")], statuses=[bad, delivered]))
    assert len(malformed()) == 1


def test_message_without_any_sender_is_kept_and_the_next_one_answered(client, channel):
    anonymous = {"id": "wamid.anon", "timestamp": "1", "type": "text", "text": {"body": "halo"}}
    response = post(client, channel, webhook(messages=[anonymous, text(wamid="wamid.ok")]))
    assert response.status_code == 200
    assert len(malformed()) == 1
    assert [m.urn.identity for m in outbox()] == [f"whatsapp:{WA_ID}"]


@pytest.mark.parametrize(
    "sender", [{"from": BSUID}, {"from_user_id": BSUID}, {"from": BSUID, "from_user_id": BSUID}], ids=str
)
def test_business_scoped_user_id_is_its_own_urn_and_is_answered_by_recipient(client, channel, fake_api, sender):
    message = {**sender, "id": "wamid.bsuid", "timestamp": "1764300000", "type": "text", "text": {"body": "SYARAT KTP"}}
    assert post(client, channel, webhook(messages=[message])).status_code == 200
    assert ContactURN.objects.filter(identity=f"whatsapp:{BSUID}").exists()
    assert not ContactURN.objects.filter(identity="whatsapp:13491208655302741918").exists()
    send_all()
    [body] = sends(fake_api)
    assert body["recipient"] == BSUID and "to" not in body
    assert outbox()[0].status == Message.Status.SENT


def test_phone_number_wins_over_the_business_scoped_id(client, channel, fake_api):
    message = {**text(), "from_user_id": BSUID}
    post(client, channel, webhook(messages=[message]))
    send_all()
    [body] = sends(fake_api)
    assert body["to"] == WA_ID and "recipient" not in body


@pytest.mark.parametrize(
    ("kind", "content", "label"),
    [
        ("image", {"id": "m1", "mime_type": "image/jpeg"}, "[gambar]"),
        ("audio", {"id": "m2", "mime_type": "audio/ogg", "voice": True}, "[pesan suara]"),
        ("sticker", {"id": "m3", "mime_type": "image/webp"}, "[stiker]"),
        ("location", {"latitude": -4.1, "longitude": 103.9}, "[lokasi]"),
        ("document", {"id": "m4", "filename": "kk.pdf"}, "[dokumen]"),
        ("contacts", [{"name": {"formatted_name": "Budi"}}], "[kartu kontak]"),
    ],
)
def test_message_without_text_gets_one_polite_reply_and_reaches_the_staff_inbox(
    client, channel, demo_office, kind, content, label
):
    message = {"from": WA_ID, "id": f"wamid.{kind}", "timestamp": "1764300000", "type": kind, kind: content}
    post(client, channel, webhook(messages=[message]))
    [reply] = outbox()
    assert reply.text.startswith("Maaf, kami hanya bisa membaca pesan teks") and "MENU" in reply.text
    inbound = Message.objects.get(direction=Message.Direction.IN)
    assert inbound.needs_reply and inbound.office == demo_office and inbound.text == label


def test_a_photo_with_a_caption_is_answered_as_text(client, channel):
    photo = {"from": WA_ID, "id": "wamid.cap", "timestamp": "1", "type": "image", "image": {"caption": "syarat ktp"}}
    post(client, channel, webhook(messages=[photo]))
    [reply] = outbox()
    assert "KTP" in reply.text.upper() and not reply.text.startswith("Maaf")


@pytest.mark.parametrize(
    ("kind", "content"),
    [("reaction", {"emoji": "👍"}), ("system", {"body": "User changed number", "type": "user_changed_number"})],
)
def test_a_reaction_or_a_system_notice_is_not_answered(client, channel, kind, content):
    notice = {"from": WA_ID, "id": f"wamid.{kind}", "timestamp": "1", "type": kind, kind: content}
    post(client, channel, webhook(messages=[notice]))
    assert outbox() == []


def body_for(number_id, *messages):
    data = webhook(messages=messages)
    data["entry"][0]["changes"][0]["value"]["metadata"]["phone_number_id"] = number_id
    return data


def test_phone_number_id_picks_the_office_channel_on_one_meta_app(client, channel, demo_office, fake_api):
    other_office = Office.objects.exclude(pk=demo_office.pk).first() or Office.objects.create(
        name="Kecamatan Lain", slug="lain", district=demo_office.district
    )
    config = {**channel.config, "phone_number_id": "2002", "access_token": "token-lain"}
    other = create_channel(kind="whatsapp", name="WA lain", office=other_office, config=config)
    # Both numbers' events arrive at the callback URL registered for the app (the first channel).
    post(client, channel, body_for("2002", text(wamid="wamid.to-other")))
    [reply] = outbox()
    assert reply.channel == other and reply.office == other_office
    send_all()
    [call] = fake_api.calls("/v25.0/2002/messages")
    assert call.headers["Authorization"] == "Bearer token-lain"


def test_unknown_phone_number_id_is_stored_and_not_answered(client, channel):
    assert post(client, channel, body_for("9999", text(wamid="wamid.stray"))).status_code == 200
    [kept] = InboundEvent.objects.all()
    assert kept.status == InboundEvent.Status.UNROUTED and "9999" in kept.error and "wamid.stray" in kept.payload
    assert outbox() == []


def test_same_phone_number_id_on_another_meta_app_is_not_borrowed(client, channel, demo_office):
    config = {**channel.config, "phone_number_id": "3003", "app_secret": "rahasia-aplikasi-lain"}
    create_channel(kind="whatsapp", name="WA aplikasi lain", office=demo_office, config=config)
    post(client, channel, body_for("3003", text(wamid="wamid.other-app")))
    assert InboundEvent.objects.get().status == InboundEvent.Status.UNROUTED and outbox() == []


def test_an_album_of_photos_gets_the_polite_reply_once_and_every_photo_reaches_the_inbox(client, channel):
    photos = [
        {"from": WA_ID, "id": f"wamid.album{i}", "timestamp": "1764300000", "type": "image", "image": {"id": f"p{i}"}}
        for i in range(3)
    ]
    post(client, channel, webhook(messages=photos))
    assert len(outbox()) == 1
    assert Message.objects.filter(direction=Message.Direction.IN, needs_reply=True).count() == 3
