"""Serve the two hottest public URLs from the page cache before the rest of the middleware stack.

Like Django's FetchFromCacheMiddleware, but keyed by the office's catalogue revision (one
indexed query), so a publish shows at once. It only answers what the views themselves have
already rendered and cached for the very same inputs (office, service or validated query,
language); anything else (a miss, an odd parameter, a logged-in user) goes through the normal
stack, which renders and caches it. The headers the skipped middleware would have added
(Content-Language, Vary, X-Frame-Options) are added here.
"""

import re
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers
from pydantic import ValidationError

from layan.api.catalogue import QUERY_MAX_LENGTH, clean_query, services_page_key
from layan.api.schemas import PageParams
from layan.catalogue import page_cache

from .language import language_for

SOP_PATH = re.compile(r"^/(?P<office>[-a-zA-Z0-9_]+)/layanan/(?P<code>[-a-zA-Z0-9_]+)/$")
SERVICES_API_PATH = re.compile(r"^/api/v1/offices/(?P<office>[-a-zA-Z0-9_]+)/services$")


class PublicCacheMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method == "GET" and settings.SESSION_COOKIE_NAME not in request.COOKIES:
            language = language_for(request)
            key = self._key(request, language)
            if key is not None:
                response = page_cache.cached_response(request, key)
                if response is not None:
                    return self._as_if_from_the_stack(response, language)
        return self.get_response(request)

    def _key(self, request: HttpRequest, language: str) -> str | None:
        path = request.path_info
        if match := SOP_PATH.match(path):
            if request.GET:
                return None
            return page_cache.sop_page_key(match["office"], match["code"], language=language)
        if match := SERVICES_API_PATH.match(path):
            params = _page_params(request)
            if params is None:
                return None
            query, limit, offset = params
            return services_page_key(match["office"], query, limit=limit, offset=offset, language=language)
        return None

    @staticmethod
    def _as_if_from_the_stack(response: HttpResponse, language: str) -> HttpResponse:
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ["Cookie"])
        response.headers.setdefault("X-Frame-Options", settings.X_FRAME_OPTIONS)
        return response


def _page_params(request: HttpRequest) -> tuple[str, int, int] | None:
    """(q, limit, offset) exactly as the API would validate them, or None to let the API decide."""
    if set(request.GET) - {"q", "limit", "offset"} or any(len(request.GET.getlist(k)) > 1 for k in request.GET):
        return None
    q = request.GET.get("q")
    if q is not None and len(q) > QUERY_MAX_LENGTH:
        return None
    try:
        page = PageParams.model_validate({k: request.GET[k] for k in ("limit", "offset") if k in request.GET})
    except ValidationError:
        return None
    return clean_query(q), page.limit, page.offset
