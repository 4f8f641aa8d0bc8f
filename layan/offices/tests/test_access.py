import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import RequestFactory

from layan.offices.access import get_office_for_user, offices_for_user
from layan.offices.models import Membership
from layan.offices.services import add_member

pytestmark = pytest.mark.django_db


def request_for(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def test_staff_reach_their_own_office(personas):
    assert get_office_for_user(request_for(personas.staff), "kisam-tinggi") == personas.office
    assert get_office_for_user(request_for(personas.admin), "kisam-tinggi", admin=True) == personas.office


def test_outsider_gets_404_as_if_the_office_did_not_exist(personas):
    with pytest.raises(Http404):
        get_office_for_user(request_for(personas.outsider), "kisam-tinggi")
    with pytest.raises(Http404):
        get_office_for_user(request_for(personas.staff), "tidak-ada")


def test_viewer_reads_but_may_not_write(personas):
    assert get_office_for_user(request_for(personas.viewer), "kisam-tinggi") == personas.office
    with pytest.raises(PermissionDenied):
        get_office_for_user(request_for(personas.viewer), "kisam-tinggi", write=True)


def test_staff_may_not_do_admin_things(personas):
    with pytest.raises(PermissionDenied):
        get_office_for_user(request_for(personas.staff), "kisam-tinggi", admin=True)


def test_kabupaten_admin_belongs_to_several_offices(personas):
    add_member(personas.office, personas.outsider, role=Membership.Role.ADMIN)
    assert set(offices_for_user(personas.outsider)) == {personas.office, personas.other_office}
    assert get_office_for_user(request_for(personas.outsider), "kisam-tinggi", admin=True) == personas.office


def test_office_slug_may_not_shadow_system_paths(personas):
    from layan.offices.services import OfficeError, create_office

    with pytest.raises(OfficeError, match="dipakai sistem"):
        create_office("16.09.10", slug="api")


def test_public_office_revision_sees_publishes_and_hides_inactive_offices(personas):
    from layan.catalogue.services import publish_service_version, start_draft
    from layan.offices.access import public_office_revision
    from testkit.personas import create_service

    service = create_service(personas.office, "sktm")
    pk, revision = public_office_revision("kisam-tinggi")
    assert pk == personas.office.pk
    publish_service_version(start_draft(service))
    assert public_office_revision("kisam-tinggi") == (pk, revision + 1)
    personas.office.is_active = False
    personas.office.save()
    assert public_office_revision("kisam-tinggi") is None
    assert public_office_revision("tidak-ada") is None


def test_role_helpers_follow_the_membership(personas, django_user_model):
    from layan.offices.access import user_can_write, user_is_office_admin

    office = personas.office
    root = django_user_model.objects.create_superuser("root", password="x")  # noqa: S106
    staff = [personas.admin, personas.staff, personas.viewer, personas.outsider]
    assert [user_can_write(u, office) for u in staff] == [True, True, False, False]
    assert [user_is_office_admin(u, office) for u in staff] == [True, False, False, False]
    assert user_can_write(root, office) and user_is_office_admin(root, office)
