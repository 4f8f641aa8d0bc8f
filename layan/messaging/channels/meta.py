"""What Messenger, the Page and WhatsApp Cloud share: the Graph API base URL, webhook
verification (hub.challenge), the X-Hub-Signature-256 check and Graph error bodies.
It is not a channel kind: it sits beside the kind packages so that facebook and whatsapp
share it without importing each other.

The base URL and version are settings so tests and staging point at a local fake
(`testkit.fakeapi`).
"""

import hashlib
import hmac
import json
import urllib.error
from dataclasses import dataclass
from typing import Any

import pydantic
from django.conf import settings
from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseForbidden
from django.utils.translation import gettext as _

from layan.messaging import http, webhooks
from layan.messaging.channels.base import SendError

SIGNATURE_HEADER = "X-Hub-Signature-256"


def graph_url(path: str) -> str:
    base = str(getattr(settings, "LAYAN_META_GRAPH_URL", "https://graph.facebook.com")).rstrip("/")
    version = str(getattr(settings, "LAYAN_META_GRAPH_VERSION", "v25.0")).strip("/")
    return f"{base}/{version}/{path.lstrip('/')}"


def verify_subscription(request, verify_token: str) -> HttpResponse:
    """Meta's subscription handshake: echo hub.challenge when the mode and our token match."""
    mode = request.GET.get("hub.mode", "")
    given = request.GET.get("hub.verify_token", "")
    challenge = request.GET.get("hub.challenge", "")
    if mode == "subscribe" and verify_token and hmac.compare_digest(given.encode(), verify_token.encode()):
        return HttpResponse(challenge, content_type="text/plain")
    return HttpResponseForbidden(_("Token verifikasi webhook salah."))


def valid_signature(app_secret: str, raw_body: bytes, header: str) -> bool:
    """`header` is 'sha256=<hex HMAC-SHA256(app_secret, raw body)>'; compared in constant time."""
    if not app_secret or not header or not header.startswith("sha256="):
        return False
    expected = hmac.new(app_secret.encode(), raw_body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected.encode(), header[len("sha256=") :].strip().lower().encode())


class Envelope(pydantic.BaseModel):
    """What every Meta webhook body is: `{"object": …, "entry": [...]}`. The entries are
    validated one by one by the channel, so one odd entry does not hide the others."""

    object: str | None = None
    entry: list[Any] = []


def read_webhook(request, channel) -> list[Any] | HttpResponse:
    """The front every Meta webhook shares: the subscription handshake (GET), the body size
    (413 above LAYAN_WEBHOOK_MAX_BYTES, unread), the signature over the raw body (bad or
    missing: 403, nothing read), then the body's `entry` list. A body that is not JSON (or nested
    too deeply) is kept raw as malformed and answered 400; one of another shape is kept and
    answered 200 with no entries (Meta would only send it again). A response is to be returned
    as it is."""
    config = channel.config or {}
    if request.method == "GET":
        return verify_subscription(request, str(config.get("verify_token") or ""))
    too_large = webhooks.body_too_large(request)
    if too_large is not None:
        return too_large
    body = request.body
    if not valid_signature(str(config.get("app_secret") or ""), body, request.headers.get(SIGNATURE_HEADER, "")):
        return HttpResponseForbidden(_("Tanda tangan webhook tidak sah."))
    try:
        data = webhooks.parse_json(body)
    except webhooks.BadPayload as exc:
        webhooks.store_unused_event(channel, body, error=str(exc))
        return HttpResponseBadRequest(_("Isi webhook tidak dapat dibaca."))
    try:
        return webhooks.validate(Envelope, data).entry
    except webhooks.BadPayload as exc:
        webhooks.store_unused_event(channel, data, error=str(exc))
        return []


def routed_channel(channel, key: str, value: str):
    """The channel an event addressed to `value` (a Page id, a phone_number_id) belongs to: the
    webhook's own channel when its `config[key]` is `value`, else the active channel of the same
    kind whose `config[key]` is `value` and that has the same app secret (one Meta app serves
    several offices' Pages and numbers, and sends all their events to one callback URL). None
    when no channel has that id: the event is then kept unrouted and not answered."""
    from layan.messaging.models import Channel

    config = channel.config or {}
    if not value:
        return None
    if str(config.get(key) or "") == value:
        return channel
    secret = str(config.get("app_secret") or "").encode()
    others = Channel.objects.filter(kind=channel.kind, is_active=True, **{f"config__{key}": value}).exclude(
        pk=channel.pk
    )
    for other in others.select_related("office").order_by("id"):
        if secret and hmac.compare_digest(str((other.config or {}).get("app_secret") or "").encode(), secret):
            return other
    return None


@dataclass
class GraphError:
    """A failed Graph call: HTTP status (None for network trouble), Meta's error code and text."""

    status: int | None
    code: int | None
    message: str
    retry_after: float | None = None
    # For errors without an HTTP answer: whether the transport already knew it was hopeless.
    permanent: bool = False


def graph_error(exc: SendError) -> GraphError:
    # layan.messaging.http keeps only "HTTP <status>"; Meta's error code is in the body of the
    # urllib HTTPError it was raised from, which is still readable here.
    cause = exc.__cause__
    if not isinstance(cause, urllib.error.HTTPError):
        return GraphError(None, None, str(exc), exc.retry_after, permanent=exc.permanent)
    try:
        body = json.loads(cause.read() or b"null") or {}
    except (ValueError, OSError):
        body = {}
    error = body.get("error") if isinstance(body, dict) else None
    error = error if isinstance(error, dict) else {}
    code = error.get("code")
    return GraphError(
        cause.code,
        int(code) if isinstance(code, int | str) and str(code).isdigit() else None,
        str(error.get("message") or f"HTTP {cause.code}")[:200],
        exc.retry_after,
    )


def post_graph(path: str, payload: dict, *, token: str) -> dict:
    """POST JSON to the Graph API with the token in the Authorization header (never in the URL,
    so it cannot end up in an access log). Raises SendError; see `graph_error` for the details."""
    response = http.post_json(graph_url(path), payload, headers={"Authorization": f"Bearer {token}"})
    body = response.json()
    return body if isinstance(body, dict) else {}


def classify(error: GraphError, temporary_codes: frozenset[int], prefix: str) -> SendError:
    """One SendError from a Graph error: network trouble, HTTP 429/5xx and the channel's
    throttling codes are temporary, everything else permanent."""
    if error.status is None:
        temporary = not error.permanent
    else:
        temporary = error.status == 429 or error.status >= 500 or error.code in temporary_codes
    label = f"{prefix} {error.code}" if error.code is not None else prefix
    return SendError(f"{label}: {error.message}", permanent=not temporary, retry_after=error.retry_after)
