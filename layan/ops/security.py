"""Security rules that belong to no domain: staff pages are never cached, the client's address
behind the TLS proxy, and the Indonesian answer to a throttled login (django-axes counts the
failures; see docs/deploy.md "Behind a TLS proxy")."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers

# Everything an officer reads: the staff workspace, the admin and its login page.
STAFF_PATH_PREFIXES = ("/staf/", "/admin/")


class StaffNoStoreMiddleware:
    """`Cache-Control: no-store` on every staff page, so no shared or browser cache keeps
    personal data (a citizen's messages, calls, numbers) after the officer has left."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path_info.startswith(STAFF_PATH_PREFIXES):
            add_never_cache_headers(response)
        return response


def client_ip(request: HttpRequest) -> str | None:
    """The visitor's address: behind our TLS proxy, the last X-Forwarded-For entry (the one the
    proxy itself added; earlier entries come from the client and prove nothing), else REMOTE_ADDR."""
    if settings.BEHIND_TLS_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").rsplit(",", 1)[-1].strip()
        if forwarded:
            return forwarded
    return request.META.get("REMOTE_ADDR")


def login_locked_out(request: HttpRequest, original_response: HttpResponse | None, credentials: dict | None):
    """What a throttled login sees (django-axes' AXES_LOCKOUT_CALLABLE): a 429 page in Indonesian."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    context = {"minutes": minutes, "limit": settings.AXES_FAILURE_LIMIT}
    response = render(request, "ops/login_locked.html", context, status=429)
    response["Retry-After"] = str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    return response
