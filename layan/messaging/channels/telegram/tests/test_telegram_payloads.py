"""Real Telegram updates: a malformed one is kept raw and answered 200, messages without text."""

import json

import pytest
from django.urls import reverse

from layan.messaging.models import InboundEvent, Message

from .test_telegram import CHAT, SECRET, channel, message, outbox, post

__all__ = ["channel"]  # the fixture


def test_empty_chat_id_is_kept_raw_and_answered_200(client, channel):
    update = message()
    update["message"]["chat"]["id"] = ""
    assert post(client, channel, update).status_code == 200
    kept = InboundEvent.objects.get()
    assert kept.status == InboundEvent.Status.MALFORMED and "chat" in kept.error and kept.urn is None
    assert outbox() == []
    # The next update is handled as usual.
    post(client, channel, message(update_id=900002))
    assert len(outbox()) == 1


def test_deeply_nested_json_is_refused_with_400_not_a_crash(client, channel):
    body = '{"update_id": 1, "message": ' + "[" * 5000 + "]" * 5000 + "}"
    url = reverse("messaging:telegram:webhook", kwargs={"channel_uuid": channel.uuid})
    response = client.post(
        url, body, content_type="application/json", headers={"X-Telegram-Bot-Api-Secret-Token": SECRET}
    )
    assert response.status_code == 400
    assert InboundEvent.objects.get().status == InboundEvent.Status.MALFORMED


def test_body_too_large_is_refused_with_413(client, channel, settings):
    settings.LAYAN_WEBHOOK_MAX_BYTES = 1000
    update = message(text="x" * 2000)
    url = reverse("messaging:telegram:webhook", kwargs={"channel_uuid": channel.uuid})
    response = client.post(
        url, json.dumps(update), content_type="application/json", headers={"X-Telegram-Bot-Api-Secret-Token": SECRET}
    )
    assert response.status_code == 413 and "terlalu besar" in response.content.decode()
    assert not InboundEvent.objects.exists()


@pytest.mark.parametrize(
    ("field", "content", "label"),
    [
        ("photo", [{"file_id": "p1", "width": 90, "height": 90}], "[gambar]"),
        ("voice", {"file_id": "v1", "duration": 3}, "[pesan suara]"),
        ("sticker", {"file_id": "s1", "emoji": "👍"}, "[stiker]"),
        ("location", {"latitude": -4.1, "longitude": 103.9}, "[lokasi]"),
        ("document", {"file_id": "d1", "file_name": "kk.pdf"}, "[dokumen]"),
        ("contact", {"phone_number": "+6281234567890", "first_name": "Budi"}, "[kartu kontak]"),
    ],
)
def test_message_without_text_gets_the_polite_reply_and_reaches_the_inbox(client, channel, field, content, label):
    update = message()
    del update["message"]["text"]
    update["message"][field] = content
    post(client, channel, update)
    [reply] = outbox()
    assert reply.text.startswith("Maaf, kami hanya bisa membaca pesan teks") and reply.urn.path == str(CHAT)
    inbound = Message.objects.get(direction=Message.Direction.IN)
    assert inbound.needs_reply and inbound.text == label
