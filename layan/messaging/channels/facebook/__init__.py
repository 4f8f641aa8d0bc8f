"""Facebook: Messenger conversations, Page comments and Page posts (docs/chat-channels.md)."""

from django.utils.translation import gettext_lazy as _
from pydantic import BaseModel, ConfigDict, Field

from layan.messaging.channels.base import ChannelType


class Config(BaseModel):
    model_config = ConfigDict(extra="forbid")

    page_id: str = Field(min_length=1)
    page_token: str = Field(min_length=1, description="a Page access token (pages_messaging, pages_manage_posts …)")
    app_secret: str = Field(min_length=1, description="signs webhooks")
    verify_token: str = Field(min_length=1, description="our word for the subscription handshake")
    staff_tag: str = Field("HUMAN_AGENT", description="message tag for staff answers after 24 h (empty: none)")


CHANNEL = ChannelType(
    kind="facebook",
    label=_("Facebook (Messenger dan Halaman)"),
    urn_scheme="facebook",
    config_schema=Config,
    secret_keys=frozenset({"page_token", "app_secret", "verify_token"}),
    transport="layan.messaging.channels.facebook.transport.FacebookTransport",
    urls="layan.messaging.channels.facebook.urls",
)
