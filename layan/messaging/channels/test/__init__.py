"""The test channel: the browser simulator, demos, tests and benchmarks ("sends" by recording)."""

from django.utils.translation import gettext_lazy as _
from pydantic import BaseModel, ConfigDict, Field

from layan.messaging.channels.base import ChannelType


class Config(BaseModel):
    model_config = ConfigDict(extra="forbid")

    delay_ms: float = Field(0, ge=0, description="pretend each send takes this long (benchmarks)")


CHANNEL = ChannelType(
    kind="test",
    label=_("Uji / simulator"),
    urn_scheme="ext",
    # Stands in for an SMS line where an office has none yet (demos), after every real one.
    is_sms=True,
    config_schema=Config,
    transport="layan.messaging.channels.test.transport.TestTransport",
)
