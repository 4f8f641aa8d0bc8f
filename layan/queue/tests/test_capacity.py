"""The waiting room's maximum, pandemic mode and the walk-in quota stop tickets with an Indonesian message."""

import datetime as dt
import zoneinfo

import pytest

from layan.queue.models import AppointmentSlot, Ticket
from layan.queue.services import QueueFull, book_appointment, call_next, check_in, start_service, take_ticket

from .helpers import create_queue, set_rules

pytestmark = pytest.mark.django_db

WIB = zoneinfo.ZoneInfo("Asia/Jakarta")
NOW = dt.datetime(2026, 3, 2, 10, 0, tzinfo=WIB)


def take(office, service, minutes=0):
    return take_ticket(office, service=service, source="kiosk", now=NOW + dt.timedelta(minutes=minutes))


def test_a_full_waiting_room_refuses_and_says_when_to_come_back(personas):
    office = personas.office
    service, _lane, counter = create_queue(office)
    set_rules(office, waiting_room_max=2, default_service_minutes=7)
    take(office, service)
    take(office, service)
    with pytest.raises(QueueFull) as refused:
        take(office, service)
    # One person must leave first: 7 minutes at one counter, rounded up to 5 minutes.
    assert str(refused.value) == (
        "Ruang tunggu sedang penuh (maksimal 2 orang). Silakan kembali sekitar pukul 10.10 WIB."
    )
    assert refused.value.come_back_at == NOW + dt.timedelta(minutes=10)
    # Called to the counter is still in the room; being served is not.
    ticket = call_next(counter, actor=personas.staff, now=NOW)
    with pytest.raises(QueueFull):
        take(office, service)
    start_service(ticket, actor=personas.staff, now=NOW)
    assert take(office, service).display == "A003"


def test_pandemic_mode_uses_its_own_smaller_maximum(personas):
    office = personas.office
    service, _lane, _counter = create_queue(office)
    set_rules(office, waiting_room_max=50, pandemic_mode=True, pandemic_room_max=1)
    take(office, service)
    with pytest.raises(
        QueueFull,
        match=r"^Mode pandemi: ruang tunggu dibatasi 1 orang dan sedang penuh. "
        r"Silakan kembali sekitar pukul 10.05 WIB.$",
    ):
        take(office, service)


def test_the_walk_in_quota_leaves_room_for_appointments(personas):
    office = personas.office
    service, _lane, _counter = create_queue(office)
    set_rules(office, walk_in_quota=1)
    slot = AppointmentSlot.objects.create(
        office=office, service=service, date=NOW.date(), start=dt.time(10), end=dt.time(10, 30), capacity=1
    )
    booking = book_appointment(slot, name="Budi", now=NOW - dt.timedelta(days=1))
    take(office, service)
    with pytest.raises(QueueFull, match="^Kuota antrian tanpa janji temu hari ini \\(1 nomor\\) sudah habis."):
        take(office, service)
    assert check_in(booking, now=NOW).display == "A002"  # no gap: the refused one gave its number back
    assert list(Ticket.objects.values_list("number", flat=True).order_by("number")) == [1, 2]


def test_numbers_start_again_at_one_the_next_day(personas):
    office = personas.office
    service, _lane, _counter = create_queue(office)
    take(office, service)
    assert take(office, service, minutes=24 * 60).display == "A001"
