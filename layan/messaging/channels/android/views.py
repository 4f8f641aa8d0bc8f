"""Webhook of "SMS Gateway for Android": sms:received, sms:sent, sms:delivered, sms:failed, system:ping.

Signed (signing.py); a bad signature or a timestamp outside the replay window gets 403 and nothing
is stored. Inbound SMS are deduplicated on the envelope `id` (payload.messageId of an inbound SMS
is derived from its content, so two equal texts would collide); the phone retries until it gets 2xx.
"""

import json
import logging

from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseForbidden
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from layan.messaging.models import Channel
from layan.messaging.services import receive_message, update_message_status
from layan.messaging.urns import URNError, tel_urn

from . import signing

log = logging.getLogger(__name__)
STATUS_EVENTS = {"sms:sent": "sent", "sms:delivered": "delivered", "sms:failed": "failed"}


@csrf_exempt
@require_POST
def webhook(request, channel_uuid):
    channel = get_object_or_404(Channel, uuid=channel_uuid, kind="android", is_active=True)
    body = request.body
    key = str((channel.config or {}).get("webhook_secret") or "")
    signature = request.headers.get("X-Signature", "")
    timestamp = request.headers.get("X-Timestamp", "")
    if not signing.verify(key, body, signature=signature, timestamp=timestamp):
        return HttpResponseForbidden(_("Tanda tangan webhook tidak sah atau kedaluwarsa."))
    try:
        envelope = json.loads(body)
        event, payload = envelope["event"], envelope.get("payload") or {}
    except (ValueError, KeyError, TypeError):
        return HttpResponseBadRequest(_("Isi webhook tidak dapat dibaca."))
    if event == "sms:received":
        try:
            urn = tel_urn(str(payload.get("phoneNumber", "")))
        except URNError:
            return HttpResponseBadRequest(_("Nomor pengirim tidak valid."))
        envelope_id = str(envelope.get("id") or "") or None
        receive_message(channel, urn=urn, text=str(payload.get("message", "")), provider_id=envelope_id, payload=body)
    elif event in STATUS_EVENTS:
        ref = str(payload.get("messageId") or "")
        error = str(payload.get("reason") or "")[:200] if event == "sms:failed" else ""
        update_message_status(channel, provider_ref=ref, status=STATUS_EVENTS[event], error=error)
    elif event != "system:ping":
        log.info("android webhook: ignored event %r on channel %s", event, channel.uuid)
    return HttpResponse("", content_type="text/plain")
