"""Public JSON API of offices: the list of active offices and one office's details."""

import datetime as dt

from django.db.models import Prefetch, QuerySet
from django.utils import timezone, translation
from ninja import Query, Router, Schema
from ninja.errors import HttpError

from layan.catalogue import links
from layan.offices.models import TZ_ABBREVIATIONS, Holiday, Office, OpeningHours

from .schemas import (
    ERROR_DOCS,
    ERROR_RESPONSES,
    INVALID_DOC,
    PageParams,
    ValidationErrorResponse,
    office_slug_path,
)

router = Router(tags=["kantor"])


class Region(Schema):
    code: str
    name: str


class OfficeSummary(Schema):
    slug: str
    name: str
    district: Region
    regency: Region
    province: Region
    timezone: str
    timezone_abbreviation: str
    is_open_now: bool
    url: str


class OfficePage(Schema):
    count: int
    limit: int
    offset: int
    items: list[OfficeSummary]


class ContactChannels(Schema):
    phone: str | None
    sms: str | None
    whatsapp: str | None
    email: str | None
    facebook: str | None
    telegram: str | None


class OpeningPeriod(Schema):
    weekday: int
    day: str
    opens: str
    closes: str


class OfficeFacility(Schema):
    code: str
    name: str
    description: str


class OfficeDetail(OfficeSummary):
    address: str
    contact: ContactChannels
    opening_hours: list[OpeningPeriod]
    facilities: list[OfficeFacility]
    head_title: str
    head_name: str
    maklumat: str
    service_count: int
    guidebook_url: str


def _public_offices() -> QuerySet[Office]:
    """Active offices with what `is_open_now` reads, so a page of offices costs a fixed few queries."""
    today = timezone.localdate()
    # Offices run WIB to WIT: a window of one day either side covers every office's local today.
    near_holidays = Holiday.objects.filter(date__range=(today - dt.timedelta(days=1), today + dt.timedelta(days=1)))
    return (
        Office.objects.filter(is_active=True)
        .select_related("district__regency__province")
        .prefetch_related("opening_hours", Prefetch("holidays", queryset=near_holidays))
        .order_by("name", "slug")
    )


def _summary(office: Office, now: dt.datetime) -> dict:
    district = office.district
    regency = district.regency
    return {
        "slug": office.slug,
        "name": office.name,
        "district": {"code": district.code, "name": district.name},
        "regency": {"code": regency.code, "name": regency.name},
        "province": {"code": regency.province.code, "name": regency.province.name},
        "timezone": office.timezone,
        "timezone_abbreviation": TZ_ABBREVIATIONS.get(office.timezone, office.timezone),
        "is_open_now": office.is_open_at(now),
        "url": links.office_page_url(office.slug),
    }


def _hours(hours: OpeningHours) -> dict:
    # Day names are part of the data (Senin…Minggu), whatever language the client asked for.
    with translation.override("id"):
        day = str(OpeningHours.Weekday(hours.weekday).label)
    return {"weekday": hours.weekday, "day": day, "opens": f"{hours.opens:%H:%M}", "closes": f"{hours.closes:%H:%M}"}


@router.get(
    "offices",
    response={200: OfficePage, 422: ValidationErrorResponse},
    openapi_extra=INVALID_DOC,
    operation_id="list_offices",
    summary="Daftar kantor aktif",
    description="Kantor kecamatan yang aktif, urut nama, dengan status buka saat ini (waktu setempat).",
)
def list_offices(request, page: Query[PageParams]):
    offices = _public_offices()
    now = timezone.now()
    items = [_summary(o, now) for o in offices[page.offset : page.offset + page.limit]]
    return {"count": offices.count(), "limit": page.limit, "offset": page.offset, "items": items}


@router.get(
    "offices/{slug}",
    response={200: OfficeDetail, **ERROR_RESPONSES},
    openapi_extra=ERROR_DOCS,
    operation_id="get_office",
    summary="Rincian kantor",
    description="Alamat, kanal kontak, jam layanan (hari 0 = Senin … 6 = Minggu), fasilitas dan jumlah layanan.",
)
def get_office(request, slug: str = office_slug_path()):
    office = _public_offices().prefetch_related("facilities").filter(slug=slug).first()
    if office is None:
        raise HttpError(404, translation.gettext("Kantor tidak ditemukan"))
    return {
        **_summary(office, timezone.now()),
        "address": office.address,
        "contact": {
            "phone": office.phone or None,
            "sms": office.sms_number or None,
            "whatsapp": office.whatsapp_number or None,
            "email": office.email or None,
            "facebook": office.facebook_page or None,
            "telegram": office.telegram_username or None,
        },
        "opening_hours": [_hours(h) for h in office.opening_hours.all()],
        "facilities": [{"code": f.code, "name": f.name, "description": f.description} for f in office.facilities.all()],
        "head_title": office.head_title,
        "head_name": office.head_name,
        "maklumat": office.maklumat,
        "service_count": office.services.published().count(),
        "guidebook_url": links.guidebook_url(office.slug),
    }
