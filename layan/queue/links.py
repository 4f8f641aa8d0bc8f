"""Absolute public addresses of the queue's citizen pages (QR codes, SMS and chat replies, the
printed ticket): built from `LAYAN_PUBLIC_BASE_URL` and the URL names, as catalogue.links does."""

from django.urls import reverse

from layan.catalogue.links import absolute_url


def ticket_status_path(office_slug: str, token: str) -> str:
    return reverse("queue:status", kwargs={"office_slug": office_slug, "token": token})


def ticket_status_url(ticket) -> str:
    """The live status page of `ticket` ("3 nomor lagi, perkiraan 12 menit"): what its QR holds."""
    return absolute_url(ticket_status_path(ticket.office.slug, ticket.token))


def web_ticket_url(office_slug: str) -> str:
    return absolute_url(reverse("queue:web_ticket", kwargs={"office_slug": office_slug}))


def booking_url(office_slug: str) -> str:
    return absolute_url(reverse("queue:booking", kwargs={"office_slug": office_slug}))
