"""Kannel webhooks: inbound SMS (sms-service get-url) and delivery reports (dlr-url).

Both carry the channel's shared secret as `token`; a wrong token is refused with 403 and nothing
is stored. The inbound answer is an empty 200: replies leave through the outbox, not the HTTP body
(the sms-service has `max-messages = 0`).
"""

import hmac
import logging

from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseForbidden
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from layan.messaging import services
from layan.messaging.models import Channel
from layan.messaging.services import Incoming, update_status
from layan.messaging.urns import URNError, tel_urn

from .transport import dlr_status

log = logging.getLogger(__name__)


def _channel(request, channel_uuid) -> Channel | None:
    channel = get_object_or_404(Channel, uuid=channel_uuid, kind="kannel", is_active=True)
    expected = str((channel.config or {}).get("webhook_secret") or "")
    given = request.GET.get("token", "")
    if not expected or not hmac.compare_digest(given.encode(), expected.encode()):
        return None
    return channel


@require_GET
def receive(request, channel_uuid):
    channel = _channel(request, channel_uuid)
    if channel is None:
        return HttpResponseForbidden(_("Token kanal salah."))
    sender, text = request.GET.get("from", ""), request.GET.get("text", "")
    try:
        urn = tel_urn(sender)
    except URNError:
        return HttpResponseBadRequest(_("Nomor pengirim tidak valid."))
    payload = {k: v for k, v in request.GET.items() if k != "token"}
    # %I (Kannel's message uuid) when configured; without it the core deduplicates on content.
    provider_id = request.GET.get("id") or None
    services.receive(channel, [Incoming(urn, text, provider_id=provider_id, payload=payload)])
    return HttpResponse("", content_type="text/plain")


@require_GET
def delivery_report(request, channel_uuid):
    channel = _channel(request, channel_uuid)
    if channel is None:
        return HttpResponseForbidden(_("Token kanal salah."))
    status = dlr_status(request.GET.get("status", ""))
    ref = request.GET.get("ref", "")
    if status and ref:
        update_status(channel, provider_ref=ref, status=status, error=request.GET.get("answer", "")[:200])
    return HttpResponse("", content_type="text/plain")
