"""Absolute public addresses of an office's pages and PDFs: the one place they are built.

They are printed in QR codes and the guidebook, sent by SMS and chat, spoken on the phone and
returned by the API, so they come from `LAYAN_PUBLIC_BASE_URL` (settings.PUBLIC_BASE_URL), not
from a request's Host header, and from the URL names (`reverse()`), not from retyped paths.
The office home belongs to the public site (`web`); its name is resolved like the others.
"""

from django.conf import settings
from django.urls import reverse


def absolute_url(path: str) -> str:
    """`path` (from `reverse()` or `get_absolute_url()`) on the public address."""
    return settings.PUBLIC_BASE_URL + path


def office_page_url(office_slug: str) -> str:
    return absolute_url(reverse("web:office_home", kwargs={"office_slug": office_slug}))


def guidebook_url(office_slug: str) -> str:
    return absolute_url(reverse("catalogue:guidebook", kwargs={"office_slug": office_slug}))


def service_page_url(office_slug: str, code: str) -> str:
    return absolute_url(reverse("catalogue:service", kwargs={"office_slug": office_slug, "code": code}))


def poster_url(office_slug: str, code: str) -> str:
    return absolute_url(reverse("catalogue:poster", kwargs={"office_slug": office_slug, "code": code}))


def service_version_page_url(office_slug: str, code: str, number: int) -> str:
    kwargs = {"office_slug": office_slug, "code": code, "number": number}
    return absolute_url(reverse("catalogue:service_version", kwargs=kwargs))
