import pytest

from layan.catalogue.models import ServiceVersion
from layan.catalogue.services import PublishError, publish_service_version, start_draft
from testkit.personas import create_service

pytestmark = pytest.mark.django_db


def test_publishing_a_draft_numbers_it_and_supersedes_the_old(personas):
    service = create_service(personas.office, "sktm", "Surat Keterangan Tidak Mampu")
    personas.office.refresh_from_db()
    revision = personas.office.catalogue_revision
    draft = start_draft(service)
    assert draft.status == ServiceVersion.Status.DRAFT
    assert [r.document for r in draft.requirements.all()] == [
        r.document for r in service.current_version.requirements.all()
    ]
    draft.name = "SKTM (baru)"
    draft.save()
    published = publish_service_version(draft, user=personas.staff, note="Ganti nama")
    service.refresh_from_db()
    personas.office.refresh_from_db()
    assert service.current_version == published and published.number == 2
    assert published.published_by == personas.staff
    assert service.versions.get(number=1).status == ServiceVersion.Status.SUPERSEDED
    assert personas.office.catalogue_revision == revision + 1


def test_start_draft_reuses_an_open_draft(personas):
    service = create_service(personas.office, "sktm")
    assert start_draft(service) == start_draft(service)


def test_published_version_cannot_be_published_again(personas):
    service = create_service(personas.office, "sktm")
    with pytest.raises(PublishError):
        publish_service_version(service.current_version)


def test_draft_without_requirements_is_refused(personas):
    service = create_service(personas.office, "sktm")
    draft = start_draft(service)
    draft.requirements.all().delete()
    with pytest.raises(PublishError, match="persyaratan"):
        publish_service_version(draft)
    service.refresh_from_db()
    assert service.current_version.number == 1


def test_draft_edits_do_not_change_what_citizens_see(personas):
    service = create_service(personas.office, "sktm", "Nama lama")
    draft = start_draft(service)
    draft.name = "Nama baru"
    draft.save()
    draft.requirements.update(document="Diubah")
    service.refresh_from_db()
    assert service.current_version.name == "Nama lama"
    assert "Diubah" not in [r.document for r in service.current_version.requirements.all()]


def test_hiding_a_service_removes_it_from_search_at_once(personas):
    from layan.catalogue.search import search_services
    from layan.catalogue.services import update_service

    service = create_service(personas.office, "sktm", "Surat Keterangan Tidak Mampu", keywords=["surat miskin"])
    personas.office.refresh_from_db()
    assert [h.code for h in search_services(personas.office, "surat miskin")] == ["sktm"]
    update_service(service, is_active=False)
    personas.office.refresh_from_db()
    assert search_services(personas.office, "surat miskin") == []
