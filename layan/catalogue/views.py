"""Public catalogue pages: SOP pages (current and earlier versions), search, the guidebook and posters.

Every lookup here uses an indexed field (office slug, service (office, code), version (service,
number)); SOP pages are served from `page_cache` keyed by the office's catalogue revision, so a
cache hit costs one or three small queries. The office list and home are in `layan.web`.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.db.models import prefetch_related_objects
from django.db.models.query import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers

from layan.offices.access import get_public_office
from layan.offices.contacts import contact_links
from layan.offices.hours import day_status
from layan.offices.http import public_page
from layan.offices.models import Holiday, Office

from . import page_cache
from .models import Service, ServiceVersion
from .search import SearchHit, search_services

MAX_QUERY_LENGTH = 100
# SOP pages are keyed by version, revision and the office's local date (they show today's hours);
# the office's own details (hours, holidays, contacts) are edited without a new revision, so a
# short life bounds how long such an edit takes to show, as on the office home.
SOP_TIMEOUT = 5 * 60


@dataclass(frozen=True, slots=True)
class SearchResult:
    hit: SearchHit
    version: ServiceVersion


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


@public_page
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


@public_page
@friendly_404
def service_version(request: HttpRequest, office_slug: str, code: str, number: int) -> HttpResponse:
    service = _public_service(request, office_slug, code)
    version = ServiceVersion.objects.issued().filter(service=service, number=number).first()
    if version is None:
        raise _NotFound(service.office)
    if version.pk == service.current_version_id:
        return redirect("catalogue:service", office_slug=office_slug, code=code)
    return _sop_page(request, service, version)


@public_page
def search(request: HttpRequest, office_slug: str) -> HttpResponse:
    office = get_public_office(office_slug, with_region=True)
    query = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    hits = search_services(office, query, limit=10) if query else []
    if not hits:
        return _search_page(request, office, query, [])
    # Each hit with its time and fee, from the published versions (one query; a hit whose
    # version is no longer published is left out).
    versions = ServiceVersion.objects.published().filter(office=office, pk__in=[h.version_id for h in hits]).in_bulk()
    return _search_page(
        request, office, query, [SearchResult(h, versions[h.version_id]) for h in hits if h.version_id in versions]
    )


def _search_page(request: HttpRequest, office: Office, query: str, hits: list[SearchResult]) -> HttpResponse:
    template = "catalogue/search.html#results" if request.htmx else "catalogue/search.html"  # type: ignore[attr-defined]
    response = render(
        request, template, {"office": office, "query": query, "hits": hits, "next_url": request.get_full_path()}
    )
    # The same URL answers with a fragment or a whole page: caches must keep them apart.
    patch_vary_headers(response, ["HX-Request"])
    return response


@public_page
def guidebook(request: HttpRequest, office_slug: str) -> HttpResponseBase:
    from .pdf_views import guidebook_pdf  # written separately; imported late so these URLs always load

    return guidebook_pdf(request, office_slug)


@public_page
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
    key = page_cache.page_key("sop", version.pk, office.catalogue_revision, page_cache.local_date(office.timezone))

    def context() -> dict:
        history = (
            ServiceVersion.objects.issued()
            .filter(service=service)
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
            **where_and_when(office),
        }

    return page_cache.cached_page(request, key, "catalogue/service.html", context, timeout=SOP_TIMEOUT)


def where_and_when(office: Office) -> dict:
    """What the SOP page's "where and when" part and its complaints section need: today's hours
    (with a holiday) and the contact links. The editor's preview uses it too."""
    today = office.local_now().date()
    prefetch_related_objects(
        [office], "opening_hours", Prefetch("holidays", queryset=Holiday.objects.filter(date=today))
    )
    return {"today": day_status(office), "contacts": contact_links(office)}
