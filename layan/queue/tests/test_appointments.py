"""Appointments: slots with a capacity, bookings, check-in, and reminders written to the outbox once each."""

import datetime as dt
import zoneinfo

import pytest

from layan.messaging.models import Message
from layan.messaging.tests.helpers import create_test_channel
from layan.queue.models import AppointmentSlot
from layan.queue.services import (
    QueueError,
    book_appointment,
    cancel_appointment,
    check_in,
    send_appointment_reminders,
)

from .helpers import create_priority, create_queue

pytestmark = pytest.mark.django_db

WIB = zoneinfo.ZoneInfo("Asia/Jakarta")
SLOT_DAY = dt.date(2026, 3, 3)  # a Tuesday


def wib(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=WIB)


EARLIER = wib(SLOT_DAY - dt.timedelta(days=3), 10)


@pytest.fixture
def slot(personas):
    service, _lane, _counter = create_queue(personas.office)
    return AppointmentSlot.objects.create(
        office=personas.office, service=service, date=SLOT_DAY, start=dt.time(9), end=dt.time(9, 30), capacity=2
    )


def test_a_slot_takes_as_many_bookings_as_its_capacity(slot):
    book_appointment(slot, name="Budi", now=EARLIER)
    book_appointment(slot, name="Sari", now=EARLIER)
    with pytest.raises(QueueError, match="^Slot ini sudah penuh. Pilih waktu lain.$"):
        book_appointment(slot, name="Rina", now=EARLIER)
    slot.refresh_from_db()
    assert slot.booked == 2


def test_cancelling_gives_the_place_back(slot):
    first = book_appointment(slot, name="Budi", now=EARLIER)
    book_appointment(slot, name="Sari", now=EARLIER)
    cancel_appointment(first)
    assert book_appointment(slot, name="Rina", now=EARLIER).status == "booked"
    with pytest.raises(QueueError, match="tidak bisa dibatalkan"):
        cancel_appointment(first)


def test_bookings_are_refused_for_a_past_slot_a_bad_phone_or_no_name(slot):
    with pytest.raises(QueueError, match="sudah lewat"):
        book_appointment(slot, name="Budi", now=wib(SLOT_DAY, 10))
    with pytest.raises(QueueError, match="^Nomor telepon tidak valid.$"):
        book_appointment(slot, name="Budi", phone="12", now=EARLIER)
    with pytest.raises(QueueError, match="^Nama wajib diisi.$"):
        book_appointment(slot, name="  ", now=EARLIER)


def test_check_in_turns_the_booking_into_a_ticket_with_its_priority(slot, personas):
    lansia = create_priority(personas.office, "lansia")
    booking = book_appointment(slot, name="Pak Harun", priority=lansia, now=EARLIER)
    with pytest.raises(QueueError, match="Check-in dibuka mulai 2 jam sebelum janji temu"):
        check_in(booking, now=wib(SLOT_DAY, 6))
    ticket = check_in(booking, now=wib(SLOT_DAY, 8, 45))
    assert (ticket.display, ticket.priority, ticket.source) == ("A001", lansia, "appointment")
    assert ticket.appointment == booking and ticket.queue_at == wib(SLOT_DAY, 9)
    with pytest.raises(QueueError, match="sudah check-in"):
        check_in(booking, now=wib(SLOT_DAY, 8, 50))


def test_check_in_after_the_slot_ended_is_refused(slot):
    booking = book_appointment(slot, name="Budi", now=EARLIER)
    with pytest.raises(QueueError, match="sudah lewat"):
        check_in(booking, now=wib(SLOT_DAY, 9, 31))


def test_a_pickup_appointment_carries_the_application_and_its_applicant(slot, personas):
    from layan.applications.services import submit_application
    from layan.regions.models import Village

    application = submit_application(
        personas.office,
        service=slot.service,
        applicant_name="Dewi Lestari",
        nik="1609104107900001",
        village=Village.objects.get(code="16.09.10.2001"),
        phone="081234567890",
        channel="web",
    )
    booking = book_appointment(slot, application=application, now=EARLIER)
    assert booking.name == "Dewi Lestari" and booking.phone == "+6281234567890"
    assert list(application.pickup_appointments.all()) == [booking]


def test_reminders_go_the_day_before_and_an_hour_before_once_each(slot, personas):
    create_test_channel(personas.office)
    booking = book_appointment(slot, name="Budi", phone="081234567890", now=EARLIER)
    day_before = SLOT_DAY - dt.timedelta(days=1)
    assert send_appointment_reminders(now=wib(day_before, 8)) == 0  # too early in the morning
    assert send_appointment_reminders(now=wib(day_before, 9, 1)) == 1
    assert send_appointment_reminders(now=wib(day_before, 15)) == 0
    assert send_appointment_reminders(now=wib(SLOT_DAY, 7, 30)) == 0
    assert send_appointment_reminders(now=wib(SLOT_DAY, 8, 1)) == 1
    assert send_appointment_reminders(now=wib(SLOT_DAY, 8, 30)) == 0
    texts = list(Message.objects.filter(direction="out").order_by("id").values_list("text", flat=True))
    where = "Pengingat: janji temu KTP-el di Kecamatan Kisam Tinggi"
    assert texts == [
        f"{where} besok pukul 09.00 WIB. Kode check-in: {booking.code}.",
        f"{where} hari ini pukul 09.00 WIB. Kode check-in: {booking.code}.",
    ]


def test_no_reminder_for_a_booking_made_after_its_time_or_cancelled(slot, personas):
    create_test_channel(personas.office)
    late = book_appointment(slot, name="Budi", phone="081234567890", now=wib(SLOT_DAY, 8, 20))
    cancelled = book_appointment(slot, name="Sari", phone="081234567891", now=EARLIER)
    cancel_appointment(cancelled)
    assert send_appointment_reminders(now=wib(SLOT_DAY, 8, 30)) == 0
    late.refresh_from_db()
    assert late.reminded_hour_before_at is not None  # settled: never sent later
    assert not Message.objects.filter(direction="out").exists()
