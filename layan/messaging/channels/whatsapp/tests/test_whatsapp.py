import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from layan.messaging.models import ContactURN, InboundEvent, Message
from layan.messaging.outbox import Worker
from layan.messaging.services import Audience, create_channel, enqueue_broadcast
from layan.messaging.tests.helpers import subscription_state
from testkit.fakeapi import post_signed

APP_SECRET = "rahasia-wa"
VERIFY = "verifikasi-wa"
PHONE_ID = "106540352242922"
WA_ID = "6281234567890"


@pytest.fixture
def channel(demo_office, fake_api):
    config = {
        "phone_number_id": PHONE_ID,
        "access_token": "token-sistem",
        "app_secret": APP_SECRET,
        "verify_token": VERIFY,
        "template_name": "info_layanan",
        "template_language": "id",
    }
    return create_channel(kind="whatsapp", name="WA kantor", office=demo_office, config=config)


def url(channel):
    return reverse("messaging:whatsapp:webhook", kwargs={"channel_uuid": channel.uuid})


def post(client, channel, data: dict, *, secret=APP_SECRET, signature=None):
    return post_signed(client, url(channel), data, secret=secret, signature=signature)


def webhook(*, messages=(), statuses=()):
    value = {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "6281100000000", "phone_number_id": PHONE_ID},
        "contacts": [{"profile": {"name": "Warga"}, "wa_id": WA_ID}],
        "messages": list(messages),
        "statuses": list(statuses),
    }
    return {
        "object": "whatsapp_business_account",
        "entry": [{"id": "WABA", "changes": [{"field": "messages", "value": value}]}],
    }


def text(body="SYARAT KTP", wamid="wamid.in1"):
    return {"from": WA_ID, "id": wamid, "timestamp": "1764300000", "type": "text", "text": {"body": body}}


def outbox():
    return list(Message.objects.filter(direction=Message.Direction.OUT).order_by("id"))


def send_all():
    Worker().drain()


def sends(fake_api):
    return [c.json for c in fake_api.calls(f"/v25.0/{PHONE_ID}/messages")]


def test_verification_handshake(client, channel):
    params = {"hub.mode": "subscribe", "hub.challenge": "777"}
    assert client.get(url(channel), {**params, "hub.verify_token": VERIFY}).content == b"777"
    assert client.get(url(channel), {**params, "hub.verify_token": "salah"}).status_code == 403


@pytest.mark.parametrize("signature", ["sha256=" + "a" * 64, "", "wrong secret"])
def test_unsigned_webhook_is_refused_and_nothing_stored(client, channel, signature):
    if signature == "wrong secret":
        response = post(client, channel, webhook(messages=[text()]), secret="lain")
    else:
        response = post(client, channel, webhook(messages=[text()]), signature=signature)
    assert response.status_code == 403 and InboundEvent.objects.count() == 0


def test_question_gets_a_text_reply_and_a_retried_webhook_one_reply(client, channel, fake_api):
    assert post(client, channel, webhook(messages=[text()])).status_code == 200
    post(client, channel, webhook(messages=[text()]))
    send_all()
    [body] = sends(fake_api)
    assert body["to"] == WA_ID and body["type"] == "text" and "KTP" in body["text"]["body"].upper()
    assert fake_api.calls()[0].headers["Authorization"] == "Bearer token-sistem"
    [reply] = outbox()
    assert reply.status == Message.Status.SENT and reply.provider_ref.startswith("wamid.")


def test_numbered_choices_become_reply_buttons_and_a_tap_answers(client, channel, fake_api):
    post(client, channel, webhook(messages=[text("akta")]))
    send_all()
    [body] = sends(fake_api)
    assert body["type"] == "interactive" and body["interactive"]["type"] == "button"
    buttons = body["interactive"]["action"]["buttons"]
    assert 2 <= len(buttons) <= 3 and [b["reply"]["id"] for b in buttons] == ["1", "2", "3"][: len(buttons)]
    assert all(len(b["reply"]["title"]) <= 20 for b in buttons)
    tap = {
        "from": WA_ID,
        "id": "wamid.tap",
        "timestamp": "1764300100",
        "type": "interactive",
        "interactive": {"type": "button_reply", "button_reply": {"id": "2", "title": buttons[1]["reply"]["title"]}},
    }
    post(client, channel, webhook(messages=[tap]))
    assert "Syarat" in outbox()[-1].text


