"""The staff workspace: login lands there, the home lists what waits (with ages), the navigation
bar, the office switcher and logout; outsiders get 404 and the home costs a handful of queries."""

import datetime as dt

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from layan.messaging.tests.helpers import ask, create_test_channel
from layan.offices.models import Membership
from layan.telephone.models import VoiceMessage
from testkit.personas import PASSWORD, create_user


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


def workspace_url(office):
    return reverse("web:workspace", args=[office.slug])


@pytest.fixture
def waiting(personas):
    channel = create_test_channel(personas.office)
    ask(channel, "apakah besok kantor buka pak")  # nothing in the catalogue: waits in the inbox
    return channel


@pytest.fixture
def voice(personas, settings, tmp_path):
    settings.STORAGES = settings.STORAGES | {"voice": {"BACKEND": "django.core.files.storage.InMemoryStorage"}}
    vm = VoiceMessage(office=personas.office, caller="081298765432", seconds=12)
    vm.audio.save("pesan.wav", ContentFile(b"RIFF"), save=False)
    vm.save()
    VoiceMessage.objects.filter(pk=vm.pk).update(created_at=timezone.now() - dt.timedelta(hours=3))
    return vm


def test_login_lands_on_the_workspace_of_the_only_office(client, personas):
    response = client.post(reverse("web:staff_login"), {"username": "staf_a", "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == workspace_url(personas.office)
    assert "Perlu ditindaklanjuti" in response.content.decode()


def test_wrong_password_stays_on_the_login_page_in_indonesian(client, personas):
    response = client.post(reverse("web:staff_login"), {"username": "staf_a", "password": "salah"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "dan sandi yang benar" in html and 'role="alert"' in html


def test_staff_of_several_offices_choose_one_and_can_switch(client, personas):
    Membership.objects.create(user=personas.staff, office=personas.other_office, role=Membership.Role.VIEWER)
    login(client, personas.staff)
    chooser = client.get(reverse("web:staff_start")).content.decode()
    assert workspace_url(personas.office) in chooser and workspace_url(personas.other_office) in chooser
    home = client.get(workspace_url(personas.office)).content.decode()
    assert "Ganti kantor" in home and workspace_url(personas.other_office) in home


def test_one_office_staff_see_no_switcher(client, personas):
    login(client, personas.staff)
    assert "Ganti kantor" not in client.get(workspace_url(personas.office)).content.decode()


def test_home_lists_waiting_conversation_and_voice_message_with_ages(client, personas, waiting, voice):
    login(client, personas.viewer)
    response = client.get(workspace_url(personas.office))
    assert response.status_code == 200
    html = response.content.decode()
    assert "+62812•••••890" in html and "6281234567890" not in html  # masked
    assert "081298•••432" in html and "081298765432" not in html
    assert "menunggu 3\xa0jam" in html
    assert reverse("messaging:inbox", args=[personas.office.slug]) in html


def test_a_voice_message_marked_handled_leaves_the_home(client, personas, voice):
    handled = reverse("phone:voice_handled", args=[personas.office.slug, voice.pk])
    login(client, personas.viewer)
    assert client.post(handled).status_code == 403
    login(client, personas.outsider)
    assert client.post(handled).status_code == 404
    login(client, personas.staff)
    assert (
        "Sudah ditindaklanjuti" in client.get(reverse("phone:dashboard", args=[personas.office.slug])).content.decode()
    )
    assert client.post(handled).status_code == 302
    voice.refresh_from_db()
    assert voice.handled_at is not None
    assert "Tidak ada pesan suara yang menunggu." in client.get(workspace_url(personas.office)).content.decode()


def test_navigation_bar_on_staff_pages_links_every_workspace_screen(client, personas):
    login(client, personas.staff)
    slug = personas.office.slug
    for url in [
        workspace_url(personas.office),
        reverse("messaging:inbox", args=[slug]),
        reverse("phone:dashboard", args=[slug]),
        reverse("announcements:staff_list", args=[slug]),
        reverse("web:editor_list", args=[slug]),
        reverse("web:profile", args=[slug]),
    ]:
        html = client.get(url).content.decode()
        for link in [f"/staf/{slug}/pesan/", f"/staf/{slug}/telepon/", f"/staf/{slug}/pengumuman/"]:
            assert f'href="{link}"' in html, (url, link)
        assert f'href="/staf/{slug}/layanan/"' in html and f'href="/staf/{slug}/profil/"' in html
        assert f'action="{reverse("web:staff_logout")}"' in html and "csrfmiddlewaretoken" in html


def test_logout_is_a_post_and_ends_the_session(client, personas):
    login(client, personas.staff)
    assert client.get(reverse("web:staff_logout")).status_code == 405
    response = client.post(reverse("web:staff_logout"))
    assert response.status_code == 302 and response.url == reverse("web:staff_login")
    assert client.get(workspace_url(personas.office)).status_code == 302  # back to the login


def test_outsider_and_missing_office_get_404(client, personas):
    login(client, personas.outsider)
    assert client.get(workspace_url(personas.office)).status_code == 404
    assert client.get("/staf/tidak-ada/").status_code == 404


def test_viewer_is_told_they_only_read(client, personas):
    login(client, personas.viewer)
    assert "hanya boleh melihat" in client.get(workspace_url(personas.office)).content.decode()
    login(client, personas.staff)
    assert "hanya boleh melihat" not in client.get(workspace_url(personas.office)).content.decode()


def test_anonymous_goes_to_the_staff_login(client, personas):
    response = client.get(workspace_url(personas.office))
    assert response.status_code == 302 and response.url.startswith(reverse("web:staff_login"))


def test_user_without_office_is_told_so(client, personas):
    create_user("tanpa_kantor")
    assert client.login(username="tanpa_kantor", password=PASSWORD)
    assert "belum terdaftar" in client.get(reverse("web:staff_start")).content.decode()


def test_home_is_a_handful_of_queries_however_much_waits(client, personas, voice):
    channel = create_test_channel(personas.office)
    login(client, personas.staff)
    for i in range(8):
        ask(channel, "apakah besok kantor buka pak", urn=f"tel:+628123456780{i}")
    with CaptureQueriesContext(connection) as few:
        assert client.get(workspace_url(personas.office)).status_code == 200
    for i in range(8):
        ask(channel, "halo pak camat", urn=f"tel:+628129999990{i}")
    with CaptureQueriesContext(connection) as more:
        assert client.get(workspace_url(personas.office)).status_code == 200
    # One query a panel, or two; the letters panel made it 11.
    assert 5 <= len(more) == len(few) <= 11, [q["sql"] for q in more.captured_queries]


def test_the_workspace_speaks_english_when_asked(client, personas, waiting):
    login(client, personas.staff)
    client.cookies["django_language"] = "en"
    html = client.get(workspace_url(personas.office)).content.decode()
    assert "Needs attention" in html and "Conversations waiting for a reply" in html and "Sign out" in html


def test_home_says_who_took_a_waiting_conversation(client, personas, waiting):
    from layan.messaging.models import Contact
    from layan.messaging.services.inbox import take_conversation

    login(client, personas.staff)
    assert "belum diambil" in client.get(workspace_url(personas.office)).content.decode()
    take_conversation(personas.office, Contact.objects.get(), user=personas.admin)
    assert "diambil admin_a" in client.get(workspace_url(personas.office)).content.decode()
