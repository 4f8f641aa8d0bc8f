"""The status workflow: every allowed transition, every refused one, and what each records."""

import datetime as dt
import itertools
import zoneinfo

import pytest
from django.core.exceptions import PermissionDenied

from layan.applications.models import Application, RequirementCheck, StatusChange
from layan.applications.services import ApplicationError, change_status

from .helpers import submit

WIB = zoneinfo.ZoneInfo("Asia/Jakarta")
FRIDAY = dt.datetime(2026, 3, 6, 10, 0, tzinfo=WIB)

# The diagram of the Application docstring, written out again: the code must agree with it.
ALLOWED = {
    ("diajukan", "diverifikasi"),
    ("diajukan", "perlu_perbaikan"),
    ("diajukan", "ditolak"),
    ("diverifikasi", "diproses"),
    ("diverifikasi", "perlu_perbaikan"),
    ("diverifikasi", "ditolak"),
    ("perlu_perbaikan", "diajukan"),
    ("perlu_perbaikan", "diverifikasi"),
    ("perlu_perbaikan", "ditolak"),
    ("diproses", "selesai"),
    ("diproses", "perlu_perbaikan"),
    ("diproses", "ditolak"),
    ("selesai", "diambil"),
}
STATUSES = ["diajukan", "diverifikasi", "perlu_perbaikan", "diproses", "selesai", "diambil", "ditolak"]
REFUSED = [pair for pair in itertools.product(STATUSES, STATUSES) if pair not in ALLOWED]
# How to reach each status from a new application.
PATHS = {
    "diajukan": [],
    "diverifikasi": ["diverifikasi"],
    "perlu_perbaikan": ["perlu_perbaikan"],
    "diproses": ["diverifikasi", "diproses"],
    "selesai": ["diverifikasi", "diproses", "selesai"],
    "diambil": ["diverifikasi", "diproses", "selesai", "diambil"],
    "ditolak": ["ditolak"],
}


def move(application: Application, to: str, actor) -> Application:
    """change_status with what each status needs (a reason, the missing item)."""
    extra: dict = {}
    if to == "perlu_perbaikan":
        extra = {"note": "Surat pengantar belum ditandatangani", "missing": ["Tanda tangan kepala desa"]}
    elif to == "ditolak":
        extra = {"note": "Bukan warga kecamatan ini"}
    return change_status(application, to=to, actor=actor, **extra)


def bring_to(application: Application, status: str, actor) -> Application:
    for step in PATHS[status]:
        move(application, step, actor)
    assert application.status == status
    return application


@pytest.mark.parametrize(("start", "to"), sorted(ALLOWED))
def test_allowed_transition_changes_status_and_records_it(personas, start, to):
    application = bring_to(submit(personas.office), start, personas.staff)
    before = application.status_changes.count()
    move(application, to, personas.staff)
    application.refresh_from_db()
    assert application.status == to
    assert application.status_changes.count() == before + 1
    last = application.status_changes.last()
    assert (last.actor, last.from_status, last.to_status) == (personas.staff, start, to)


@pytest.mark.parametrize(("start", "to"), REFUSED)
def test_refused_transition_keeps_status_and_says_why_in_indonesian(personas, start, to):
    application = bring_to(submit(personas.office), start, personas.staff)
    history = application.status_changes.count()
    with pytest.raises(ApplicationError) as exc:
        move(application, to, personas.staff)
    message = " ".join(exc.value.messages)
    assert "tidak bisa diubah dari" in message or "sudah berstatus" in message
    application.refresh_from_db()
    assert application.status == start
    assert application.status_changes.count() == history


def test_unknown_status_is_refused(personas):
    application = submit(personas.office)
    with pytest.raises(ApplicationError, match="tidak dikenal"):
        change_status(application, to="hilang", actor=personas.staff)


def test_refused_message_names_both_statuses(personas):
    application = submit(personas.office)
    with pytest.raises(ApplicationError) as exc:
        change_status(application, to="selesai", actor=personas.staff)
    assert exc.value.messages == ["Status tidak bisa diubah dari “Diajukan” ke “Selesai, siap diambil”."]


