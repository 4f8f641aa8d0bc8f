"""The ordering rule: the order counters call in, and the position a citizen is told, agree."""

import datetime as dt
import zoneinfo

import pytest

from layan.queue import queries
from layan.queue.models import Ticket
from layan.queue.services import call_next, take_ticket

from .helpers import create_counter, create_lane, create_priority, create_queue, set_rules

pytestmark = pytest.mark.django_db

WIB = zoneinfo.ZoneInfo("Asia/Jakarta")
MORNING = dt.datetime(2026, 3, 2, 8, 0, tzinfo=WIB)  # a Monday


def at(minutes: float) -> dt.datetime:
    return MORNING + dt.timedelta(minutes=minutes)


def take(office, service, minute, priority=None):
    return take_ticket(office, service=service, source="kiosk", priority=priority, now=at(minute))


def called_order(counter, staff, start_minute=60):
    order = []
    minute = start_minute
    while (ticket := call_next(counter, actor=staff, now=at(minute))) is not None:
        order.append(ticket.display + ("*" if ticket.priority_id else ""))
        Ticket.objects.filter(pk=ticket.pk).update(status="done", finished_at=at(minute))
        minute += 1
    return order


def test_every_n_calls_one_priority_ticket_after_n_normal_ones(personas):
    office = personas.office
    set_rules(office, ordering="every_n", priority_every=2)
    service, _lane, counter = create_queue(office)
    lansia = create_priority(office, "lansia")
    for minute in range(5):
        take(office, service, minute)
    take(office, service, 5, lansia)
    take(office, service, 6, lansia)
    assert called_order(counter, personas.staff) == ["A001", "A002", "A006*", "A003", "A004", "A007*", "A005"]


def test_positions_match_the_order_of_calls_under_every_n(personas):
    office = personas.office
    set_rules(office, ordering="every_n", priority_every=2)
    service, _lane, counter = create_queue(office)
    lansia = create_priority(office, "lansia")
    tickets = [take(office, service, m) for m in range(5)] + [take(office, service, 5 + m, lansia) for m in range(2)]
    positions = {t.display: queries.position(t, now=at(30)) for t in tickets}
    order = called_order(counter, personas.staff)
    assert sorted(positions, key=positions.get) == [d.rstrip("*") for d in order]


def test_a_priority_ticket_is_called_at_once_when_no_normal_one_waits(personas):
    office = personas.office
    set_rules(office, ordering="every_n", priority_every=3)
    service, _lane, counter = create_queue(office)
    take(office, service, 0, create_priority(office, "ibu_hamil"))
    assert called_order(counter, personas.staff) == ["A001*"]


def test_weighted_wait_lets_a_priority_ticket_overtake_by_its_weight(personas):
    office = personas.office
    set_rules(office, ordering="weighted_wait", priority_weight=3.0)
    service, _lane, counter = create_queue(office)
    disabilitas = create_priority(office, "disabilitas")
    take(office, service, 0)  # waited 60 minutes at the call
    take(office, service, 10)  # 50
    priority = take(office, service, 41, disabilitas)  # 19 x 3 = 57: after A001 (60), before A002 (50)
    assert queries.position(priority, now=at(60)) == 2
    assert called_order(counter, personas.staff, start_minute=60)[:2] == ["A001", "A003*"]


def test_a_counter_serving_two_lanes_calls_the_earliest_turn(personas):
    office = personas.office
    service, lane_a, _counter = create_queue(office)
    other = create_lane(office, "B", "Keterangan")
    counter = create_counter(office, 2, lane_a, other)
    take(office, service, 5)
    take_ticket(office, lane=other, source="kiosk", now=at(1))
    assert called_order(counter, personas.staff) == ["B001", "A001"]


def test_an_appointment_checked_in_takes_its_slots_turn(personas):
    from layan.queue.models import AppointmentSlot
    from layan.queue.services import book_appointment, check_in

    office = personas.office
    service, _lane, counter = create_queue(office)
    slot = AppointmentSlot.objects.create(
        office=office, service=service, date=MORNING.date(), start=dt.time(8, 10), end=dt.time(8, 30), capacity=2
    )
    booking = book_appointment(slot, name="Siti Aminah", phone="0812 3456 7890", now=at(-600))
    take(office, service, 5)  # came before the slot's time
    take(office, service, 15)  # came after it
    ticket = check_in(booking, now=at(25))  # checked in late, but its turn is 08.10
    assert ticket.queue_at == at(10) and ticket.source == "appointment"
    assert called_order(counter, personas.staff) == ["A001", "A003", "A002"]
