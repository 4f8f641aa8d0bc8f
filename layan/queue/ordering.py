"""The ordering rule: which waiting ticket a counter calls next, and where a ticket stands.

One place for both, so the position a citizen is told matches the order staff call in.

Within the normal tickets and within the priority tickets of a lane the order is their turn
(`Ticket.queue_at`, then id): first come, first served, an appointment at its slot's start.
Between the two the office chooses (QueueSettings.ordering):

- every_n: after N normal calls in a lane, the next call of that lane is a priority ticket (if one
  waits); a priority ticket is also called when no normal one waits.
- weighted_wait: the ticket waiting longest is called, a priority ticket's waiting time counting
  `priority_weight` times (2: five minutes count ten).

A counter serving several lanes calls, among the lanes' candidates, a priority ticket that is due
first, then the earliest turn (every_n), or the highest weighted wait (weighted_wait).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, Q

from . import sql
from .models import Counter, Lane, QueueSettings, Ticket

# Run for every ticket taken (position) and every call (lane_candidates): precompiled, like the
# counts below. The lane's latest calls today, newest first (index ticket_lane_day_calls).
_RECENT_CALLS_SQL = (
    "SELECT priority_id FROM {table}"  # noqa: S608 (a model's table name, every value a parameter)
    " WHERE lane_id = %s AND day = %s AND called_at IS NOT NULL AND transferred_from_id IS NULL"
    " ORDER BY called_at DESC, id DESC LIMIT %s"
)


def normals_since_priority(lane_id: int, day: dt.date, every: int) -> int:
    """Normal tickets the lane called today since its last priority call, capped at `every`."""
    params = [lane_id, connection.ops.adapt_datefield_value(day), every]
    recent = sql.fetchall(_RECENT_CALLS_SQL, params, table=Ticket)
    count = 0
    for (priority_id,) in recent:
        if priority_id is not None:
            break
        count += 1
    return count


@dataclass(frozen=True)
class Candidate:
    ticket_id: int
    queue_at: dt.datetime
    is_priority: bool
    due: bool  # every_n: a priority ticket whose turn came


def _eligible(lane_ids: Iterable[int], day: dt.date, counter: Counter | None):
    qs = Ticket.objects.filter(lane_id__in=list(lane_ids), day=day, status=Ticket.Status.WAITING)
    if counter is not None:
        # A ticket transferred to one counter is called by that counter only.
        qs = qs.filter(Q(counter__isnull=True) | Q(counter=counter))
    return qs


def _first(qs, *, priority: bool) -> tuple[int, dt.datetime] | None:
    return qs.filter(priority__isnull=not priority).order_by("queue_at", "id").values_list("id", "queue_at").first()


def lane_candidates(
    lane_id: int, day: dt.date, rules: QueueSettings, *, counter: Counter | None = None, exclude: Iterable[int] = ()
) -> list[Candidate]:
    qs = _eligible([lane_id], day, counter).exclude(id__in=list(exclude))
    normal = _first(qs, priority=False)
    priority = _first(qs, priority=True)
    if rules.ordering == QueueSettings.Ordering.WEIGHTED_WAIT:
        found = []
        if normal:
            found.append(Candidate(normal[0], normal[1], False, False))
        if priority:
            found.append(Candidate(priority[0], priority[1], True, False))
        return found
    if priority and (
        normal is None or normals_since_priority(lane_id, day, rules.priority_every) >= rules.priority_every
    ):
        return [Candidate(priority[0], priority[1], True, True)]
    if normal:
        return [Candidate(normal[0], normal[1], False, False)]
    return []


def choose(candidates: list[Candidate], rules: QueueSettings, now: dt.datetime) -> Candidate | None:
    if not candidates:
        return None
    if rules.ordering == QueueSettings.Ordering.WEIGHTED_WAIT:

        def score(c: Candidate) -> tuple[float, float]:
            waited = (now - c.queue_at).total_seconds()
            return (waited * (rules.priority_weight if c.is_priority else 1.0), waited)

        return max(candidates, key=score)
    return min(candidates, key=lambda c: (not c.due, c.queue_at, c.ticket_id))


def next_candidate(
    counter: Counter,
    lanes: list[Lane],
    day: dt.date,
    rules: QueueSettings,
    now: dt.datetime,
    exclude: Iterable[int] = (),
) -> Candidate | None:
    """The ticket `counter` calls next (None: nobody waits in its lanes)."""
    candidates: list[Candidate] = []
    for lane in lanes:
        candidates += lane_candidates(lane.pk, day, rules, counter=counter, exclude=exclude)
    return choose(candidates, rules, now)


# The every_n counts of position() as one precompiled statement rather than an ORM aggregate:
# position() runs for every ticket taken (POST /api/v1/offices/{slug}/tickets), and compiling the
# four filtered counts cost about as much CPU as running them. The same condition as the ORM's:
# the lane's tickets waiting today other than `ticket`; "before" is (queue_at, id) earlier.
_BEFORE = "(queue_at < %s OR (queue_at = %s AND id < %s))"
_WAITING_COUNTS_SQL = (
    "SELECT"  # noqa: S608 (a model's table name, every value a parameter)
    " COALESCE(SUM(CASE WHEN priority_id IS NULL THEN 1 ELSE 0 END), 0),"
    " COALESCE(SUM(CASE WHEN priority_id IS NOT NULL THEN 1 ELSE 0 END), 0),"
    f" COALESCE(SUM(CASE WHEN priority_id IS NULL AND {_BEFORE} THEN 1 ELSE 0 END), 0),"
    f" COALESCE(SUM(CASE WHEN priority_id IS NOT NULL AND {_BEFORE} THEN 1 ELSE 0 END), 0)"
    " FROM {table} WHERE lane_id = %s AND day = %s AND status = %s AND id <> %s"
)


def _waiting_counts(ticket: Ticket) -> dict[str, int]:
    ops = connection.ops
    at = ops.adapt_datetimefield_value(ticket.queue_at)
    before = [at, at, ticket.pk]
    params = [*before, *before, ticket.lane_id, ops.adapt_datefield_value(ticket.day), Ticket.Status.WAITING, ticket.pk]
    (row,) = sql.fetchall(_WAITING_COUNTS_SQL, params, table=Ticket)
    normals, priorities, normals_before, priorities_before = (int(n) for n in row)
    return {
        "normals": normals,
        "priorities": priorities,
        "normals_before": normals_before,
        "priorities_before": priorities_before,
    }


def position(ticket: Ticket, rules: QueueSettings, now: dt.datetime) -> int:
    """1 for the ticket its lane calls next; counts only tickets waiting now (the lane's own order,
    whichever counter calls them). One aggregate query, plus the lane's recent calls for every_n."""
    if rules.ordering == QueueSettings.Ordering.WEIGHTED_WAIT:
        waiting = Ticket.objects.filter(lane_id=ticket.lane_id, day=ticket.day, status=Ticket.Status.WAITING).exclude(
            pk=ticket.pk
        )
        normal = Q(priority__isnull=True)
        priority = Q(priority__isnull=False)
        weight = rules.priority_weight
        # Negative for an appointment checked in before its slot: its turn is still to come.
        mine = (now - ticket.queue_at).total_seconds() * (weight if ticket.is_priority else 1.0)
        normal_cut = now - dt.timedelta(seconds=mine)
        priority_cut = now - dt.timedelta(seconds=mine / weight)
        ahead = waiting.aggregate(
            n=Count("id", filter=(normal & Q(queue_at__lt=normal_cut)) | (priority & Q(queue_at__lt=priority_cut)))
        )["n"]
        return ahead + 1
    every = rules.priority_every
    counts = _waiting_counts(ticket)
    # How the two kinds interleave depends on the lane's latest calls; asked only when the other
    # kind waits at all (most of the time no priority ticket does).
    if ticket.is_priority:
        priorities_ahead = counts["priorities_before"]
        normals_ahead = counts["normals"]
        if normals_ahead:
            since = normals_since_priority(ticket.lane_id, ticket.day, every)
            normals_ahead = min(normals_ahead, max(every - since, 0) + priorities_ahead * every)
        return priorities_ahead + normals_ahead + 1
    normals_ahead = counts["normals_before"]
    priorities_ahead = counts["priorities"]
    if priorities_ahead:
        since = normals_since_priority(ticket.lane_id, ticket.day, every)
        priorities_ahead = min(priorities_ahead, (since + normals_ahead) // every)
    return normals_ahead + priorities_ahead + 1
