import pytest

from layan.catalogue.models import ServiceVersion
from layan.catalogue.services import start_draft
from testkit.personas import PASSWORD, create_service

pytestmark = pytest.mark.django_db


@pytest.fixture
def services(personas):
    return (
        create_service(personas.office, "sktm", "Surat Keterangan Tidak Mampu"),
        create_service(personas.other_office, "domisili", "Surat Keterangan Domisili"),
    )


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_staff_see_only_their_offices_services(client, personas, services):
    page = login(client, personas.staff).get("/admin/catalogue/service/")
    assert page.status_code == 200
    assert b"sktm" in page.content and b"domisili" not in page.content


def test_outsider_cannot_open_another_offices_version(client, personas, services):
    version = services[0].current_version
    page = login(client, personas.outsider).get(f"/admin/catalogue/serviceversion/{version.pk}/change/")
    # The admin redirects to its index with "does not exist" for objects outside the queryset.
    assert page.status_code == 302


def test_published_version_is_read_only_and_draft_is_editable(client, personas, services):
    login(client, personas.staff)
    published = services[0].current_version
    page = client.get(f"/admin/catalogue/serviceversion/{published.pk}/change/")
    assert page.status_code == 200 and b'name="name"' not in page.content
    draft = start_draft(services[0])
    page = client.get(f"/admin/catalogue/serviceversion/{draft.pk}/change/")
    assert b'name="name"' in page.content
    assert b'name="requirements-0-document"' in page.content


def test_publish_action_publishes_the_draft(client, personas, services):
    login(client, personas.staff)
    draft = start_draft(services[0])
    response = client.post(
        "/admin/catalogue/serviceversion/",
        {"action": "publish", "_selected_action": [draft.pk]},
        follow=True,
    )
    assert response.status_code == 200
    draft.refresh_from_db()
    assert draft.status == ServiceVersion.Status.PUBLISHED and draft.number == 2
    assert draft.published_by == personas.staff


def test_viewer_cannot_change_drafts(client, personas, services):
    draft = start_draft(services[0])
    page = login(client, personas.viewer).get(f"/admin/catalogue/serviceversion/{draft.pk}/change/")
    assert page.status_code == 200 and b'name="name"' not in page.content