def test_perlu_perbaikan_needs_a_reason(personas):
    application = submit(personas.office)
    with pytest.raises(ApplicationError, match="alasan"):
        change_status(application, to="perlu_perbaikan", actor=personas.staff, missing=["Fotokopi KK"])
    assert Application.objects.get(pk=application.pk).status == "diajukan"


def test_perlu_perbaikan_needs_what_is_missing(personas):
    application = submit(personas.office)
    with pytest.raises(ApplicationError, match="kurang"):
        change_status(application, to="perlu_perbaikan", actor=personas.staff, note="Berkas belum lengkap")
    assert Application.objects.get(pk=application.pk).status == "diajukan"


def test_perlu_perbaikan_marks_checklist_lines_missing_and_records_them(personas):
    application = submit(personas.office, checklist=None)
    first = application.checks.first()
    set_all = RequirementCheck.objects.filter(application=application)
    set_all.update(state="provided")
    change_status(application, to="perlu_perbaikan", actor=personas.staff, note="Belum ditandatangani", missing=[first])
    first.refresh_from_db()
    assert first.state == "missing"
    assert application.status_changes.last().missing == [first.document]
    assert set_all.filter(state="provided").count() == set_all.count() - 1


def test_missing_line_of_another_application_is_refused(personas):
    application = submit(personas.office)
    other = submit(personas.office, applicant_name="Budi")
    with pytest.raises(ApplicationError):
        change_status(
            application, to="perlu_perbaikan", actor=personas.staff, note="Kurang", missing=[other.checks.first()]
        )


def test_ditolak_needs_a_reason(personas):
    application = submit(personas.office)
    with pytest.raises(ApplicationError, match="alasan penolakan"):
        change_status(application, to="ditolak", actor=personas.staff)


@pytest.mark.parametrize("start", ["diajukan", "diverifikasi", "perlu_perbaikan", "diproses"])
def test_ditolak_from_every_open_state_closes_the_file(personas, start):
    application = bring_to(submit(personas.office), start, personas.staff)
    change_status(application, to="ditolak", actor=personas.staff, note="Dokumen palsu")
    application.refresh_from_db()
    assert application.status == "ditolak"
    assert application.status_note == "Dokumen palsu"
    assert application.closed_at is not None
    assert not application.is_open


def test_history_records_who_when_from_to_and_note(personas):
    application = submit(personas.office, now=FRIDAY)
    later = FRIDAY + dt.timedelta(hours=1)
    change_status(application, to="diverifikasi", actor=personas.admin, note="Lengkap", now=later)
    rows = list(
        StatusChange.objects.filter(application=application).values_list(
            "actor__username", "from_status", "to_status", "note", "created_at"
        )
    )
    assert rows == [
        (None, "", "diajukan", "", FRIDAY),
        ("admin_a", "diajukan", "diverifikasi", "Lengkap", later),
    ]


def test_a_viewer_cannot_change_status(personas):
    application = submit(personas.office)
    with pytest.raises(PermissionDenied):
        change_status(application, to="diverifikasi", actor=personas.viewer)
    assert Application.objects.get(pk=application.pk).status == "diajukan"


def test_staff_of_another_office_cannot_change_status(personas):
    application = submit(personas.office)
    with pytest.raises(PermissionDenied):
        change_status(application, to="diverifikasi", actor=personas.outsider)


def test_selesai_sets_closed_at_and_diambil_keeps_it(personas):
    application = bring_to(submit(personas.office), "diproses", personas.staff)
    done = FRIDAY + dt.timedelta(days=3)
    change_status(application, to="selesai", actor=personas.staff, now=done)
    change_status(application, to="diambil", actor=personas.staff, now=done + dt.timedelta(days=1))
    application.refresh_from_db()
    assert application.closed_at == done
    assert application.status == "diambil"


def test_a_stale_object_cannot_skip_the_workflow(personas):
    """Two officers with the same page open: the second click is judged on the status in the database."""
    application = submit(personas.office)
    stale = Application.objects.get(pk=application.pk)
    change_status(application, to="ditolak", actor=personas.staff, note="Ganda")
    with pytest.raises(ApplicationError):
        change_status(stale, to="diverifikasi", actor=personas.staff)
