"""The transport interface every channel implements, and the declaration every kind makes (see docs/messaging.md)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from django.utils.functional import Promise
from pydantic import BaseModel

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
    # other channels move sent -> delivered through receipts (services.update_status).
    delivers_immediately: ClassVar[bool] = False
    # Whether replies may carry button choices (chat channels); SMS shows them as numbered text.
    supports_choices: ClassVar[bool] = False

    def __init__(self, channel: Channel):
        self.channel = channel

    def send(self, message: Message) -> str:
        """Hand `message` to the provider; return the provider's reference. Use `message.uuid` as
        the idempotency key where the provider accepts one. Raise SendError on failure."""
        raise NotImplementedError


@dataclass(frozen=True)
class ChannelType:
    """What a channel kind declares about itself, once, in its package's `__init__.py` as `CHANNEL`.

    The registry (layan/messaging/channels/__init__.py) reads every declaration; `Channel.kind`
    choices, secret masking, URN schemes, the SMS kinds, webhook URLs and the transports all come from
    here. Keep the declaring module light: it is imported while Django loads its apps, so it may not
    import models; `transport` and `urls` are dotted paths imported when first needed.
    """

    kind: str
    label: str | Promise  # Indonesian, through gettext_lazy: what staff read in the admin and in add_channel --help
    urn_scheme: str  # the scheme of the URNs this kind talks to (tel, whatsapp, …)
    config_schema: type[BaseModel]  # validates Channel.config in add_channel and the admin
    transport: str  # dotted path of the Transport subclass
    is_sms: bool = False  # reaches plain phone numbers: SMS fallback and SMS announcements may use it
    secret_keys: frozenset[str] = frozenset()  # config keys masked everywhere (plus SECRET_HINTS)
    urls: str | None = None  # dotted path of the webhook URLconf, mounted at /channels/<kind>/<uuid>/
    commands: tuple[str, ...] = ()  # management commands this package provides
    broadcasts: bool = False  # announcements may be broadcast to its URNs (not Messenger: 24-hour rule)
