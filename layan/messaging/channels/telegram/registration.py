"""Register the bot's webhook with Telegram (setWebhook), including our secret token."""

from django.conf import settings
from django.urls import reverse

from layan.messaging.models import Channel

from . import api

ALLOWED_UPDATES = ["message", "callback_query", "my_chat_member"]


def webhook_url(channel: Channel, base_url: str | None = None) -> str:
    base = (base_url or settings.PUBLIC_BASE_URL).rstrip("/")
    return base + reverse("messaging:telegram:webhook", kwargs={"channel_uuid": channel.uuid})


def set_webhook(channel: Channel, *, base_url: str | None = None) -> str:
    """Point the bot at this installation; returns the webhook URL. Raises SendError."""
    config = channel.config or {}
    url = webhook_url(channel, base_url)
    api.call(
        str(config.get("bot_token") or ""),
        "setWebhook",
        {"url": url, "secret_token": str(config.get("secret_token") or ""), "allowed_updates": ALLOWED_UPDATES},
    )
    return url
