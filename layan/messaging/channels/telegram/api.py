"""Telegram Bot API calls: `POST {api}/bot<token>/<method>` with JSON, answers `{"ok", "result"}`
or `{"ok": false, "error_code", "description", "parameters": {"retry_after"}}`.

The token is part of the URL, so URLs are never logged or put into errors.
"""

import json
import urllib.error
from dataclasses import dataclass

from django.conf import settings

from layan.messaging import http
from layan.messaging.channels.base import SendError


def method_url(token: str, method: str) -> str:
    base = str(getattr(settings, "LAYAN_TELEGRAM_API_URL", "https://api.telegram.org")).rstrip("/")
    return f"{base}/bot{token}/{method}"


@dataclass
class BotError:
    status: int | None
    description: str
    retry_after: float | None


def bot_error(exc: SendError) -> BotError:
    cause = exc.__cause__
    if not isinstance(cause, urllib.error.HTTPError):
        return BotError(None, str(exc), exc.retry_after)
    try:
        body = json.loads(cause.read() or b"null") or {}
    except (ValueError, OSError):
        body = {}
    body = body if isinstance(body, dict) else {}
    retry_after = (
        (body.get("parameters") or {}).get("retry_after") if isinstance(body.get("parameters"), dict) else None
    )
    return BotError(
        cause.code,
        str(body.get("description") or f"HTTP {cause.code}")[:200],
        float(retry_after) if isinstance(retry_after, int | float) else exc.retry_after,
    )


def call(token: str, method: str, payload: dict, *, timeout: float = 10.0) -> dict:
    """One Bot API call; returns `result`. Raises SendError (see `bot_error` for the details)."""
    response = http.post_json(method_url(token, method), payload, timeout=timeout)
    body = response.json()
    if not isinstance(body, dict) or not body.get("ok"):
        raise SendError("Telegram: jawaban tidak ok", permanent=False)
    return body.get("result") or {}
