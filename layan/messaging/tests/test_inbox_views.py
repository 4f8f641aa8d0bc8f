"""Staff inbox: conversations needing an answer, masked numbers, replies on the same channel."""

import pytest
from django.urls import reverse

from layan.messaging.models import Contact, Message
from testkit.personas import PASSWORD

from .helpers import CITIZEN, ask, create_test_channel


@pytest.fixture
def waiting(personas):
    channel = create_test_channel(personas.office)
    ask(channel, "apakah besok kantor buka pak")  # nothing in the catalogue: goes to the inbox
    return channel, Contact.objects.get()


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


def test_inbox_lists_waiting_conversation_with_masked_number(client, personas, waiting):
    login(client, personas.staff)
    response = client.get(reverse("messaging:inbox", args=[personas.office.slug]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "+62812•••••890" in html
    assert "6281234567890" not in html


def test_outsider_gets_404(client, personas, waiting):
    login(client, personas.outsider)
    _channel, contact = waiting
    assert client.get(reverse("messaging:inbox", args=[personas.office.slug])).status_code == 404
    url = reverse("messaging:conversation", args=[personas.office.slug, contact.uuid])
    assert client.get(url).status_code == 404
    assert client.post(url, {"text": "halo"}).status_code == 404
    assert client.get(reverse("messaging:simulator", args=[personas.office.slug])).status_code == 404


def test_anonymous_is_sent_to_login(client, personas):
    response = client.get(reverse("messaging:inbox", args=[personas.office.slug]))
    assert response.status_code == 302 and response.url.startswith("/staf/masuk/")


def test_staff_reply_goes_to_outbox_and_leaves_inbox(client, personas, waiting):
    channel, contact = waiting
    login(client, personas.staff)
    url = reverse("messaging:conversation", args=[personas.office.slug, contact.uuid])
    page = client.get(url)
    assert "apakah besok kantor buka pak" in page.content.decode()
    response = client.post(url, {"text": "Besok buka pukul 08.00, Bapak."})
    assert response.status_code == 302
    reply = Message.objects.get(sent_by=personas.staff)
    assert reply.channel == channel and reply.urn.identity == CITIZEN and reply.status == "queued"
    inbox = client.get(reverse("messaging:inbox", args=[personas.office.slug]))
    assert "+62812•••••890" not in inbox.content.decode()


def test_empty_reply_is_a_400_with_indonesian_error(client, personas, waiting):
    _channel, contact = waiting
    login(client, personas.staff)
    url = reverse("messaging:conversation", args=[personas.office.slug, contact.uuid])
    response = client.post(url, {"text": ""})
    assert response.status_code == 400
    assert "wajib" in response.content.decode().lower() or "diisi" in response.content.decode().lower()


def test_viewer_cannot_reply(client, personas, waiting):
    _channel, contact = waiting
    login(client, personas.viewer)
    url = reverse("messaging:conversation", args=[personas.office.slug, contact.uuid])
    assert client.get(url).status_code == 200
    assert client.post(url, {"text": "halo"}).status_code == 403


def test_inbox_query_count_does_not_grow_with_conversations(client, personas, django_assert_max_num_queries):
    channel = create_test_channel(personas.office)
    for i in range(12):
        ask(channel, "pertanyaan yang tidak ada jawabannya", urn=f"tel:+62812345678{i:02d}")
    login(client, personas.staff)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("messaging:inbox", args=[personas.office.slug]))
    assert response.content.decode().count("•••••") == 12


def test_the_reply_screen_is_audited_and_masks_a_nik_the_citizen_sent(client, personas, waiting):
    from layan.offices.models import AuditEvent

    channel, contact = waiting
    ask(channel, "NIK saya 1609123456780001, kapan KTP jadi?")
    login(client, personas.staff)
    url = reverse("messaging:conversation", args=[personas.office.slug, contact.uuid])
    html = client.get(url).content.decode()
    assert "NIK saya 1609••••••••0001" in html and "1609123456780001" not in html
    assert CITIZEN.removeprefix("tel:") in html  # the officer sees whom they answer...
    event = AuditEvent.objects.get()  # ...and that is recorded
    assert (event.office, event.actor, event.action) == (personas.office, personas.staff, "view_phone")
    assert event.target == f"contact:{contact.uuid}"
