import datetime as dt
import json

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from layan.messaging.channels.base import SendError
from layan.messaging.channels.facebook.page import post_to_page
from layan.messaging.models import ContactURN, InboundEvent, Message
from layan.messaging.outbox import Worker
from layan.messaging.services import create_channel, send_staff_reply
from testkit.fakeapi import post_signed

APP_SECRET = "rahasia-aplikasi"
VERIFY = "kata-verifikasi"
PAGE = "1001"
PSID = "7700123"


@pytest.fixture
def channel(demo_office, fake_api):
    config = {"page_id": PAGE, "page_token": "token-halaman", "app_secret": APP_SECRET, "verify_token": VERIFY}
    return create_channel(kind="facebook", name="Halaman FB", office=demo_office, config=config)


def url(channel):
    return reverse("messaging:facebook:webhook", kwargs={"channel_uuid": channel.uuid})


def post(client, channel, data: dict, *, secret=APP_SECRET, signature=None):
    return post_signed(client, url(channel), data, secret=secret, signature=signature)


def messaging(*events):
    return {"object": "page", "entry": [{"id": PAGE, "time": 1, "messaging": list(events)}]}


def text_event(text="SYARAT KTP", mid="m_1", ts=1764300000000):
    return {
        "sender": {"id": PSID},
        "recipient": {"id": PAGE},
        "timestamp": ts,
        "message": {"mid": mid, "text": text},
    }


def outbox():
    return list(Message.objects.filter(direction=Message.Direction.OUT).order_by("id"))


def send_all():
    worker = Worker()
    worker.drain()
    return worker


def test_verification_echoes_the_challenge_for_our_token(client, channel):
    ok = client.get(url(channel), {"hub.mode": "subscribe", "hub.verify_token": VERIFY, "hub.challenge": "1158201444"})
    assert ok.status_code == 200 and ok.content == b"1158201444"


@pytest.mark.parametrize(
    "params", [{"hub.mode": "subscribe", "hub.verify_token": "salah"}, {"hub.mode": "unsubscribe"}, {}]
)
def test_verification_with_a_wrong_token_or_mode_is_refused(client, channel, params):
    params = {"hub.challenge": "42", "hub.verify_token": VERIFY, **params}
    response = client.get(url(channel), params)
    assert response.status_code == 403 and b"42" not in response.content


@pytest.mark.parametrize("signature", ["sha256=" + "0" * 64, "", "sha1=abc", "wrong secret"])
def test_bad_or_missing_signature_is_refused_and_nothing_stored(client, channel, signature):
    if signature == "wrong secret":
        response = post(client, channel, messaging(text_event()), secret="bukan-rahasianya")
    else:
        response = post(client, channel, messaging(text_event()), signature=signature)
    assert response.status_code == 403
    assert InboundEvent.objects.count() == 0 and not outbox()


def test_question_is_answered_with_a_response_through_the_send_api(client, channel, fake_api):
    assert post(client, channel, messaging(text_event())).status_code == 200
    send_all()
    [call] = fake_api.calls("/v25.0/me/messages")
    assert call.headers["Authorization"] == "Bearer token-halaman" and "access_token" not in call.query
    body = call.json
    assert body["messaging_type"] == "RESPONSE" and body["recipient"] == {"id": PSID}
    assert "KTP" in body["message"]["text"].upper()
    [reply] = outbox()
    assert reply.status == Message.Status.SENT and reply.provider_ref.startswith("m_fake")


def test_replayed_webhook_is_processed_once(client, channel, fake_api):
    post(client, channel, messaging(text_event()))
    post(client, channel, messaging(text_event()))
    send_all()
    assert len(fake_api.calls("/me/messages")) == 1


def test_echo_of_our_own_message_is_ignored(client, channel):
    echo = text_event()
    echo["message"]["is_echo"] = True
    post(client, channel, messaging(echo))
    assert InboundEvent.objects.count() == 0


def test_postback_and_its_retry_count_once(client, channel):
    event = {"sender": {"id": PSID}, "recipient": {"id": PAGE}, "timestamp": 5, "postback": {"payload": "MENU"}}
    post(client, channel, messaging(event))
    post(client, channel, messaging(event))
    [reply] = outbox()
    assert "SYARAT" in reply.text


def test_numbered_choices_become_quick_replies_and_a_tap_answers(client, channel, fake_api):
    post(client, channel, messaging(text_event("akta", mid="m_q")))
    send_all()
    [call] = fake_api.calls("/me/messages")
    quick = call.json["message"]["quick_replies"]
    assert len(quick) >= 2 and [q["payload"] for q in quick] == [str(i) for i in range(1, len(quick) + 1)]
    assert all(len(q["title"]) <= 20 for q in quick)
    tap = text_event(quick[0]["title"], mid="m_tap")
    tap["message"]["quick_reply"] = {"payload": "1"}
    post(client, channel, messaging(tap))
    assert "Syarat" in outbox()[-1].text


def test_outside_24_hours_a_reply_is_failed_without_calling_meta(client, channel, fake_api):
    post(client, channel, messaging(text_event()))
    ContactURN.objects.update(last_inbound_at=timezone.now() - dt.timedelta(hours=25))
    send_all()
    [reply] = outbox()
    assert reply.status == Message.Status.FAILED and reply.error == "di luar jendela 24 jam"
    assert fake_api.calls("/me/messages") == []


