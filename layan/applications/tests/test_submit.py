"""submit_application: what it records, and what it refuses (field -> Indonesian message)."""

import pytest
from django.core.exceptions import PermissionDenied

from layan.applications.models import Application, RequirementCheck
from layan.applications.services import ApplicationError, assign_application, set_check
from layan.catalogue.services import publish_service_version, start_draft
from layan.regions.models import Village
from testkit.personas import create_service

from .helpers import default_service, submit


def refusal(personas, **fields) -> dict[str, list[str]]:
    with pytest.raises(ApplicationError) as exc:
        submit(personas.office, **fields)
    assert Application.objects.count() == 0
    return exc.value.message_dict


def test_submission_records_the_version_checklist_and_history(personas):
    service = default_service(personas.office)
    first, second = service.current_version.requirements.all()
    application = submit(personas.office, service, checklist={first.pk: "provided"}, notes="  Untuk melamar kerja ")
    assert application.status == "diajukan"
    assert application.version == service.current_version
    assert application.phone == "+6281234567890"
    assert application.notes == "Untuk melamar kerja"
    assert list(application.checks.values_list("document", "state")) == [
        ("Surat pengantar kepala desa", "provided"),
        ("Fotokopi KTP", "missing"),
    ]
    assert [(c.from_status, c.to_status) for c in application.status_changes.all()] == [("", "diajukan")]


def test_the_version_the_citizen_was_told_stays_after_a_new_one(personas):
    service = default_service(personas.office)
    application = submit(personas.office, service)
    told = application.version
    draft = start_draft(service)
    draft.time_value = 5
    draft.save()
    publish_service_version(draft)
    application.refresh_from_db()
    assert application.version == told and application.version.time_value == 1


def test_the_nik_is_stored_as_16_digits(personas):
    assert submit(personas.office, nik="1609 1012 0590 0001").nik == "1609101205900001"


def test_a_bad_nik_is_refused_on_its_field(personas):
    errors = refusal(personas, nik="123")
    assert errors == {"nik": ["NIK harus 16 angka (yang diisi 3 angka)."]}


def test_several_mistakes_are_all_reported(personas):
    errors = refusal(personas, applicant_name="  ", nik="", phone="12", channel="merpati")
    assert set(errors) == {"applicant_name", "nik", "phone", "channel"}
    assert errors["applicant_name"] == ["Nama pemohon wajib diisi."]


def test_a_village_of_another_kecamatan_is_refused(personas):
    other = Village.objects.create(code="16.09.11.2001", district=personas.other_office.district, name="Lain")
    assert "village" in refusal(personas, village=other)


def test_another_offices_service_is_refused(personas):
    service = create_service(personas.other_office, "luar", "Layanan kantor lain")
    assert "service" in refusal(personas, service=service)


def test_an_unpublished_or_inactive_service_is_refused(personas):
    draft_only = create_service(personas.office, "draf", "Belum terbit", publish=False)
    assert "service" in refusal(personas, service=draft_only)
    inactive = create_service(personas.office, "nonaktif", "Dihentikan")
    inactive.is_active = False
    inactive.save()
    assert "service" in refusal(personas, service=inactive)


def test_a_checklist_with_a_foreign_requirement_is_refused(personas):
    service = default_service(personas.office)
    other = create_service(personas.office, "lain", "Lain")
    foreign = other.current_version.requirements.first()
    assert "checklist" in refusal(personas, service=service, checklist={foreign.pk: "provided"})


def test_a_viewer_cannot_register_at_the_counter(personas):
    with pytest.raises(PermissionDenied):
        submit(personas.office, actor=personas.viewer)
    assert submit(personas.office, actor=personas.staff).status_changes.get().actor == personas.staff


def test_the_village_may_be_left_empty(personas):
    assert submit(personas.office, village=None).village is None


def test_assign_to_staff_of_the_office_only(personas):
    application = submit(personas.office)
    assign_application(application, assignee=personas.staff, actor=personas.admin)
    assert Application.objects.get(pk=application.pk).assignee == personas.staff
    for wrong in (personas.viewer, personas.outsider):
        with pytest.raises(ApplicationError):
            assign_application(application, assignee=wrong, actor=personas.admin)
    with pytest.raises(PermissionDenied):
        assign_application(application, assignee=personas.staff, actor=personas.viewer)
    assign_application(application, assignee=None, actor=personas.staff)
    assert Application.objects.get(pk=application.pk).assignee is None


def test_set_check_marks_a_line_and_refuses_on_a_closed_file(personas):
    from layan.applications.services import change_status

    application = submit(personas.office)
    check = application.checks.first()
    set_check(check, state="verified", actor=personas.staff, note="Asli dilihat")
    check.refresh_from_db()
    assert (check.state, check.note) == ("verified", "Asli dilihat")
    with pytest.raises(ApplicationError):
        set_check(check, state="bagus", actor=personas.staff)
    with pytest.raises(PermissionDenied):
        set_check(check, state="missing", actor=personas.viewer)
    change_status(application, to="ditolak", actor=personas.staff, note="Ganda")
    check = RequirementCheck.objects.get(pk=check.pk)
    with pytest.raises(ApplicationError, match="ditutup"):
        set_check(check, state="missing", actor=personas.staff)
