"""Telegram webhook: every update carries X-Telegram-Bot-Api-Secret-Token (set by setWebhook).

A wrong or missing token gets 403 and nothing is stored. Text messages and pressed inline buttons
(callback_query, answered with answerCallbackQuery) go to the engine with the update_id as
provider id, so Telegram's retries are processed once. /start shows the menu. A citizen who
blocks the bot (my_chat_member: kicked) is opted out. An update of another shape (an empty
chat id …) is kept raw as malformed and answered 200; a photo, voice note, sticker or location
without text gets the engine's non-text reply and waits in the staff inbox.
"""

import hmac
import logging

from django.db import transaction
from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseForbidden
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from layan.messaging import webhooks
from layan.messaging.channels.base import SendError
from layan.messaging.models import Channel
from layan.messaging.services import Incoming, opt_out

from . import payloads
from .transport import TelegramTransport

log = logging.getLogger(__name__)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105 (a header name)


@csrf_exempt
@require_POST
def webhook(request, channel_uuid):
    channel = get_object_or_404(Channel, uuid=channel_uuid, kind="telegram", is_active=True)
    expected = str((channel.config or {}).get("secret_token") or "")
    given = request.headers.get(SECRET_HEADER, "")
    if not expected or not hmac.compare_digest(given.encode(), expected.encode()):
        return HttpResponseForbidden(_("Token rahasia webhook salah."))
    too_large = webhooks.body_too_large(request)
    if too_large is not None:
        return too_large
    try:
        raw = webhooks.parse_json(request.body)
    except webhooks.BadPayload as exc:
        webhooks.store_unused_event(channel, request.body, error=str(exc))
        return HttpResponseBadRequest(_("Isi webhook tidak dapat dibaca."))
    # One update per request. A malformed one is kept raw and answered 200: Telegram would
    # only send the same update again.
    webhooks.handle_event(channel, raw, lambda: handle_update(channel, raw))
    return HttpResponse("", content_type="text/plain")


def handle_update(channel: Channel, raw) -> None:
    update = webhooks.validate(payloads.Update, raw)
    update_id = str(update.update_id)
    if update.message is not None:
        handle_message(channel, update_id, update.message, raw)
    elif update.callback_query is not None:
        handle_callback(channel, update_id, update.callback_query, raw)
    elif update.my_chat_member is not None:
        member = update.my_chat_member
        if member.new_chat_member is not None and member.new_chat_member.status == "kicked":
            opt_out(f"telegram:{member.chat.id}", source="telegram-blocked", channel=channel)


# What a Telegram message may carry instead of text -> what the engine calls it
# (engine.core.NON_TEXT_LABELS), in the order they are looked for.
MEDIA_KINDS = (
    ("photo", "image"),
    ("sticker", "sticker"),
    ("animation", "video"),
    ("video", "video"),
    ("video_note", "video"),
    ("voice", "audio"),
    ("audio", "audio"),
    ("venue", "location"),
    ("location", "location"),
    ("document", "document"),
    ("contact", "contacts"),
)


def handle_message(channel: Channel, update_id: str, message: payloads.TelegramMessage, raw) -> None:
    text = command_text(message.text or message.caption or "", channel)
    media = "" if text else next((kind for field, kind in MEDIA_KINDS if getattr(message, field)), "")
    webhooks.receive_event(
        channel, Incoming(urn=f"telegram:{message.chat.id}", text=text, provider_id=update_id, payload=raw, media=media)
    )


def handle_callback(channel: Channel, update_id: str, query: payloads.CallbackQuery, raw) -> None:
    chat = query.message.chat if query.message is not None else None
    chat_id = chat.id if chat is not None else (query.sender.id if query.sender is not None else None)
    if chat_id is None:
        raise webhooks.BadPayload("callback_query tanpa chat.id atau from.id")
    webhooks.receive_event(
        channel, Incoming(urn=f"telegram:{chat_id}", text=query.data or "", provider_id=update_id, payload=raw)
    )
    # After the commit: no HTTP call while the transaction holds the database.
    transaction.on_commit(lambda: _answer_callback(channel, query.id or ""))


def _answer_callback(channel: Channel, query_id: str) -> None:
    try:
        TelegramTransport(channel).answer_callback(query_id)
    except SendError as exc:
        # Only the spinner keeps turning a little longer; the answer itself is in the outbox.
        log.info("answerCallbackQuery failed on channel %s: %s", channel.uuid, exc)


def command_text(text: str, channel: Channel) -> str:
    """'/start' -> 'MENU'; '/syarat@KisamBot ktp' -> 'syarat ktp' (bot commands are our keywords)."""
    if not text.startswith("/"):
        return text
    head, _sep, rest = text[1:].partition(" ")
    head = head.split("@", 1)[0]
    if head.lower() in ("start", "help", "bantuan"):
        return "MENU"
    return f"{head} {rest}".strip()
