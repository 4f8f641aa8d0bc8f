"""The public site's pages that combine several domains: the office list and an office's home.

The office home shows the office (hours, contacts, facilities), its published services and its
latest announcements; it is served from the catalogue's `page_cache`, keyed by everything it
shows, so a cache hit costs a few small queries.
"""

import datetime as dt
import re
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import prefetch_related_objects
from django.db.models.query import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from layan.announcements.queries import latest_for as latest_announcements_for
from layan.catalogue import page_cache
from layan.catalogue.models import Group, Service
from layan.offices.access import get_public_office
from layan.offices.hours import hour_runs
from layan.offices.http import public_page
from layan.offices.models import Holiday, Office

OFFICES_PER_PAGE = 100
# The office home also shows the office's own details (hours, contacts), which are edited without
# a new catalogue revision: a short life bounds how long such an edit takes to show.
HOME_TIMEOUT = 5 * 60


@public_page
def office_list(request: HttpRequest) -> HttpResponse:
    offices = (
        Office.objects.filter(is_active=True)
        .select_related("district__regency")
        .order_by("district__regency__name", "name")
    )
    first_two = list(offices[:2])
    if len(first_two) == 1:
        return redirect("web:office_home", office_slug=first_two[0].slug)
    page = Paginator(offices, OFFICES_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "web/office_list.html", {"page": page})


@public_page
def office_home(request: HttpRequest, office_slug: str) -> HttpResponse:
    office = get_public_office(office_slug)
    today = office.local_now().date()
    # Only the days around today matter for "open now"; the full holiday list can be long.
    nearby = Holiday.objects.filter(date__range=(today - dt.timedelta(days=1), today + dt.timedelta(days=1)))
    prefetch_related_objects([office], "opening_hours", Prefetch("holidays", queryset=nearby))
    is_open = office.is_open_at()
    # The latest announcements are part of the page; their ids in the key show a new one at once.
    news = latest_announcements_for(office)
    news_key = "-".join(str(row["pk"]) for row in news)
    key = page_cache.page_key("office", office.pk, office.catalogue_revision, "open" if is_open else "closed", news_key)

    def context() -> dict:
        services = (
            Service.objects.published()
            .filter(office=office)
            .select_related("current_version")
            .only(
                "code",
                "group",
                "current_version__name",
                "current_version__category",
                "current_version__time_value",
                "current_version__time_unit",
                "current_version__fee_idr",
            )
        )
        # The groups citizens think in (catalogue data), in their order; ungrouped services last.
        groups = [(label, [s for s in services if s.group == value]) for value, label in Group.choices]
        groups.append((_("Layanan lain"), [s for s in services if s.group not in Group.values]))
        return {
            "office": office,
            "is_open": is_open,
            "news": news,
            "hours": opening_hours_rows(office.opening_hours.all()),
            "facilities": office.facilities.all(),
            "contacts": contact_links(office),
            "service_groups": [(label, items) for label, items in groups if items],
        }

    return page_cache.cached_page(request, key, "web/office_home.html", context, timeout=HOME_TIMEOUT)


@dataclass(frozen=True)
class ContactLink:
    label: str
    text: str
    href: str


def contact_links(office: Office) -> list[ContactLink]:
    """The office's channels that are set, as links a phone can open directly."""
    links = []
    if office.phone:
        links.append(ContactLink(str(_("Telepon")), office.phone, "tel:" + _dial(office.phone)))
    if office.sms_number:
        links.append(ContactLink(str(_("SMS")), office.sms_number, "sms:" + _dial(office.sms_number)))
    if office.whatsapp_number:
        number = _dial(office.whatsapp_number).lstrip("+")
        number = "62" + number[1:] if number.startswith("0") else number
        links.append(ContactLink("WhatsApp", office.whatsapp_number, f"https://wa.me/{number}"))
    if office.email:
        links.append(ContactLink(str(_("Email")), office.email, f"mailto:{office.email}"))
    if office.facebook_page:
        links.append(ContactLink("Facebook", office.facebook_page, f"https://www.facebook.com/{office.facebook_page}"))
    if office.telegram_username:
        username = office.telegram_username.lstrip("@")
        links.append(ContactLink("Telegram", "@" + username, f"https://t.me/{username}"))
    return links


def _dial(number: str) -> str:
    return re.sub(r"[^0-9+]", "", number)


@dataclass(frozen=True)
class HoursRow:
    days: str
    times: str


def opening_hours_rows(hours) -> list[HoursRow]:
    """The whole week as rows, closed days too: "Senin–Kamis 08.00–15.30", "Sabtu–Minggu Tutup"."""
    return [
        HoursRow(run.days("–"), ", ".join(f"{o:%H.%M}–{c:%H.%M}" for o, c in run.spans) or str(_("Tutup")))
        for run in hour_runs(hours, closed_days=True)
    ]
