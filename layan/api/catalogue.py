"""Public JSON API of the catalogue: published services, their full standar pelayanan, and history.

Only what a citizen may see: active services with a published version. Drafts never leave the
office; superseded versions stay readable so what a citizen was told remains traceable.
"""

import datetime as dt
import hashlib
import re
from typing import Literal

from django.db.models import QuerySet
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema
from ninja.errors import HttpError

from layan.catalogue import links, page_cache
from layan.catalogue.models import Service, ServiceVersion
from layan.catalogue.search import search_services
from layan.offices.access import get_public_office, public_office_revision
from layan.offices.models import Office

from .schemas import ERROR_DOCS, ERROR_RESPONSES, PageParams, office_slug_path, service_code_path

router = Router(tags=["layanan"])

QUERY_MAX_LENGTH = 200
# The search returns at most this many ranked hits; the page is cut from them.
SEARCH_LIMIT = 100
# Keyed by the catalogue revision, so entries only expire to free memory.
SEARCH_CACHE_SECONDS = 60 * 60
_CONTROL_CHARS = re.compile(r"[\x00-\x1f\x7f]")


class ServiceTime(Schema):
    value: int
    unit: Literal["working_days", "hours", "minutes"]
    note: str
    display: str = Field(..., examples=["1 hari kerja"])


class ServiceFee(Schema):
    idr: int | None = Field(..., description="Biaya dalam rupiah; null berarti sesuai peraturan daerah.")
    note: str
    display: str = Field(..., examples=["Gratis (tidak dipungut biaya)"])


class ServiceSummary(Schema):
    code: str
    name: str
    category: Literal["perizinan", "non-perizinan"]
    time: ServiceTime
    fee: ServiceFee
    score: float | None = Field(..., description="Kecocokan dengan q (0–1, makin besar makin cocok); null tanpa q.")
    url: str = Field(..., description="Halaman SOP layanan di situs kantor.")


class ServicePage(Schema):
    query: str | None
    count: int
    limit: int
    offset: int
    items: list[ServiceSummary]


class ServiceRequirement(Schema):
    order: int
    document: str
    form: Literal["asli", "fotokopi", "asli-dan-fotokopi", "-"]
    count: int
    condition: str = Field(..., description="Berlaku jika …; kosong bila selalu berlaku.")
    upload_accepted: bool
    note: str


class ProcedureStep(Schema):
    order: int
    actor: str
    action: str
    duration_minutes: int | None


class ServiceManagement(Schema):
    """Components 8–14 of the standar pelayanan (pengelolaan pelayanan)."""

    facilities: str
    competence: str
    supervision: str
    staff_count: int
    staff_note: str
    guarantee: str
    security: str
    evaluation: str


class VersionInfo(Schema):
    number: int
    status: Literal["published", "superseded"]
    published_at: dt.datetime = Field(..., description="Waktu terbit, dalam zona waktu kantor.")
    change_note: str
    is_current: bool


class ServiceLinks(Schema):
    web: str
    poster_pdf: str
    guidebook_pdf: str


class ServiceDetail(Schema):
    office: str = Field(..., description="Slug kantor.")
    code: str
    name: str
    category: Literal["perizinan", "non-perizinan"]
    summary: str
    requirements: list[ServiceRequirement]
    steps: list[ProcedureStep]
    time: ServiceTime
    fee: ServiceFee
    output: str
    complaint_handling: str
    legal_basis: list[str]
    management: ServiceManagement
    keywords: list[str]
    version: VersionInfo
    urls: ServiceLinks


class ServiceVersionList(Schema):
    code: str
    items: list[VersionInfo]


def _time(v: ServiceVersion) -> dict:
    return {"value": v.time_value, "unit": v.time_unit, "note": v.time_note, "display": v.time_display()}


def _fee(v: ServiceVersion) -> dict:
    return {"idr": v.fee_idr, "note": v.fee_note, "display": v.fee_display()}


def _summary(office: Office, code: str, v: ServiceVersion, score: float | None) -> dict:
    return {
        "code": code,
        "name": v.name,
        "category": v.category,
        "time": _time(v),
        "fee": _fee(v),
        "score": score,
        "url": links.service_page_url(office.slug, code),
    }


