"""Counter actions walk a ticket through its states; an action that does not fit is refused in Indonesian."""

import pytest

from layan.queue import queries
from layan.queue.models import Ticket
from layan.queue.services import (
    QueueError,
    call_next,
    call_ticket,
    cancel_ticket,
    finish_service,
    mark_no_show,
    pause_counter,
    recall,
    resume_counter,
    start_service,
    take_ticket,
    transfer_ticket,
)

from .helpers import create_counter, create_lane, create_queue

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(personas):
    service, lane, counter = create_queue(personas.office)
    return personas.office, service, lane, counter, personas.staff


def test_invalid_steps_are_refused_with_the_tickets_state(desk):
    office, service, _lane, counter, staff = desk
    ticket = take_ticket(office, service=service, source="kiosk")
    with pytest.raises(QueueError, match="^Nomor A001 masih menunggu, belum dipanggil.$"):
        start_service(ticket, actor=staff)
    with pytest.raises(QueueError, match="^Nomor A001 tidak sedang dipanggil, tidak bisa dipanggil ulang.$"):
        recall(ticket, actor=staff)
    with pytest.raises(QueueError, match="masih menunggu"):
        mark_no_show(ticket, actor=staff)
    with pytest.raises(QueueError, match="masih menunggu"):
        finish_service(ticket, actor=staff)
    call_next(counter, actor=staff)
    finish_service(ticket, actor=staff)
    with pytest.raises(QueueError, match="^Nomor A001 sudah selesai dilayani.$"):
        start_service(ticket, actor=staff)
    with pytest.raises(QueueError, match="sudah selesai dilayani"):
        transfer_ticket(ticket, actor=staff, lane=create_lane(office, "B"))
    with pytest.raises(QueueError, match="sudah selesai dilayani"):
        cancel_ticket(ticket)
    with pytest.raises(QueueError, match="^Nomor A001 sudah selesai dilayani.$"):
        call_ticket(counter, ticket, actor=staff)


def test_a_no_show_frees_the_counter_and_cannot_be_recalled(desk):
    office, service, _lane, counter, staff = desk
    ticket = take_ticket(office, service=service, source="kiosk")
    call_next(counter, actor=staff)
    mark_no_show(ticket, actor=staff)
    with pytest.raises(QueueError, match="tidak sedang dipanggil"):
        recall(ticket, actor=staff)
    assert call_next(counter, actor=staff) is None  # free again, nobody waits


def test_calling_a_specific_ticket_out_of_order(desk):
    office, service, _lane, counter, staff = desk
    take_ticket(office, service=service, source="kiosk")
    chosen = take_ticket(office, service=service, source="kiosk")
    assert call_ticket(counter, chosen, actor=staff).status == "called"
    assert queries.board_state(office).current[0].number == "A002"


def test_a_paused_counter_calls_nobody_until_resumed(desk):
    office, service, _lane, counter, staff = desk
    take_ticket(office, service=service, source="kiosk")
    with pytest.raises(QueueError, match="alasan jeda"):
        pause_counter(counter, actor=staff, reason="  ")
    pause_counter(counter, actor=staff, reason="Istirahat salat")
    with pytest.raises(QueueError, match=r"^Loket 1 sedang jeda \(Istirahat salat\). Lanjutkan layanan dulu.$"):
        call_next(counter, actor=staff)
    resume_counter(counter, actor=staff)
    assert call_next(counter, actor=staff).display == "A001"


def test_transfer_keeps_number_turn_and_status_page_in_the_new_lane(desk):
    office, service, lane, counter, staff = desk
    lane_b = create_lane(office, "B", "Keterangan")
    counter_b = create_counter(office, 2, lane_b)
    early = take_ticket(office, service=service, source="kiosk")
    token = early.token
    take_ticket(office, lane=lane_b, source="kiosk")  # B001 came later than A001
    call_next(counter, actor=staff)
    start_service(early, actor=staff)
    moved = transfer_ticket(early, actor=staff, lane=lane_b)
    early.refresh_from_db()
    assert early.status == "transferred"
    assert (moved.display, moved.lane, moved.status) == ("A001", lane_b, "waiting")
    assert queries.find_ticket(token) == moved
    assert call_next(counter_b, actor=staff) == moved  # its turn is still 'first'
    with pytest.raises(QueueError, match="jalur atau loket tujuan yang lain"):
        transfer_ticket(moved, actor=staff, lane=lane_b)


def test_a_ticket_transferred_to_a_counter_is_called_by_that_counter_only(desk):
    office, service, lane, counter, staff = desk
    other = create_counter(office, 2, lane)
    ticket = take_ticket(office, service=service, source="kiosk")
    moved = transfer_ticket(ticket, actor=staff, counter=other)
    assert call_next(counter, actor=staff) is None
    with pytest.raises(QueueError, match="dialihkan ke loket lain"):
        call_ticket(counter, moved, actor=staff)
    assert call_next(other, actor=staff) == moved


def test_cancelled_tickets_leave_the_queue(desk):
    office, service, _lane, counter, staff = desk
    ticket = take_ticket(office, service=service, source="web")
    cancel_ticket(ticket)
    assert Ticket.objects.get(pk=ticket.pk).status == "cancelled"
    assert call_next(counter, actor=staff) is None
