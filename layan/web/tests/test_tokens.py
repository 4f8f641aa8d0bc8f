"""The office admin's API tokens screen: create (shown once), list, revoke; nobody else gets in."""

import re

import pytest
from django.urls import reverse

from layan.offices.models import ApiToken
from layan.offices.tokens import create_api_token

pytestmark = pytest.mark.django_db


def url(personas, name="web:profile_tokens", *args):
    return reverse(name, args=[personas.office.slug, *args])


def test_the_admin_creates_a_token_that_is_shown_once_and_works(client, personas):
    client.force_login(personas.admin)
    member = personas.staff.memberships.get()
    page = client.post(url(personas, "web:profile_token_create"), {"member": member.pk, "name": "Aplikasi desa"})
    assert page.status_code == 200
    token = re.search(r'<code id="token-baru">(lyn_[^<]+)</code>', page.content.decode()).group(1)
    assert ApiToken.objects.get().name == "Aplikasi desa"
    assert token not in client.get(url(personas)).content.decode()  # never again
    api = client.get("/api/v1/staff/applications", headers={"Authorization": f"Bearer {token}"})
    assert api.status_code == 200


def test_the_admin_revokes_a_token(client, personas):
    row, token = create_api_token(personas.staff.memberships.get(), name="x")
    client.force_login(personas.admin)
    assert client.post(url(personas, "web:profile_token_revoke", row.pk)).status_code == 302
    row.refresh_from_db()
    assert row.revoked_at is not None
    assert "Dicabut" in client.get(url(personas)).content.decode()


def test_staff_and_viewers_cannot_manage_tokens(client, personas):
    for user in (personas.staff, personas.viewer):
        client.force_login(user)
        assert client.get(url(personas)).status_code == 403
        member = user.memberships.get()
        assert (
            client.post(url(personas, "web:profile_token_create"), {"member": member.pk, "name": "x"}).status_code
            == 403
        )
    assert not ApiToken.objects.exists()


def test_the_outsider_gets_404_everywhere(client, personas):
    row, _token = create_api_token(personas.staff.memberships.get(), name="x")
    client.force_login(personas.outsider)
    assert client.get(url(personas)).status_code == 404
    assert client.post(url(personas, "web:profile_token_revoke", row.pk)).status_code == 404
    other = reverse("web:profile_token_revoke", args=[personas.other_office.slug, row.pk])
    assert client.post(other).status_code == 404  # their own office, but not their token
    row.refresh_from_db()
    assert row.revoked_at is None


def test_a_member_of_another_office_cannot_be_given_a_token(client, personas):
    client.force_login(personas.admin)
    foreign = personas.outsider.memberships.get()
    response = client.post(url(personas, "web:profile_token_create"), {"member": foreign.pk, "name": "x"})
    assert response.status_code == 400 and not ApiToken.objects.exists()
