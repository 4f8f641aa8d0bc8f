from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from layan.messaging.channels.base import SendError
from layan.messaging.channels.kannel.config import render_kannel_conf
from layan.messaging.channels.kannel.transport import KannelTransport
from layan.messaging.models import InboundEvent, Message
from layan.messaging.services import create_channel, enqueue, get_or_create_urn
from layan.messaging.tests.helpers import loopback_server


class FakeSmsbox(BaseHTTPRequestHandler):
    status = 202
    requests: list = []

    def do_GET(self):  # noqa: N802
        type(self).requests.append(parse_qs(urlsplit(self.path).query))
        self.send_response(self.status)
        self.end_headers()
        self.wfile.write(b"0: Accepted for delivery")

    def log_message(self, *args):
        pass


@pytest.fixture
def smsbox():
    FakeSmsbox.requests, FakeSmsbox.status = [], 202
    with loopback_server(FakeSmsbox) as server:
        yield server


@pytest.fixture
def channel(demo_office, smsbox):
    config = {
        "sendsms_url": f"http://127.0.0.1:{smsbox.server_port}/cgi-bin/sendsms",
        "username": "layan",
        "password": "sandi-kannel",
        "sender": "1708",
        "webhook_secret": "token-rahasia",
    }
    return create_channel(kind="kannel", name="Kannel", office=demo_office, config=config)


def outbound(channel, text="Status KTP-2026-0001: SELESAI") -> Message:
    return enqueue(get_or_create_urn("tel:+6281234567890"), text, office=channel.office, channel=channel)


def test_sendsms_carries_text_sender_and_a_delivery_report_url(channel):
    message = outbound(channel)
    assert KannelTransport(channel).send(message) == str(message.uuid)
    [query] = FakeSmsbox.requests
    assert query["to"] == ["+6281234567890"] and query["text"] == [message.text] and query["from"] == ["1708"]
    assert query["dlr-mask"] == ["31"] and "coding" not in query
    dlr = urlsplit(query["dlr-url"][0])
    assert f"ref={message.uuid}" in dlr.query and "status=%d" in dlr.query and "token=token-rahasia" in dlr.query


def test_non_gsm_text_is_sent_as_ucs2(channel):
    KannelTransport(channel).send(outbound(channel, "Antrean Anda nomor 12 🙂"))
    assert FakeSmsbox.requests[0]["coding"] == ["2"]


@pytest.mark.parametrize(("status", "permanent"), [(503, False), (403, True)])
def test_smsbox_errors(channel, status, permanent):
    FakeSmsbox.status = status
    with pytest.raises(SendError) as err:
        KannelTransport(channel).send(outbound(channel))
    assert err.value.permanent is permanent


def receive_url(channel, **params):
    return reverse("messaging:kannel:receive", kwargs={"channel_uuid": channel.uuid}), params


def test_incoming_sms_gets_an_empty_200_and_a_queued_reply(client, channel):
    url, params = receive_url(channel, token="token-rahasia", to="1708", text="SYARAT KTP", id="k-1")
    response = client.get(url, {**params, "from": "+6281234567890"})
    assert response.status_code == 200 and response.content == b""
    [reply] = Message.objects.filter(direction=Message.Direction.OUT)
    assert reply.urn.identity == "tel:+6281234567890" and "KTP" in reply.text.upper()


def test_wrong_token_is_refused_and_nothing_stored(client, channel):
    url, params = receive_url(channel, token="tebakan", text="SYARAT KTP")
    assert client.get(url, {**params, "from": "+6281234567890"}).status_code == 403
    assert not InboundEvent.objects.exists()


def test_same_text_without_id_within_seconds_is_answered_once(client, channel):
    url, params = receive_url(channel, token="token-rahasia", text="SYARAT KTP")
    client.get(url, {**params, "from": "+6281234567890"})
    client.get(url, {**params, "from": "+6281234567890"})
    assert Message.objects.filter(direction=Message.Direction.OUT).count() == 1


@pytest.mark.parametrize(("dlr", "expected"), [("1", "delivered"), ("2", "failed"), ("16", "failed"), ("4", "sent")])
def test_delivery_reports_move_the_message(client, channel, dlr, expected):
    message = outbound(channel)
    Message.objects.filter(pk=message.pk).update(status=Message.Status.SENT, provider_ref=str(message.uuid))
    url = reverse("messaging:kannel:delivery_report", kwargs={"channel_uuid": channel.uuid})
    response = client.get(url, {"token": "token-rahasia", "ref": str(message.uuid), "status": dlr})
    assert response.status_code == 200
    message.refresh_from_db()
    assert message.status == expected


def test_kannel_conf_points_get_url_at_this_channel_without_replying_in_the_body(channel):
    conf = render_kannel_conf(channel, sendsms_port=13013)
    assert "max-messages = 0" in conf
    assert f"/channels/kannel/{channel.uuid}/receive/?token=token-rahasia" in conf
    assert "from=%p&to=%P&text=%a" in conf


def test_smsc_report_after_a_worker_died_mid_send_prevents_the_second_sms(client, channel):
    # The worker handed the SMS to Kannel and died before marking it sent. Kannel's report
    # "accepted by the SMSC" (dlr 8, carrying our uuid) marks it sent, so when the dead worker's
    # lease expires nobody sends it again. Without a report it would be sent twice (docs/sms.md).
    import datetime as dt

    from django.utils import timezone

    from layan.messaging.outbox import Worker, claim_batch

    message = outbound(channel)
    claim_batch(limit=1)  # the worker that then dies
    url = reverse("messaging:kannel:delivery_report", kwargs={"channel_uuid": channel.uuid})
    client.get(url, {"token": "token-rahasia", "ref": str(message.uuid), "status": "8"})
    Worker().run_once(now=timezone.now() + dt.timedelta(hours=1))
    message.refresh_from_db()
    assert message.status == Message.Status.SENT and FakeSmsbox.requests == []
