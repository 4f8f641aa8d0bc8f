"""Rendered HTML of the public pages, kept in Django's cache.

Keys carry everything the HTML depends on (the office's catalogue revision, the language, …),
so publishing a version, which bumps the revision in the same transaction, shows at once in
every process without deleting anything. The CSRF token of the language form differs per
visitor, so the cached HTML holds a placeholder that is swapped for a fresh token per request.
"""

from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.translation import get_language

CSRF_PLACEHOLDER = "__layan_csrf_token__"


def page_key(kind: str, *parts: object) -> str:
    return ":".join(["layan-page", kind, *(str(p) for p in parts), get_language() or ""])


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
        html = render_to_string(template, context() | {"csrf_token": CSRF_PLACEHOLDER}, request)
        cache.set(key, html, timeout)
    return HttpResponse(html.replace(CSRF_PLACEHOLDER, get_token(request)), status=status)
