"""Writes to applications: the only place an application, its checklist or its status changes.

Every status change (the submission included) is recorded as a StatusChange and writes the
citizen's notification to messaging's outbox in the same transaction.
"""

import datetime as dt
from collections.abc import Iterable, Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from layan.catalogue.models import Requirement, Service, ServiceVersion
from layan.messaging.models import ContactURN
from layan.messaging.urns import URNError, normalize_phone
from layan.offices.access import get_membership, user_can_write
from layan.offices.models import Office
from layan.regions.models import Village

from . import sla, tracking
from .models import (
    CLOCK_STATUSES,
    TRANSITIONS,
    Application,
    Attachment,
    Channel,
    RequirementCheck,
    Status,
    StatusChange,
)
from .nik import validate_nik
from .notifications import notify_status

TRACKING_ATTEMPTS = 8
MAX_NOTE = 1000


class ApplicationError(ValidationError):
    """A refused write, with a message for the officer or citizen (Indonesian). A ValidationError,
    so a form can attach it (`form.add_error(None, exc)`: a dict of fields lands on the fields)."""


def _check_actor(office: Office, actor) -> None:
    """A person acting on an application must be allowed to write in its office; `None` is the
    system acting for the citizen (a chat flow, the public form)."""
    if actor is not None and not user_can_write(actor, office):
        raise PermissionDenied(_("Peran Anda hanya boleh melihat."))


def _status_label(value: str) -> str:
    return str(Status(value).label)


@transaction.atomic
def submit_application(
    office: Office,
    *,
    service: Service,
    applicant_name: str,
    nik: str,
    village: Village | None,
    phone: str = "",
    urn: ContactURN | None = None,
    channel: str,
    notes: str = "",
    checklist: Mapping[int, str] | None = None,
    actor=None,
    now: dt.datetime | None = None,
) -> Application:
    """A new application for `service`'s published version, status diajukan, with its tracking
    code, deadline, checklist (one RequirementCheck per requirement of the version; `checklist`
    maps requirement ids to a RequirementCheck.State, the rest are missing) and the citizen's
    "received" notification. Raises ApplicationError (field -> Indonesian message)."""
    _check_actor(office, actor)
    now = now or timezone.now()
    errors: dict[str, str] = {}
    version: ServiceVersion | None = service.current_version if service.office_id == office.pk else None
    if version is None or not service.is_active or version.status != ServiceVersion.Status.PUBLISHED:
        errors["service"] = _("Layanan ini tidak tersedia untuk diajukan.")
    applicant_name = " ".join((applicant_name or "").split())
    if not applicant_name:
        errors["applicant_name"] = _("Nama pemohon wajib diisi.")
    elif len(applicant_name) > 120:
        errors["applicant_name"] = _("Nama pemohon terlalu panjang (maksimal 120 huruf).")
    try:
        nik = validate_nik(nik)
    except ValidationError as exc:
        errors["nik"] = " ".join(exc.messages)
    if village is not None and village.district_id != office.district_id:
        errors["village"] = _("Desa/kelurahan itu bukan wilayah kecamatan ini.")
    if phone:
        try:
            phone = normalize_phone(phone)
        except URNError:
            errors["phone"] = _("Nomor HP tidak valid (mis. 0812 3456 7890).")
    if channel not in Channel.values:
        errors["channel"] = _("Jalur pengajuan tidak dikenal.")
    if len(notes) > MAX_NOTE:
        errors["notes"] = _("Catatan terlalu panjang (maksimal %(n)d huruf).") % {"n": MAX_NOTE}
    requirements: list[Requirement] = list(version.requirements.all()) if version is not None else []
    states = dict(checklist or {})
    known = {r.pk for r in requirements}
    if set(states) - known:
        errors["checklist"] = _("Daftar periksa memuat syarat yang bukan milik layanan ini.")
    elif set(states.values()) - set(RequirementCheck.State.values):
        errors["checklist"] = _("Keadaan syarat tidak dikenal.")
    if errors:
        raise ApplicationError(errors)
    assert version is not None

    application = Application(
        office=office,
        service=service,
        version=version,
        applicant_name=applicant_name,
        nik=nik,
        phone=phone,
        urn=urn,
        village=village,
        channel=channel,
        notes=notes.strip(),
        submitted_at=now,
        clock_started_at=now,
        due_at=sla.due_for_version(office, version, now),
    )
    _save_with_tracking_number(application)
    RequirementCheck.objects.bulk_create(
        RequirementCheck(
            application=application,
            requirement=r,
            document=r.document[:300],
            order=i,
            state=states.get(r.pk, RequirementCheck.State.MISSING),
        )
        for i, r in enumerate(requirements)
    )
    StatusChange.objects.create(
        application=application,
        actor=actor,
        from_status="",
        to_status=Status.DIAJUKAN,
        created_at=now,
    )
    notify_status(application)
    return application


