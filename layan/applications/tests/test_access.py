"""Personas: staff of the office see an application, outsiders get 404, viewers cannot write;
the NIK never leaves unmasked through __str__, logs or the admin list."""

import logging

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import RequestFactory

from layan.applications.access import applications_for_user, get_application_for_user, get_attachment_for_user
from layan.applications.services import add_attachment, change_status
from testkit.personas import PASSWORD

from .helpers import NIK, submit


def request_for(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


@pytest.fixture
def application(personas):
    return submit(personas.office)


def test_staff_of_the_office_get_the_application(personas, application):
    for user in (personas.admin, personas.staff, personas.viewer):
        assert get_application_for_user(request_for(user), application.pk) == application
    assert get_application_for_user(request_for(personas.staff), application.pk, write=True) == application


def test_staff_of_another_office_get_404(personas, application):
    with pytest.raises(Http404):
        get_application_for_user(request_for(personas.outsider), application.pk)
    with pytest.raises(Http404):
        get_application_for_user(request_for(personas.outsider), application.pk, write=True)
    assert list(applications_for_user(personas.outsider)) == []


def test_missing_and_not_yours_look_the_same(personas, application):
    with pytest.raises(Http404) as missing:
        get_application_for_user(request_for(personas.outsider), application.pk + 1000)
    with pytest.raises(Http404) as not_yours:
        get_application_for_user(request_for(personas.outsider), application.pk)
    assert str(missing.value) == str(not_yours.value)


def test_anonymous_and_garbage_ids_get_404(personas, application):
    with pytest.raises(Http404):
        get_application_for_user(request_for(AnonymousUser()), application.pk)
    with pytest.raises(Http404):
        get_application_for_user(request_for(personas.staff), "1 OR 1=1")


def test_the_office_of_the_url_must_match(personas, application):
    assert get_application_for_user(request_for(personas.staff), application.pk, office="kisam-tinggi")
    with pytest.raises(Http404):
        get_application_for_user(request_for(personas.staff), application.pk, office="muaradua-kisam")


def test_a_viewer_may_read_but_not_write(personas, application):
    with pytest.raises(PermissionDenied):
        get_application_for_user(request_for(personas.viewer), application.pk, write=True)
    with pytest.raises(PermissionDenied):
        change_status(application, to="diverifikasi", actor=personas.viewer)
    application.refresh_from_db()
    assert application.status == "diajukan"


def test_attachments_follow_their_application(personas, application):
    attachment = add_attachment(
        application,
        stored_name="a" * 32,
        content_type="application/pdf",
        size=10,
        sha256="0" * 64,
        original_name="ktp.pdf",
        uploaded_by=personas.staff,
        requirement_check=application.checks.first(),
    )
    assert get_attachment_for_user(request_for(personas.viewer), attachment.pk) == attachment
    with pytest.raises(Http404):
        get_attachment_for_user(request_for(personas.outsider), attachment.pk)
    with pytest.raises(PermissionDenied):
        get_attachment_for_user(request_for(personas.viewer), attachment.pk, write=True)
    assert application.checks.first().state == "provided"


def test_the_nik_is_not_in_str_or_repr(personas, application):
    for text in (str(application), repr(application), str(application.status_changes.first())):
        assert NIK not in text


def test_the_nik_is_never_logged(personas, caplog):
    caplog.set_level(logging.DEBUG)
    application = submit(personas.office)  # no channel: the notification failure is logged
    change_status(application, to="ditolak", actor=personas.staff, note="Ganda")
    assert caplog.records  # something was logged, and
    assert NIK not in caplog.text and "3456" not in caplog.text  # neither the NIK nor the phone


def test_the_admin_list_masks_the_nik(client, personas, application):
    assert client.login(username=personas.admin.username, password=PASSWORD)
    html = client.get("/admin/applications/application/").content.decode()
    assert application.tracking_code in html
    assert NIK not in html
    assert "1609••••••••0001" in html


def test_the_admin_hides_other_offices_applications(client, personas, application):
    assert client.login(username=personas.outsider.username, password=PASSWORD)
    html = client.get("/admin/applications/application/").content.decode()
    assert application.tracking_code not in html
    page = client.get(f"/admin/applications/application/{application.pk}/change/")
    assert page.status_code in (302, 404)
