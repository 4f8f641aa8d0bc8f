"""What the citizen pages show before a number is taken: the lanes with their services, whether
the waiting room takes anyone now (and when to come back if not), and the free appointment slots.

Read-only; taking a number is `services.take_ticket`, which checks the same limits under its lock.
"""

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from layan.catalogue.models import Service
from layan.offices.models import Office

from . import queries, services
from .models import AppointmentSlot, Lane, LaneService, QueueSettings, Ticket

# Numbers and bookings taken from the web (and JANJI by chat), per address or sender: a script
# must not fill the waiting room or the slots. Many phones share one address behind a carrier's
# NAT, hence a generous rate (LAYAN_RATE_LIMITS["queue"]). The kiosk on the office LAN is not limited.
QUEUE_RATE = "queue"
# Web booking offers the slots of this many days ahead.
BOOKING_DAYS = 14


def lane_services(office: Office) -> list[LaneService]:
    """The published services of the office's lanes, each with its `service.current_version`."""
    published = Service.objects.published().filter(office=office)
    return list(
        LaneService.objects.filter(lane__office=office, lane__is_active=True, service__in=published)
        .select_related("service__current_version")
        .order_by("service__order", "service__code")
    )


def lanes_with_services(office: Office) -> list[Lane]:
    """The office's active lanes in their order, each with `.service_list` (its published services)."""
    lanes = list(Lane.objects.filter(office=office, is_active=True).order_by("order", "code"))
    by_lane: dict[int, list] = {lane.pk: [] for lane in lanes}
    for link in lane_services(office):
        by_lane.setdefault(link.lane_id, []).append(link.service)
    for lane in lanes:
        lane.service_list = by_lane.get(lane.pk, [])  # type: ignore[attr-defined]
    return lanes


@dataclass(frozen=True)
class ClosedNotice:
    title: str
    text: str


def closed_notice(office: Office, *, now: dt.datetime | None = None) -> ClosedNotice | None:
    """Why no number can be taken now (the queue has closed for the day, the waiting room is
    full), with when to come back; None if open. take_ticket's own refusal (one place for the
    rule), shown before the citizen even tries."""
    now = now or timezone.now()
    hours = queries.ticket_hours(office, now)
    if not hours.open_at(now):
        return ClosedNotice(_("Di luar jam layanan"), str(services.closed_for_today(office, now)))
    rules = QueueSettings.for_office(office)
    limit = rules.room_max
    if limit is None:
        return None
    in_room = Ticket.objects.filter(office=office, day=queries.today(office, now)).in_room().count()
    if in_room < limit:
        return None
    refusal = services.room_full(office, rules, limit, over=in_room - limit + 1, hours=hours, now=now)
    return ClosedNotice(_("Ruang tunggu sedang penuh"), str(refusal))


def open_slots(office: Office, *, service: Service, now: dt.datetime | None = None) -> list[AppointmentSlot]:
    """Slots of `service` from now on (BOOKING_DAYS ahead) that still have room."""
    now = now or timezone.now()
    local = office.local_now(now)
    slots = AppointmentSlot.objects.filter(
        office=office, service=service, date__gte=local.date(), date__lte=local.date() + dt.timedelta(days=BOOKING_DAYS)
    ).order_by("date", "start")
    found = []
    for slot in slots:
        slot.office = office
        if slot.available > 0 and slot.starts_at() > now:
            found.append(slot)
    return found