def _save_with_tracking_number(application: Application) -> None:
    """Insert with a fresh random tracking number; on the rare collision (the unique index says
    so), try another. Each attempt in its own savepoint so a collision spoils nothing else."""
    for _attempt in range(TRACKING_ATTEMPTS):
        application.tracking_number = tracking.generate()
        try:
            with transaction.atomic():
                application.save(force_insert=True)
            return
        except IntegrityError:
            if not Application.objects.filter(tracking_number=application.tracking_number).exists():
                raise  # another constraint failed: not a collision
            application.pk = None
    raise RuntimeError("no free tracking number after several attempts")


def _missing_items(application: Application, missing: Iterable[RequirementCheck | int | str]) -> list[str]:
    """What the citizen must still bring: checklist lines (marked missing) and free text."""
    items: list[str] = []
    check_ids: list[int] = []
    for item in missing:
        if isinstance(item, RequirementCheck):
            check_ids.append(item.pk)
        elif isinstance(item, int):
            check_ids.append(item)
        elif str(item).strip():
            items.append(" ".join(str(item).split())[:200])
    if check_ids:
        checks = list(RequirementCheck.objects.filter(application=application, pk__in=check_ids))
        if len(checks) != len(set(check_ids)):
            raise ApplicationError(_("Syarat yang ditandai kurang bukan milik permohonan ini."))
        RequirementCheck.objects.filter(pk__in=[c.pk for c in checks]).update(
            state=RequirementCheck.State.MISSING, updated_at=timezone.now()
        )
        items = [c.document for c in sorted(checks, key=lambda c: (c.order, c.pk))] + items
    return items


