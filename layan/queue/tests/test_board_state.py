"""What the board shows per counter: its latest call today while that ticket is at the counter."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from layan.queue import queries
from layan.queue.services import call_next, finish_service, recall, take_ticket

from .helpers import create_counter, create_queue

pytestmark = pytest.mark.django_db


def test_each_counter_shows_its_latest_call_and_a_finished_one_leaves(personas):
    office, staff = personas.office, personas.staff
    service, lane, one = create_queue(office)
    two, three = create_counter(office, 2, lane), create_counter(office, 3, lane)
    for _ in range(4):
        take_ticket(office, service=service, source="kiosk")
    first = call_next(one, actor=staff)
    call_next(two, actor=staff)
    done = call_next(three, actor=staff)
    finish_service(done, actor=staff)
    recall(first, actor=staff)
    current = [(c.counter, c.number, c.kind) for c in queries.board_state(office).current]
    assert current == [("Loket 1", "A001", "recall"), ("Loket 2", "A002", "call")]


def test_the_board_costs_the_same_queries_for_two_or_six_counters(personas):
    office, staff = personas.office, personas.staff
    service, lane, _one = create_queue(office)

    def queries_for_board() -> int:
        with CaptureQueriesContext(connection) as captured:
            queries.board_state(office)
        return len(captured)

    two = create_counter(office, 2, lane)
    take_ticket(office, service=service, source="kiosk")
    call_next(two, actor=staff)
    few = queries_for_board()
    for number in range(3, 7):
        counter = create_counter(office, number, lane)
        take_ticket(office, service=service, source="kiosk")
        call_next(counter, actor=staff)
    assert len(queries.board_state(office).current) == 5
    assert queries_for_board() == few
