"""The transport interface every channel implements (see docs/messaging.md)."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

if TYPE_CHECKING:
    from layan.messaging.models import Channel, Message


class SendError(Exception):
    """A send that did not go through. `permanent` errors fail the message at once; temporary
    ones are retried with backoff (at least `retry_after` seconds later when the provider says so)."""

    def __init__(self, message: str, *, permanent: bool, retry_after: float | None = None):
        super().__init__(message)
        self.permanent = permanent
        self.retry_after = retry_after


class Transport:
    kind: ClassVar[str] = ""
    # True when acceptance by the transport is already final delivery (the test channel);
    # other channels move sent -> delivered through receipts (update_message_status).
    delivers_immediately: ClassVar[bool] = False
    # Whether replies may carry button choices (chat channels); SMS shows them as numbered text.
    supports_choices: ClassVar[bool] = False

    def __init__(self, channel: Channel):
        self.channel = channel

    def send(self, message: Message) -> str:
        """Hand `message` to the provider; return the provider's reference. Use `message.uuid` as
        the idempotency key where the provider accepts one. Raise SendError on failure."""
        raise NotImplementedError
