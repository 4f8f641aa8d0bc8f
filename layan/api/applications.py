"""JSON API of applications (permohonan).

Public, rate-limited per client address:
    POST /api/v1/offices/{slug}/applications      apply        -> tracking code and deadline
    GET  /api/v1/track/{code}                     track        -> status, never personal data
Staff, with the office's API token (`Authorization: Bearer lyn_…`, see offices.tokens), for the
token's office only (another office's application is a 404), writes only for admin/staff roles:
    GET  /api/v1/staff/applications               list, filtered by status / overdue
    GET  /api/v1/staff/applications/{code}        detail (NIK and phone masked)
    POST /api/v1/staff/applications/{code}/status change the status along the workflow
"""

import datetime as dt
from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema
from ninja.errors import HttpError
from ninja.security import HttpBearer

from layan.applications import tracking
from layan.applications.models import Application, Channel, Status
from layan.applications.public import public_status
from layan.applications.queries import find_by_tracking
from layan.applications.services import ApplicationError, change_status, submit_application
from layan.catalogue.models import Service
from layan.messaging.urns import mask_phone
from layan.offices import ratelimit
from layan.offices.access import get_public_office
from layan.offices.models import ApiToken
from layan.offices.privacy import mask_nik
from layan.offices.tokens import authenticate_token
from layan.regions.models import Village

from .schemas import (
    DEMO_TRACKING_CODE,
    SLUG_MAX_LENGTH,
    SLUG_PATTERN,
    ErrorResponse,
    PageParams,
    ValidationErrorResponse,
    office_slug_path,
)

router = Router(tags=["permohonan"])

StatusValue = Literal["diajukan", "diverifikasi", "perlu_perbaikan", "diproses", "selesai", "diambil", "ditolak"]
CODE_PATTERN = r"^[-0-9A-Za-z ]+$"
CODE_MAX_LENGTH = 40


def tracking_code_path() -> Any:
    return Path(
        ...,
        pattern=CODE_PATTERN,
        max_length=CODE_MAX_LENGTH,
        description="Kode lacak (K7M-2QX-9PC; huruf besar/kecil, spasi dan tanda hubung bebas) atau 14 angkanya.",
        example=DEMO_TRACKING_CODE,
    )


# -- errors ------------------------------------------------------------------------------------
class RateLimitedResponse(Schema):
    detail: str = Field(..., examples=["Terlalu banyak permintaan. Coba lagi dalam 9 menit."])


def _docs(*codes: int) -> dict:
    described = {
        400: "Isi permintaan bukan JSON yang sah",
        401: "Token API tidak ada atau tidak sah",
        403: "Peran pemilik token hanya boleh melihat",
        404: "Kantor, layanan atau permohonan tidak ditemukan",
        409: "Perubahan status tidak diizinkan dari status sekarang",
        422: "Isian tidak sah; rinciannya di `errors`",
        429: "Terlalu banyak permintaan dari alamat ini; tunggu sesuai `Retry-After` (detik)",
    }
    return {"responses": {code: {"description": described[code]} for code in codes}}


def _invalid(exc: ApplicationError, *, location: str) -> tuple:
    """A refused write or code as the documented 422 (one entry per field)."""
    if isinstance(exc, ApplicationError) and hasattr(exc, "error_dict"):
        errors = [
            {"location": location, "field": name, "message": " ".join(messages), "type": "invalid"}
            for name, messages in exc.message_dict.items()
        ]
    else:
        errors = [{"location": location, "field": location, "message": " ".join(exc.messages), "type": "invalid"}]
    return 422, {"detail": " ".join(e["message"] for e in errors), "errors": errors}


# -- public: apply and track -------------------------------------------------------------------
class ApplicationRequest(Schema):
    service: str = Field(
        ..., pattern=SLUG_PATTERN, max_length=SLUG_MAX_LENGTH, description="Kode layanan.", examples=["ktp-el"]
    )
    applicant_name: str = Field(..., min_length=1, max_length=120, examples=["Siti Aminah"])
    nik: str = Field(
        ..., max_length=32, description="NIK pemohon, 16 angka (spasi dan titik boleh).", examples=["1609101205900001"]
    )
    village: str = Field(
        ...,
        pattern=r"^[0-9.]+$",
        max_length=20,
        description="Kode Kemendagri desa/kelurahan tempat tinggal, di kecamatan kantor ini.",
        examples=["16.09.10.2001"],
    )
    phone: str = Field("", max_length=20, description="Nomor HP untuk pemberitahuan SMS.", examples=["0812 3456 7890"])
    notes: str = Field("", max_length=1000, description="Catatan pemohon.")


class ApplicationCreated(Schema):
    tracking_code: str = Field(..., examples=["K7M-2QX-9PC"], description="Kode lacak: simpan, untuk STATUS dan lacak.")
    tracking_digits: str = Field(..., description="Kode lacak dalam 14 angka (untuk telepon, menu 2).")
    status: StatusValue
    deadline: dt.datetime | None = Field(..., description="Perkiraan selesai (waktu kantor).")
    deadline_text: str = Field(..., examples=["perkiraan selesai Senin, 9 Maret 2026"])


