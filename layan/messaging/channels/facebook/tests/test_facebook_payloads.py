"""Real Messenger payloads: each event on its own, attachments without text, the Page id
picking the office's channel."""

import json

import pytest
from django.urls import reverse

from layan.messaging.models import InboundEvent, Message
from layan.messaging.services import create_channel
from layan.offices.models import Office

from .test_facebook import APP_SECRET, PAGE, PSID, channel, messaging, outbox, post, send_all, text_event

__all__ = ["channel"]  # the fixture


def test_blank_sender_id_is_kept_raw_and_the_next_event_is_answered(client, channel):
    blank = {**text_event(mid="m_blank"), "sender": {"id": " "}}
    response = post(client, channel, messaging(blank, text_event(mid="m_ok")))
    assert response.status_code == 200
    kept = InboundEvent.objects.get(status=InboundEvent.Status.MALFORMED)
    assert "m_blank" in kept.payload and "sender" in kept.error
    [reply] = outbox()
    assert reply.urn.identity == f"facebook:{PSID}"


@pytest.mark.parametrize(
    "entry",
    [
        {"id": PAGE, "messaging": {"sender": {"id": PSID}}},  # an object where a list belongs
        "not an entry",
    ],
    ids=["messaging-object", "entry-string"],
)
def test_malformed_entry_is_kept_and_the_other_entries_are_handled(client, channel, entry):
    data = messaging(text_event(mid="m_ok"))
    data["entry"].insert(0, entry)
    assert post(client, channel, data).status_code == 200
    assert InboundEvent.objects.filter(status=InboundEvent.Status.MALFORMED).count() == 1
    assert len(outbox()) == 1


@pytest.mark.parametrize(
    ("attachment", "label"),
    [
        ({"type": "image", "payload": {"url": "https://x/1.jpg"}}, "[gambar]"),
        ({"type": "audio", "payload": {"url": "https://x/1.mp4"}}, "[pesan suara]"),
        ({"type": "location", "payload": {"coordinates": {"lat": -4.1, "long": 103.9}}}, "[lokasi]"),
        ({"type": "file", "payload": {"url": "https://x/kk.pdf"}}, "[dokumen]"),
    ],
)
def test_attachment_without_text_gets_the_polite_reply_and_reaches_the_inbox(client, channel, attachment, label):
    event = text_event(mid="m_att")
    event["message"] = {"mid": "m_att", "attachments": [attachment]}
    post(client, channel, messaging(event))
    [reply] = outbox()
    assert reply.text.startswith("Maaf, kami hanya bisa membaca pesan teks")
    inbound = Message.objects.get(direction=Message.Direction.IN)
    assert inbound.needs_reply and inbound.text == label and inbound.office == channel.office


def test_sticker_is_a_sticker(client, channel):
    event = text_event(mid="m_st")
    event["message"] = {"mid": "m_st", "sticker_id": 369239263222822, "attachments": [{"type": "image"}]}
    post(client, channel, messaging(event))
    assert Message.objects.get(direction=Message.Direction.IN).text == "[stiker]"


def test_page_id_picks_the_office_channel_among_pages_of_one_app(client, channel, demo_office, fake_api):
    other_office = Office.objects.exclude(pk=demo_office.pk).first() or Office.objects.create(
        name="Kecamatan Lain", slug="lain", district=demo_office.district
    )
    config = {**channel.config, "page_id": "2002", "page_token": "token-halaman-lain"}
    other = create_channel(kind="facebook", name="Halaman lain", office=other_office, config=config)
    event = {**text_event(mid="m_other"), "recipient": {"id": "2002"}}
    post(client, channel, {"object": "page", "entry": [{"id": "2002", "time": 1, "messaging": [event]}]})
    [reply] = outbox()
    assert reply.channel == other and reply.office == other_office
    send_all()
    [call] = fake_api.calls("/v25.0/me/messages")
    assert call.headers["Authorization"] == "Bearer token-halaman-lain"


def test_event_for_an_unknown_page_is_stored_and_not_answered(client, channel):
    event = {**text_event(mid="m_stray"), "recipient": {"id": "9999"}}
    data = {"object": "page", "entry": [{"id": "9999", "time": 1, "messaging": [event]}]}
    assert post(client, channel, data).status_code == 200
    kept = InboundEvent.objects.get()
    assert kept.status == InboundEvent.Status.UNROUTED and "9999" in kept.error
    assert outbox() == []


def test_page_of_another_app_is_not_borrowed(client, channel, demo_office):
    config = {**channel.config, "page_id": "3003", "app_secret": "bukan-" + APP_SECRET}
    create_channel(kind="facebook", name="Halaman aplikasi lain", office=demo_office, config=config)
    post(client, channel, {"object": "page", "entry": [{"id": "3003", "messaging": [text_event(mid="m_x")]}]})
    assert InboundEvent.objects.get().status == InboundEvent.Status.UNROUTED and outbox() == []


def signed_post(client, channel, body: bytes):
    import hashlib
    import hmac

    signature = "sha256=" + hmac.new(APP_SECRET.encode(), body, hashlib.sha256).hexdigest()
    url = reverse("messaging:facebook:webhook", kwargs={"channel_uuid": channel.uuid})
    return client.post(url, body, content_type="application/json", headers={"X-Hub-Signature-256": signature})


def test_deeply_nested_json_is_a_400_and_kept_raw(client, channel):
    body = b'{"object": "page", "entry": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    assert signed_post(client, channel, body).status_code == 400
    assert InboundEvent.objects.get().status == InboundEvent.Status.MALFORMED


def test_body_above_the_limit_is_a_413_before_anything_is_read(client, channel, settings):
    settings.LAYAN_WEBHOOK_MAX_BYTES = 10_000
    body = json.dumps(messaging(*[text_event(mid=f"m_{i}") for i in range(200)])).encode()
    response = signed_post(client, channel, body)
    assert response.status_code == 413 and "terlalu besar" in response.content.decode()
    assert not InboundEvent.objects.exists() and outbox() == []
