"""Read-only lookups other layers use: the tracking lookup behind STATUS, the public tracking
page, the API and the telephone line's menu, and what they may tell anyone holding the code."""

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from . import sla
from .models import Application, Status
from .tracking import try_parse


def find_by_tracking(code: str, *, office=None) -> Application | None:
    """The application whose tracking code (either form: 'K7M-2QX-9PC', the keypad digits, typed
    loosely) is `code`, optionally only in `office`; None when the code is not valid or unknown.
    One indexed lookup (the unique tracking number)."""
    number = try_parse(code)
    if number is None:
        return None
    qs = Application.objects.select_related("office", "service", "version")
    if office is not None:
        qs = qs.filter(office=office)
    return qs.filter(tracking_number=number).first()


@dataclass(frozen=True)
class StatusStep:
    status: str
    label: str
    at: dt.datetime


@dataclass(frozen=True)
class PublicStatus:
    """What anyone holding the tracking code may learn: never the applicant's name, NIK, phone,
    notes or the officer's free-text reasons (the citizen receives those by SMS). `missing` lists
    the requirement names still to bring (perlu_perbaikan): the service's own words."""

    code: str
    office_name: str
    office_slug: str
    service_name: str
    status: str
    status_label: str
    submitted_at: dt.datetime
    due_at: dt.datetime | None
    closed_at: dt.datetime | None
    deadline: str  # "Senin, 9 Maret 2026" (with the time for a deadline in hours), "" when none runs
    is_overdue: bool
    missing: list[str]
    history: list[StatusStep]

    def sentence(self) -> str:
        """One line for SMS, chat and the phone: 'K7M-2QX-9PC (Surat Keterangan Domisili): Diproses,
        perkiraan selesai Senin, 9 Maret 2026.' In the active language."""
        text = _("%(code)s (%(service)s): %(status)s") % {
            "code": self.code,
            "service": self.service_name,
            "status": self.status_label,
        }
        if self.status == Status.PERLU_PERBAIKAN and self.missing:
            text += ". " + _("Perlu dilengkapi: %(items)s") % {"items": "; ".join(self.missing)}
        elif self.deadline:
            text += ", " + _("perkiraan selesai %(date)s") % {"date": self.deadline}
        return text + "."


def public_status(application: Application, *, now: dt.datetime | None = None) -> PublicStatus:
    """The public view of one application (two queries: its history; the office and version come
    with `find_by_tracking`)."""
    office = application.office
    changes = list(application.status_changes.order_by("created_at", "id"))
    missing: list[str] = []
    if application.status == Status.PERLU_PERBAIKAN and changes:
        missing = [str(item) for item in changes[-1].missing]
    deadline = ""
    if application.due_at is not None and application.clock_running:
        with_time = application.version.time_unit != application.version.TimeUnit.WORKING_DAYS
        deadline = sla.format_deadline(office, application.due_at, with_time=with_time)
    return PublicStatus(
        code=application.tracking_code,
        office_name=office.name,
        office_slug=office.slug,
        service_name=application.version.name,
        status=application.status,
        status_label=application.get_status_display(),
        submitted_at=application.submitted_at,
        due_at=application.due_at if application.clock_running else None,
        closed_at=application.closed_at,
        deadline=deadline,
        is_overdue=application.is_overdue(now or timezone.now()),
        missing=missing,
        history=[StatusStep(c.to_status, str(Status(c.to_status).label), c.created_at) for c in changes],
    )
