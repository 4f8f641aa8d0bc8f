"""'3 nomor lagi': one message to a citizen who took a number by chat, SMS or the web, when three
or fewer numbers stand before theirs; never a second one."""

import pytest
from django.urls import reverse

from layan.messaging.models import Message
from layan.messaging.services import get_or_create_urn
from layan.messaging.tests.helpers import ask, create_test_channel
from layan.queue import notify, services
from layan.queue.models import Ticket

from .helpers import create_queue

pytestmark = pytest.mark.django_db
NUMBER = "tel:+6281234567890"


def notices(identity=NUMBER) -> list[Message]:
    return list(
        Message.objects.filter(urn__identity=identity, direction="out", text__startswith="Antrian ").order_by("id")
    )


@pytest.fixture
def on_duty(client, personas):
    service, lane, counter = create_queue(personas.office)
    client.force_login(personas.staff)
    client.post(reverse("queue:counters", args=[personas.office.slug]), {"counter": counter.pk})
    return lane


def call_and_finish(client, office):
    client.post(reverse("queue:act", args=[office.slug, 1, "panggil"]))
    client.post(reverse("queue:act", args=[office.slug, 1, "selesai"]))


def test_a_web_ticket_gets_one_sms_when_three_numbers_are_left(client, personas, on_duty):
    sms = create_test_channel(personas.office)
    for _ in range(5):
        services.take_ticket(personas.office, lane=on_duty, source="kiosk")
    mine = services.take_ticket(personas.office, lane=on_duty, source="web", urn=get_or_create_urn(NUMBER))
    call_and_finish(client, personas.office)  # 4 before it now
    assert notices() == []
    call_and_finish(client, personas.office)  # 3 before it
    [notice] = notices()
    assert notice.channel == sms
    assert notice.text.startswith("Antrian A006 Kecamatan Kisam Tinggi: 3 nomor lagi, perkiraan 15 menit.")
    assert f"/kisam-tinggi/antrian/nomor/{mine.token}/" in notice.text
    for _ in range(3):
        call_and_finish(client, personas.office)
    assert len(notices()) == 1  # 2, 1, 0 before it: told once
    mine.refresh_from_db()
    assert mine.approach_notified_at is not None


def test_a_ticket_taken_close_to_its_turn_is_told_at_the_next_call(client, personas, on_duty):
    create_test_channel(personas.office)
    services.take_ticket(personas.office, lane=on_duty, source="kiosk")
    services.take_ticket(personas.office, lane=on_duty, source="kiosk")
    services.take_ticket(personas.office, lane=on_duty, source="web", urn=get_or_create_urn(NUMBER))
    client.post(reverse("queue:act", args=[personas.office.slug, 1, "panggil"]))
    [notice] = notices()
    assert "1 nomor lagi" in notice.text


def test_kiosk_tickets_have_nobody_to_tell(client, personas, on_duty):
    create_test_channel(personas.office)
    for _ in range(3):
        services.take_ticket(personas.office, lane=on_duty, source="kiosk")
    call_and_finish(client, personas.office)
    assert not Message.objects.filter(direction="out").exists()
    assert not Ticket.objects.filter(approach_notified_at__isnull=False).exists()


def test_a_chat_ticket_is_told_on_the_channel_it_came_from(client, personas, on_duty):
    chat = create_test_channel(personas.office)
    for _ in range(4):
        services.take_ticket(personas.office, lane=on_duty, source="kiosk")
    ask(chat, "ANTRI A", urn="telegram:4242")
    assert notices("telegram:4242") == []
    call_and_finish(client, personas.office)
    [notice] = notices("telegram:4242")
    assert notice.channel == chat and "A005" in notice.text and "3 nomor lagi" in notice.text


def test_two_calls_at_once_write_one_message(personas, on_duty):
    create_test_channel(personas.office)
    services.take_ticket(personas.office, lane=on_duty, source="web", urn=get_or_create_urn(NUMBER))
    assert notify.notify_approaching(personas.office) == 1
    assert notify.notify_approaching(personas.office) == 0
    assert len(notices()) == 1


def test_without_a_channel_nothing_is_written_and_nothing_fails(client, personas, on_duty):
    services.take_ticket(personas.office, lane=on_duty, source="kiosk")
    services.take_ticket(personas.office, lane=on_duty, source="web", urn=get_or_create_urn(NUMBER))
    response = client.post(reverse("queue:act", args=[personas.office.slug, 1, "panggil"]))
    assert response.status_code == 302
    assert Ticket.objects.get(number=1).status == "called"
    assert notices() == []
