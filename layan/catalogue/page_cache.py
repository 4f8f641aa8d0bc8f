"""Rendered HTML of the public pages, kept in Django's cache.

Keys carry everything the HTML depends on (the office's catalogue revision, the language, …),
so publishing a version, which bumps the revision in the same transaction, shows at once in
every process without deleting anything.

The only per-visitor part of these pages is the CSRF token of the language form. When
`set_language` is CSRF-protected (Django's default) the cached HTML holds a placeholder swapped
for a fresh token per request; when the project exempts it (changing one's own language is
harmless), the pages carry no token, set no cookie and cost nothing per visitor.
"""

from collections.abc import Callable
from functools import cache as memoize
from typing import Any

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.urls import resolve, reverse
from django.utils.translation import get_language

CSRF_PLACEHOLDER = "__layan_csrf_token__"
WITHOUT_CSRF_FIELD = "NOTPROVIDED"  # what Django's {% csrf_token %} renders as nothing


def page_key(kind: str, *parts: object) -> str:
    return ":".join(["layan-page", kind, *(str(p) for p in parts), get_language() or ""])


def cached_response(request: HttpRequest, key: str, *, status: int = 200) -> HttpResponse | None:
    """The cached page under `key` as a response, or None when it is not cached yet."""
    html = cache.get(key)
    return None if html is None else _respond(request, html, status)


def cached_page(
    request: HttpRequest,
    key: str,
    template: str,
    context: Callable[[], dict[str, Any]],
    *,
    timeout: int,
    status: int = 200,
) -> HttpResponse:
    """The page under `key`, rendering `template` with `context()` only when it is not cached yet."""
    html = cache.get(key)
    if html is None:
        token = CSRF_PLACEHOLDER if language_form_needs_csrf() else WITHOUT_CSRF_FIELD
        html = render_to_string(template, context() | {"csrf_token": token}, request)
        cache.set(key, html, timeout)
    return _respond(request, html, status)


@memoize
def language_form_needs_csrf() -> bool:
    view = resolve(reverse("set_language")).func
    return not getattr(view, "csrf_exempt", False)


def _respond(request: HttpRequest, html: str, status: int) -> HttpResponse:
    if CSRF_PLACEHOLDER in html:
        html = html.replace(CSRF_PLACEHOLDER, get_token(request))
    return HttpResponse(html, status=status)
