"""The estimated wait a citizen is told: the lane's recent service times over the counters that serve it today."""

import datetime as dt
import zoneinfo

import pytest

from layan.queue import queries
from layan.queue.models import QueueSettings, Ticket
from layan.queue.services import pause_counter, shift_today, take_ticket
from testkit.personas import create_service

from .helpers import create_counter, create_lane, create_queue, set_rules

pytestmark = pytest.mark.django_db

WIB = zoneinfo.ZoneInfo("Asia/Jakarta")
NOW = dt.datetime(2026, 3, 2, 10, 0, tzinfo=WIB)


def served(office, service, *, minutes: float, finished: dt.datetime) -> Ticket:
    """A ticket of `service` served for `minutes`, finished at `finished`."""
    ticket = take_ticket(office, service=service, source="kiosk", now=finished - dt.timedelta(hours=1))
    Ticket.objects.filter(pk=ticket.pk).update(
        status=Ticket.Status.DONE, started_at=finished - dt.timedelta(minutes=minutes), finished_at=finished
    )
    return ticket


def test_the_office_default_holds_until_three_tickets_were_served(personas):
    office = personas.office
    service, lane, _counter = create_queue(office)
    rules = set_rules(office, default_service_minutes=7)
    served(office, service, minutes=2, finished=NOW - dt.timedelta(minutes=30))
    served(office, service, minutes=4, finished=NOW - dt.timedelta(minutes=20))
    assert queries.service_minutes(lane, rules=rules, now=NOW) == 7
    served(office, service, minutes=6, finished=NOW - dt.timedelta(minutes=10))
    assert queries.service_minutes(lane, rules=rules, now=NOW) == pytest.approx(4)


def test_only_the_lanes_latest_twenty_of_the_last_two_weeks_count(personas):
    office = personas.office
    service, lane, _counter = create_queue(office)
    other = create_service(office, "akta", "Akta kelahiran")
    create_lane(office, "B", "Catatan sipil", services=[other])
    rules = QueueSettings(office=office)
    # Fifteen days ago, and in another lane: neither counts.
    for _ in range(5):
        served(office, service, minutes=60, finished=NOW - dt.timedelta(days=15))
        served(office, other, minutes=60, finished=NOW - dt.timedelta(minutes=5))
    # Twenty of 3 minutes are the latest; five older ones of 10 minutes fall outside the sample.
    for i in range(5):
        served(office, service, minutes=10, finished=NOW - dt.timedelta(days=2, minutes=i))
    for i in range(20):
        served(office, service, minutes=3, finished=NOW - dt.timedelta(minutes=10 + i))
    assert queries.service_minutes(lane, rules=rules, now=NOW) == pytest.approx(3)


def test_counters_staffed_today_and_not_paused_share_the_lane(personas):
    office = personas.office
    _service, lane, first = create_queue(office)
    second = create_counter(office, 2, lane)
    create_counter(office, 3, create_lane(office, "B"))  # another lane's counter
    inactive = create_counter(office, 4, lane)
    inactive.is_active = False
    inactive.save()
    day = NOW.date()
    # Nobody staffs a counter yet: the lane's active counters serve it.
    assert queries.staffed_counters(lane, day) == 2
    # Two officers at counter 1 are one counter; counter 2 staffed yesterday does not count today.
    shift_today(first, user=personas.staff, now=NOW)
    shift_today(first, user=personas.admin, now=NOW)
    shift_today(second, user=personas.staff, now=NOW - dt.timedelta(days=1))
    assert queries.staffed_counters(lane, day) == 1
    shift_today(second, user=personas.staff, now=NOW)
    assert queries.staffed_counters(lane, day) == 2
    pause_counter(second, actor=personas.staff, reason="istirahat", now=NOW)
    assert queries.staffed_counters(lane, day) == 1


def test_the_wait_is_the_tickets_ahead_times_the_pace_over_the_counters(personas):
    office = personas.office
    service, lane, first = create_queue(office)
    second = create_counter(office, 2, lane)
    rules = set_rules(office, default_service_minutes=5)
    shift_today(first, user=personas.staff, now=NOW)
    shift_today(second, user=personas.admin, now=NOW)
    # 3 ahead at 5 minutes each over 2 counters: 7.5, rounded up.
    assert queries.estimated_wait_minutes(lane, 3, rules=rules, day=NOW.date(), now=NOW) == 8
    assert queries.estimated_wait_minutes(lane, 0, rules=rules, day=NOW.date(), now=NOW) == 0