def _version_info(office: Office, v: ServiceVersion, current_id: int | None) -> dict:
    assert v.number is not None and v.published_at is not None  # published or superseded
    return {
        "number": v.number,
        "status": v.status,
        "published_at": v.published_at.astimezone(office.tz),
        "change_note": v.change_note,
        "is_current": v.pk == current_id,
    }


def _detail(office: Office, service: Service, v: ServiceVersion) -> dict:
    assert v.number is not None  # only published or superseded versions get here
    return {
        "office": office.slug,
        "code": service.code,
        "name": v.name,
        "category": v.category,
        "summary": v.summary,
        "requirements": [
            {
                "order": r.order,
                "document": r.document,
                "form": r.form,
                "count": r.count,
                "condition": r.condition,
                "upload_accepted": r.upload_accepted,
                "note": r.note,
            }
            for r in v.requirements.all()
        ],
        "steps": [
            {"order": s.order, "actor": s.actor, "action": s.action, "duration_minutes": s.duration_minutes}
            for s in v.steps.all()
        ],
        "time": _time(v),
        "fee": _fee(v),
        "output": v.output,
        "complaint_handling": v.complaint_handling,
        # JSON columns: coerce, so one odd entry typed in by hand cannot break the response schema.
        "legal_basis": [str(item) for item in v.legal_basis or []],
        "management": {
            "facilities": v.facilities,
            "competence": v.competence,
            "supervision": v.supervision,
            "staff_count": v.staff_count,
            "staff_note": v.staff_note,
            "guarantee": v.guarantee,
            "security": v.security,
            "evaluation": v.evaluation,
        },
        "keywords": [str(word) for word in v.keywords or []],
        "version": _version_info(office, v, service.current_version_id),
        "urls": {
            # An earlier version links to its own archived page, not to today's rules.
            "web": (
                links.service_page_url(office.slug, service.code)
                if v.pk == service.current_version_id
                else links.service_version_page_url(office.slug, service.code, v.number)
            ),
            "poster_pdf": links.poster_url(office.slug, service.code),
            "guidebook_pdf": links.guidebook_url(office.slug),
        },
    }


def _get_public_service(office: Office, code: str) -> Service:
    service = office.services.published().filter(code=code).first()
    if service is None:
        raise HttpError(404, _("Layanan tidak ditemukan"))
    return service


def _published_versions(service: Service) -> QuerySet[ServiceVersion]:
    return service.versions.issued().prefetch_related("requirements", "steps")


def clean_query(q: str | None) -> str:
    """The citizen's words with control characters and runs of spaces removed ('' when nothing is left)."""
    return " ".join(_CONTROL_CHARS.sub(" ", q or "").split())


@router.get(
    "offices/{slug}/services",
    response={200: ServicePage, **ERROR_RESPONSES},
    openapi_extra=ERROR_DOCS,
    operation_id="list_services",
    summary="Daftar atau cari layanan",
    description=(
        "Tanpa `q`: semua layanan yang terbit, urut katalog. Dengan `q` (bahasa sehari-hari, mis. "
        '"bikin ktp"): layanan yang cocok, paling cocok dulu, dengan `score`.'
    ),
)
def list_services(
    request,
    page: Query[PageParams],
    slug: str = office_slug_path(),
    q: str | None = Query(
        None,
        max_length=QUERY_MAX_LENGTH,
        description="Kata pencarian, paling banyak 200 karakter.",
        example="bikin ktp",
    ),
):
    query = clean_query(q)
    # Citizens ask the same few things over and over; the answer only changes with the catalogue
    # revision (bumped by every publish), so it is cached whole, validated and encoded once
    # (`PublicCacheMiddleware` serves the hits before the rest of the stack).
    office = get_public_office(slug)
    key = _services_key((office.pk, office.catalogue_revision), query, page.limit, page.offset, get_language())
    cached = page_cache.cached_response(request, key)
    if cached is not None:
        return cached
    body = ServicePage.model_validate(_service_page(office, query, page)).model_dump_json().encode()
    entry = page_cache.store(key, body, timeout=SEARCH_CACHE_SECONDS, content_type="application/json")
    return page_cache.respond(request, entry)


