"""WhatsApp through Meta's Cloud API (docs/chat-channels.md)."""

from django.utils.translation import gettext_lazy as _
from pydantic import BaseModel, ConfigDict, Field

from layan.messaging.channels.base import ChannelType


class Config(BaseModel):
    model_config = ConfigDict(extra="forbid")

    phone_number_id: str = Field(min_length=1, description="the sending number's id")
    access_token: str = Field(min_length=1, description="a system-user token")
    app_secret: str = Field(min_length=1, description="signs webhooks")
    verify_token: str = Field(min_length=1, description="the subscription handshake word")
    template_name: str = Field("", description="UTILITY template with one body parameter, outside the 24 h window")
    template_language: str = "id"


CHANNEL = ChannelType(
    kind="whatsapp",
    label=_("WhatsApp (Cloud API)"),
    urn_scheme="whatsapp",
    config_schema=Config,
    secret_keys=frozenset({"access_token", "app_secret", "verify_token"}),
    transport="layan.messaging.channels.whatsapp.transport.WhatsAppTransport",
    urls="layan.messaging.channels.whatsapp.urls",
    broadcasts=True,
)