class TrackingStatus(Schema):
    """What anyone holding the code may know: no name, NIK, phone or desa."""

    tracking_code: str
    office: str = Field(..., description="Slug kantor.")
    office_name: str
    service: str = Field(..., description="Kode layanan.")
    service_name: str
    status: StatusValue
    status_label: str = Field(..., examples=["Diproses"])
    submitted_at: dt.datetime
    updated_at: dt.datetime
    deadline: dt.datetime | None = Field(..., description="Perkiraan selesai, selama berkas di kantor.")
    deadline_text: str
    closed_at: dt.datetime | None
    hint: str = Field(..., description="Yang perlu dilakukan pemohon sekarang, bila ada.")


@router.post(
    "offices/{slug}/applications",
    response={
        201: ApplicationCreated,
        400: ErrorResponse,
        404: ErrorResponse,
        422: ValidationErrorResponse,
        429: RateLimitedResponse,
    },
    openapi_extra=_docs(400, 404, 422, 429),
    operation_id="submit_application",
    summary="Ajukan permohonan",
    description=(
        "Permohonan baru untuk versi terbit sebuah layanan. Jawabannya kode lacak dan perkiraan "
        "selesai (hari kerja kantor, tanpa hari libur). Dibatasi per alamat jaringan."
    ),
)
def submit_application_endpoint(request, payload: ApplicationRequest, slug: str = office_slug_path()):
    office = get_public_office(slug)
    ratelimit.check(request, ratelimit.APPLY)
    service = Service.objects.published().filter(office=office, code=payload.service).first()
    if service is None:
        raise HttpError(404, _("Layanan tidak ditemukan"))
    village = Village.objects.filter(code=payload.village).first()
    if village is None:
        error = ApplicationError({"village": _("Kode desa/kelurahan tidak dikenal.")})
        return _invalid(error, location="body")
    try:
        application = submit_application(
            office,
            service=service,
            applicant_name=payload.applicant_name,
            nik=payload.nik,
            village=village,
            phone=payload.phone,
            notes=payload.notes,
            channel=Channel.API,
        )
    except ApplicationError as exc:
        return _invalid(exc, location="body")
    found = public_status(application)
    return 201, {
        "tracking_code": application.tracking_code,
        "tracking_digits": application.tracking_digits,
        "status": application.status,
        "deadline": found.due_at,
        "deadline_text": found.deadline,
    }


@router.get(
    "track/{code}",
    response={200: TrackingStatus, 404: ErrorResponse, 422: ValidationErrorResponse, 429: RateLimitedResponse},
    openapi_extra=_docs(404, 422, 429),
    operation_id="track_application",
    summary="Lacak permohonan",
    description="Status permohonan menurut kode lacaknya: layanan, status, tanggal dan perkiraan selesai.",
)
def track_application(request, code: str = tracking_code_path()):
    ratelimit.check(request, ratelimit.TRACKING)
    try:
        tracking.parse(code)
    except tracking.TrackingCodeError as exc:
        # No application has a mistyped code: a 404 that says what is wrong with it.
        raise HttpError(404, str(exc)) from None
    application = find_by_tracking(code)
    if application is None:
        raise HttpError(404, _("Kode lacak tidak ditemukan"))
    found = public_status(application)
    return {
        "tracking_code": found.tracking_code,
        "office": found.office_slug,
        "office_name": found.office_name,
        "service": found.service_code,
        "service_name": found.service_name,
        "status": found.status,
        "status_label": found.status_label,
        "submitted_at": found.submitted_at,
        "updated_at": found.updated_at,
        "deadline": found.due_at,
        "deadline_text": found.deadline,
        "closed_at": found.closed_at,
        "hint": found.hint,
    }


# -- staff, with a token ---------------------------------------------------------------------
class StaffToken(HttpBearer):
    """`Authorization: Bearer lyn_…`: a token made by the office admin (manage.py create_api_token)."""

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        return authenticate_token(token)


class StaffApplication(Schema):
    tracking_code: str
    service: str
    service_name: str
    status: StatusValue
    status_label: str
    applicant_name: str
    nik: str = Field(..., description="Disamarkan: empat angka awal dan akhir.", examples=["1609••••••••0001"])
    village: str | None
    channel: str
    submitted_at: dt.datetime
    due_at: dt.datetime | None
    is_overdue: bool
    assignee: str | None


class StaffApplicationPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[StaffApplication]


class StaffCheck(Schema):
    document: str
    state: Literal["provided", "missing", "verified"]
    note: str


class StaffStatusChange(Schema):
    from_status: str
    to_status: StatusValue
    note: str
    actor: str | None
    at: dt.datetime


class StaffApplicationDetail(StaffApplication):
    phone: str = Field(..., description="Disamarkan.")
    notes: str
    status_note: str
    checklist: list[StaffCheck]
    history: list[StaffStatusChange]
    allowed_transitions: list[StatusValue]