@transaction.atomic
def change_status(
    application: Application,
    *,
    to: str,
    actor,
    note: str = "",
    missing: Iterable[RequirementCheck | int | str] = (),
    now: dt.datetime | None = None,
) -> Application:
    """Move `application` to status `to` along the workflow (Application's docstring), record it
    in StatusChange and queue the citizen's notification. perlu_perbaikan needs a reason (`note`)
    and what is missing (`missing`: checklist lines or ids, or free text); ditolak needs a reason.
    Raises ApplicationError (Indonesian message) for a refused change, PermissionDenied for a
    read-only actor. Returns the updated application (the same object)."""
    _check_actor(application.office, actor)
    now = now or timezone.now()
    # Locked and re-read: two officers clicking at once must not both move it from the same status,
    # and a page's stale object must not write back an old deadline.
    application.refresh_from_db(from_queryset=Application.objects.select_for_update())
    current = application.status
    note = (note or "").strip()
    if to not in Status.values:
        raise ApplicationError(_("Status “%(status)s” tidak dikenal.") % {"status": str(to)[:40]})
    if to == current:
        raise ApplicationError(_("Permohonan ini sudah berstatus “%(status)s”.") % {"status": _status_label(to)})
    if to not in TRANSITIONS[current]:
        raise ApplicationError(
            _("Status tidak bisa diubah dari “%(from)s” ke “%(to)s”.")
            % {"from": _status_label(current), "to": _status_label(to)}
        )
    if len(note) > MAX_NOTE:
        raise ApplicationError(_("Catatan terlalu panjang (maksimal %(n)d huruf).") % {"n": MAX_NOTE})
    items: list[str] = []
    if to == Status.PERLU_PERBAIKAN:
        if not note:
            raise ApplicationError(_("Tulis alasan mengapa berkas perlu diperbaiki."))
        items = _missing_items(application, missing)
        if not items:
            raise ApplicationError(_("Sebutkan syarat apa yang kurang atau perlu diperbaiki."))
    if to == Status.DITOLAK and not note:
        raise ApplicationError(_("Tulis alasan penolakan: pemohon akan menerimanya."))

    from_status = current
    application.status = to
    application.status_note = note
    if from_status == Status.PERLU_PERBAIKAN and to in CLOCK_STATUSES:
        # The file is back with the office: its service time starts again from now.
        application.clock_started_at = now
        application.due_at = sla.due_for_version(application.office, application.version, now)
    elif to == Status.PERLU_PERBAIKAN:
        application.due_at = None  # waiting for the citizen, no deadline runs
    if to in (Status.SELESAI, Status.DITOLAK):
        application.closed_at = now
    application.save(update_fields=["status", "status_note", "clock_started_at", "due_at", "closed_at", "updated_at"])
    StatusChange.objects.create(
        application=application,
        actor=actor,
        from_status=from_status,
        to_status=to,
        note=note,
        missing=items,
        created_at=now,
    )
    notify_status(application, from_status=from_status, missing=items)
    return application


@transaction.atomic
def assign_application(application: Application, *, assignee, actor) -> Application:
    """Give the application to `assignee` (a staff member of its office who may write), or to
    nobody with None."""
    _check_actor(application.office, actor)
    if assignee is not None:
        membership = get_membership(assignee, application.office)
        if not assignee.is_superuser and (membership is None or not membership.can_write):
            raise ApplicationError(_("Petugas itu bukan staf kantor ini yang boleh mengolah permohonan."))
    application.assignee = assignee
    application.save(update_fields=["assignee", "updated_at"])
    return application


@transaction.atomic
def set_check(check: RequirementCheck, *, state: str, actor, note: str = "") -> RequirementCheck:
    """Mark one checklist line provided, missing or verified (with an optional note)."""
    _check_actor(check.application.office, actor)
    if state not in RequirementCheck.State.values:
        raise ApplicationError(_("Keadaan syarat tidak dikenal."))
    if not check.application.is_open:
        raise ApplicationError(_("Permohonan ini sudah ditutup; daftar periksanya tidak bisa diubah."))
    check.state = state
    check.note = " ".join((note or "").split())[:300]
    check.save(update_fields=["state", "note", "updated_at"])
    return check


@transaction.atomic
def add_attachment(
    application: Application,
    *,
    stored_name: str,
    content_type: str,
    size: int,
    sha256: str,
    original_name: str,
    uploaded_by=None,
    requirement_check: RequirementCheck | None = None,
) -> Attachment:
    """Record an uploaded file already stored (and checked) by the upload module under its
    random `stored_name`."""
    if uploaded_by is not None:
        _check_actor(application.office, uploaded_by)
    if requirement_check is not None and requirement_check.application_id != application.pk:
        raise ApplicationError(_("Syarat itu bukan milik permohonan ini."))
    attachment = Attachment.objects.create(
        application=application,
        requirement_check=requirement_check,
        stored_name=stored_name,
        content_type=content_type,
        size=size,
        sha256=sha256,
        original_name=original_name[:255],
        uploaded_by=uploaded_by,
    )
    if requirement_check is not None and requirement_check.state == RequirementCheck.State.MISSING:
        requirement_check.state = RequirementCheck.State.PROVIDED
        requirement_check.save(update_fields=["state", "updated_at"])
    return attachment
