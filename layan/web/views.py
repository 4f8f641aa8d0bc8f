"""The public site's pages that combine several domains: the office list and an office's home.

The office home shows the office (hours, contacts, facilities), its published services and its
latest announcements; it is served from the catalogue's `page_cache`, keyed by everything it
shows, so a cache hit costs a few small queries.
"""

import datetime as dt
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
from layan.offices.contacts import contact_links
from layan.offices.hours import DayStatus, day_status, format_spans, hour_runs
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
    status = day_status(office)
    # The latest announcements are part of the page; their ids in the key show a new one at once.
    news = latest_announcements_for(office)
    news_key = "-".join(str(row["pk"]) for row in news)
    key = page_cache.page_key("office", office.pk, office.catalogue_revision, _status_key(status), news_key)

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
            "today": status,
            "news": news,
            "hours": opening_hours_rows(office.opening_hours.all()),
            "facilities": office.facilities.all(),
            "contacts": contact_links(office),
            "service_groups": [(label, items) for label, items in groups if items],
        }

    return page_cache.cached_page(request, key, "web/office_home.html", context, timeout=HOME_TIMEOUT)


def _status_key(status: DayStatus) -> str:
    """What the badge and today's line show: the local date, then "open-1130" (open now, until 11.30) or "closed"."""
    return status.date.isoformat() + (f"-open-{status.open_until:%H%M}" if status.open_until else "-closed")


@dataclass(frozen=True)
class HoursRow:
    days: str
    times: str


def opening_hours_rows(hours) -> list[HoursRow]:
    """The whole week as rows, closed days too: "Senin–Kamis 08.00–15.30", "Sabtu–Minggu Tutup"."""
    return [
        HoursRow(run.days("–"), format_spans(run.spans) or str(_("Tutup")))
        for run in hour_runs(hours, closed_days=True)
    ]
