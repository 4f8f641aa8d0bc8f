"""WhatsApp Cloud webhook: the subscription handshake (GET) and events (POST).

Signed with X-Hub-Signature-256 like every Meta webhook (bad or missing: 403, nothing stored).
`value.messages[]` go to the conversation engine (provider id = wamid, so a retried webhook is
processed once); `value.statuses[]` move our messages to sent, delivered or failed by wamid.
"""

import datetime as dt
import logging

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from layan.messaging.channels import meta
from layan.messaging.models import Channel
from layan.messaging.services import receive_message, update_message_status

log = logging.getLogger(__name__)
# "read" implies delivered; Layan keeps no separate read state.
STATUSES = {"sent": "sent", "delivered": "delivered", "read": "delivered", "failed": "failed"}


@csrf_exempt
@require_http_methods(["GET", "POST"])
def webhook(request, channel_uuid):
    channel = get_object_or_404(Channel, uuid=channel_uuid, kind="whatsapp", is_active=True)
    entries = meta.read_webhook(request, channel.config or {})
    if isinstance(entries, HttpResponse):
        return entries
    for entry in entries:
        changes = entry.get("changes")
        for change in changes if isinstance(changes, list) else []:
            if isinstance(change, dict) and change.get("field") == "messages" and isinstance(change.get("value"), dict):
                handle_value(channel, change["value"])
    return HttpResponse("", content_type="text/plain")


def handle_value(channel: Channel, value: dict) -> None:
    for message in value.get("messages") or []:
        if isinstance(message, dict):
            handle_message(channel, message)
    for status in value.get("statuses") or []:
        if isinstance(status, dict):
            handle_status(channel, status)


def handle_message(channel: Channel, message: dict) -> None:
    sender = "".join(ch for ch in str(message.get("from") or "") if ch.isdigit())
    if not sender:
        # A business-scoped user id without a phone number: not addressable by our URNs yet.
        log.info("whatsapp message without a phone number on channel %s", channel.uuid)
        return
    receive_message(
        channel,
        urn=f"whatsapp:{sender}",
        text=message_text(message),
        provider_id=str(message.get("id") or "") or None,
        payload=message,
        received_at=_timestamp(message.get("timestamp")),
    )


def message_text(message: dict) -> str:
    """What the citizen said; a tapped button or list row says its id (the choice number)."""
    kind = message.get("type")
    if kind == "text":
        return str((message.get("text") or {}).get("body") or "")
    if kind == "interactive":
        interactive = message.get("interactive") or {}
        reply = interactive.get("button_reply") or interactive.get("list_reply") or {}
        return str(reply.get("id") or reply.get("title") or "")
    if kind == "button":
        button = message.get("button") or {}
        return str(button.get("payload") or button.get("text") or "")
    media = message.get(kind) if isinstance(kind, str) else None
    return str(media.get("caption") or "") if isinstance(media, dict) else ""


def handle_status(channel: Channel, status: dict) -> None:
    mapped = STATUSES.get(str(status.get("status")))
    if mapped is None:
        return
    error = ""
    if mapped == "failed":
        errors = status.get("errors") or [{}]
        first = errors[0] if isinstance(errors[0], dict) else {}
        error = f"WhatsApp {first.get('code', '')}: {first.get('title') or first.get('message') or ''}".strip()
    update_message_status(channel, provider_ref=str(status.get("id") or ""), status=mapped, error=error[:200])


def _timestamp(value) -> dt.datetime | None:
    try:
        return dt.datetime.fromtimestamp(int(value), tz=dt.UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        return None
