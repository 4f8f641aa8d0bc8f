import datetime as dt
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from layan.messaging.channels.telegram.management.commands.telegram_set_webhook import Command
from layan.messaging.models import InboundEvent, Message
from layan.messaging.outbox import Worker
from layan.messaging.services import Audience, create_channel, enqueue_broadcast
from layan.messaging.tests.helpers import subscription_state

BOT = "123456:ABC-token-bot"
SECRET = "rahasia_webhook-1"
CHAT = 55501


@pytest.fixture
def channel(demo_office, fake_api):
    config = {"bot_token": BOT, "secret_token": SECRET}
    return create_channel(kind="telegram", name="Bot kantor", office=demo_office, config=config)


def post(client, channel, update: dict, *, secret=SECRET):
    headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret is not None else {}
    url = reverse("messaging:telegram:webhook", kwargs={"channel_uuid": channel.uuid})
    return client.post(url, json.dumps(update), content_type="application/json", headers=headers)


def message(text="SYARAT KTP", update_id=900001):
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "from": {"id": CHAT, "is_bot": False, "first_name": "Warga", "language_code": "id"},
            "chat": {"id": CHAT, "type": "private"},
            "date": 1764300000,
            "text": text,
        },
    }


def outbox():
    return list(Message.objects.filter(direction=Message.Direction.OUT).order_by("id"))


def send_all():
    Worker().drain()


def sent(fake_api):
    return [c.json for c in fake_api.calls(f"/bot{BOT}/sendMessage")]


@pytest.mark.parametrize("secret", ["salah", "", None])
def test_wrong_or_missing_secret_token_is_refused_and_nothing_stored(client, channel, secret):
    assert post(client, channel, message(), secret=secret).status_code == 403
    assert InboundEvent.objects.count() == 0


def test_question_is_answered_with_send_message_and_a_retry_once(client, channel, fake_api):
    assert post(client, channel, message()).status_code == 200
    post(client, channel, message())
    send_all()
    [body] = sent(fake_api)
    assert body["chat_id"] == str(CHAT) and "KTP" in body["text"].upper()
    [reply] = outbox()
    assert reply.status == Message.Status.SENT and reply.provider_ref


def test_start_shows_the_menu(client, channel):
    post(client, channel, message("/start"))
    [reply] = outbox()
    assert "SYARAT" in reply.text


def test_choices_become_an_inline_keyboard_and_a_press_answers(
    client, channel, fake_api, django_capture_on_commit_callbacks
):
    post(client, channel, message("akta"))
    send_all()
    [body] = sent(fake_api)
    rows = body["reply_markup"]["inline_keyboard"]
    assert len(rows) >= 2 and [r[0]["callback_data"] for r in rows] == [str(i) for i in range(1, len(rows) + 1)]
    press = {
        "update_id": 900002,
        "callback_query": {
            "id": "cbq-1",
            "from": {"id": CHAT, "is_bot": False, "first_name": "Warga"},
            "message": {"message_id": 7, "chat": {"id": CHAT, "type": "private"}, "date": 1, "text": "Maksud Anda"},
            "data": "1",
        },
    }
    with django_capture_on_commit_callbacks(execute=True):  # answered once the press is stored
        post(client, channel, press)
    post(client, channel, press)
    assert "Syarat" in outbox()[-1].text and len(outbox()) == 2
    answered = fake_api.calls("/answerCallbackQuery")
    assert answered and answered[0].json == {"callback_query_id": "cbq-1"}


def test_blocked_bot_opts_the_citizen_out_and_fails_the_message(client, channel, fake_api):
    post(client, channel, message())
    fake_api.script(
        "/sendMessage", 403, {"ok": False, "error_code": 403, "description": "Forbidden: bot was blocked by the user"}
    )
    send_all()
    [reply] = outbox()
    assert reply.status == Message.Status.FAILED and reply.failed_reason == Message.FailedReason.PERMANENT
    assert "blocked" in reply.error
    assert subscription_state(f"telegram:{CHAT}", channel.office) == "opted out"


def test_too_many_requests_is_retried_after_retry_after(client, channel, fake_api):
    post(client, channel, message())
    fake_api.script(
        "/sendMessage",
        429,
        {
            "ok": False,
            "error_code": 429,
            "description": "Too Many Requests: retry after 600",
            "parameters": {"retry_after": 600},
        },
    )
    before = timezone.now()
    worker = Worker()
    worker.drain()
    [reply] = outbox()
    assert reply.status == Message.Status.QUEUED and reply.attempts == 1 and worker.retried == 1
    assert reply.next_attempt_at >= before + dt.timedelta(seconds=600)
    # Due again: the second try goes through.
    worker.run_once(now=reply.next_attempt_at + dt.timedelta(seconds=1))
    reply.refresh_from_db()
    assert reply.status == Message.Status.SENT and len(sent(fake_api)) == 2


@pytest.mark.parametrize(("status", "expected"), [(500, "queued"), (502, "queued"), (400, "failed")])
def test_other_errors_are_retried_or_failed(client, channel, fake_api, status, expected):
    post(client, channel, message())
    fake_api.script("/sendMessage", status, {"ok": False, "error_code": status, "description": "x"})
    send_all()
    assert outbox()[0].status == expected


def test_stop_ends_broadcasts_but_not_answers_to_own_questions(client, channel, fake_api, demo_office):
    post(client, channel, message("STOP", update_id=1))
    assert subscription_state(f"telegram:{CHAT}", demo_office) == "opted out"
    enqueue_broadcast("Pengumuman: kantor tutup besok.", Audience(demo_office, "telegram"), channel=channel)
    post(client, channel, message("SYARAT KTP", update_id=2))
    send_all()
    texts = [b["text"] for b in sent(fake_api)]
    assert not any("Pengumuman" in t for t in texts)
    assert any("KTP" in t.upper() for t in texts)


def test_blocking_the_bot_opts_out(client, channel):
    post(client, channel, message("halo", update_id=1))
    kicked = {
        "update_id": 3,
        "my_chat_member": {
            "chat": {"id": CHAT, "type": "private"},
            "from": {"id": CHAT},
            "date": 1,
            "old_chat_member": {"status": "member", "user": {"id": 1}},
            "new_chat_member": {"status": "kicked", "user": {"id": 1}},
        },
    }
    post(client, channel, kicked)
    assert subscription_state(f"telegram:{CHAT}", channel.office) == "opted out"


def test_set_webhook_registers_our_url_and_secret(channel, fake_api, capsys):
    Command().run_from_argv(
        ["manage.py", "telegram_set_webhook", "--channel", str(channel.uuid), "--base-url", "https://layan.example"]
    )
    [call] = fake_api.calls("/setWebhook")
    assert call.json["url"] == f"https://layan.example/channels/telegram/{channel.uuid}/webhook/"
    assert call.json["secret_token"] == SECRET
    out = capsys.readouterr().out
    assert BOT not in out and SECRET not in out
