"""'3 nomor lagi': a message to a citizen who took a number by chat, SMS or the web, once, when
three or fewer numbers stand before theirs, so they can walk over in time.

Called after every call in the office, in the call's transaction. A ticket is marked with a
conditional UPDATE before its message is written: of two calls running at once, only the one
whose UPDATE changed the row writes the message, so a citizen is told once, never twice.
"""

import datetime as dt
import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from layan.messaging.routing import reply_channel, sms_channel
from layan.messaging.services import MessagingError, enqueue
from layan.offices.models import Office

from . import links, queries
from .models import QueueSettings, Ticket

logger = logging.getLogger(__name__)

# Tell the citizen when this many numbers or fewer stand before theirs.
NOTIFY_AHEAD = 3
# The earliest waiting tickets of a lane looked at per call (the ones that can be within reach).
LOOK_AHEAD = 12


def approaching_text(ticket: Ticket, ahead: int, minutes: int | None) -> str:
    """The message itself, within one SMS."""
    if ahead <= 0:
        when = _("giliran Anda berikutnya")
    elif minutes:
        when = _("{n} nomor lagi, perkiraan {m} menit").format(n=ahead, m=minutes)
    else:
        when = _("{n} nomor lagi").format(n=ahead)
    return _("Antrian {number} {office}: {when}. Mohon bersiap di ruang tunggu. Status: {url}").format(
        number=ticket.display, office=ticket.office.name, when=when, url=links.ticket_status_url(ticket)
    )


@transaction.atomic
def notify_approaching(office: Office, *, now: dt.datetime | None = None) -> int:
    """Write the '3 nomor lagi' message of every ticket that just came within reach; returns how many."""
    now = now or timezone.now()
    rules = QueueSettings.for_office(office)
    day = queries.today(office, now)
    candidates = (
        Ticket.objects.filter(
            office=office, day=day, status=Ticket.Status.WAITING, urn__isnull=False, approach_notified_at__isnull=True
        )
        .select_related("lane", "urn__channel", "office__district")
        .order_by("queue_at", "id")
    )
    sent = 0
    seen_lanes: dict[int, int] = {}
    for ticket in candidates[: LOOK_AHEAD * 4]:
        if seen_lanes.get(ticket.lane_id, 0) >= LOOK_AHEAD:
            continue
        seen_lanes[ticket.lane_id] = seen_lanes.get(ticket.lane_id, 0) + 1
        ahead = queries.numbers_ahead(ticket, rules=rules, now=now)
        if ahead is None or ahead > NOTIFY_AHEAD:
            continue
        claimed = Ticket.objects.filter(pk=ticket.pk, approach_notified_at__isnull=True).update(
            approach_notified_at=now
        )
        if not claimed:
            continue  # another call told this citizen already
        minutes = queries.estimated_wait_minutes(ticket.lane, ahead, rules=rules, day=day, now=now)
        sent += _send(office, ticket, ahead, minutes)
    return sent


def _send(office: Office, ticket: Ticket, ahead: int, minutes: int | None) -> int:
    assert ticket.urn is not None
    # A number left on the web page has no conversation: it is reached on the office's SMS line.
    channel = sms_channel(office) if ticket.source == Ticket.Source.WEB else reply_channel(ticket.urn, office)
    if channel is None:
        logger.warning("queue: no channel for the approaching notice of ticket %s", ticket.pk)
        return 0
    with override("id"):
        text = approaching_text(ticket, ahead, minutes)
    try:
        enqueue(ticket.urn, text, office=office, channel=channel)
    except MessagingError:
        logger.warning("queue: approaching notice of ticket %s not queued", ticket.pk)
        return 0
    return 1
