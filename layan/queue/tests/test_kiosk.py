"""The kiosk (/<office>/antrian/kiosk/): lanes and priority groups, the ticket with its QR code,
check-in of an appointment, the full waiting room, and nothing loaded from another host."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from layan.queue import services
from layan.queue.devices import TicketPrinter
from layan.queue.models import AppointmentSlot, Ticket

from .helpers import create_priority, create_queue, set_rules
from .test_printing import LoopbackPrinter, free_port

pytestmark = pytest.mark.django_db


def kiosk_url(office) -> str:
    return reverse("queue:kiosk", kwargs={"office_slug": office.slug})


def test_the_kiosk_lists_lanes_with_their_services_and_the_priority_groups(client, personas):
    create_queue(personas.office)
    create_priority(personas.office, "lansia")
    page = client.get(kiosk_url(personas.office)).content.decode()
    assert "Ambil nomor antrian" in page
    assert 'name="lane" value="A"' in page and "Kependudukan" in page and "KTP-el" in page
    assert 'name="priority" value="lansia"' in page and "Lansia" in page


def test_a_touch_on_a_lane_takes_a_number_and_shows_it_with_position_and_qr(client, personas):
    service, lane, _counter = create_queue(personas.office)
    services.take_ticket(personas.office, lane=lane, source="web")
    response = client.post(kiosk_url(personas.office), {"lane": "A", "priority": ""})
    ticket = Ticket.objects.get(source="kiosk")
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "queue:kiosk_ticket", kwargs={"office_slug": personas.office.slug, "token": ticket.token}
    )
    page = client.get(response["Location"]).content.decode()
    assert "A002" in page and "Kependudukan" in page
    assert "1 nomor lagi" in page  # the web ticket before it
    assert 'src="data:image/svg+xml' in page  # the QR code of its status page
    assert "data-return-after" in page  # back to the start for the next visitor


def test_a_touch_on_a_service_takes_a_number_in_its_lane_for_that_service(client, personas):
    service, lane, _counter = create_queue(personas.office)
    assert 'name="service" value="ktp"' in client.get(kiosk_url(personas.office)).content.decode()
    client.post(kiosk_url(personas.office), {"service": "ktp"})
    ticket = Ticket.objects.get()
    assert ticket.service == service and ticket.lane == lane and ticket.display == "A001"


def test_a_priority_group_is_kept_on_the_ticket(client, personas):
    create_queue(personas.office)
    lansia = create_priority(personas.office, "lansia")
    client.post(kiosk_url(personas.office), {"lane": "A", "priority": "lansia"})
    assert Ticket.objects.get().priority == lansia


def test_an_unknown_lane_is_refused_in_indonesian_without_a_ticket(client, personas):
    create_queue(personas.office)
    response = client.post(kiosk_url(personas.office), {"lane": "Z"})
    assert response.status_code == 400
    assert "Pilih salah satu layanan." in response.content.decode()
    assert not Ticket.objects.exists()


def test_a_full_waiting_room_shows_when_to_come_back_instead_of_the_buttons(client, personas):
    _service, lane, _counter = create_queue(personas.office)
    set_rules(personas.office, pandemic_mode=True, pandemic_room_max=1)
    services.take_ticket(personas.office, lane=lane, source="web")
    page = client.get(kiosk_url(personas.office)).content.decode()
    assert "Ruang tunggu sedang penuh" in page
    assert "Mode pandemi" in page and re.search(r"kembali (sekitar pukul|pada .+ pukul) \d\d\.\d\d", page)
    assert 'name="lane"' not in page


def test_a_number_taken_while_the_room_fills_up_gets_the_come_back_message(client, personas):
    _service, lane, _counter = create_queue(personas.office)
    set_rules(personas.office, waiting_room_max=1)
    page = client.get(kiosk_url(personas.office)).content.decode()
    assert 'name="lane"' in page  # room for one
    services.take_ticket(personas.office, lane=lane, source="web")  # someone else was faster
    response = client.post(kiosk_url(personas.office), {"lane": "A"})
    assert response.status_code == 400
    assert "Ruang tunggu sedang penuh" in response.content.decode()
    assert Ticket.objects.count() == 1


def test_the_kiosk_loads_nothing_from_another_host(client, personas):
    _service, lane, _counter = create_queue(personas.office)
    ticket = services.take_ticket(personas.office, lane=lane, source="kiosk")
    pages = [
        client.get(kiosk_url(personas.office)).content.decode(),
        client.get(reverse("queue:kiosk_ticket", args=[personas.office.slug, ticket.token])).content.decode(),
        client.get(reverse("queue:kiosk_check_in", args=[personas.office.slug])).content.decode(),
    ]
    for page in pages:
        for ref in re.findall(r'(?:src|href)="([^"]*)"', page):
            assert ref.startswith(("/", "data:", "#")), ref


def test_check_in_turns_an_appointment_into_a_ticket(client, personas, monkeypatch):
    # A fixed clock: a slot half an hour from the real time crossed midnight late in the evening.
    now = dt.datetime(2026, 3, 2, 10, 0, tzinfo=personas.office.tz)
    monkeypatch.setattr(timezone, "now", lambda: now)
    service, _lane, _counter = create_queue(personas.office)
    slot = AppointmentSlot.objects.create(
        office=personas.office, service=service, date=now.date(), start=dt.time(10, 30), end=dt.time(11), capacity=2
    )
    appointment = services.book_appointment(slot, name="Siti", phone="081234567890")
    url = reverse("queue:kiosk_check_in", args=[personas.office.slug])
    response = client.post(url, {"code": appointment.code.lower()})
    ticket = Ticket.objects.get()
    assert response.status_code == 302 and ticket.token in response["Location"]
    assert ticket.source == "appointment" and ticket.appointment == appointment
    again = client.post(url, {"code": appointment.code})
    assert again.status_code == 400 and "sudah check-in" in again.content.decode()
    wrong = client.post(url, {"code": "ZZZZZZ"})
    assert wrong.status_code == 400 and "tidak ditemukan" in wrong.content.decode()


def test_the_kiosk_of_an_unknown_office_is_404(client, personas):
    assert client.get(reverse("queue:kiosk", kwargs={"office_slug": "tidak-ada"})).status_code == 404


def test_a_kiosk_with_a_printer_prints_the_number_at_once_and_again_on_request(client, personas):
    create_queue(personas.office)
    printer = LoopbackPrinter()
    TicketPrinter.objects.create(office=personas.office, kiosk="lobi", host="127.0.0.1", port=printer.port)
    try:
        response = client.post(kiosk_url(personas.office) + "?kiosk=lobi", {"service": "ktp", "kiosk": "lobi"})
    finally:
        printer.close()
    ticket = Ticket.objects.get()
    assert response.status_code == 302 and response["Location"].endswith("?kiosk=lobi")
    assert b"A001" in printer.jobs[0]
    page = client.get(response["Location"]).content.decode()
    assert "Tiket A001 sudah dicetak." in page and "Cetak lagi" in page
    again = LoopbackPrinter()
    TicketPrinter.objects.filter(kiosk="lobi").update(port=again.port)
    try:
        client.post(reverse("queue:kiosk_print", args=[personas.office.slug, ticket.token]), {"kiosk": "lobi"})
    finally:
        again.close()
    assert b"A001" in again.jobs[0]


def test_a_printer_that_fails_keeps_the_number_and_says_so(client, personas):
    create_queue(personas.office)
    TicketPrinter.objects.create(office=personas.office, host="127.0.0.1", port=free_port())
    response = client.post(kiosk_url(personas.office), {"lane": "A"}, follow=True)
    assert Ticket.objects.get().status == "waiting"
    assert "Nomor A001 sudah tercatat, tetapi tiket tidak dapat dicetak." in response.content.decode()


def test_without_a_thermal_printer_the_browser_prints(client, personas):
    create_queue(personas.office)
    response = client.post(kiosk_url(personas.office), {"lane": "A"}, follow=True)
    page = response.content.decode()
    assert "data-print" in page and "Cetak lagi" not in page


def test_the_ticket_as_pdf(client, personas):
    _service, lane, _counter = create_queue(personas.office)
    ticket = services.take_ticket(personas.office, lane=lane, source="web")
    response = client.get(reverse("queue:ticket_pdf", args=[personas.office.slug, ticket.token]))
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")


def test_the_kiosk_in_english(client, personas, settings):
    create_queue(personas.office)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(kiosk_url(personas.office)).content.decode()
    assert "Take a queue number" in page and "Choose a service" in page and "Other in Kependudukan" in page
