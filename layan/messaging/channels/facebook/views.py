"""Facebook webhook: the subscription handshake (GET) and Page events (POST).

Every POST must carry X-Hub-Signature-256 over the raw body with the app secret; a bad or missing
signature gets 403 and nothing is stored. Messenger messages, quick replies and postbacks go to the
conversation engine; echoes of our own messages are ignored; delivery and read events move our
messages to delivered; Page comments may get a private reply (comments.py).
"""

import datetime as dt
import hashlib
import logging

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from layan.messaging.channels import meta
from layan.messaging.models import Channel, Message
from layan.messaging.services import receive_message, update_message_status

from .comments import answer_page_comment

log = logging.getLogger(__name__)


@csrf_exempt
@require_http_methods(["GET", "POST"])
def webhook(request, channel_uuid):
    channel = get_object_or_404(Channel, uuid=channel_uuid, kind="facebook", is_active=True)
    entries = meta.read_webhook(request, channel.config or {})
    if isinstance(entries, HttpResponse):
        return entries
    for entry in entries:
        for event in entry.get("messaging") or []:
            if isinstance(event, dict):
                handle_messaging(channel, event)
        for change in entry.get("changes") or []:
            if isinstance(change, dict) and change.get("field") == "feed" and isinstance(change.get("value"), dict):
                answer_page_comment(channel, change["value"])
    return HttpResponse("EVENT_RECEIVED", content_type="text/plain")


def handle_messaging(channel: Channel, event: dict) -> None:
    psid = str((event.get("sender") or {}).get("id") or "")
    if not psid:
        return
    urn = f"facebook:{psid}"
    received_at = _timestamp(event.get("timestamp"))
    message = event.get("message")
    if isinstance(message, dict):
        if message.get("is_echo"):
            return
        quick = message.get("quick_reply") or {}
        # A tapped quick reply carries the choice number as payload; its text is only the title.
        text = str(quick.get("payload") or message.get("text") or "")
        receive_message(
            channel, urn=urn, text=text, provider_id=message.get("mid") or None, payload=event, received_at=received_at
        )
    elif isinstance(event.get("postback"), dict):
        postback = event["postback"]
        text = str(postback.get("payload") or postback.get("title") or "")
        # Postbacks have no mid: the sender, the time and the payload identify a retried webhook.
        digest = hashlib.sha256(f"{psid}|{event.get('timestamp')}|{text}".encode()).hexdigest()[:32]
        receive_message(
            channel, urn=urn, text=text, provider_id=f"postback:{digest}", payload=event, received_at=received_at
        )
    elif isinstance(event.get("delivery"), dict):
        for mid in event["delivery"].get("mids") or []:
            update_message_status(channel, provider_ref=str(mid), status="delivered")
    elif isinstance(event.get("read"), dict):
        _mark_read(channel, urn, _timestamp(event["read"].get("watermark")))


def _mark_read(channel: Channel, urn: str, watermark: dt.datetime | None) -> None:
    """A read receipt names no message, only "everything up to `watermark`"."""
    if watermark is None:
        return
    refs = (
        Message.objects.filter(
            channel=channel,
            urn__identity=urn,
            direction=Message.Direction.OUT,
            status=Message.Status.SENT,
            sent_at__lte=watermark,
        )
        .exclude(provider_ref="")
        .values_list("provider_ref", flat=True)[:50]
    )
    for ref in list(refs):
        update_message_status(channel, provider_ref=ref, status="delivered")


def _timestamp(value) -> dt.datetime | None:
    try:
        return dt.datetime.fromtimestamp(int(value) / 1000, tz=dt.UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        return None
