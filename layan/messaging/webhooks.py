"""What every channel webhook shares: a bounded body, a bounded JSON parse, and events that
cannot be used kept raw and marked instead of a 5xx.

A provider sends many events in one delivery (Meta batches entries and changes) and retries
the whole delivery until it gets a 2xx. So one odd event must neither fail the request nor
hide the events after it: each event is validated against its schema (pydantic models in the
channel's `payloads.py`) and handled in its own savepoint (`handle_event`); one that fails is
stored as an `InboundEvent` with status `malformed` and the reason, and the next one is handled.
"""

import hashlib
import json
import logging
from collections.abc import Callable
from typing import Any

import pydantic
import pydantic_core
from django.conf import settings
from django.db import DatabaseError, IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from .models import Channel, InboundEvent
from .services import Incoming, receive
from .urns import URNError

logger = logging.getLogger(__name__)

# Meta's and Telegram's deliveries are a few kilobytes; a batch of a thousand Meta events stays
# well below this.
DEFAULT_MAX_BODY_BYTES = 1024 * 1024
MAX_ERROR_CHARS = 300


class BadPayload(ValueError):
    """An event (or a whole body) that does not have the documented shape; the text says why."""


def max_body_bytes() -> int:
    return int(getattr(settings, "LAYAN_WEBHOOK_MAX_BYTES", DEFAULT_MAX_BODY_BYTES))


def body_too_large(request: HttpRequest) -> HttpResponse | None:
    """A 413 when the declared body is larger than LAYAN_WEBHOOK_MAX_BYTES, before reading it."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > max_body_bytes():
        return HttpResponse(_("Isi webhook terlalu besar."), status=413, content_type="text/plain; charset=utf-8")
    return None


def parse_json(body: bytes) -> Any:
    """The body as JSON, nesting bounded (pydantic-core's parser stops at 200 levels instead of
    recursing until Python's stack runs out, as `json.loads` does). Raises BadPayload."""
    try:
        return pydantic_core.from_json(body)
    except ValueError as exc:
        raise BadPayload(f"JSON tidak terbaca: {exc}") from None


def validate(model: type[pydantic.BaseModel], data: Any):
    """`data` as `model`; BadPayload with a short reason (the first errors) when it does not fit."""
    try:
        return model.model_validate(data)
    except pydantic.ValidationError as exc:
        raise BadPayload(describe(exc)) from None


def describe(exc: pydantic.ValidationError) -> str:
    parts = []
    for error in exc.errors(include_url=False, include_input=False)[:3]:
        where = ".".join(str(part) for part in error["loc"]) or "(isi)"
        parts.append(f"{where}: {error['msg']}")
    return "; ".join(parts)[:MAX_ERROR_CHARS]


def receive_event(channel: Channel, item: Incoming) -> InboundEvent | None:
    """`receive` for the one message of a webhook event, raising what that message raised (an
    unusable sender address: URNError) so that `handle_event` keeps the raw event as malformed."""
    [result] = receive(channel, [item])
    if isinstance(result, Exception):
        raise result
    return result


def handle_event(channel: Channel, raw: Any, handle: Callable[[], object]) -> bool:
    """Run `handle` for one event in its own savepoint. If the event turns out unusable
    (BadPayload, an unusable sender address) or its handling fails, what it wrote is rolled back
    and the raw event is kept as malformed. Returns True when it was handled.

    A database error is not the event's fault (PostgreSQL restarting, a lost connection): it is
    raised, so the webhook answers 5xx and the provider delivers the event again later instead
    of it being filed away as malformed and lost."""
    try:
        with transaction.atomic():
            handle()
        return True
    except DatabaseError:
        raise
    except (BadPayload, URNError) as exc:
        error = str(exc)
    except Exception as exc:
        # A bug of ours, not the provider's: logged with the trace, never with the payload
        # (personal data).
        logger.exception("webhook event failed on channel %s", channel.uuid)
        error = f"gagal diproses: {type(exc).__name__}"
    store_unused_event(channel, raw, error=error)
    return False


def store_unused_event(
    channel: Channel, raw: Any, *, error: str, status: str = InboundEvent.Status.MALFORMED
) -> InboundEvent | None:
    """Keep an event that will not be answered, raw, with why. A retried delivery stores it once
    (the provider id is derived from the status and the raw event). Returns None for a repeat."""
    if isinstance(raw, bytes):
        payload = raw.decode("utf-8", errors="replace")
    elif isinstance(raw, str):
        payload = raw
    else:
        payload = json.dumps(raw, ensure_ascii=False, default=str)
    payload = payload.replace("\x00", "")
    digest = hashlib.sha256(payload.encode()).hexdigest()
    logger.info("webhook event kept as %s on channel %s: %s", status, channel.uuid, error[:120])
    try:
        with transaction.atomic():
            return InboundEvent.objects.create(
                channel=channel,
                provider_id=f"{status}:{digest[:48]}",
                content_hash=digest,
                payload=payload,
                status=status,
                error=error[:MAX_ERROR_CHARS],
            )
    except IntegrityError:
        return None
