"""Read-only questions about the queue: where a ticket stands, how long it may wait, what the board shows."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone

from layan.offices.models import Office

from . import ordering
from .models import Appointment, Call, Counter, Lane, QueueSettings, Ticket

# Service times taken into the estimate: the lane's latest finished tickets, and at least this many
# before the office's own default is replaced by them.
SERVICE_SAMPLE = 20
SERVICE_SAMPLE_MIN = 3
SERVICE_SAMPLE_DAYS = 14


def today(office: Office, now: dt.datetime | None = None) -> dt.date:
    """The queue's day: the office's local date."""
    return office.local_now(now).date()


def position(ticket: Ticket, *, rules: QueueSettings | None = None, now: dt.datetime | None = None) -> int | None:
    """1 for the ticket called next in its lane; None once it is no longer waiting."""
    if ticket.status != Ticket.Status.WAITING:
        return None
    rules = rules or QueueSettings.for_office(ticket.office)
    return ordering.position(ticket, rules, now or timezone.now())


def numbers_ahead(ticket: Ticket, **kwargs) -> int | None:
    """ "3 nomor lagi": how many tickets will be called before this one."""
    pos = position(ticket, **kwargs)
    return None if pos is None else pos - 1


def service_minutes(lane: Lane, *, rules: QueueSettings, now: dt.datetime | None = None) -> float:
    """The lane's mean service time over its latest finished tickets, or the office's default."""
    since = (now or timezone.now()) - dt.timedelta(days=SERVICE_SAMPLE_DAYS)
    rows = list(
        Ticket.objects.filter(lane=lane, status=Ticket.Status.DONE, finished_at__gte=since, started_at__isnull=False)
        .order_by("-finished_at")
        .values_list("started_at", "finished_at")[:SERVICE_SAMPLE]
    )
    if len(rows) < SERVICE_SAMPLE_MIN:
        return float(rules.default_service_minutes)
    seconds = [(end - start).total_seconds() for start, end in rows if start and end]
    return sum(seconds) / len(seconds) / 60


def staffed_counters(lane: Lane, day: dt.date) -> int:
    """Counters serving the lane today (staffed and not paused), else its active counters; at
    least 1 for the estimate."""
    counts = Counter.objects.filter(lanes=lane, is_active=True).aggregate(
        active=Count("id", distinct=True),
        staffed=Count("id", filter=Q(shifts__date=day, shifts__paused_reason=""), distinct=True),
    )
    return max(counts["staffed"] or counts["active"], 1)


def estimated_wait_minutes(
    lane: Lane, ahead: int, *, rules: QueueSettings, day: dt.date, now: dt.datetime | None = None
) -> int:
    """Minutes until a ticket with `ahead` tickets before it is called (whole minutes, rounded up)."""
    if ahead <= 0:
        return 0
    return math.ceil(ahead * service_minutes(lane, rules=rules, now=now) / staffed_counters(lane, day))


def ticket_status(ticket: Ticket, *, now: dt.datetime | None = None) -> dict:
    """What the ticket's status page and API say: number, lane, status, numbers ahead, estimated wait."""
    now = now or timezone.now()
    rules = QueueSettings.for_office(ticket.office)
    ahead = numbers_ahead(ticket, rules=rules, now=now)
    return {
        "number": ticket.display,
        "lane": ticket.lane.name,
        "status": ticket.status,
        "status_label": str(ticket.get_status_display()),
        "ahead": ahead,
        "estimated_wait": (
            estimated_wait_minutes(ticket.lane, ahead, rules=rules, day=ticket.day, now=now)
            if ahead is not None
            else None
        ),
        "counter": ticket.counter.name if ticket.counter and ticket.status != Ticket.Status.WAITING else None,
    }


def find_ticket(token: str) -> Ticket | None:
    """The ticket behind a status-page token (a transfer hands the token on to the new ticket)."""
    return Ticket.objects.select_related("office", "lane", "counter").filter(token=token).first()


def find_appointment(office: Office, code: str) -> Appointment | None:
    code = (code or "").strip().upper().replace(" ", "").replace("-", "")
    return Appointment.objects.select_related("slot", "slot__service").filter(office=office, code=code).first()


@dataclass(frozen=True)
class BoardCall:
    number: str
    counter: str
    counter_number: int
    lane: str
    kind: str
    at: dt.datetime


@dataclass(frozen=True)
class BoardState:
    current: list[BoardCall]  # the latest call of each counter today, by counter number
    recent: list[BoardCall]  # the last five calls, newest first
    waiting: dict[str, int]  # lane code -> tickets waiting


RECENT_CALLS = 5


def _board_call(call: Call) -> BoardCall:
    return BoardCall(
        number=call.ticket.display,
        counter=call.counter.name,
        counter_number=call.counter.number,
        lane=call.ticket.lane.code,
        kind=call.kind,
        at=call.created_at,
    )


def board_state(office: Office, *, now: dt.datetime | None = None) -> BoardState:
    now = now or timezone.now()
    local_midnight = dt.datetime.combine(today(office, now), dt.time(), tzinfo=office.tz)
    calls = Call.objects.filter(office=office, created_at__gte=local_midnight).select_related(
        "ticket", "ticket__lane", "counter"
    )
    recent = [_board_call(c) for c in calls.order_by("-created_at", "-id")[:RECENT_CALLS]]
    current = []
    for counter in Counter.objects.filter(office=office, is_active=True).order_by("number"):
        last = calls.filter(counter=counter).order_by("-created_at", "-id").first()
        # A counter whose ticket is finished or gone shows nothing until its next call.
        if last is not None and last.ticket.status in (Ticket.Status.CALLED, Ticket.Status.SERVING):
            current.append(_board_call(last))
    counts = (
        Ticket.objects.filter(office=office, day=today(office, now), status=Ticket.Status.WAITING)
        .values("lane__code")
        .annotate(n=Count("id"))
        .order_by("lane__code")
    )
    waiting = {row["lane__code"]: row["n"] for row in counts}
    return BoardState(current=current, recent=recent, waiting=waiting)
