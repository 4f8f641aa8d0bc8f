import pytest

from layan.queue import queries
from layan.queue.models import Call, Ticket
from layan.queue.services import (
    QueueError,
    call_next,
    finish_service,
    recall,
    start_service,
    take_ticket,
)
from layan.queue.signals import ticket_finished

from .helpers import create_queue

pytestmark = pytest.mark.django_db


def test_tickets_are_numbered_per_lane_from_one(personas):
    service, lane, _counter = create_queue(personas.office)
    first = take_ticket(personas.office, service=service, source="kiosk")
    second = take_ticket(personas.office, service=service, source="web")
    assert (first.display, second.display) == ("A001", "A002")
    assert first.lane == lane and first.status == "waiting"


def test_call_start_finish_walks_the_ticket_through_and_announces_it(personas, django_capture_on_commit_callbacks):
    service, _lane, counter = create_queue(personas.office)
    ticket = take_ticket(personas.office, service=service, source="kiosk")
    finished = []
    ticket_finished.connect(lambda sender, ticket, **kw: finished.append(ticket.display), weak=False)
    called = call_next(counter, actor=personas.staff)
    assert called.pk == ticket.pk and called.status == "called" and called.counter == counter
    assert Call.objects.filter(ticket=ticket, kind="call").count() == 1
    recall(called, actor=personas.staff)
    assert queries.board_state(personas.office).recent[0].kind == "recall"
    start_service(called, actor=personas.staff)
    with django_capture_on_commit_callbacks(execute=True):
        done = finish_service(called, actor=personas.staff)
    assert done.status == "done" and done.finished_at is not None
    assert finished == ["A001"]
    assert call_next(counter, actor=personas.staff) is None


def test_a_counter_with_a_ticket_still_called_is_told_to_finish_it_first(personas):
    service, _lane, counter = create_queue(personas.office)
    take_ticket(personas.office, service=service, source="kiosk")
    take_ticket(personas.office, service=service, source="kiosk")
    call_next(counter, actor=personas.staff)
    with pytest.raises(QueueError, match="Selesaikan dulu nomor A001"):
        call_next(counter, actor=personas.staff)
    assert Ticket.objects.filter(status="waiting").count() == 1
