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
import zoneinfo
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language

WITHOUT_CSRF_FIELD = "NOTPROVIDED"  # what Django's {% csrf_token %} renders as nothing
# The SOP page is the most visited page: its cache hit path asks for two integers with one
# indexed query in plain SQL, because building the equivalent ORM query costs more than running it.
# Its WHERE is Service.objects.published() for one active office: keep the two the same.
CURRENT_VERSION_SQL = """
    SELECT s.current_version_id, o.catalogue_revision, o.timezone
    FROM catalogue_service s JOIN offices_office o ON o.id = s.office_id
    WHERE o.slug = %s AND o.is_active = %s AND s.code = %s AND s.is_active = %s AND s.current_version_id IS NOT NULL
"""


def page_key(kind: str, *parts: object, language: str | None = None) -> str:
    return ":".join(["layan-page", kind, *(str(p) for p in parts), language or get_language() or ""])


def sop_page_key(office_slug: str, code: str, *, language: str | None = None) -> str | None:
    """The cache key of a published service's current SOP page; None when there is no such page."""
    with connection.cursor() as cursor:
        cursor.execute(CURRENT_VERSION_SQL, [office_slug, True, code, True])
        row = cursor.fetchone()
    return page_key("sop", row[0], row[1], local_date(row[2]), language=language) if row else None


def local_date(timezone_name: str) -> str:
    """Today in the office's time zone: the SOP page shows today's hours, so its key holds the day."""
    return timezone.now().astimezone(zoneinfo.ZoneInfo(timezone_name)).date().isoformat()


def cached_response(request: HttpRequest, key: str, *, status: int = 200) -> HttpResponse | None:
    """The cached page under `key` as a response, or None when it is not cached yet."""
    entry = cache.get(key)
    return None if entry is None else respond(request, entry, status)


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
        entry = store(key, html.encode(), timeout=timeout)
    return respond(request, entry, status)


Entry = tuple[bytes, bytes, str]


def store(key: str, body: bytes, *, timeout: int, content_type: str = "text/html; charset=utf-8") -> Entry:
    """Keep `body` and its gzip encoding (compressed once, not by GZipMiddleware on every hit)."""
    entry = (body, gzip.compress(body, compresslevel=6, mtime=0), content_type)
    cache.set(key, entry, timeout)
    return entry


def respond(request: HttpRequest, entry: Entry, status: int = 200) -> HttpResponse:
    plain, compressed, content_type = entry
    if "gzip" in request.headers.get("Accept-Encoding", ""):
        # GZipMiddleware leaves alone responses that already carry a Content-Encoding.
        response = HttpResponse(compressed, status=status, content_type=content_type)
        response["Content-Encoding"] = "gzip"
    else:
        response = HttpResponse(plain, status=status, content_type=content_type)
    patch_vary_headers(response, ["Accept-Encoding"])
    return response
