"""Facebook webhook: the subscription handshake (GET) and Page events (POST).

Every POST must carry X-Hub-Signature-256 over the raw body with the app secret; a bad or missing
signature gets 403 and nothing is stored. Each event is validated and handled on its own: a
malformed one is kept raw (InboundEvent `malformed`) and the others are still handled. The
Page id of an entry picks the office's channel among the Pages of one Meta app; an event for an
unknown Page is kept `unrouted` and not answered. A message without text (a photo, a sticker …)
gets the engine's non-text reply and waits in the staff inbox. Messenger messages, quick replies and postbacks go to the
conversation engine; echoes of our own messages are ignored; delivery and read events move our
messages to delivered; Page comments may get a private reply (comments.py).
"""

import datetime as dt
import hashlib
import logging
from functools import partial

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from layan.messaging import webhooks
from layan.messaging.channels import meta
from layan.messaging.models import Channel, InboundEvent, Message
from layan.messaging.services import Incoming, update_status

from . import payloads
from .comments import answer_page_comment

log = logging.getLogger(__name__)
UNROUTED = InboundEvent.Status.UNROUTED


@csrf_exempt
@require_http_methods(["GET", "POST"])
def webhook(request, channel_uuid):
    channel = get_object_or_404(Channel, uuid=channel_uuid, kind="facebook", is_active=True)
    entries = meta.read_webhook(request, channel)
    if isinstance(entries, HttpResponse):
        return entries
    for raw in entries:
        handle_entry(channel, raw)
    return HttpResponse("EVENT_RECEIVED", content_type="text/plain")


def handle_entry(channel: Channel, raw) -> None:
    """One Page's events. Each event is handled on its own: a malformed one is kept raw and the
    others still run. The Page id picks the office's channel (see meta.routed_channel)."""
    try:
        entry = webhooks.validate(payloads.Entry, raw)
    except webhooks.BadPayload as exc:
        webhooks.store_unused_event(channel, raw, error=str(exc))
        return
    for event in entry.messaging or []:
        webhooks.handle_event(channel, event, partial(handle_messaging, channel, entry.id or "", event))
    page = meta.routed_channel(channel, "page_id", entry.id or "")
    for change in entry.changes or []:
        if page is None:
            webhooks.store_unused_event(channel, change, error=f"Halaman {entry.id!r} tidak dikenal", status=UNROUTED)
        else:
            webhooks.handle_event(page, change, partial(handle_change, page, change))


def handle_change(channel: Channel, raw) -> None:
    change = webhooks.validate(payloads.Change, raw)
    if change.field == "feed" and change.value is not None:
        answer_page_comment(channel, change.value)


def handle_messaging(channel: Channel, page_id: str, raw) -> None:
    event = webhooks.validate(payloads.MessagingEvent, raw)
    if not page_id and event.recipient is not None:
        page_id = event.recipient.id
    page = meta.routed_channel(channel, "page_id", page_id)
    if page is None:
        webhooks.store_unused_event(channel, raw, error=f"Halaman {page_id!r} tidak dikenal", status=UNROUTED)
        return
    channel = page
    psid = event.sender.id
    urn = f"facebook:{psid}"
    received_at = _timestamp(event.timestamp)
    message = event.message
    if message is not None:
        if message.is_echo:
            return
        quick = message.quick_reply
        # A tapped quick reply carries the choice number as payload; its text is only the title.
        text = (quick.payload if quick is not None else None) or message.text or ""
        webhooks.receive_event(
            channel,
            Incoming(
                urn=urn,
                text=text,
                provider_id=message.mid or None,
                payload=raw,
                received_at=received_at,
                media="" if text else attachment_kind(message),
            ),
        )
    elif event.postback is not None:
        text = event.postback.payload or event.postback.title or ""
        # Postbacks have no mid: the sender, the time and the payload identify a retried webhook.
        digest = hashlib.sha256(f"{psid}|{event.timestamp}|{text}".encode()).hexdigest()[:32]
        webhooks.receive_event(
            channel,
            Incoming(urn=urn, text=text, provider_id=f"postback:{digest}", payload=raw, received_at=received_at),
        )
    elif event.delivery is not None:
        for mid in event.delivery.mids or []:
            update_status(channel, provider_ref=mid, status="delivered")
    elif event.read is not None:
        _mark_read(channel, urn, _timestamp(event.read.watermark))


# Messenger attachment types -> what the engine calls them (engine.core.NON_TEXT_LABELS).
ATTACHMENT_KINDS = {"image": "image", "audio": "audio", "video": "video", "file": "document", "location": "location"}


def attachment_kind(message: payloads.MessengerMessage) -> str:
    """What a message without text carried ('' when it carried nothing either)."""
    if message.sticker_id:
        return "sticker"
    for attachment in message.attachments or []:
        return ATTACHMENT_KINDS.get(attachment.type or "", "other")
    return ""


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
        update_status(channel, provider_ref=ref, status="delivered")


def _timestamp(value) -> dt.datetime | None:
    try:
        return dt.datetime.fromtimestamp(int(value) / 1000, tz=dt.UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        return None
