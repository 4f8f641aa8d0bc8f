"""Real gateway payloads: a malformed event is kept raw, a replay without an envelope id."""

import datetime as dt
import time

from django.db.models import F

from layan.messaging.models import InboundEvent

from .test_android import channel, gateway, post_webhook, received, replies

__all__ = ["channel", "gateway"]  # fixtures


def test_payload_that_is_a_string_is_kept_raw_and_answered_200(client, channel):
    envelope = {**received(), "payload": "SYARAT KTP"}
    assert post_webhook(client, channel, envelope).status_code == 200
    kept = InboundEvent.objects.get()
    assert kept.status == InboundEvent.Status.MALFORMED and "payload" in kept.error
    assert not replies()


def test_unusable_sender_number_is_kept_raw_not_a_server_error(client, channel):
    envelope = received()
    envelope["payload"]["phoneNumber"] = "bukan nomor"
    assert post_webhook(client, channel, envelope).status_code == 200
    assert InboundEvent.objects.get().status == InboundEvent.Status.MALFORMED


def test_replayed_webhook_without_envelope_id_is_not_a_second_message(client, channel):
    envelope = received()
    del envelope["id"]
    timestamp = int(time.time())
    assert post_webhook(client, channel, envelope, timestamp=timestamp).status_code == 200
    # A minute later (past the 5 s content window, inside the 300 s signature window) someone who
    # captured the signed request sends it again.
    InboundEvent.objects.update(received_at=F("received_at") - dt.timedelta(seconds=60))
    assert post_webhook(client, channel, envelope, timestamp=timestamp).status_code == 200
    assert len(replies()) == 1 and InboundEvent.objects.count() == 1
