"""The Telegram Bot API update shapes Layan reads (core.telegram.org/bots/api#update). Unknown
fields are ignored; a field Layan reads with the wrong type, or an empty chat id, makes the
update malformed."""

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

# Chat and user ids are integers; some gateways and tests send them as strings. Blank is no id.
Id = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]


class Schema(BaseModel):
    model_config = ConfigDict(coerce_numbers_to_str=True, extra="ignore")


class Chat(Schema):
    id: Id


class User(Schema):
    id: Id


class TelegramMessage(Schema):
    chat: Chat
    text: str | None = None
    caption: str | None = None
    # What a message may carry instead of text: Layan only needs to know which.
    photo: list[Any] | None = None
    voice: dict[str, Any] | None = None
    audio: dict[str, Any] | None = None
    video: dict[str, Any] | None = None
    video_note: dict[str, Any] | None = None
    animation: dict[str, Any] | None = None
    sticker: dict[str, Any] | None = None
    location: dict[str, Any] | None = None
    venue: dict[str, Any] | None = None
    document: dict[str, Any] | None = None
    contact: dict[str, Any] | None = None


class CallbackMessage(Schema):
    chat: Chat | None = None


class CallbackQuery(Schema):
    id: str | None = None
    data: str | None = None
    message: CallbackMessage | None = None
    sender: User | None = Field(default=None, alias="from")


class ChatMemberStatus(Schema):
    status: str | None = None


class ChatMemberUpdated(Schema):
    chat: Chat
    new_chat_member: ChatMemberStatus | None = None


class Update(Schema):
    update_id: int
    message: TelegramMessage | None = None
    callback_query: CallbackQuery | None = None
    my_chat_member: ChatMemberUpdated | None = None