def test_outside_the_window_the_template_carries_the_text(client, channel, fake_api):
    post(client, channel, webhook(messages=[text()]))
    ContactURN.objects.update(last_inbound_at=timezone.now() - dt.timedelta(hours=30))
    send_all()
    [body] = sends(fake_api)
    assert body["type"] == "template" and body["template"]["name"] == "info_layanan"
    assert body["template"]["language"]["code"] == "id"
    [param] = body["template"]["components"][0]["parameters"]
    assert "KTP" in param["text"].upper() and "\n" not in param["text"]
    assert outbox()[0].status == Message.Status.SENT


def test_outside_the_window_without_a_template_the_message_fails(client, channel, fake_api):
    channel.config.pop("template_name")
    channel.save()
    post(client, channel, webhook(messages=[text()]))
    ContactURN.objects.update(last_inbound_at=timezone.now() - dt.timedelta(hours=30))
    send_all()
    [reply] = outbox()
    assert reply.status == Message.Status.FAILED and "di luar jendela 24 jam" in reply.error
    assert sends(fake_api) == []


def test_re_engagement_error_falls_back_to_the_template_once(client, channel, fake_api):
    post(client, channel, webhook(messages=[text()]))
    fake_api.script("/messages", 400, {"error": {"code": 131047, "message": "Re-engagement message"}})
    send_all()
    first, second = sends(fake_api)
    assert first["type"] == "text" and second["type"] == "template"
    assert outbox()[0].status == Message.Status.SENT


def test_re_engagement_error_without_a_template_is_permanent(client, channel, fake_api):
    channel.config.pop("template_name")
    channel.save()
    post(client, channel, webhook(messages=[text()]))
    fake_api.script("/messages", 400, {"error": {"code": 131047, "message": "Re-engagement message"}})
    send_all()
    assert outbox()[0].status == Message.Status.FAILED and len(sends(fake_api)) == 1


@pytest.mark.parametrize(
    ("status", "code", "expected"),
    [
        (400, 4, "queued"),
        (400, 80007, "queued"),
        (429, 130429, "queued"),
        (400, 131048, "queued"),
        (400, 131056, "queued"),
        (503, 133016, "queued"),
        (400, 131053, "queued"),
        (500, 1, "queued"),
        (400, 100, "failed"),
        (400, 131026, "failed"),
        (401, 190, "failed"),
    ],
)
def test_error_codes_are_retried_or_failed_by_the_worker(client, channel, fake_api, status, code, expected):
    post(client, channel, webhook(messages=[text()]))
    fake_api.script("/messages", status, {"error": {"code": code, "message": "x"}})
    send_all()
    [reply] = outbox()
    assert reply.status == expected and str(code) in reply.error
    if expected == "queued":
        assert reply.next_attempt_at > timezone.now()


def test_status_callbacks_move_the_message_to_delivered_or_failed(client, channel):
    post(client, channel, webhook(messages=[text()]))
    post(client, channel, webhook(messages=[text("jam buka", wamid="wamid.in2")]))
    send_all()
    first, second = outbox()
    delivered = {"id": first.provider_ref, "recipient_id": WA_ID, "status": "delivered", "timestamp": "1"}
    failed = {
        "id": second.provider_ref,
        "recipient_id": WA_ID,
        "status": "failed",
        "timestamp": "1",
        "errors": [{"code": 131026, "title": "Message undeliverable"}],
    }
    post(client, channel, webhook(statuses=[delivered, failed]))
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == Message.Status.DELIVERED
    assert second.status == Message.Status.FAILED and "131026" in second.error


def test_stop_ends_broadcasts_but_not_answers_to_own_questions(client, channel, fake_api, demo_office):
    post(client, channel, webhook(messages=[text("STOP", wamid="wamid.stop")]))
    assert subscription_state(f"whatsapp:{WA_ID}", demo_office) == "opted out"
    enqueue_broadcast("Pengumuman: kantor tutup besok.", Audience(demo_office, "whatsapp"), channel=channel)
    post(client, channel, webhook(messages=[text("SYARAT KTP", wamid="wamid.q")]))
    send_all()
    texts = [b.get("text", {}).get("body", "") for b in sends(fake_api)]
    assert not any("Pengumuman" in t for t in texts)
    assert any("KTP" in t.upper() for t in texts)
    assert not Message.objects.filter(is_broadcast=True).exists()  # not in the audience at all
