"""The HTTP rules every public page shares."""

from collections.abc import Callable
from functools import wraps
from typing import TypeVar

from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

V = TypeVar("V", bound=Callable)

# The URL parts that name an office or a service: always lowercase in the database.
SLUG_KWARGS = ("office_slug", "code")


def public_page(view: V) -> V:
    """GET and HEAD only; any other method is 405 Method Not Allowed. Office and service slugs
    are case-insensitive: `/Kisam-Tinggi/` answers 301 to `/kisam-tinggi/`.

    Public pages only read. Exempt from the CSRF check (which would answer an unsafe method with
    403 before the view runs) because they accept no unsafe method at all.
    """

    @wraps(view)
    def canonical(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if any(kwargs.get(name, "") != kwargs.get(name, "").lower() for name in SLUG_KWARGS):
            return HttpResponsePermanentRedirect(_lowercase_path(request))
        return view(request, *args, **kwargs)

    return csrf_exempt(require_safe(canonical))  # type: ignore[return-value]


def _lowercase_path(request: HttpRequest) -> str:
    # Every fixed segment of a public URL is lowercase, so lowering the whole path lowers the slugs.
    query = request.META.get("QUERY_STRING", "")
    return request.path.lower() + ("?" + query if query else "")
