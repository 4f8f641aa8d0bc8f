"""SMS through an Android phone running "SMS Gateway for Android" (docs/sms.md)."""

from typing import Literal

from django.utils.translation import gettext_lazy as _
from pydantic import BaseModel, ConfigDict, Field

from layan.messaging.channels.base import ChannelType


class Config(BaseModel):
    model_config = ConfigDict(extra="forbid")

    base_url: str = Field(min_length=1, description="http://<phone ip>:8080 (local) or https://api.sms-gate.app")
    username: str = Field(min_length=1, description="basic auth user")
    password: str = Field(min_length=1)
    webhook_secret: str = Field(min_length=1, description="the webhook signing key from the app")
    mode: Literal["local", "cloud"] = "local"
    sim_number: int | None = Field(None, ge=1, description="which SIM sends")


CHANNEL = ChannelType(
    kind="android",
    label=_("SMS (gateway Android)"),
    urn_scheme="tel",
    is_sms=True,
    config_schema=Config,
    secret_keys=frozenset({"password", "webhook_secret"}),
    transport="layan.messaging.channels.android.transport.AndroidTransport",
    urls="layan.messaging.channels.android.urls",
)
