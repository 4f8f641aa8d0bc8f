"""Absolute links from API answers to the public pages and PDFs of an office.

Built from PUBLIC_BASE_URL (the address printed in QR codes and SMS), not from the request's
Host header, so a link is the same whichever proxy or client asked.
"""

from django.conf import settings


def _absolute(path: str) -> str:
    return settings.PUBLIC_BASE_URL + path


def office_page_url(office_slug: str) -> str:
    return _absolute(f"/{office_slug}/")


def guidebook_url(office_slug: str) -> str:
    return _absolute(f"/{office_slug}/panduan.pdf")


def service_page_url(office_slug: str, code: str) -> str:
    return _absolute(f"/{office_slug}/layanan/{code}/")


def poster_url(office_slug: str, code: str) -> str:
    return _absolute(f"/{office_slug}/layanan/{code}/poster.pdf")


def service_version_page_url(office_slug: str, code: str, number: int) -> str:
    return _absolute(f"/{office_slug}/layanan/{code}/versi/{number}/")