def services_page_key(slug: str, query: str, *, limit: int, offset: int, language: str | None = None) -> str | None:
    """Cache key of a (validated) services page of office `slug`; None when the office doesn't exist."""
    found = public_office_revision(slug)
    if found is None:
        return None
    return _services_key(found, query, limit, offset, language or get_language())


def _services_key(office_revision: tuple[int, int], query: str, limit: int, offset: int, language: str) -> str:
    digest = hashlib.sha256(query.encode()).hexdigest()[:32]
    return "layan-api-services:" + ":".join(str(p) for p in (*office_revision, language, limit, offset, digest))


def _service_page(office: Office, query: str, page: PageParams) -> dict:
    if not query:
        services = office.services.published().select_related("current_version")
        items = [
            _summary(office, s.code, s.current_version, None)
            for s in services[page.offset : page.offset + page.limit]
            if s.current_version is not None
        ]
        return {"query": None, "count": services.count(), "limit": page.limit, "offset": page.offset, "items": items}

    hits = search_services(office, query, limit=SEARCH_LIMIT)
    # Re-read the hits' versions under the public rules: the search engine is not trusted to
    # have left out drafts, inactive services or another office's rows.
    versions = ServiceVersion.objects.published().filter(pk__in=[h.version_id for h in hits], office=office).in_bulk()
    ranked = [(h, versions[h.version_id]) for h in hits if h.version_id in versions]
    items = [
        _summary(office, h.code, v, round(float(h.score), 4)) for h, v in ranked[page.offset : page.offset + page.limit]
    ]
    return {"query": query, "count": len(ranked), "limit": page.limit, "offset": page.offset, "items": items}


@router.get(
    "offices/{slug}/services/{code}",
    response={200: ServiceDetail, **ERROR_RESPONSES},
    openapi_extra=ERROR_DOCS,
    operation_id="get_service",
    summary="Standar pelayanan satu layanan",
    description="Ke-14 komponen standar pelayanan (PermenPAN-RB 15/2014) dari versi yang berlaku.",
)
def get_service(request, slug: str = office_slug_path(), code: str = service_code_path()):
    office = get_public_office(slug)
    service = _get_public_service(office, code)
    assert service.current_version_id is not None  # published() guarantees it
    version = _published_versions(service).get(pk=service.current_version_id)
    return _detail(office, service, version)


@router.get(
    "offices/{slug}/services/{code}/versions",
    response={200: ServiceVersionList, **ERROR_RESPONSES},
    openapi_extra=ERROR_DOCS,
    operation_id="list_service_versions",
    summary="Riwayat versi layanan",
    description="Versi yang pernah terbit, terbaru dulu. Draf tidak pernah ditampilkan.",
)
def list_service_versions(request, slug: str = office_slug_path(), code: str = service_code_path()):
    office = get_public_office(slug)
    service = _get_public_service(office, code)
    versions = service.versions.issued().order_by("-number")
    return {"code": service.code, "items": [_version_info(office, v, service.current_version_id) for v in versions]}


@router.get(
    "offices/{slug}/services/{code}/versions/{number}",
    response={200: ServiceDetail, **ERROR_RESPONSES},
    openapi_extra=ERROR_DOCS,
    operation_id="get_service_version",
    summary="Standar pelayanan versi tertentu",
    description="Isi lengkap sebuah versi, juga versi lama: apa yang dulu disampaikan kepada warga.",
)
def get_service_version(
    request,
    slug: str = office_slug_path(),
    code: str = service_code_path(),
    number: int = Path(..., ge=1, le=1_000_000, description="Nomor versi (1, 2, …).", example=1),
):
    office = get_public_office(slug)
    service = _get_public_service(office, code)
    version = _published_versions(service).filter(number=number).first()
    if version is None:
        raise HttpError(404, _("Versi layanan tidak ditemukan"))
    return _detail(office, service, version)
