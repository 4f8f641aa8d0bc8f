"""The inbox's take and done (messaging.services.inbox and the views): who took a conversation
shows in the list, done takes it out until the citizen asks again, the list refreshes through
an htmx partial, a viewer cannot write and an outsider sees nothing."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from layan.messaging.models import Contact, InboxAssignment, Message
from layan.messaging.services.inbox import mark_conversation_done, take_conversation
from testkit.personas import PASSWORD

from .helpers import ask, create_test_channel


@pytest.fixture
def waiting(personas):
    channel = create_test_channel(personas.office)
    ask(channel, "apakah besok kantor buka pak")
    ask(channel, "NIK saya 1609123456780001, tolong dicek")  # the last message, not answered either
    return channel, Contact.objects.get()


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


def inbox_html(client, office) -> str:
    return client.get(reverse("messaging:inbox", args=[office.slug])).content.decode()


def urls(office, contact) -> list[str]:
    return [reverse(f"messaging:{name}", args=[office.slug, contact.uuid]) for name in ("take", "done")]


def test_each_row_shows_last_message_masked_channel_wait_and_taker(client, personas, waiting):
    channel, _contact = waiting
    login(client, personas.staff)
    html = inbox_html(client, personas.office)
    assert "NIK saya 1609••••••••0001, tolong dicek" in html and "1609123456780001" not in html
    assert str(channel.get_kind_display()) in html
    assert "2 pesan belum dibalas" in html
    assert "0\xa0menit" in html  # waiting time
    assert "belum diambil" in html


def test_take_shows_who_has_it(client, personas, waiting):
    _channel, contact = waiting
    login(client, personas.staff)
    take_url, _done_url = urls(personas.office, contact)
    response = client.post(take_url)
    assert response.status_code == 302 and response.url == reverse("messaging:inbox", args=[personas.office.slug])
    assert InboxAssignment.objects.get().taken_by == personas.staff
    assert "staf_a (Anda)" in inbox_html(client, personas.office)
    login(client, personas.admin)
    html = inbox_html(client, personas.office)
    assert "staf_a" in html and "(Anda)" not in html


def test_take_from_the_conversation_page_returns_there_but_never_to_another_site(client, personas, waiting):
    _channel, contact = waiting
    login(client, personas.staff)
    page = reverse("messaging:conversation", args=[personas.office.slug, contact.uuid])
    take_url, _done_url = urls(personas.office, contact)
    assert client.post(take_url, {"next": page}).url == page
    assert "Ditangani oleh staf_a" in client.get(page).content.decode()
    assert client.post(take_url, {"next": "https://contoh.invalid/"}).url.startswith("/staf/")


def test_done_leaves_the_inbox_until_the_citizen_asks_again(client, personas, waiting):
    channel, contact = waiting
    login(client, personas.staff)
    take_url, done_url = urls(personas.office, contact)
    client.post(take_url)
    assert client.post(done_url).status_code == 302
    assert "Tidak ada pesan yang menunggu balasan." in inbox_html(client, personas.office)
    assignment = InboxAssignment.objects.get()
    assert assignment.done_by == personas.staff and assignment.taken_by is None
    ask(channel, "pak, jadi bagaimana?")
    html = inbox_html(client, personas.office)
    assert "pak, jadi bagaimana?" in html and "belum diambil" in html


def test_services_keep_one_row_per_conversation(personas, waiting):
    _channel, contact = waiting
    take_conversation(personas.office, contact, user=personas.staff)
    take_conversation(personas.office, contact, user=personas.admin)  # a colleague takes it over
    mark_conversation_done(personas.office, contact, user=personas.admin)
    assert InboxAssignment.objects.count() == 1
    assert not Message.objects.filter(needs_reply=True).exists()


def test_the_list_refreshes_itself_through_a_partial(client, personas, waiting, monkeypatch):
    # The version includes the minute (the ages shown): hold the view's clock still.
    fixed = timezone.now()
    monkeypatch.setattr("layan.messaging.views.timezone.now", lambda: fixed)
    login(client, personas.staff)
    html = inbox_html(client, personas.office)
    assert 'aria-live="polite"' in html and 'hx-trigger="every 20s"' in html
    url = reverse("messaging:inbox", args=[personas.office.slug])
    partial = client.get(url, {"daftar": "1"}, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in partial and "tolong dicek" in partial
    [version] = re.findall(r'name="v" value="(\w+)"', partial)
    # Nothing changed: 204, htmx keeps the list as it is (the live region stays quiet).
    same = client.get(url, {"daftar": "1", "v": version}, headers={"HX-Request": "true"})
    assert same.status_code == 204
    ask(waiting[0], "halo?", urn="tel:+6281299990000")
    changed = client.get(url, {"daftar": "1", "v": version}, headers={"HX-Request": "true"})
    assert changed.status_code == 200 and "halo?" in changed.content.decode()


def test_viewer_reads_but_cannot_take_done_or_reply(client, personas, waiting):
    _channel, contact = waiting
    login(client, personas.viewer)
    html = inbox_html(client, personas.office)
    assert "tolong dicek" in html
    assert "Ambil" not in html and "Selesai" not in html
    page = client.get(reverse("messaging:conversation", args=[personas.office.slug, contact.uuid])).content.decode()
    assert "Kirim balasan" not in page and "Tandai selesai" not in page
    for url in urls(personas.office, contact):
        assert client.post(url).status_code == 403
    assert not InboxAssignment.objects.exists()
    assert Message.objects.filter(needs_reply=True).count() == 2


def test_outsider_gets_404_and_get_is_refused(client, personas, waiting):
    _channel, contact = waiting
    login(client, personas.outsider)
    for url in urls(personas.office, contact):
        assert client.post(url).status_code == 404
    login(client, personas.staff)
    for url in urls(personas.office, contact):
        assert client.get(url).status_code == 405
