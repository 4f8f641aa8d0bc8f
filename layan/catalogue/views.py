"""Public pages: the office list, an office's home, SOP pages (current and earlier versions), search.

Every lookup here uses an indexed field (office slug, service (office, code), version (service,
number)); the office home and SOP pages are served from `page_cache` keyed by the office's
catalogue revision, so a cache hit costs one or three small queries.
"""

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.core.paginator import Paginator
from django.db.models import prefetch_related_objects
from django.db.models.query import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext_lazy as _

from layan.announcements.templatetags.announcements import latest_for as latest_announcements_for
from layan.offices.access import get_public_office
from layan.offices.hours import hour_runs
from layan.offices.models import Holiday, Office

from . import page_cache
from .models import Category, Service, ServiceVersion
from .search import search_services

OFFICES_PER_PAGE = 100
MAX_QUERY_LENGTH = 100
# SOP pages are keyed by version and revision, so they only expire to free memory. The office
# home also shows the office's own details (hours, contacts), which are edited without a new
# catalogue revision: a short life bounds how long such an edit takes to show.
SOP_TIMEOUT = 60 * 60
HOME_TIMEOUT = 5 * 60
VISIBLE_STATUSES = [ServiceVersion.Status.PUBLISHED, ServiceVersion.Status.SUPERSEDED]


class _NotFound(Http404):
    """A 404 inside a known office: the page then offers that office's search box."""

    def __init__(self, office: Office):
        super().__init__("Layanan tidak ditemukan")
        self.office = office


def friendly_404(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except _NotFound as exc:
            return render(request, "404.html", {"office": exc.office}, status=404)

    return wrapper


def office_list(request: HttpRequest) -> HttpResponse:
    offices = (
        Office.objects.filter(is_active=True)
        .select_related("district__regency")
        .order_by("district__regency__name", "name")
    )
    first_two = list(offices[:2])
    if len(first_two) == 1:
        return redirect("catalogue:office_home", office_slug=first_two[0].slug)
    page = Paginator(offices, OFFICES_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "catalogue/office_list.html", {"page": page})


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
                "current_version__name",
                "current_version__category",
                "current_version__time_value",
                "current_version__time_unit",
                "current_version__fee_idr",
            )
        )
        groups = [
            (label, [s for s in services if s.current_version and s.current_version.category == value])
            for value, label in Category.choices
        ]
        return {
            "office": office,
            "is_open": is_open,
            "hours": opening_hours_rows(office.opening_hours.all()),
            "facilities": office.facilities.all(),
            "contacts": contact_links(office),
            "service_groups": [(label, items) for label, items in groups if items],
        }

    return page_cache.cached_page(request, key, "catalogue/office_home.html", context, timeout=HOME_TIMEOUT)


@friendly_404
def service_detail(request: HttpRequest, office_slug: str, code: str) -> HttpResponse:
    key = page_cache.sop_page_key(office_slug, code)
    if key is not None:
        cached = page_cache.cached_response(request, key)
        if cached is not None:
            return cached
    service = _public_service(request, office_slug, code)
    version = service.current_version
    assert version is not None
    return _sop_page(request, service, version)


@friendly_404
def service_version(request: HttpRequest, office_slug: str, code: str, number: int) -> HttpResponse:
    service = _public_service(request, office_slug, code)
    version = ServiceVersion.objects.filter(service=service, number=number, status__in=VISIBLE_STATUSES).first()
    if version is None:
        raise _NotFound(service.office)
    if version.pk == service.current_version_id:
        return redirect("catalogue:service", office_slug=office_slug, code=code)
    return _sop_page(request, service, version)


def search(request: HttpRequest, office_slug: str) -> HttpResponse:
    office = get_public_office(office_slug, with_region=True)
    query = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    hits = search_services(office, query, limit=10) if query else []
    template = "catalogue/search.html#results" if request.htmx else "catalogue/search.html"  # type: ignore[attr-defined]
    response = render(
        request, template, {"office": office, "query": query, "hits": hits, "next_url": request.get_full_path()}
    )
    # The same URL answers with a fragment or a whole page: caches must keep them apart.
    patch_vary_headers(response, ["HX-Request"])
    return response


def guidebook(request: HttpRequest, office_slug: str) -> HttpResponseBase:
    from .pdf_views import guidebook_pdf  # written separately; imported late so these URLs always load

    return guidebook_pdf(request, office_slug)


def poster(request: HttpRequest, office_slug: str, code: str) -> HttpResponseBase:
    from .pdf_views import poster_pdf

    return poster_pdf(request, office_slug, code)


def _public_service(request: HttpRequest, office_slug: str, code: str) -> Service:
    """The published service `code` of active office `office_slug`, with office and version, in one query."""
    service = (
        Service.objects.published()
        .filter(office__slug=office_slug, office__is_active=True, code=code)
        .select_related("office__district__regency", "current_version")
        .first()
    )
    if service is None:
        raise _NotFound(get_public_office(office_slug, with_region=True))
    return service


def _sop_page(request: HttpRequest, service: Service, version: ServiceVersion) -> HttpResponse:
    office = service.office
    key = page_cache.page_key("sop", version.pk, office.catalogue_revision)

    def context() -> dict:
        history = (
            ServiceVersion.objects.filter(service=service, status__in=VISIBLE_STATUSES)
            .exclude(pk=version.pk)
            .only("number", "published_at")
            .order_by("-number")
        )
        return {
            "office": office,
            "service": service,
            "version": version,
            "current": service.current_version,
            "is_old": version.pk != service.current_version_id,
            "requirements": version.requirements.all(),
            "steps": version.steps.all(),
            "history": history,
        }

    return page_cache.cached_page(request, key, "catalogue/service.html", context, timeout=SOP_TIMEOUT)


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
