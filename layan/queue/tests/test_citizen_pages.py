"""The citizen's pages on the web: the live status page of a ticket (what its QR code opens), the
web ticket with its optional number for "3 nomor lagi", and web booking of an appointment."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from layan.messaging.models import ContactURN
from layan.queue import services
from layan.queue.models import Appointment, AppointmentSlot, Ticket

from .helpers import create_queue

pytestmark = pytest.mark.django_db


def status_url(ticket) -> str:
    return reverse("queue:status", kwargs={"office_slug": ticket.office.slug, "token": ticket.token})


def test_the_status_page_says_how_many_numbers_before_and_the_estimated_wait(client, personas):
    _service, lane, _counter = create_queue(personas.office)
    for _ in range(3):
        services.take_ticket(personas.office, lane=lane, source="kiosk")
    mine = services.take_ticket(personas.office, lane=lane, source="kiosk")
    response = client.get(status_url(mine))
    page = response.content.decode()
    assert "A004" in page
    assert "3 nomor lagi, perkiraan 15 menit" in page  # three before it, the default 5 minutes each
    assert response["Cache-Control"] == "no-store"
    assert 'hx-trigger="every 15s"' in page and 'http-equiv="refresh"' in page


def test_the_status_page_follows_the_ticket_to_the_counter(client, personas):
    _service, lane, counter = create_queue(personas.office)
    ticket = services.take_ticket(personas.office, lane=lane, source="kiosk")
    services.call_next(counter, actor=personas.staff)
    page = client.get(status_url(ticket), HTTP_HX_REQUEST="true").content.decode()
    assert "Dipanggil — silakan menuju Loket 1" in page
    assert "<html" not in page  # only the polled panel


def test_the_status_page_shows_no_personal_data(client, personas):
    _service, lane, _counter = create_queue(personas.office)
    response = client.post(
        reverse("queue:web_ticket", args=[personas.office.slug]), {"lane": "A", "phone": "0812-3456-7890"}
    )
    ticket = Ticket.objects.get()
    assert response.status_code == 302 and response["Location"] == status_url(ticket)
    page = client.get(status_url(ticket)).content.decode()
    assert "A001" in page
    for shown in ("812", "3456", "7890", "+62"):
        assert shown not in page


def test_a_token_is_only_good_at_its_own_office(client, personas):
    _service, lane, _counter = create_queue(personas.office)
    ticket = services.take_ticket(personas.office, lane=lane, source="kiosk")
    other = reverse("queue:status", kwargs={"office_slug": personas.other_office.slug, "token": ticket.token})
    assert client.get(other).status_code == 404
    assert client.get(reverse("queue:status", args=[personas.office.slug, "bukan-token"])).status_code == 404


def test_a_web_ticket_keeps_the_number_for_the_notification(client, personas):
    create_queue(personas.office)
    client.post(reverse("queue:web_ticket", args=[personas.office.slug]), {"lane": "A", "phone": "0812-3456-7890"})
    ticket = Ticket.objects.get()
    assert ticket.source == "web" and ticket.urn.identity == "tel:+6281234567890"


def test_a_web_ticket_without_a_number_is_fine_and_a_bad_number_is_refused(client, personas):
    create_queue(personas.office)
    url = reverse("queue:web_ticket", args=[personas.office.slug])
    bad = client.post(url, {"lane": "A", "phone": "12"})
    assert bad.status_code == 400 and "Nomor HP tidak valid" in bad.content.decode()
    assert not Ticket.objects.exists()
    client.post(url, {"lane": "A", "phone": ""})
    assert Ticket.objects.get().urn is None
    assert not ContactURN.objects.exists()


def _slot(office, service, *, days=1, capacity=1) -> AppointmentSlot:
    day = timezone.now().astimezone(office.tz).date() + dt.timedelta(days=days)
    return AppointmentSlot.objects.create(
        office=office, service=service, date=day, start=dt.time(9), end=dt.time(9, 30), capacity=capacity
    )


def test_web_booking_lists_free_slots_books_one_and_shows_the_code(client, personas):
    service, _lane, _counter = create_queue(personas.office)
    slot = _slot(personas.office, service)
    url = reverse("queue:booking", args=[personas.office.slug])
    assert "KTP-el" in client.get(url).content.decode()
    page = client.get(url, {"layanan": "ktp"}).content.decode()
    assert f'value="{slot.pk}"' in page and "09.00" in page
    response = client.post(url + "?layanan=ktp", {"slot": slot.pk, "name": "Siti Aminah", "phone": "081234567890"})
    appointment = Appointment.objects.get()
    assert response.status_code == 302
    assert appointment.slot == slot and appointment.phone == "+6281234567890"
    page = client.get(response["Location"]).content.decode()
    assert appointment.code in page and "Siti" not in page and "7890" not in page


def test_a_full_slot_is_no_longer_offered_and_cannot_be_booked(client, personas):
    service, _lane, _counter = create_queue(personas.office)
    slot = _slot(personas.office, service, capacity=1)
    services.book_appointment(slot, name="Budi", phone="081234567891")
    url = reverse("queue:booking", args=[personas.office.slug]) + "?layanan=ktp"
    assert f'value="{slot.pk}"' not in client.get(url).content.decode()
    response = client.post(url, {"slot": slot.pk, "name": "Siti", "phone": "081234567890"})
    assert response.status_code == 400 and "Pilih salah satu jadwal" in response.content.decode()
    assert Appointment.objects.count() == 1


def test_booking_needs_a_name_and_a_valid_number(client, personas):
    service, _lane, _counter = create_queue(personas.office)
    slot = _slot(personas.office, service)
    url = reverse("queue:booking", args=[personas.office.slug]) + "?layanan=ktp"
    response = client.post(url, {"slot": slot.pk, "name": "", "phone": "abc"})
    assert response.status_code == 400
    assert "Nomor HP tidak valid" in response.content.decode()
    assert not Appointment.objects.exists()


def test_web_tickets_and_bookings_are_rate_limited_per_address_the_kiosk_is_not(client, personas, settings):
    settings.LAYAN_RATE_LIMITS = settings.LAYAN_RATE_LIMITS | {"queue": "2/h"}
    create_queue(personas.office)
    url = reverse("queue:web_ticket", args=[personas.office.slug])
    assert [client.post(url, {"lane": "A"}).status_code for _ in range(3)] == [302, 302, 429]
    limited = client.post(reverse("queue:booking", args=[personas.office.slug]) + "?layanan=ktp", {})
    assert limited.status_code == 429 and "Terlalu banyak permintaan" in limited.content.decode()
    assert Ticket.objects.count() == 2
    assert client.post(reverse("queue:kiosk", args=[personas.office.slug]), {"lane": "A"}).status_code == 302


def test_the_office_home_links_to_the_web_ticket_and_booking(client, personas):
    page = client.get(reverse("web:office_home", args=[personas.office.slug])).content.decode()
    assert f'href="{reverse("queue:web_ticket", args=[personas.office.slug])}"' in page
    assert f'href="{reverse("queue:booking", args=[personas.office.slug])}"' in page


def test_an_unchanged_status_poll_gets_204_and_a_call_changes_it(client, personas):
    _service, lane, counter = create_queue(personas.office)
    services.take_ticket(personas.office, lane=lane, source="kiosk")
    mine = services.take_ticket(personas.office, lane=lane, source="kiosk")

    def poll(version=""):
        return client.get(status_url(mine), {"v": version}, HTTP_HX_REQUEST="true")

    def version_of(response):
        return response.content.decode().split('id="status-version" name="v" value="')[1].split('"')[0]

    version = version_of(poll())
    same = poll(version)
    if same.status_code == 200:  # the clock passed a minute between the two polls
        version = version_of(same)
        same = poll(version)
    assert same.status_code == 204
    services.call_next(counter, actor=personas.staff)
    changed = poll(version)
    assert changed.status_code == 200 and "Anda berikutnya" in changed.content.decode()
