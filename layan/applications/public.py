"""What anyone holding a tracking code may learn: service, status, dates and deadline; never
the applicant's name, NIK, phone, desa or the officers' notes. One place, read by `STATUS` on
SMS and chat, the telephone line's menu 2 and the API (`GET /api/v1/track/{code}`).
"""

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _

from . import sla
from .models import Application, Status
from .notifications import fit


@dataclass(frozen=True)
class PublicStatus:
    tracking_code: str
    office_slug: str
    office_name: str
    service_code: str
    service_name: str
    status: str  # Status value ("diproses")
    status_label: str  # "Diproses"
    submitted_at: dt.datetime
    updated_at: dt.datetime
    due_at: dt.datetime | None  # only while the office holds the file
    closed_at: dt.datetime | None
    deadline: str  # "perkiraan selesai Senin, 9 Maret 2026", or ""
    hint: str  # what to do now ("Bawa KTP asli …"), or ""


def _hint(status: str) -> str:
    if status == Status.PERLU_PERBAIKAN:
        return _("Yang kurang ada di pemberitahuan kami; bawa ke kantor.")
    if status == Status.SELESAI:
        return _("Bawa KTP asli dan kode ini ke kantor.")
    if status == Status.DITOLAK:
        return _("Alasannya ada di pemberitahuan kami, atau tanyakan ke kantor.")
    return ""


def public_status(application: Application) -> PublicStatus:
    office = application.office
    due = application.due_at if application.clock_running else None
    deadline = ""
    if due is not None:
        with_time = application.version.time_unit != application.version.TimeUnit.WORKING_DAYS
        deadline = sla.deadline_text(office, due, with_time=with_time)
    return PublicStatus(
        tracking_code=application.tracking_code,
        office_slug=office.slug,
        office_name=office.name,
        service_code=application.service.code,
        service_name=application.version.name,
        status=application.status,
        status_label=str(Status(application.status).label),
        submitted_at=application.submitted_at,
        updated_at=application.updated_at,
        due_at=due,
        closed_at=application.closed_at,
        deadline=deadline,
        hint=_hint(application.status),
    )


def status_sms(found: PublicStatus) -> str:
    """'K7M-2QX-9PC Pembuatan KTP-el: Diproses, perkiraan selesai Senin, 9 Maret 2026.' in one
    SMS (the service name is shortened when needed)."""
    tail = found.deadline or found.hint
    return fit(
        _("{code} {flexible}: {status}{sep}{tail}"),
        found.service_name,
        code=found.tracking_code,
        status=found.status_label,
        sep=", " if found.deadline else (". " if tail else "."),
        tail=(tail + "." if found.deadline else tail),
    )


def status_speech(found: PublicStatus) -> str:
    """The status as the telephone line says it (after 'Status permohonan <digits>: ')."""
    parts = [f"{found.service_name}, {found.status_label}"]
    if found.deadline:
        parts.append(found.deadline)
    if found.hint:
        parts.append(found.hint.rstrip("."))
    return ". ".join(parts)
