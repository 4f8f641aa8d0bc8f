"""SMS through Kannel (bearerbox + smsbox): an operator's SMPP link or an aggregator (docs/sms.md)."""

from django.utils.translation import gettext_lazy as _
from pydantic import BaseModel, ConfigDict, Field

from layan.messaging.channels.base import ChannelType


class Config(BaseModel):
    model_config = ConfigDict(extra="forbid")

    sendsms_url: str = Field(min_length=1, description="smsbox's http://host:13013/cgi-bin/sendsms")
    username: str = Field(min_length=1, description="smsbox sendsms-user")
    password: str = Field(min_length=1)
    webhook_secret: str = Field(min_length=1, description="the token smsbox puts in get-url and dlr-url")
    sender: str = Field("", description="the 'from': short code or number")
    smsc: str = Field("", description="route to one SMSC id")
    callback_base_url: str = Field("", description="how Kannel reaches Layan (default LAYAN_PUBLIC_BASE_URL)")


CHANNEL = ChannelType(
    kind="kannel",
    label=_("SMS (Kannel/SMPP)"),
    urn_scheme="tel",
    is_sms=True,
    config_schema=Config,
    secret_keys=frozenset({"password", "webhook_secret"}),
    transport="layan.messaging.channels.kannel.transport.KannelTransport",
    urls="layan.messaging.channels.kannel.urls",
    commands=("kannel_config",),
)
