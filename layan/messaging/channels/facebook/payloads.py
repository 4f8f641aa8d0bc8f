"""The Messenger webhook shapes Layan reads (developers.facebook.com/docs/messenger-platform/webhooks),
one model per event kind. Unknown fields are ignored; a field Layan reads with the wrong type,
or an empty sender id, makes that one event malformed."""

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, StringConstraints

# Page ids and PSIDs: strings of digits, sometimes sent as numbers; blank is no id.
Id = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]


class Schema(BaseModel):
    model_config = ConfigDict(coerce_numbers_to_str=True, extra="ignore")


class Party(Schema):
    id: Id


class QuickReply(Schema):
    payload: str | None = None


class Attachment(Schema):
    type: str | None = None
    payload: dict[str, Any] | None = None


class MessengerMessage(Schema):
    mid: str | None = None
    text: str | None = None
    is_echo: bool = False
    quick_reply: QuickReply | None = None
    attachments: list[Attachment] | None = None
    sticker_id: str | None = None


class Postback(Schema):
    title: str | None = None
    payload: str | None = None


class Delivery(Schema):
    mids: list[str] | None = None


class Read(Schema):
    watermark: int | None = None


class MessagingEvent(Schema):
    """One item of `entry[].messaging`: a message, a postback, a delivery or a read receipt."""

    sender: Party
    recipient: Party | None = None
    timestamp: int | None = None
    message: MessengerMessage | None = None
    postback: Postback | None = None
    delivery: Delivery | None = None
    read: Read | None = None


class Change(Schema):
    field: str | None = None
    value: dict[str, Any] | None = None


class Entry(Schema):
    """One item of the body's `entry`: the events of one Page (`id`)."""

    id: str | None = None
    messaging: list[Any] | None = None
    changes: list[Any] | None = None