class StaffFilter(PageParams):
    status: StatusValue | None = Field(None, description="Hanya permohonan dengan status ini.")
    overdue: bool = Field(False, description="Hanya yang melewati perkiraan selesai.")


class StatusChangeRequest(Schema):
    to: StatusValue = Field(..., examples=["diverifikasi"])
    note: str = Field("", max_length=1000, description="Alasan; wajib untuk perlu_perbaikan dan ditolak.")
    missing: list[str] = Field(
        [], max_length=20, description="perlu_perbaikan: yang harus dilengkapi pemohon (teks bebas)."
    )


def _staff_item(application: Application, now: dt.datetime) -> dict:
    return {
        "tracking_code": application.tracking_code,
        "service": application.service.code,
        "service_name": application.version.name,
        "status": application.status,
        "status_label": str(Status(application.status).label),
        "applicant_name": application.applicant_name,
        "nik": mask_nik(application.nik),
        "village": application.village.name if application.village else None,
        "channel": application.channel,
        "submitted_at": application.submitted_at,
        "due_at": application.due_at,
        "is_overdue": application.is_overdue(now),
        "assignee": application.assignee.get_username() if application.assignee else None,
    }


def _own_application(request: HttpRequest, code: str) -> Application:
    """The token's office's application `code`; 404 for a bad code, another office's, or none."""
    application = find_by_tracking(code, office=request.auth.membership.office)  # type: ignore[attr-defined]
    if application is None:
        raise HttpError(404, _("Permohonan tidak ditemukan"))
    return application


def _detail(application: Application) -> dict:
    item = _staff_item(application, timezone.now())
    return item | {
        "phone": mask_phone(application.phone) if application.phone else "",
        "notes": application.notes,
        "status_note": application.status_note,
        "checklist": [{"document": c.document, "state": c.state, "note": c.note} for c in application.checks.all()],
        "history": [
            {
                "from_status": h.from_status,
                "to_status": h.to_status,
                "note": h.note,
                "actor": h.actor.get_username() if h.actor else None,
                "at": h.created_at,
            }
            for h in application.status_changes.select_related("actor")
        ],
        "allowed_transitions": application.allowed_transitions(),
    }


STAFF: dict[str, Any] = {"auth": StaffToken(), "tags": ["permohonan (staf)"]}


@router.get(
    "staff/applications",
    response={200: StaffApplicationPage, 401: ErrorResponse, 422: ValidationErrorResponse},
    openapi_extra=_docs(401, 422),
    operation_id="list_staff_applications",
    summary="Daftar permohonan kantor (staf)",
    description="Permohonan kantor pemilik token, terbaru dulu; NIK disamarkan.",
    **STAFF,
)
def list_staff_applications(request, filters: Query[StaffFilter]):
    office = request.auth.membership.office
    now = timezone.now()
    qs = Application.objects.filter(office=office).select_related("service", "version", "village", "assignee")
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.overdue:
        qs = qs.overdue(now)
    page = qs.order_by("-submitted_at", "-id")[filters.offset : filters.offset + filters.limit]
    return {
        "count": qs.count(),
        "limit": filters.limit,
        "offset": filters.offset,
        "items": [_staff_item(a, now) for a in page],
    }


@router.get(
    "staff/applications/{code}",
    response={200: StaffApplicationDetail, 401: ErrorResponse, 404: ErrorResponse, 422: ValidationErrorResponse},
    openapi_extra=_docs(401, 404, 422),
    operation_id="get_staff_application",
    summary="Rincian permohonan (staf)",
    description="Daftar periksa persyaratan dan riwayat status; NIK dan nomor HP disamarkan.",
    **STAFF,
)
def get_staff_application(request, code: str = tracking_code_path()):
    return _detail(_own_application(request, code))


@router.post(
    "staff/applications/{code}/status",
    response={
        200: StaffApplicationDetail,
        400: ErrorResponse,
        401: ErrorResponse,
        403: ErrorResponse,
        404: ErrorResponse,
        409: ErrorResponse,
        422: ValidationErrorResponse,
    },
    openapi_extra=_docs(400, 401, 403, 404, 409, 422),
    operation_id="change_application_status",
    summary="Ubah status permohonan (staf)",
    description=(
        "Memindahkan permohonan menurut alur status; pemohon menerima pemberitahuan. "
        "Token dengan peran pemantau (hanya baca) ditolak dengan 403."
    ),
    **STAFF,
)
def change_application_status(request, payload: StatusChangeRequest, code: str = tracking_code_path()):
    application = _own_application(request, code)
    membership = request.auth.membership
    if not membership.can_write:
        raise HttpError(403, _("Peran Anda hanya boleh melihat."))
    try:
        change_status(
            application,
            to=payload.to,
            actor=membership.user,
            note=payload.note,
            missing=[m for m in payload.missing if m.strip()],
        )
    except PermissionDenied as exc:
        raise HttpError(403, str(exc) or _("Peran Anda hanya boleh melihat.")) from None
    except ApplicationError as exc:
        raise HttpError(409, " ".join(exc.messages)) from None
    application.refresh_from_db()
    return _detail(application)
