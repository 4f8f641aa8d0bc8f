"""All outbound HTTP of the messaging channels goes through here, so tests patch one place.

Plain urllib: no extra dependency, explicit timeouts, and errors mapped onto SendError
(5xx, 429 and network trouble are temporary; other 4xx are permanent).
"""

import json as jsonlib
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from .channels.base import SendError

DEFAULT_TIMEOUT = 10.0


@dataclass
class Response:
    status: int
    body: bytes
    headers: dict[str, str]

    def json(self):
        return jsonlib.loads(self.body.decode("utf-8") or "null")

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


def _request(method: str, url: str, *, data: bytes | None, headers: dict[str, str], timeout: float) -> Response:
    if not url.startswith(("http://", "https://")):
        raise SendError("URL kanal tidak valid.", permanent=True)
    req = urllib.request.Request(url, data=data, headers=headers, method=method)  # noqa: S310 (scheme checked)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:  # noqa: S310
            return Response(resp.status, resp.read(), dict(resp.headers.items()))
    except urllib.error.HTTPError as exc:
        retry_after = exc.headers.get("Retry-After") if exc.headers else None
        temporary = exc.code == 429 or exc.code >= 500
        raise SendError(
            f"HTTP {exc.code}",
            permanent=not temporary,
            retry_after=float(retry_after) if retry_after and retry_after.isdigit() else None,
        ) from exc
    except (urllib.error.URLError, TimeoutError, ConnectionError, OSError) as exc:
        raise SendError(f"network error: {type(exc).__name__}", permanent=False) from exc


def post_json(
    url: str, payload, *, headers: dict[str, str] | None = None, timeout: float = DEFAULT_TIMEOUT
) -> Response:
    data = jsonlib.dumps(payload).encode("utf-8")
    return _request(
        "POST", url, data=data, headers={"Content-Type": "application/json", **(headers or {})}, timeout=timeout
    )


def post_form(
    url: str, fields: dict, *, headers: dict[str, str] | None = None, timeout: float = DEFAULT_TIMEOUT
) -> Response:
    data = urllib.parse.urlencode(fields).encode("utf-8")
    hdrs = {"Content-Type": "application/x-www-form-urlencoded", **(headers or {})}
    return _request("POST", url, data=data, headers=hdrs, timeout=timeout)


def get(
    url: str, params: dict | None = None, *, headers: dict[str, str] | None = None, timeout: float = DEFAULT_TIMEOUT
) -> Response:
    if params:
        url = url + ("&" if "?" in url else "?") + urllib.parse.urlencode(params)
    return _request("GET", url, data=None, headers=headers or {}, timeout=timeout)
