"""The WhatsApp Cloud webhook shapes Layan reads (`entry[].changes[].value` of field "messages"),
one model per event kind. Unknown fields are ignored; a field Layan reads with the wrong type
(`"errors": {…}` where Meta documents a list) makes that one event malformed."""

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Id = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


class Schema(BaseModel):
    model_config = ConfigDict(coerce_numbers_to_str=True, extra="ignore", populate_by_name=True)


class Metadata(Schema):
    phone_number_id: str | None = None
    display_phone_number: str | None = None


class Change(Schema):
    field: str | None = None
    value: dict[str, Any] | None = None


class Value(Schema):
    """One change's value: the events of one business number (`metadata.phone_number_id`)."""

    metadata: Metadata | None = None
    messages: list[Any] | None = None
    statuses: list[Any] | None = None


class Entry(Schema):
    id: str | None = None
    changes: list[Any] | None = None


class Body(Schema):
    body: str | None = None


class Reply(Schema):
    id: str | None = None
    title: str | None = None


class Interactive(Schema):
    button_reply: Reply | None = None
    list_reply: Reply | None = None


class Button(Schema):
    text: str | None = None
    payload: str | None = None


class Media(Schema):
    caption: str | None = None


class WhatsAppMessage(Schema):
    """One item of `value.messages`. The sender is `from` (a phone number, or a business-scoped
    user id such as "US.13491208655302741918" for a user with a username) and/or
    `from_user_id` (the business-scoped user id)."""

    sender: str | None = Field(default=None, alias="from")
    from_user_id: str | None = None
    id: Id
    timestamp: int | None = None
    type: str | None = None
    text: Body | None = None
    interactive: Interactive | None = None
    button: Button | None = None
    image: Media | None = None
    video: Media | None = None
    document: Media | None = None
    audio: Media | None = None
    voice: Media | None = None
    sticker: Media | None = None


class StatusError(Schema):
    code: int | None = None
    title: str | None = None
    message: str | None = None


class Status(Schema):
    """One item of `value.statuses`: what became of a message we sent."""

    id: Id
    status: str | None = None
    errors: list[StatusError] | None = None
