"""The webhook shapes of "SMS Gateway for Android" that Layan reads (docs/features/webhooks.md of
the gateway): one envelope, and one payload model per event kind. Unknown fields are ignored; a
field Layan reads with the wrong type (a `payload` that is a string) makes the event malformed."""

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, StringConstraints

Id = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


class Schema(BaseModel):
    model_config = ConfigDict(coerce_numbers_to_str=True, extra="ignore")


class Envelope(Schema):
    event: Id
    id: str | None = None
    deviceId: str | None = None  # noqa: N815 (the gateway's field name)
    payload: dict[str, Any] | None = None


class Received(Schema):
    """`sms:received`: messageId is derived from the content and not unique (see views.py)."""

    phoneNumber: Id  # noqa: N815
    message: str | None = None


class StatusChange(Schema):
    """`sms:sent`, `sms:delivered`, `sms:failed`: messageId is the id we sent it with."""

    messageId: Id  # noqa: N815
    reason: str | None = None
