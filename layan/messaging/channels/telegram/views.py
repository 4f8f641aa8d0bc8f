"""Telegram webhook: every update carries X-Telegram-Bot-Api-Secret-Token (set by setWebhook).

A wrong or missing token gets 403 and nothing is stored. Text messages and pressed inline buttons
(callback_query, answered with answerCallbackQuery) go to the engine with the update_id as
provider id, so Telegram's retries are processed once. /start shows the menu. A citizen who
blocks the bot (my_chat_member: kicked) is opted out.
"""

import hmac
import json
import logging

from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseForbidden
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from layan.messaging.channels.base import SendError
from layan.messaging.models import Channel
from layan.messaging.services import mark_urn_opted_out, receive_message

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
    try:
        update = json.loads(request.body)
        update_id = str(update["update_id"])
    except (ValueError, KeyError, TypeError):
        return HttpResponseBadRequest(_("Isi webhook tidak dapat dibaca."))
    if isinstance(update.get("message"), dict):
        handle_message(channel, update_id, update["message"], update)
    elif isinstance(update.get("callback_query"), dict):
        handle_callback(channel, update_id, update["callback_query"], update)
    elif isinstance(update.get("my_chat_member"), dict):
        member = update["my_chat_member"]
        chat_id = (member.get("chat") or {}).get("id")
        if chat_id is not None and (member.get("new_chat_member") or {}).get("status") == "kicked":
            mark_urn_opted_out(f"telegram:{chat_id}", source="telegram-blocked")
    return HttpResponse("", content_type="text/plain")


def handle_message(channel: Channel, update_id: str, message: dict, update: dict) -> None:
    chat_id = (message.get("chat") or {}).get("id")
    if chat_id is None:
        return
    text = command_text(str(message.get("text") or message.get("caption") or ""), channel)
    receive_message(channel, urn=f"telegram:{chat_id}", text=text, provider_id=update_id, payload=update)


def handle_callback(channel: Channel, update_id: str, query: dict, update: dict) -> None:
    chat_id = ((query.get("message") or {}).get("chat") or {}).get("id") or (query.get("from") or {}).get("id")
    if chat_id is None:
        return
    receive_message(
        channel, urn=f"telegram:{chat_id}", text=str(query.get("data") or ""), provider_id=update_id, payload=update
    )
    try:
        TelegramTransport(channel).answer_callback(str(query.get("id") or ""))
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
