import pytest

from layan.messaging import http
from layan.messaging.channels.base import SendError
from testkit.fakeapi import FakeAPI


def test_fake_api_records_requests_and_plays_scripted_answers_in_order():
    with FakeAPI() as api:
        api.script("/sendMessage", 429, {"ok": False, "parameters": {"retry_after": 3}}, headers={"Retry-After": "3"})
        with pytest.raises(SendError) as err:
            http.post_json(f"{api.url}/botT/sendMessage", {"chat_id": 1, "text": "a"})
        assert err.value.retry_after == 3 and not err.value.permanent
        ok = http.post_json(f"{api.url}/botT/sendMessage", {"chat_id": 1, "text": "b"}).json()
        assert ok["ok"] is True and ok["result"]["message_id"]
        wa = http.post_json(f"{api.url}/v25.0/99/messages", {"messaging_product": "whatsapp", "to": "62812"}).json()
        assert wa["messages"][0]["id"].startswith("wamid.")
        assert [r.json["text"] for r in api.calls("/sendMessage")] == ["a", "b"]
        assert len(api.requests) == 3


def test_fake_api_listens_on_loopback_only():
    with FakeAPI() as api:
        assert api.url.startswith("http://127.0.0.1:")
