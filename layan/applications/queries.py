"""Read-only lookups other layers use: the tracking lookup behind STATUS, the public tracking
page, the API and the telephone line's menu. What they may tell is `public.public_status`."""

from .models import Application
from .tracking import try_parse


def find_by_tracking(code: str, *, office=None) -> Application | None:
    """The application whose tracking code (either form: 'K7M-2QX-9PC', the keypad digits, typed
    loosely) is `code`, optionally only in `office`; None when the code is not valid or unknown.
    One indexed lookup (the unique tracking number)."""
    number = try_parse(code)
    if number is None:
        return None
    qs = Application.objects.select_related("office", "service", "version")
    if office is not None:
        qs = qs.filter(office=office)
    return qs.filter(tracking_number=number).first()
