"""32 clients taking tickets at once on PostgreSQL: no number twice, none skipped, capacity never exceeded."""

import datetime as dt
import threading
from collections import Counter as Tally

import pytest
from django.db import close_old_connections, connection, connections
from django.utils import timezone

from layan.queue.models import Appointment, AppointmentSlot, Lane, Ticket
from layan.queue.services import QueueError, QueueFull, book_appointment, take_ticket

from .helpers import create_lane, create_queue, set_rules

pytestmark = [
    pytest.mark.slow,
    pytest.mark.real_component("postgresql"),
    pytest.mark.django_db(transaction=True),
]

CLIENTS = 32


@pytest.fixture(autouse=True)
def _postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL) for 32 concurrent clients")


def run_clients(work, attempts: int) -> tuple[list, list]:
    """Each of 32 threads (own connection) calls work() `attempts` times, all starting together."""
    start = threading.Barrier(CLIENTS)
    results, errors = [], []
    lock = threading.Lock()

    def client():
        close_old_connections()
        try:
            start.wait()
            for _ in range(attempts):
                try:
                    outcome = work()
                except QueueError as exc:
                    outcome = exc
                with lock:
                    results.append(outcome)
        except Exception as exc:  # pragma: no cover - reported by the assertion below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results, errors


def assert_numbered_without_duplicates_or_gaps(lane: Lane):
    numbers = list(Ticket.objects.filter(lane=lane, transferred_from__isnull=True).values_list("number", flat=True))
    assert not [n for n, c in Tally(numbers).items() if c > 1], "duplicate numbers"
    assert sorted(numbers) == list(range(1, len(numbers) + 1)), "gaps in the numbering"


def test_32_clients_taking_tickets_get_every_number_once(personas):
    office = personas.office
    service, lane_a, _counter = create_queue(office)
    lane_b = create_lane(office, "B", "Keterangan")
    lanes = [lane_a, lane_b]
    taken = Tally()

    def work():
        lane = lanes[threading.get_ident() % 2]
        ticket = take_ticket(office, lane=lane, source="api")
        taken[lane.code] += 1
        return ticket.display

    results, errors = run_clients(work, attempts=25)
    assert not errors
    assert len(results) == CLIENTS * 25 and len(set(results)) == len(results)
    for lane in lanes:
        assert_numbered_without_duplicates_or_gaps(lane)
    assert Ticket.objects.count() == CLIENTS * 25


def test_32_clients_never_overfill_the_waiting_room_or_the_walk_in_quota(personas):
    office = personas.office
    service, lane, _counter = create_queue(office)
    set_rules(office, waiting_room_max=100)

    results, errors = run_clients(lambda: take_ticket(office, service=service, source="kiosk").number, attempts=6)
    assert not errors
    assert len([r for r in results if isinstance(r, int)]) == 100
    assert all(isinstance(r, QueueFull) for r in results if not isinstance(r, int))
    assert Ticket.objects.filter(office=office).in_room().count() == 100
    assert_numbered_without_duplicates_or_gaps(lane)

    Ticket.objects.all().delete()
    set_rules(office, waiting_room_max=None, walk_in_quota=70)
    tomorrow = timezone.localdate() + dt.timedelta(days=2)
    results, errors = run_clients(
        lambda: (
            take_ticket(
                office, service=service, source="kiosk", now=dt.datetime.combine(tomorrow, dt.time(3), tzinfo=dt.UTC)
            ).number
        ),
        attempts=3,
    )
    assert not errors
    assert sorted(r for r in results if isinstance(r, int)) == list(range(1, 71))


def test_32_clients_booking_one_slot_never_exceed_its_capacity(personas):
    office = personas.office
    service, _lane, _counter = create_queue(office)
    slot = AppointmentSlot.objects.create(
        office=office,
        service=service,
        date=timezone.localdate() + dt.timedelta(days=7),
        start=dt.time(9),
        end=dt.time(10),
        capacity=20,
    )
    results, errors = run_clients(lambda: book_appointment(slot, name="Warga").pk, attempts=2)
    assert not errors
    assert len([r for r in results if isinstance(r, int)]) == 20
    slot.refresh_from_db()
    assert slot.booked == 20 == Appointment.objects.filter(slot=slot).count()
