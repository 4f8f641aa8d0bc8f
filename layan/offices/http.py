"""The one HTTP rule every public page shares."""

from collections.abc import Callable
from typing import TypeVar

from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

V = TypeVar("V", bound=Callable)


def public_page(view: V) -> V:
    """GET and HEAD only; any other method is 405 Method Not Allowed.

    Public pages only read. Exempt from the CSRF check (which would answer an unsafe method with
    403 before the view runs) because they accept no unsafe method at all.
    """
    return csrf_exempt(require_safe(view))  # type: ignore[return-value]
