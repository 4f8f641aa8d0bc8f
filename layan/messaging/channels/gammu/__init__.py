"""SMS through a GSM modem and gammu-smsd on Layan's own database (docs/sms.md)."""

from typing import Literal

from django.utils.translation import gettext_lazy as _
from pydantic import BaseModel, ConfigDict, Field

from layan.messaging.channels.base import ChannelType


class Config(BaseModel):
    model_config = ConfigDict(extra="forbid")

    phone_id: str = Field(min_length=1, description="the smsdrc PhoneID of this office's gammu-smsd")
    delivery_report: Literal["default", "yes", "no"] = Field("default", description="ask for delivery reports")


CHANNEL = ChannelType(
    kind="gammu",
    label=_("SMS (modem GSM, Gammu)"),
    urn_scheme="tel",
    is_sms=True,
    config_schema=Config,
    transport="layan.messaging.channels.gammu.transport.GammuTransport",
    commands=("gammu_config", "gammu_poll"),
)
