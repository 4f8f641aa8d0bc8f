"""Tickets follow the office's hours: a number is a turn for today, so none after today's last
closing or on a closed day, and a full waiting room never says to come back after closing.

The persona office opens Monday–Thursday 08.00–15.30 and Friday 08.00–11.30 (2026-03-02 is a Monday).
"""

import datetime as dt
import zoneinfo

import pytest
from django.urls import reverse

from layan.offices.hours import day_status
from layan.offices.models import Holiday, OpeningHours
from layan.queue import queries
from layan.queue.models import Ticket
from layan.queue.services import QueueFull, take_ticket

from .helpers import create_queue, set_rules

pytestmark = pytest.mark.django_db

WIB = zoneinfo.ZoneInfo("Asia/Jakarta")


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 3, day, hour, minute, tzinfo=WIB)


@pytest.fixture
def office_hours(personas):
    """The queue, then the persona office's own hours back (create_lane opens it around the clock)."""
    office = personas.office
    service, lane, counter = create_queue(office)
    office.opening_hours.all().delete()
    for day in range(4):
        OpeningHours.objects.create(office=office, weekday=day, opens=dt.time(8), closes=dt.time(15, 30))
    OpeningHours.objects.create(office=office, weekday=4, opens=dt.time(8), closes=dt.time(11, 30))
    return office, service


def take(office, service, now):
    return take_ticket(office, service=service, source="web", now=now)


def test_a_number_before_opening_is_a_turn_for_today(office_hours):
    office, service = office_hours
    ticket = take(office, service, at(2, 6, 30))
    assert ticket.display == "A001" and ticket.day == dt.date(2026, 3, 2)


def test_after_closing_no_number_is_given_and_the_next_opening_is_told(office_hours):
    office, service = office_hours
    take(office, service, at(2, 15, 29))
    with pytest.raises(QueueFull) as refused:
        take(office, service, at(2, 15, 30))
    assert str(refused.value) == (
        "Loket antrian hari ini sudah tutup. Nomor antrian bisa diambil lagi Selasa, 3 Maret 2026 pukul 08.00 WIB."
    )
    assert refused.value.come_back_at == at(3, 8)
    assert Ticket.objects.count() == 1


def test_friday_afternoon_points_to_monday_and_a_holiday_is_skipped(office_hours):
    office, service = office_hours
    Holiday.objects.create(office=office, date=dt.date(2026, 3, 9), name="Cuti bersama")
    with pytest.raises(QueueFull) as refused:
        take(office, service, at(6, 13))
    assert refused.value.come_back_at == at(10, 8)  # not Saturday, Sunday or the Monday holiday


def test_a_holiday_closes_the_whole_day(office_hours):
    office, service = office_hours
    Holiday.objects.create(office=office, date=dt.date(2026, 3, 3), name="Hari Raya Nyepi")
    with pytest.raises(QueueFull, match="sudah tutup") as refused:
        take(office, service, at(3, 9))
    assert refused.value.come_back_at == at(4, 8)


def test_an_office_without_opening_hours_gives_numbers_at_any_hour(office_hours):
    office, service = office_hours
    office.opening_hours.all().delete()
    assert take(office, service, at(1, 23, 50)).display == "A001"  # a Sunday night


def test_a_full_room_near_closing_says_when_the_office_opens_again(office_hours):
    office, service = office_hours
    set_rules(office, pandemic_mode=True, pandemic_room_max=1, default_service_minutes=20)
    take(office, service, at(2, 15))
    with pytest.raises(QueueFull) as refused:
        take(office, service, at(2, 15, 5))  # a place frees up around 15.25: still today
    assert str(refused.value).endswith("Silakan kembali sekitar pukul 15.25 WIB.")
    with pytest.raises(QueueFull) as refused:
        take(office, service, at(2, 15, 15))  # around 15.35: after closing
    assert str(refused.value) == (
        "Mode pandemi: ruang tunggu dibatasi 1 orang dan sedang penuh. "
        "Silakan kembali pada Selasa, 3 Maret 2026 pukul 08.00 WIB."
    )
    assert refused.value.come_back_at == at(3, 8)


def test_ticket_hours_agree_with_the_days_hours_the_office_publishes(office_hours):
    """The queue asks its one SQL statement; the office page words day_status. Every half hour
    of a week with a holiday, a number can be taken exactly while today still has opening hours
    ahead or now."""
    office, _service = office_hours
    OpeningHours.objects.create(office=office, weekday=0, opens=dt.time(17), closes=dt.time(19))  # a second span
    Holiday.objects.create(office=office, date=dt.date(2026, 3, 4), name="Libur")
    office.refresh_from_db()
    for step in range(7 * 48):
        now = at(2, 0) + dt.timedelta(minutes=30 * step)
        status = day_status(office, now)
        published = bool(status.spans) and office.local_now(now).time() < max(close for _open, close in status.spans)
        assert queries.ticket_hours(office, now).open_at(now) is published, now


def test_the_kiosk_and_the_api_say_the_queue_has_closed_for_today(client, personas):
    """On the real clock: an office that opens only tomorrow."""
    office = personas.office
    create_queue(office)
    tomorrow = office.local_now().date() + dt.timedelta(days=1)
    office.opening_hours.all().delete()
    OpeningHours.objects.create(office=office, weekday=tomorrow.weekday(), opens=dt.time(8), closes=dt.time(12))
    page = client.get(reverse("queue:kiosk", kwargs={"office_slug": office.slug})).content.decode()
    assert "Di luar jam layanan" in page and "Loket antrian hari ini sudah tutup" in page
    assert 'name="lane"' not in page  # no buttons to press
    refused = client.post(f"/api/v1/offices/{office.slug}/tickets", {"service": "ktp"}, content_type="application/json")
    assert refused.status_code == 409
    assert refused.json()["detail"].startswith("Loket antrian hari ini sudah tutup.")
    come_back = dt.datetime.fromisoformat(refused.json()["come_back_at"])
    assert come_back == dt.datetime.combine(tomorrow, dt.time(8), tzinfo=office.tz)
    assert not Ticket.objects.exists()
