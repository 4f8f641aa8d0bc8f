import base64
import json
import time
from http.server import BaseHTTPRequestHandler

import pytest
from django.urls import reverse

from layan.messaging.channels.android.signing import sign
from layan.messaging.channels.android.transport import AndroidTransport
from layan.messaging.channels.base import SendError
from layan.messaging.models import InboundEvent, Message
from layan.messaging.services import create_channel, enqueue, get_or_create_urn
from layan.messaging.tests.helpers import loopback_server

KEY = "kunci-webhook-uji"


class FakeGateway(BaseHTTPRequestHandler):
    """The phone's local server: records requests, answers with `status`."""

    status = 202
    requests: list = []

    def do_POST(self):  # noqa: N802
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).requests.append((self.path, self.headers.get("Authorization"), body))
        self.send_response(self.status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(json.dumps({"id": body.get("id"), "state": "Pending"}).encode())

    def log_message(self, *args):
        pass


@pytest.fixture
def gateway():
    FakeGateway.requests, FakeGateway.status = [], 202
    with loopback_server(FakeGateway) as server:
        yield server


@pytest.fixture
def channel(demo_office, gateway):
    config = {
        "base_url": f"http://127.0.0.1:{gateway.server_port}",
        "username": "sms",
        "password": "sandi-hp",
        "webhook_secret": KEY,
    }
    return create_channel(kind="android", name="HP loket", office=demo_office, config=config)


def outbound(channel, text="Status KTP-2026-0001: SELESAI") -> Message:
    return enqueue(get_or_create_urn("tel:+6281234567890"), text, office=channel.office, channel=channel)


def test_send_posts_the_text_with_our_uuid_as_gateway_id(channel):
    message = outbound(channel)
    assert AndroidTransport(channel).send(message) == str(message.uuid)
    [(path, auth, body)] = FakeGateway.requests
    assert path == "/message"
    assert base64.b64decode(auth.split()[1]).decode() == "sms:sandi-hp"
    assert body == {
        "id": str(message.uuid),
        "textMessage": {"text": message.text},
        "phoneNumbers": ["+6281234567890"],
        "withDeliveryReport": True,
    }


def test_cloud_mode_uses_the_3rdparty_api(channel):
    channel.config["mode"] = "cloud"
    AndroidTransport(channel).send(outbound(channel))
    assert FakeGateway.requests[0][0] == "/3rdparty/v1/messages"


@pytest.mark.parametrize(("status", "permanent"), [(500, False), (503, False), (400, True), (401, True)])
def test_gateway_errors_are_temporary_or_permanent(channel, status, permanent):
    FakeGateway.status = status
    with pytest.raises(SendError) as err:
        AndroidTransport(channel).send(outbound(channel))
    assert err.value.permanent is permanent


def test_unreachable_phone_is_a_temporary_error(channel):
    channel.config["base_url"] = "http://127.0.0.1:9"
    with pytest.raises(SendError) as err:
        AndroidTransport(channel).send(outbound(channel))
    assert not err.value.permanent


def post_webhook(client, channel, envelope: dict, *, key=KEY, timestamp=None):
    body = json.dumps(envelope).encode()
    timestamp = str(int(time.time()) if timestamp is None else timestamp)
    return client.post(
        reverse("messaging:android:webhook", kwargs={"channel_uuid": channel.uuid}),
        body,
        content_type="application/json",
        headers={"X-Signature": sign(key, body, timestamp), "X-Timestamp": timestamp},
    )


def received(envelope_id="ev-1", text="SYARAT KTP"):
    return {
        "deviceId": "hp-1",
        "event": "sms:received",
        "id": envelope_id,
        "webhookId": "wh-1",
        "payload": {"messageId": "content-derived", "message": text, "phoneNumber": "+6281234567890", "simNumber": 1},
    }


def replies():
    return list(Message.objects.filter(direction=Message.Direction.OUT))


def test_signed_incoming_sms_is_answered_with_the_requirements(client, channel):
    response = post_webhook(client, channel, received())
    assert response.status_code == 200
    [reply] = replies()
    assert reply.urn.identity == "tel:+6281234567890" and "KTP" in reply.text.upper()


def test_retried_webhook_gets_one_reply(client, channel):
    post_webhook(client, channel, received("ev-1"))
    assert post_webhook(client, channel, received("ev-1")).status_code == 200
    assert len(replies()) == 1


def test_same_text_twice_with_different_envelope_ids_is_two_messages(client, channel):
    post_webhook(client, channel, received("ev-1"))
    post_webhook(client, channel, received("ev-2"))
    assert InboundEvent.objects.count() == 2


@pytest.mark.parametrize("attack", ["wrong key", "old timestamp", "future timestamp", "no signature"])
def test_unsigned_or_replayed_webhook_is_refused_and_nothing_stored(client, channel, attack):
    if attack == "wrong key":
        response = post_webhook(client, channel, received(), key="bukan-kuncinya")
    elif attack == "old timestamp":
        response = post_webhook(client, channel, received(), timestamp=int(time.time()) - 600)
    elif attack == "future timestamp":
        response = post_webhook(client, channel, received(), timestamp=int(time.time()) + 600)
    else:
        url = reverse("messaging:android:webhook", kwargs={"channel_uuid": channel.uuid})
        response = client.post(url, json.dumps(received()), content_type="application/json")
    assert response.status_code == 403
    assert not InboundEvent.objects.exists() and not replies()


def test_tampered_body_is_refused(client, channel):
    body = json.dumps(received()).encode()
    timestamp = str(int(time.time()))
    signature = sign(KEY, body, timestamp)
    response = client.post(
        reverse("messaging:android:webhook", kwargs={"channel_uuid": channel.uuid}),
        body.replace(b"SYARAT KTP", b"ADUAN palsu"),
        content_type="application/json",
        headers={"X-Signature": signature, "X-Timestamp": timestamp},
    )
    assert response.status_code == 403


@pytest.mark.parametrize(("event", "expected"), [("sms:delivered", "delivered"), ("sms:failed", "failed")])
def test_receipts_move_our_message(client, channel, event, expected):
    message = outbound(channel)
    Message.objects.filter(pk=message.pk).update(status=Message.Status.SENT, provider_ref=str(message.uuid))
    envelope = {
        "deviceId": "hp-1",
        "event": event,
        "id": "ev-9",
        "webhookId": "wh-2",
        "payload": {"messageId": str(message.uuid), "phoneNumber": "+6281234567890", "reason": "RESULT_ERROR"},
    }
    assert post_webhook(client, channel, envelope).status_code == 200
    message.refresh_from_db()
    assert message.status == expected


def test_ping_and_garbage(client, channel):
    assert post_webhook(client, channel, {"event": "system:ping", "id": "p", "payload": {}}).status_code == 200
    body, timestamp = b"not json", str(int(time.time()))
    response = client.post(
        reverse("messaging:android:webhook", kwargs={"channel_uuid": channel.uuid}),
        body,
        content_type="application/json",
        headers={"X-Signature": sign(KEY, body, timestamp), "X-Timestamp": timestamp},
    )
    assert response.status_code == 400
