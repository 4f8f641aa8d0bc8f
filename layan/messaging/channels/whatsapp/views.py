"""WhatsApp Cloud webhook: the subscription handshake (GET) and events (POST).

Signed with X-Hub-Signature-256 like every Meta webhook (bad or missing: 403, nothing stored).
`value.messages[]` go to the conversation engine (provider id = wamid, so a retried webhook is
processed once); `value.statuses[]` move our messages to sent, delivered or failed by wamid.
Each message and status is validated and handled on its own: a malformed one is kept raw
(InboundEvent `malformed`) and the others are still handled. `metadata.phone_number_id` picks
the office's channel among the numbers of one Meta app; an unknown number's events are kept
`unrouted` and not answered. A sender known only by a business-scoped user id is
`whatsapp:<BSUID>` and is answered on it. A message without text (a photo, a voice note, a
location …) gets the engine's non-text reply and waits in the staff inbox.
"""

import datetime as dt
import logging
from functools import partial

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from layan.messaging import webhooks
from layan.messaging.channels import meta
from layan.messaging.models import Channel, InboundEvent
from layan.messaging.services import Incoming, update_status
from layan.messaging.urns import is_bsuid

from . import payloads

log = logging.getLogger(__name__)
# "read" implies delivered; Layan keeps no separate read state.
STATUSES = {"sent": "sent", "delivered": "delivered", "read": "delivered", "failed": "failed"}


@csrf_exempt
@require_http_methods(["GET", "POST"])
def webhook(request, channel_uuid):
    channel = get_object_or_404(Channel, uuid=channel_uuid, kind="whatsapp", is_active=True)
    entries = meta.read_webhook(request, channel)
    if isinstance(entries, HttpResponse):
        return entries
    for raw in entries:
        try:
            entry = webhooks.validate(payloads.Entry, raw)
        except webhooks.BadPayload as exc:
            webhooks.store_unused_event(channel, raw, error=str(exc))
            continue
        for change in entry.changes or []:
            handle_change(channel, change)
    return HttpResponse("", content_type="text/plain")


def handle_change(channel: Channel, raw) -> None:
    """One change: its messages and statuses, each on its own (a malformed one is kept raw, the
    others still run), on the channel of the change's business number."""
    try:
        change = webhooks.validate(payloads.Change, raw)
        if change.field != "messages" or change.value is None:
            return
        value = webhooks.validate(payloads.Value, change.value)
    except webhooks.BadPayload as exc:
        webhooks.store_unused_event(channel, raw, error=str(exc))
        return
    number_id = (value.metadata.phone_number_id if value.metadata else None) or ""
    number = meta.routed_channel(channel, "phone_number_id", number_id)
    events = [*(value.messages or []), *(value.statuses or [])]
    if number is None:
        for event in events:
            error = f"Nomor bisnis {number_id!r} tidak dikenal"
            webhooks.store_unused_event(channel, event, error=error, status=InboundEvent.Status.UNROUTED)
        return
    for event in value.messages or []:
        webhooks.handle_event(number, event, partial(handle_message, number, event))
    for event in value.statuses or []:
        webhooks.handle_event(number, event, partial(handle_status, number, event))


def handle_message(channel: Channel, raw) -> None:
    message = webhooks.validate(payloads.WhatsAppMessage, raw)
    text = message_text(message)
    webhooks.receive_event(
        channel,
        Incoming(
            urn=sender_urn(message),
            text=text,
            provider_id=message.id,
            payload=raw,
            received_at=_timestamp(message.timestamp),
            media="" if text or message.type in SILENT_TYPES else MEDIA_KINDS.get(message.type or "", "other"),
        ),
    )


def sender_urn(message: payloads.WhatsAppMessage) -> str:
    """`whatsapp:<phone digits>` when Meta gives the phone number, else `whatsapp:<BSUID>` (a
    user with a username may come with only the business-scoped id; it is answered on it)."""
    sender = (message.sender or "").strip()
    if is_bsuid(sender):
        return f"whatsapp:{sender}"
    digits = "".join(ch for ch in sender if ch.isdigit())
    if digits and sender.lstrip("+").isdigit():
        return f"whatsapp:{digits}"
    user_id = (message.from_user_id or "").strip()
    if is_bsuid(user_id):
        return f"whatsapp:{user_id}"
    raise webhooks.BadPayload("pengirim tanpa nomor atau id pengguna WhatsApp yang sah")


# Nothing a citizen asked: an empty text, an emoji reaction to one of our messages, a system
# notice (the user changed their number).
SILENT_TYPES = frozenset({"text", "reaction", "system"})
# WhatsApp message types -> what the engine calls them (engine.core.NON_TEXT_LABELS).
MEDIA_KINDS = {
    "image": "image",
    "audio": "audio",
    "voice": "audio",
    "video": "video",
    "sticker": "sticker",
    "location": "location",
    "document": "document",
    "contacts": "contacts",
}


def message_text(message: payloads.WhatsAppMessage) -> str:
    """What the citizen said; a tapped button or list row says its id (the choice number)."""
    kind = message.type
    if kind == "text":
        return (message.text.body if message.text else None) or ""
    if kind == "interactive":
        interactive = message.interactive
        reply = (interactive.button_reply or interactive.list_reply) if interactive else None
        return (reply.id or reply.title or "") if reply else ""
    if kind == "button":
        return (message.button.payload or message.button.text or "") if message.button else ""
    media = (
        getattr(message, kind, None) if kind in ("image", "video", "document", "audio", "voice", "sticker") else None
    )
    return (media.caption or "") if isinstance(media, payloads.Media) else ""


def handle_status(channel: Channel, raw) -> None:
    status = webhooks.validate(payloads.Status, raw)
    mapped = STATUSES.get(status.status or "")
    if mapped is None:
        return
    error = ""
    if mapped == "failed":
        first = (status.errors or [payloads.StatusError()])[0]
        code = "" if first.code is None else first.code
        error = f"WhatsApp {code}: {first.title or first.message or ''}".strip()
    update_status(channel, provider_ref=status.id, status=mapped, error=error[:200])


def _timestamp(value) -> dt.datetime | None:
    try:
        return dt.datetime.fromtimestamp(int(value), tz=dt.UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        return None
