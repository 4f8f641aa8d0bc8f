"""Webhook of "SMS Gateway for Android": sms:received, sms:sent, sms:delivered, sms:failed, system:ping.

Signed (signing.py); a bad signature or a timestamp outside the replay window gets 403 and nothing
is stored. Inbound SMS are deduplicated on the envelope `id` (payload.messageId of an inbound SMS
is derived from its content, so two equal texts would collide); the phone retries until it gets 2xx.
An event without an envelope id is deduplicated on its signature, so replaying a captured
request inside the signature window is not a second message. An event of another shape (a
`payload` that is a string, an unusable sender number) is kept raw as malformed and answered 200.
"""

import logging

from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseForbidden
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from layan.messaging import webhooks
from layan.messaging.models import Channel
from layan.messaging.services import Incoming, update_status
from layan.messaging.urns import tel_urn

from . import payloads, signing

log = logging.getLogger(__name__)
STATUS_EVENTS = {"sms:sent": "sent", "sms:delivered": "delivered", "sms:failed": "failed"}


@csrf_exempt
@require_POST
def webhook(request, channel_uuid):
    channel = get_object_or_404(Channel, uuid=channel_uuid, kind="android", is_active=True)
    too_large = webhooks.body_too_large(request)
    if too_large is not None:
        return too_large
    body = request.body
    key = str((channel.config or {}).get("webhook_secret") or "")
    signature = request.headers.get("X-Signature", "")
    timestamp = request.headers.get("X-Timestamp", "")
    if not signing.verify(key, body, signature=signature, timestamp=timestamp):
        return HttpResponseForbidden(_("Tanda tangan webhook tidak sah atau kedaluwarsa."))
    try:
        raw = webhooks.parse_json(body)
    except webhooks.BadPayload as exc:
        webhooks.store_unused_event(channel, body, error=str(exc))
        return HttpResponseBadRequest(_("Isi webhook tidak dapat dibaca."))
    # A malformed event is kept raw and answered 200: the phone would retry it for two days.
    webhooks.handle_event(channel, raw, lambda: handle_envelope(channel, raw, body, signature))
    return HttpResponse("", content_type="text/plain")


def handle_envelope(channel: Channel, raw, body: bytes, signature: str) -> None:
    envelope = webhooks.validate(payloads.Envelope, raw)
    event = envelope.event
    if event == "sms:received":
        sms = webhooks.validate(payloads.Received, envelope.payload or {})
        # Without an envelope id, the signature stands in for it: it covers the body and the
        # timestamp, so a replay of the same request inside the signature window is a duplicate,
        # while the phone's own retry (a new timestamp) is caught by the content window.
        provider_id = (envelope.id or "").strip() or f"sig:{signature.strip().lower()[:64]}"
        webhooks.receive_event(
            channel,
            Incoming(urn=tel_urn(sms.phoneNumber), text=sms.message or "", provider_id=provider_id, payload=body),
        )
    elif event in STATUS_EVENTS:
        # Receipts only move a message forward, so a replayed one changes nothing.
        change = webhooks.validate(payloads.StatusChange, envelope.payload or {})
        error = (change.reason or "")[:200] if event == "sms:failed" else ""
        update_status(channel, provider_ref=change.messageId, status=STATUS_EVENTS[event], error=error)
    elif event != "system:ping":
        log.info("android webhook: ignored event %r on channel %s", event, channel.uuid)
