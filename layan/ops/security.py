"""Security rules that belong to no domain (see docs/deploy.md "Behind a TLS proxy")."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
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
