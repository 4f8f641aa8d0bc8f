"""Rate limits for what anyone can trigger without logging in: one module every channel reuses.

A *group* names what is limited ("tracking": looking up an application by its code, "apply":
submitting one); its rate is a setting (`LAYAN_RATE_LIMITS`, e.g. "30/10m"). The counting is
django-ratelimit's (fixed windows, keys hashed so no address or phone number is stored), on the
"ratelimit" cache: counters in the database shared by every web process (layan/ops/ratecache.py).

    @limit_rate(TRACKING)                       # a page or endpoint, by the client's address
    def tracking_page(request, office_slug, code): ...

    check(request, APPLY)                       # inside a view: raises RateLimited
    usage = hit(TRACKING, f"urn:{urn.pk}")      # any caller with its own key (SMS/chat sender,
    if usage.limited: ...                       # telephone caller)

A limited request gets 429 with `Retry-After`: an Indonesian page, or JSON `{"detail": …}` for the
API and for clients that ask for JSON (RateLimitMiddleware turns a RateLimited raised by any view
into that answer). Never a 5xx: an unknown group is a programming error found by the tests.
"""

import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import TypeVar

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django_ratelimit.core import get_usage

V = TypeVar("V", bound=Callable)

# Looking an application up by its tracking code (public page, API, STATUS by SMS/chat, phone).
TRACKING = "tracking"
# Submitting an application without logging in (public form, API, DAFTAR by SMS/chat).
APPLY = "apply"


@dataclass(frozen=True)
class Usage:
    """One counted attempt: how many in this window, the limit, and the seconds until it resets."""

    count: int
    limit: int
    retry_after: int

    @property
    def limited(self) -> bool:
        return self.count > self.limit

    @property
    def retry_minutes(self) -> int:
        return max(1, math.ceil(self.retry_after / 60))


UNLIMITED = Usage(count=0, limit=0, retry_after=0)


class RateLimited(Exception):  # noqa: N818 (reads as a state, like Django's PermissionDenied)
    def __init__(self, usage: Usage):
        super().__init__(f"rate limited for {usage.retry_after} s")
        self.usage = usage


def rate_of(group: str) -> str:
    try:
        return settings.LAYAN_RATE_LIMITS[group]
    except KeyError:
        raise ImproperlyConfigured(f"no rate for group {group!r} in LAYAN_RATE_LIMITS") from None


def _usage(request: HttpRequest | None, group: str, key: str | Callable) -> Usage:
    # django-ratelimit's add, then incr unless add started the window: each one atomic statement
    # of its own (layan/ops/ratecache.py), so no transaction around them. One costs less than the
    # BEGIN and COMMIT round trips would (figures in the commit); inside a caller's transaction
    # (a chat command) they simply join it.
    found = get_usage(request, group=group, key=key, rate=rate_of(group), increment=True)
    if found is None:  # RATELIMIT_ENABLE = False
        return UNLIMITED
    return Usage(count=found["count"], limit=found["limit"], retry_after=max(1, found["time_left"]))


def hit(group: str, key: str) -> Usage:
    """Count one attempt of `group` by `key` (a sender, a caller: anything but a request)."""
    return _usage(None, group, lambda _group, _request: key)


def hit_request(request: HttpRequest, group: str) -> Usage:
    """Count one attempt of `group` by the request's client address (behind the TLS proxy, the
    address the proxy saw: RATELIMIT_IP_META_KEY; IPv6 by /64)."""
    if not request.META.get("REMOTE_ADDR"):
        # A WSGI server that passes no address (some test clients, a Unix socket without a
        # proxy): django-ratelimit's "ip" key would crash; such clients share one budget.
        return _usage(request, group, lambda _group, _request: "no-address")
    return _usage(request, group, "ip")


def check(request: HttpRequest, group: str) -> None:
    """Count one attempt by the client's address; raise RateLimited past the limit."""
    usage = hit_request(request, group)
    if usage.limited:
        raise RateLimited(usage)


def limit_rate(group: str) -> Callable[[V], V]:
    """Decorator for a Django view: every call counts one attempt; past the limit, the 429 answer."""

    def decorate(view: V) -> V:
        @wraps(view)
        def limited(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            try:
                check(request, group)
            except RateLimited as exc:
                return too_many_requests(request, exc.usage)
            return view(request, *args, **kwargs)

        return limited  # type: ignore[return-value]

    return decorate


def limited_message(usage: Usage) -> str:
    """The sentence a limited citizen reads (page, JSON, SMS): short enough for one SMS."""
    return _("Terlalu banyak permintaan. Coba lagi dalam %(n)d menit.") % {"n": usage.retry_minutes}


def wants_json(request: HttpRequest) -> bool:
    return request.path_info.startswith("/api/") or "application/json" in request.headers.get("Accept", "")


def too_many_requests(request: HttpRequest, usage: Usage) -> HttpResponse:
    response: HttpResponse
    if wants_json(request):
        response = JsonResponse(
            {"detail": limited_message(usage)}, status=429, json_dumps_params={"ensure_ascii": False}
        )
    else:
        context = {"message": limited_message(usage), "minutes": usage.retry_minutes}
        response = render(request, "offices/rate_limited.html", context, status=429)
    response["Retry-After"] = str(usage.retry_after)
    return response


class RateLimitMiddleware:
    """Turns a RateLimited raised by any view into the 429 answer."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, RateLimited):
            return too_many_requests(request, exception.usage)
        return None