def test_staff_reply_after_24_hours_goes_with_the_human_agent_tag(client, channel, fake_api, demo_office):
    post(client, channel, messaging(text_event("halo pak, mau tanya")))
    send_all()
    ContactURN.objects.update(last_inbound_at=timezone.now() - dt.timedelta(days=3))
    contact = ContactURN.objects.get().contact
    officer = get_user_model().objects.create_user("petugas-fb")
    send_staff_reply(demo_office, contact, text="Silakan datang hari Senin.", user=officer)
    send_all()
    [_first, call] = fake_api.calls("/me/messages")
    assert call.json["messaging_type"] == "MESSAGE_TAG" and call.json["tag"] == "HUMAN_AGENT"
    assert call.json["message"]["text"] == "Silakan datang hari Senin."


def test_staff_reply_after_7_days_is_failed(client, channel, fake_api, demo_office):
    post(client, channel, messaging(text_event("halo pak, mau tanya")))
    send_all()
    ContactURN.objects.update(last_inbound_at=timezone.now() - dt.timedelta(days=8))
    officer = get_user_model().objects.create_user("petugas-fb")
    reply = send_staff_reply(demo_office, ContactURN.objects.get().contact, text="Maaf terlambat.", user=officer)
    send_all()
    reply.refresh_from_db()
    assert reply.status == Message.Status.FAILED and reply.error == "di luar jendela 24 jam"
    assert len(fake_api.calls("/me/messages")) == 1


@pytest.mark.parametrize(
    ("status", "code", "expected"),
    [
        (500, 1, "queued"),
        (429, 4, "queued"),
        (400, 4, "queued"),
        (400, 613, "queued"),
        (400, 100, "failed"),
        (403, 10, "failed"),
    ],
)
def test_send_api_errors_are_retried_or_failed(client, channel, fake_api, status, code, expected):
    post(client, channel, messaging(text_event()))
    fake_api.script("/me/messages", status, {"error": {"message": "gagal", "code": code}})
    send_all()
    [reply] = outbox()
    assert reply.status == expected and reply.attempts == 1
    assert str(code) in reply.error


def test_delivery_and_read_events_mark_messages_delivered(client, channel):
    post(client, channel, messaging(text_event()))
    send_all()
    [reply] = outbox()
    post(client, channel, messaging({"sender": {"id": PSID}, "delivery": {"mids": [reply.provider_ref]}}))
    reply.refresh_from_db()
    assert reply.status == Message.Status.DELIVERED
    post(client, channel, messaging(text_event("jam buka", mid="m_2")))
    send_all()
    later = outbox()[-1]
    watermark = int((timezone.now() + dt.timedelta(seconds=5)).timestamp() * 1000)
    post(client, channel, messaging({"sender": {"id": PSID}, "read": {"watermark": watermark}}))
    later.refresh_from_db()
    assert later.status == Message.Status.DELIVERED


def comment(text, *, author="5550001", comment_id="1001_2002_3003"):
    value = {
        "item": "comment",
        "verb": "add",
        "comment_id": comment_id,
        "post_id": "1001_2002",
        "from": {"id": author, "name": "Warga"},
        "message": text,
        "created_time": 1764300000,
    }
    return {"object": "page", "entry": [{"id": PAGE, "time": 1, "changes": [{"field": "feed", "value": value}]}]}


def test_service_question_in_a_comment_gets_one_private_reply(client, channel, fake_api):
    post(client, channel, comment("syarat ktp apa min?"))
    post(client, channel, comment("syarat ktp apa min?"))
    send_all()
    [call] = fake_api.calls(f"/v25.0/{PAGE}/messages")
    assert call.json["recipient"] == {"comment_id": "1001_2002_3003"}
    assert "KTP" in call.json["message"]["text"].upper() and "Syarat" in call.json["message"]["text"]
    assert fake_api.calls("/me/messages") == []


def test_a_comment_naming_a_case_gets_the_requirements_of_that_case(client, channel, fake_api):
    post(client, channel, comment("ktp sy hilang min, gmn?"))
    send_all()
    [call] = fake_api.calls(f"/v25.0/{PAGE}/messages")
    text = call.json["message"]["text"]
    assert "Syarat (hilang)" in text and "kepolisian" in text and "KTP-el lama" not in text


@pytest.mark.parametrize("text", ["mantap pelayanannya min", "👍", ""])
def test_comments_without_a_clear_service_question_get_no_reply(client, channel, text):
    post(client, channel, comment(text))
    assert not outbox()


def test_the_pages_own_comment_is_never_answered(client, channel):
    post(client, channel, comment("syarat ktp apa?", author=PAGE))
    assert not outbox()


def test_post_to_page_publishes_on_the_feed(channel, fake_api):
    post_id = post_to_page(channel, "Kantor tutup 17 Agustus.", link="https://kisam.example/pengumuman")
    [call] = fake_api.calls(f"/v25.0/{PAGE}/feed")
    assert post_id.startswith(PAGE + "_")
    assert call.json == {"message": "Kantor tutup 17 Agustus.", "link": "https://kisam.example/pengumuman"}


def test_post_to_page_refused_by_meta_raises_a_permanent_error(channel, fake_api):
    fake_api.script("/feed", 403, {"error": {"message": "(#200) pages_manage_posts", "code": 200}})
    with pytest.raises(SendError) as err:
        post_to_page(channel, "Pengumuman")
    assert err.value.permanent and "200" in str(err.value)


def test_secrets_are_masked_in_the_channel_config(channel):
    shown = json.dumps(channel.masked_config())
    for secret in ("token-halaman", APP_SECRET, VERIFY):
        assert secret not in shown
    assert PAGE in shown
