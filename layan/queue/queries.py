"""Read-only questions about the queue: where a ticket stands, how long it may wait, what the board shows."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from django.db import connection, models
from django.db.models import Count, OuterRef, Subquery
from django.utils import timezone

from layan.catalogue.models import Service
from layan.messaging.rows import CompiledQuery
from layan.offices.models import Holiday, Office, OpeningHours

from . import ordering, sql
from .models import Appointment, Call, Counter, CounterShift, Lane, PriorityGroup, QueueSettings, Ticket

# Service times taken into the estimate: the lane's latest finished tickets, and at least this many
# before the office's own default is replaced by them.
SERVICE_SAMPLE = 20
SERVICE_SAMPLE_MIN = 3
SERVICE_SAMPLE_DAYS = 14


def today(office: Office, now: dt.datetime | None = None) -> dt.date:
    """The queue's day: the office's local date."""
    return office.local_now(now).date()


# Asked on every ticket taken, so one precompiled statement: whether the office has opening hours
# at all, and today's last closing time unless a holiday closes the day (offices.hours.day_status
# reads the same rule from prefetched rows; a test holds the two together).
_TICKET_HOURS_SQL = (
    "SELECT EXISTS (SELECT 1 FROM {hours} WHERE office_id = %s),"  # noqa: S608 (table names)
    " (SELECT MAX(closes) FROM {hours} WHERE office_id = %s AND weekday = %s"
    " AND NOT EXISTS (SELECT 1 FROM {holiday} WHERE office_id = %s AND date = %s))"
)


@dataclass(frozen=True)
class TicketHours:
    """When today's tickets can be taken: from midnight (a number before the office opens is a
    turn for today) until the office's last closing time today."""

    limited: bool  # False: the office has no opening hours, tickets at any time
    closes: dt.datetime | None  # today's last closing; None: closed all day (holiday, no hours)

    def open_at(self, now: dt.datetime) -> bool:
        return not self.limited or (self.closes is not None and now < self.closes)


def ticket_hours(office: Office, now: dt.datetime) -> TicketHours:
    local = office.local_now(now)
    params = [office.pk, office.pk, local.weekday(), office.pk, connection.ops.adapt_datefield_value(local.date())]
    ((limited, closes),) = sql.fetchall(_TICKET_HOURS_SQL, params, hours=OpeningHours, holiday=Holiday)
    if isinstance(closes, str):  # SQLite hands a time back as text
        closes = dt.time.fromisoformat(closes)
    closing = dt.datetime.combine(local.date(), closes, tzinfo=office.tz) if closes is not None else None
    return TicketHours(limited=bool(limited), closes=closing)


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


# The estimate's two questions run for every ticket taken and every "3 nomor lagi" check: each is
# one precompiled statement, not an ORM query built and compiled per call.
# The status is written out, not a parameter: PostgreSQL's prepared plan then uses the partial
# index ticket_lane_finished (status = 'done') instead of being planned again each time.
_SERVICE_SAMPLE_SQL = (
    "SELECT started_at, finished_at FROM {ticket}"  # noqa: S608 (a model's table name, values as parameters)
    f" WHERE lane_id = %s AND status = '{Ticket.Status.DONE.value}' AND finished_at >= %s AND started_at IS NOT NULL"
    " ORDER BY finished_at DESC LIMIT %s"
)
# Active counters serving the lane, and those of them staffed today and not paused.
_STAFFED_SQL = (
    "SELECT COUNT(DISTINCT c.id), COUNT(DISTINCT s.counter_id) FROM {counter} c"  # noqa: S608 (table names)
    " JOIN {counter_lanes} cl ON cl.counter_id = c.id"
    " LEFT JOIN {shift} s ON s.counter_id = c.id AND s.date = %s AND s.paused_reason = ''"
    " WHERE cl.lane_id = %s AND c.is_active"
)


def service_minutes(lane: Lane, *, rules: QueueSettings, now: dt.datetime | None = None) -> float:
    """The lane's mean service time over its latest finished tickets, or the office's default."""
    since = (now or timezone.now()) - dt.timedelta(days=SERVICE_SAMPLE_DAYS)
    params = [lane.pk, connection.ops.adapt_datetimefield_value(since), SERVICE_SAMPLE]
    rows = sql.fetchall(_SERVICE_SAMPLE_SQL, params, ticket=Ticket)
    if len(rows) < SERVICE_SAMPLE_MIN:
        return float(rules.default_service_minutes)
    # (SQLite hands both back naive and PostgreSQL aware: the difference is the same.)
    seconds = [(end - start).total_seconds() for start, end in rows]
    return sum(seconds) / len(seconds) / 60


def staffed_counters(lane: Lane, day: dt.date) -> int:
    """Counters serving the lane today (staffed and not paused), else its active counters; at
    least 1 for the estimate."""
    params = [connection.ops.adapt_datefield_value(day), lane.pk]
    tables: dict[str, type[models.Model]] = {
        "counter": Counter,
        "counter_lanes": Counter.lanes.through,
        "shift": CounterShift,
    }
    ((active, staffed),) = sql.fetchall(_STAFFED_SQL, params, **tables)
    return max(staffed or active, 1)


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


# The ticket endpoint's look-ups, their SQL built once (CompiledQuery): the published service with
# its office, the office's queue rules and the service's lane in one query, and a priority group.
_TICKET_SERVICE = CompiledQuery(
    lambda slug, code: (
        Service.objects.published()
        .select_related("office", "office__queue_settings", "queue_lane__lane")
        .filter(office__slug=slug, office__is_active=True, code=code)[:1]
    ),
    "slug",
    "code",
)
_PRIORITY_GROUP = CompiledQuery(
    lambda slug, code: PriorityGroup.objects.filter(office__slug=slug, code=code, is_active=True)[:1], "slug", "code"
)


def published_service(office_slug: str, code: str) -> Service | None:
    """The active office's published service `code`, with `office`, `office.queue_settings` (when
    the office has its own rules) and `queue_lane.lane` (when the service has a lane) loaded."""
    found = _TICKET_SERVICE.fetch(office_slug, code)
    return found[0] if found else None


def priority_group(office_slug: str, code: str) -> PriorityGroup | None:
    """The office's active priority group `code` (lansia, disabilitas, ibu_hamil)."""
    found = _PRIORITY_GROUP.fetch(office_slug, code)
    return found[0] if found else None


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
    # Each active counter's latest call today: two queries however many counters there are.
    latest = calls.filter(counter=OuterRef("pk")).order_by("-created_at", "-id").values("id")[:1]
    last_ids = [
        call_id
        for call_id in Counter.objects.filter(office=office, is_active=True)
        .annotate(last_call=Subquery(latest))
        .order_by("number")
        .values_list("last_call", flat=True)
        if call_id is not None
    ]
    last_calls = calls.in_bulk(last_ids)
    # A counter whose ticket is finished or gone shows nothing until its next call.
    current = [
        _board_call(last_calls[call_id])
        for call_id in last_ids
        if last_calls[call_id].ticket.status in (Ticket.Status.CALLED, Ticket.Status.SERVING)
    ]
    counts = (
        Ticket.objects.filter(office=office, day=today(office, now), status=Ticket.Status.WAITING)
        .values("lane__code")
        .annotate(n=Count("id"))
        .order_by("lane__code")
    )
    waiting = {row["lane__code"]: row["n"] for row in counts}
    return BoardState(current=current, recent=recent, waiting=waiting)
