"""Rendered HTML of the public pages, kept in Django's cache.

Keys carry everything the HTML depends on (the office's catalogue revision, the language, …),
so publishing a version, which bumps the revision in the same transaction, shows at once in
every process without deleting anything.

A cached page is the same for every visitor: it may hold no per-visitor part. The one form on
these pages, the language switch, posts to `set_language`, which the project exempts from CSRF
(choosing one's own language is harmless), so the pages carry no token and set no cookie.
Each page is stored with its gzip encoding, compressed once instead of on every hit.
"""

import gzip
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language

WITHOUT_CSRF_FIELD = "NOTPROVIDED"  # what Django's {% csrf_token %} renders as nothing


def page_key(kind: str, *parts: object) -> str:
    return ":".join(["layan-page", kind, *(str(p) for p in parts), get_language() or ""])


def cached_response(request: HttpRequest, key: str, *, status: int = 200) -> HttpResponse | None:
    """The cached page under `key` as a response, or None when it is not cached yet."""
    entry = cache.get(key)
    return None if entry is None else _respond(request, entry, status)


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
    entry = cache.get(key)
    if entry is None:
        html = render_to_string(template, context() | {"csrf_token": WITHOUT_CSRF_FIELD}, request)
        # GZipMiddleware leaves alone responses that already carry a Content-Encoding.
        entry = (html.encode(), gzip.compress(html.encode(), compresslevel=6, mtime=0))
        cache.set(key, entry, timeout)
    return _respond(request, entry, status)


def _respond(request: HttpRequest, entry: tuple[bytes, bytes], status: int) -> HttpResponse:
    plain, compressed = entry
    if "gzip" in request.headers.get("Accept-Encoding", ""):
        response = HttpResponse(compressed, status=status)
        response["Content-Encoding"] = "gzip"
    else:
        response = HttpResponse(plain, status=status)
    patch_vary_headers(response, ["Accept-Encoding"])
    return response
