"""Telegram through the Bot API (docs/chat-channels.md)."""

from django.utils.translation import gettext_lazy as _
from pydantic import BaseModel, ConfigDict, Field

from layan.messaging.channels.base import ChannelType


class Config(BaseModel):
    model_config = ConfigDict(extra="forbid")

    bot_token: str = Field(min_length=1, description="from @BotFather")
    # Telegram accepts 1-256 of A-Z a-z 0-9 _ - as X-Telegram-Bot-Api-Secret-Token.
    secret_token: str = Field(pattern=r"^[A-Za-z0-9_-]{1,256}$")
    bot_username: str = Field("", description="to strip /command@bot suffixes")


CHANNEL = ChannelType(
    kind="telegram",
    label=_("Telegram (bot)"),
    urn_scheme="telegram",
    config_schema=Config,
    secret_keys=frozenset({"bot_token", "secret_token"}),
    transport="layan.messaging.channels.telegram.transport.TelegramTransport",
    urls="layan.messaging.channels.telegram.urls",
    commands=("telegram_set_webhook",),
    broadcasts=True,
)
