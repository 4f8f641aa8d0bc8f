"""Writes of the counter queue: taking tickets, calling and serving them, counters, appointments.

Every refused step raises `QueueError` whose message is Indonesian and shown to the citizen or the
officer as it is (the kiosk, the console, the API's 4xx).
"""

from __future__ import annotations

import datetime as dt
import logging
import math

from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from layan.applications.models import Application
from layan.applications.sla import Calendar, format_deadline
from layan.catalogue.models import Service
from layan.messaging import urns
from layan.messaging.models import ContactURN
from layan.messaging.rows import build, insert_rows
from layan.offices.models import AuditEvent, Office
from layan.offices.services import record_audit_event

from . import ordering, queries
from .models import (
    Appointment,
    AppointmentSlot,
    Call,
    CallClip,
    Counter,
    CounterShift,
    Lane,
    LaneDay,
    LaneService,
    OfficeDay,
    PriorityGroup,
    QueueSettings,
    Ticket,
    new_token,
)
from .signals import ticket_finished

logger = logging.getLogger(__name__)


class QueueError(Exception):
    """A refused queue action; str() is the Indonesian message for the person who asked."""


class QueueFull(QueueError):
    """No ticket now (waiting room full, walk-in quota used up, the queue closed for the day);
    `come_back_at` when known."""

    def __init__(self, message: str, *, come_back_at: dt.datetime | None = None):
        super().__init__(message)
        self.come_back_at = come_back_at


# ---------------------------------------------------------------------------------------------
# Numbering and capacity


def _advance(sql: str, params: list) -> int | None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return None if row is None else int(row[0])


def _day_param(day: dt.date):
    return connection.ops.adapt_datefield_value(day)


def next_number(lane: Lane, day: dt.date) -> int:
    """The lane's next number for `day`, inside the caller's transaction.

    One UPDATE … RETURNING on the lane's row for the day: the row stays locked until the ticket's
    transaction ends, so concurrent takers line up on it for a few statements only, no number is
    given twice, and a rolled-back ticket gives its number back (no gaps)."""
    table = connection.ops.quote_name(LaneDay._meta.db_table)
    sql = (
        f'UPDATE {table} SET "last_number" = "last_number" + 1 '  # noqa: S608 (a model's table name)
        'WHERE "lane_id" = %s AND "day" = %s RETURNING "last_number"'
    )
    params = [lane.pk, _day_param(day)]
    number = _advance(sql, params)
    if number is None:
        LaneDay.objects.bulk_create([LaneDay(lane=lane, day=day)], ignore_conflicts=True)
        number = _advance(sql, params)
    assert number is not None
    return number


def _count_walk_in(office: Office, day: dt.date, *, walk_in: bool) -> int:
    """Lock the office's day row (serialising capacity checks) and count a walk-in; returns the
    walk-ins taken today including this one."""
    table = connection.ops.quote_name(OfficeDay._meta.db_table)
    sql = (
        f'UPDATE {table} SET "walk_ins" = "walk_ins" + %s '  # noqa: S608 (a model's table name)
        'WHERE "office_id" = %s AND "day" = %s RETURNING "walk_ins"'
    )
    params = [1 if walk_in else 0, office.pk, _day_param(day)]
    taken = _advance(sql, params)
    if taken is None:
        OfficeDay.objects.bulk_create([OfficeDay(office=office, day=day)], ignore_conflicts=True)
        taken = _advance(sql, params)
    assert taken is not None
    return taken


def _come_back_at(office: Office, rules: QueueSettings, *, over: int, now: dt.datetime) -> dt.datetime:
    """When a place in the waiting room is likely free again: `over` people must leave first, at
    the pace of the office's staffed counters; rounded up to 5 minutes."""
    lanes = list(Lane.objects.filter(office=office, is_active=True))
    day = queries.today(office, now)
    if lanes:
        pace = min(queries.service_minutes(lane, rules=rules, now=now) for lane in lanes)
        counters = sum(queries.staffed_counters(lane, day) for lane in lanes)
    else:
        pace, counters = float(rules.default_service_minutes), 1
    minutes = max(5, math.ceil(over * pace / max(counters, 1) / 5) * 5)
    at = office.local_now(now) + dt.timedelta(minutes=minutes)
    return at.replace(second=0, microsecond=0)


# How far ahead a refusal looks for the next opening: past a month of closed days (a long
# closure) it names none.
NEXT_OPENING_DAYS = 31


def _next_opening(office: Office, after: dt.datetime) -> dt.datetime | None:
    """The office's next opening after `after` (its hours and holidays, the SLA's calendar); two
    queries, run only when a number is refused."""
    calendar = Calendar.for_office(office, office.local_now(after).date())
    return calendar.next_opening(after, within_days=NEXT_OPENING_DAYS)


def closed_for_today(office: Office, now: dt.datetime) -> QueueFull:
    opens = _next_opening(office, now)
    if opens is None:
        return QueueFull(_("Loket antrian sedang tutup. Silakan tanyakan jadwal buka ke kantor."))
    return QueueFull(
        _("Loket antrian hari ini sudah tutup. Nomor antrian bisa diambil lagi %(when)s.")
        % {"when": format_deadline(office, opens, with_time=True)},
        come_back_at=opens,
    )


def room_full(
    office: Office, rules: QueueSettings, limit: int, *, over: int, hours: queries.TicketHours, now: dt.datetime
) -> QueueFull:
    """The refusal of a full waiting room, saying when a place is likely free again; when that is
    after today's closing, the next opening instead."""
    likely_free = _come_back_at(office, rules, over=over, now=now)
    come_back: dt.datetime | None = likely_free
    if hours.open_at(likely_free):
        when = _("sekitar pukul %(time)s %(tz)s") % {"time": f"{likely_free:%H.%M}", "tz": office.tz_abbreviation}
    else:
        come_back = _next_opening(office, likely_free)
        when = _("nanti")
        if come_back is not None:
            when = _("pada %(when)s") % {"when": format_deadline(office, come_back, with_time=True)}
    if rules.pandemic_mode:
        text = _("Mode pandemi: ruang tunggu dibatasi %(max)d orang dan sedang penuh. Silakan kembali %(when)s.")
    else:
        text = _("Ruang tunggu sedang penuh (maksimal %(max)d orang). Silakan kembali %(when)s.")
    return QueueFull(text % {"max": limit, "when": when}, come_back_at=come_back)


def _check_capacity(
    office: Office, rules: QueueSettings, day: dt.date, hours: queries.TicketHours, *, walk_in: bool, now: dt.datetime
) -> None:
    limit = rules.room_max
    quota = rules.walk_in_quota
    if limit is None and (quota is None or not walk_in):
        return
    taken = _count_walk_in(office, day, walk_in=walk_in)
    if walk_in and quota is not None and taken > quota:
        raise QueueFull(
            _("Kuota antrian tanpa janji temu hari ini (%(quota)d nomor) sudah habis. Silakan buat janji temu.")
            % {"quota": quota}
        )
    if limit is not None:
        # Under the office row's lock: no other taker of this office counts at the same time.
        in_room = Ticket.objects.filter(office=office, day=day).in_room().count()
        if in_room >= limit:
            raise room_full(office, rules, limit, over=in_room - limit + 1, hours=hours, now=now)


def lane_for_service(service: Service) -> Lane | None:
    link = LaneService.objects.select_related("lane").filter(service=service).first()
    return link.lane if link else None


@transaction.atomic
def take_ticket(
    office: Office,
    *,
    service: Service | None = None,
    lane: Lane | None = None,
    source: str,
    priority: PriorityGroup | None = None,
    urn: ContactURN | None = None,
    appointment: Appointment | None = None,
    queue_at: dt.datetime | None = None,
    rules: QueueSettings | None = None,
    now: dt.datetime | None = None,
) -> Ticket:
    """A new waiting ticket in the service's lane (or `lane`), numbered A001, A002 … per lane and day.

    Raises QueueFull when the waiting room is full, today's walk-in quota is used up or the
    office has closed for the day (an office without opening hours takes tickets at any time), and
    QueueError for a service without a lane or an inactive lane."""
    now = now or timezone.now()
    if source not in Ticket.Source.values:
        raise QueueError(_("Asal nomor antrian tidak dikenal."))
    if service is not None:
        if service.office_id != office.pk:
            raise QueueError(_("Layanan tidak ditemukan di kantor ini."))
        lane = lane or lane_for_service(service)
        if lane is None:
            raise QueueError(_("Layanan ini belum punya jalur antrian. Silakan tanyakan ke petugas."))
    if lane is None:
        raise QueueError(_("Pilih layanan atau jalur antrian."))
    if lane.office_id != office.pk or not lane.is_active:
        raise QueueError(_("Jalur antrian ini tidak aktif."))
    if priority is not None and (priority.office_id != office.pk or not priority.is_active):
        raise QueueError(_("Kelompok prioritas tidak dikenal."))
    rules = rules or QueueSettings.for_office(office)
    day = queries.today(office, now)
    hours = queries.ticket_hours(office, now)
    if not hours.open_at(now):
        # After today's last closing (or on a closed day) a ticket would be for a day that is over.
        raise closed_for_today(office, now)
    _check_capacity(office, rules, day, hours, walk_in=appointment is None, now=now)
    # Numbered last: the lane row is locked from here to the commit only.
    number = next_number(lane, day)
    # Built and inserted without the ORM's per-call compiling (a third of this function's CPU;
    # figures in the commit): Ticket has no save() of its own and nothing listens to its signals.
    ticket = build(
        Ticket,
        office_id=office.pk,
        lane_id=lane.pk,
        day=day,
        number=number,
        display=f"{lane.code}{number:03d}",
        source=source,
        priority_id=priority.pk if priority else None,
        service_id=service.pk if service else None,
        urn_id=urn.pk if urn else None,
        appointment_id=appointment.pk if appointment else None,
        queue_at=queue_at or now,
        created_at=now,
    )
    insert_rows(Ticket, [ticket])
    ticket.office, ticket.lane, ticket.priority, ticket.service, ticket.urn = office, lane, priority, service, urn
    ticket.appointment = appointment
    return ticket


@transaction.atomic
def cancel_ticket(ticket: Ticket, *, now: dt.datetime | None = None) -> Ticket:
    """The citizen gives up the ticket (or an officer cancels it)."""
    return _move(ticket, Ticket.IN_ROOM, Ticket.Status.CANCELLED, finished_at=now or timezone.now())


# ---------------------------------------------------------------------------------------------
# Counters


def _lock_ticket(ticket: Ticket) -> Ticket:
    return Ticket.objects.select_for_update(of=("self",)).select_related("office", "lane", "counter").get(pk=ticket.pk)


STATUS_REFUSALS = {
    Ticket.Status.WAITING: "Nomor %(number)s masih menunggu, belum dipanggil.",
    Ticket.Status.CALLED: "Nomor %(number)s sedang dipanggil.",
    Ticket.Status.SERVING: "Nomor %(number)s sedang dilayani.",
    Ticket.Status.DONE: "Nomor %(number)s sudah selesai dilayani.",
    Ticket.Status.NO_SHOW: "Nomor %(number)s sudah ditandai tidak hadir.",
    Ticket.Status.TRANSFERRED: "Nomor %(number)s sudah dialihkan.",
    Ticket.Status.CANCELLED: "Nomor %(number)s sudah dibatalkan.",
}


def _refuse(ticket: Ticket) -> QueueError:
    return QueueError(_(STATUS_REFUSALS[Ticket.Status(ticket.status)]) % {"number": ticket.display})


def _move(ticket: Ticket, allowed, to: str, **fields) -> Ticket:
    locked = _lock_ticket(ticket)
    if locked.status not in allowed:
        raise _refuse(locked)
    locked.status = to
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.save(update_fields=["status", *fields])
    return locked


def shift_today(counter: Counter, *, user, now: dt.datetime | None = None) -> CounterShift:
    """The user's shift at the counter today, opened on first use."""
    day = queries.today(counter.office, now)
    shift, _created = CounterShift.objects.get_or_create(
        counter=counter, date=day, user=user, defaults={"office_id": counter.office_id}
    )
    return shift


def _check_counter(counter: Counter, *, actor, now: dt.datetime) -> None:
    if not counter.is_active:
        raise QueueError(_("%(counter)s tidak aktif.") % {"counter": counter.name})
    if actor is not None:
        shift = shift_today(counter, user=actor, now=now)
        if shift.is_paused:
            raise QueueError(
                _("%(counter)s sedang jeda (%(reason)s). Lanjutkan layanan dulu.")
                % {"counter": counter.name, "reason": shift.paused_reason}
            )
    busy = Ticket.objects.filter(counter=counter, status__in=[Ticket.Status.CALLED, Ticket.Status.SERVING]).first()
    if busy is not None:
        raise QueueError(
            _("Selesaikan dulu nomor %(number)s di %(counter)s (selesai, tidak hadir, atau alihkan).")
            % {"number": busy.display, "counter": counter.name}
        )


def _record_call(ticket: Ticket, counter: Counter, *, kind: str, actor, now: dt.datetime) -> Call:
    return Call.objects.create(
        office_id=ticket.office_id, ticket=ticket, counter=counter, kind=kind, actor=actor, created_at=now
    )


@transaction.atomic
def call_next(counter: Counter, *, actor, now: dt.datetime | None = None) -> Ticket | None:
    """Call the next ticket for `counter` by the office's ordering rule; None when nobody waits."""
    now = now or timezone.now()
    counter = Counter.objects.select_for_update().select_related("office").get(pk=counter.pk)
    _check_counter(counter, actor=actor, now=now)
    rules = QueueSettings.for_office(counter.office)
    lanes = list(counter.lanes.filter(is_active=True))
    day = queries.today(counter.office, now)
    skipped: list[int] = []
    for _attempt in range(10):
        candidate = ordering.next_candidate(counter, lanes, day, rules, now, exclude=skipped)
        if candidate is None:
            return None
        # Conditional: another counter may have called it since it was picked.
        claimed = Ticket.objects.filter(pk=candidate.ticket_id, status=Ticket.Status.WAITING).update(
            status=Ticket.Status.CALLED, counter=counter, called_at=now
        )
        if claimed:
            ticket = Ticket.objects.select_related("lane", "office").get(pk=candidate.ticket_id)
            _record_call(ticket, counter, kind=Call.Kind.CALL, actor=actor, now=now)
            return ticket
        skipped.append(candidate.ticket_id)
    return None


@transaction.atomic
def call_ticket(counter: Counter, ticket: Ticket, *, actor, now: dt.datetime | None = None) -> Ticket:
    """Call one chosen waiting ticket (out of order) to `counter`."""
    now = now or timezone.now()
    counter = Counter.objects.select_for_update().select_related("office").get(pk=counter.pk)
    if ticket.office_id != counter.office_id:
        raise QueueError(_("Nomor antrian tidak ditemukan."))
    _check_counter(counter, actor=actor, now=now)
    locked = _lock_ticket(ticket)
    if locked.status != Ticket.Status.WAITING:
        raise _refuse(locked)
    if locked.counter_id is not None and locked.counter_id != counter.pk:
        raise QueueError(_("Nomor %(number)s dialihkan ke loket lain.") % {"number": locked.display})
    locked.status, locked.counter, locked.called_at = Ticket.Status.CALLED, counter, now
    locked.save(update_fields=["status", "counter", "called_at"])
    _record_call(locked, counter, kind=Call.Kind.CALL, actor=actor, now=now)
    return locked


@transaction.atomic
def recall(ticket: Ticket, *, actor, now: dt.datetime | None = None) -> Call:
    """Call the ticket again (the board shows it and speaks it once more)."""
    locked = _lock_ticket(ticket)
    if locked.status != Ticket.Status.CALLED or locked.counter is None:
        raise QueueError(
            _("Nomor %(number)s tidak sedang dipanggil, tidak bisa dipanggil ulang.") % {"number": locked.display}
        )
    return _record_call(locked, locked.counter, kind=Call.Kind.RECALL, actor=actor, now=now or timezone.now())


@transaction.atomic
def mark_no_show(ticket: Ticket, *, actor, now: dt.datetime | None = None) -> Ticket:
    return _move(ticket, [Ticket.Status.CALLED], Ticket.Status.NO_SHOW, finished_at=now or timezone.now())


@transaction.atomic
def start_service(ticket: Ticket, *, actor, now: dt.datetime | None = None) -> Ticket:
    return _move(ticket, [Ticket.Status.CALLED], Ticket.Status.SERVING, started_at=now or timezone.now())


@transaction.atomic
def finish_service(ticket: Ticket, *, actor, now: dt.datetime | None = None) -> Ticket:
    """Done. Sends `ticket_finished` once the transaction commits (the survey invitation)."""
    now = now or timezone.now()
    locked = _lock_ticket(ticket)
    if locked.status not in (Ticket.Status.CALLED, Ticket.Status.SERVING):
        raise _refuse(locked)
    locked.status = Ticket.Status.DONE
    locked.started_at = locked.started_at or now
    locked.finished_at = now
    locked.save(update_fields=["status", "started_at", "finished_at"])
    transaction.on_commit(lambda: ticket_finished.send(sender=Ticket, ticket=locked))
    return locked


@transaction.atomic
def transfer_ticket(
    ticket: Ticket, *, actor, lane: Lane | None = None, counter: Counter | None = None, now: dt.datetime | None = None
) -> Ticket:
    """Send the citizen to another lane and/or counter, keeping number and turn: the old ticket
    becomes `transferred`, a new waiting one (same number, same turn) takes over its status page."""
    now = now or timezone.now()
    locked = _lock_ticket(ticket)
    if locked.status not in (Ticket.Status.WAITING, Ticket.Status.CALLED, Ticket.Status.SERVING):
        raise _refuse(locked)
    target_lane = lane or locked.lane
    if counter is not None:
        if counter.office_id != locked.office_id or not counter.is_active:
            raise QueueError(_("Loket tujuan tidak aktif."))
        served = list(counter.lanes.filter(is_active=True))
        if lane is None and target_lane not in served:
            if not served:
                raise QueueError(_("%(counter)s tidak melayani jalur mana pun.") % {"counter": counter.name})
            target_lane = served[0]
        elif target_lane not in served:
            raise QueueError(
                _("%(counter)s tidak melayani jalur %(lane)s.") % {"counter": counter.name, "lane": target_lane.name}
            )
    if target_lane.office_id != locked.office_id or not target_lane.is_active:
        raise QueueError(_("Jalur tujuan tidak aktif."))
    if counter is None and target_lane.pk == locked.lane_id:
        raise QueueError(_("Pilih jalur atau loket tujuan yang lain."))
    token = locked.token
    locked.status, locked.finished_at, locked.token = Ticket.Status.TRANSFERRED, now, new_token()
    locked.save(update_fields=["status", "finished_at", "token"])
    return Ticket.objects.create(
        office_id=locked.office_id,
        lane=target_lane,
        day=locked.day,
        number=locked.number,
        display=locked.display,
        source=locked.source,
        priority_id=locked.priority_id,
        service_id=locked.service_id,
        urn_id=locked.urn_id,
        appointment_id=locked.appointment_id,
        counter=counter,
        transferred_from=locked,
        queue_at=locked.queue_at,
        created_at=now,
        token=token,
    )


@transaction.atomic
def pause_counter(counter: Counter, *, actor, reason: str, now: dt.datetime | None = None) -> CounterShift:
    reason = (reason or "").strip()
    if not reason:
        raise QueueError(_("Tulis alasan jeda (mis. istirahat, salat)."))
    now = now or timezone.now()
    shift = shift_today(counter, user=actor, now=now)
    shift.paused_reason, shift.paused_at = reason[:200], now
    shift.save(update_fields=["paused_reason", "paused_at"])
    return shift


@transaction.atomic
def resume_counter(counter: Counter, *, actor, now: dt.datetime | None = None) -> CounterShift:
    shift = shift_today(counter, user=actor, now=now)
    shift.paused_reason, shift.paused_at = "", None
    shift.save(update_fields=["paused_reason", "paused_at"])
    return shift


# ---------------------------------------------------------------------------------------------
# Appointments


@transaction.atomic
def book_appointment(
    slot: AppointmentSlot,
    *,
    name: str = "",
    phone: str = "",
    urn: ContactURN | None = None,
    priority: PriorityGroup | None = None,
    application: Application | None = None,
    source: str = Ticket.Source.WEB,
    now: dt.datetime | None = None,
) -> Appointment:
    """Book a place in `slot`; its capacity is never exceeded, however many book at once.

    With `application` it is that application's pickup appointment: name, phone and URN default
    to the applicant's."""
    now = now or timezone.now()
    if application is not None:
        if application.office_id != slot.office_id:
            raise QueueError(_("Permohonan tidak ditemukan di kantor ini."))
        name = name or application.applicant_name
        phone = phone or application.phone
        urn = urn or application.urn
    name = " ".join((name or "").split())
    if not name:
        raise QueueError(_("Nama wajib diisi."))
    if phone:
        try:
            phone = urns.normalize_phone(phone)
        except urns.URNError:
            raise QueueError(_("Nomor telepon tidak valid.")) from None
    if slot.ends_at() <= now:
        raise QueueError(_("Slot ini sudah lewat. Pilih waktu lain."))
    if priority is not None and priority.office_id != slot.office_id:
        raise QueueError(_("Kelompok prioritas tidak dikenal."))
    # One conditional statement: concurrent bookings line up on the slot's row, and the last
    # place goes to exactly one of them.
    reserved = AppointmentSlot.objects.filter(pk=slot.pk, booked__lt=F("capacity")).update(booked=F("booked") + 1)
    if not reserved:
        raise QueueError(_("Slot ini sudah penuh. Pilih waktu lain."))
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return Appointment.objects.create(
                    office_id=slot.office_id,
                    slot=slot,
                    name=name[:120],
                    phone=phone,
                    urn=urn,
                    priority=priority,
                    source=source,
                    application=application,
                    created_at=now,
                )
        except IntegrityError:
            continue  # the random code was taken: draw another
    raise QueueError(_("Janji temu gagal dibuat, silakan coba lagi."))


@transaction.atomic
def cancel_appointment(appointment: Appointment) -> Appointment:
    locked = Appointment.objects.select_for_update().get(pk=appointment.pk)
    if locked.status != Appointment.Status.BOOKED:
        raise QueueError(_("Janji temu ini tidak bisa dibatalkan lagi."))
    locked.status = Appointment.Status.CANCELLED
    locked.save(update_fields=["status"])
    AppointmentSlot.objects.filter(pk=locked.slot_id, booked__gt=0).update(booked=F("booked") - 1)
    return locked


# Check-in is open from this long before the slot until its end.
CHECK_IN_EARLY = dt.timedelta(hours=2)


@transaction.atomic
def check_in(appointment: Appointment, *, now: dt.datetime | None = None) -> Ticket:
    """The citizen arrived: the booking becomes a waiting ticket with its priority, in its slot's turn."""
    now = now or timezone.now()
    locked = (
        Appointment.objects.select_for_update().select_related("slot", "slot__service", "office").get(pk=appointment.pk)
    )
    slot = locked.slot
    if locked.status == Appointment.Status.CHECKED_IN:
        raise QueueError(_("Janji temu ini sudah check-in."))
    if locked.status != Appointment.Status.BOOKED:
        raise QueueError(_("Janji temu ini sudah dibatalkan."))
    start, end = slot.starts_at(), slot.ends_at()
    if now > end:
        raise QueueError(
            _("Waktu janji temu Anda sudah lewat. Silakan ambil nomor antrian biasa atau buat janji baru.")
        )
    if now < start - CHECK_IN_EARLY:
        local = start.astimezone(locked.office.tz)
        raise QueueError(
            _("Check-in dibuka mulai 2 jam sebelum janji temu (%(date)s pukul %(time)s).")
            % {"date": f"{local:%d-%m-%Y}", "time": f"{local:%H.%M}"}
        )
    ticket = take_ticket(
        locked.office,
        service=slot.service,
        source=Ticket.Source.APPOINTMENT,
        priority=locked.priority,
        urn=locked.urn,
        appointment=locked,
        queue_at=start,
        now=now,
    )
    locked.status, locked.checked_in_at = Appointment.Status.CHECKED_IN, now
    locked.save(update_fields=["status", "checked_in_at"])
    return ticket


# ---------------------------------------------------------------------------------------------
# The board's recorded words


# What an office admin sets on the workspace's queue rules page (rules.py).
RULE_FIELDS = (
    "ordering",
    "priority_every",
    "priority_weight",
    "waiting_room_max",
    "pandemic_mode",
    "pandemic_room_max",
    "walk_in_quota",
    "default_service_minutes",
)


@transaction.atomic
def save_queue_rules(office: Office, *, actor, **values) -> QueueSettings:
    """The office's queue rules (RULE_FIELDS), in force from the next ticket and the next call;
    a change is audited (the profile's "Riwayat perubahan" names the rules that changed).
    Raises ValidationError with Indonesian messages for values the model refuses."""
    # get_or_create first: two admins saving an office's first rules at once get one row, not an
    # IntegrityError; the lock then orders their saves.
    QueueSettings.objects.get_or_create(office=office)
    rules = QueueSettings.objects.select_for_update().get(office=office)
    changed = [name for name in RULE_FIELDS if getattr(rules, name) != values[name]]
    for name in RULE_FIELDS:
        setattr(rules, name, values[name])
    rules.full_clean(exclude=["office"])
    rules.save()
    if changed:
        labels = ", ".join(str(getattr(QueueSettings._meta.get_field(name), "verbose_name", name)) for name in changed)
        record_audit_event(office, actor=actor, action=AuditEvent.Action.SET_QUEUE_RULES, target=labels[:100])
    return rules


@transaction.atomic
def save_call_clip(office: Office, *, word: str, upload) -> CallClip:
    """Store an office's recording of one word of the spoken call, converted to the board's format
    (speech.normalise_clip). Raises speech.SpeechError with an Indonesian message for bad audio."""
    import tempfile
    from pathlib import Path

    from django.core.files import File

    from . import speech

    if word not in speech.VOCABULARY:
        raise QueueError(_("Kata ini tidak dipakai dalam panggilan antrian."))
    with tempfile.TemporaryDirectory(prefix="layan-clip-") as tmp:
        source = Path(tmp) / "upload"
        with source.open("wb") as out:
            for chunk in upload.chunks() if hasattr(upload, "chunks") else [upload.read()]:
                out.write(chunk)
        converted = Path(tmp) / "clip.wav"
        speech.normalise_clip(source, converted)
        clip = CallClip.objects.filter(office=office, word=word).first() or CallClip(office=office, word=word)
        if clip.audio:
            clip.audio.delete(save=False)
        with converted.open("rb") as f:
            clip.audio.save(f"{word}.wav", File(f), save=False)
        clip.save()
    return clip


# ---------------------------------------------------------------------------------------------
# Demo data


@transaction.atomic
def set_up_demo_queue(office: Office) -> int:
    """The Kisam Tinggi demo's queue, so the kiosk, console and board are not empty for a new
    user: one lane per service group (A, B …, in the catalogue's order of groups), two counters
    serving every lane, the three priority groups and the default rules. Only for an office
    without lanes; returns the number of lanes made."""
    from layan.catalogue.models import Group

    if Lane.objects.filter(office=office).exists():
        return 0
    services = list(Service.objects.published().filter(office=office).order_by("order", "code"))
    groups = [g for g in Group if any(s.group == g for s in services)]
    lanes = []
    for index, group in enumerate(groups):
        lane = Lane.objects.create(office=office, code="ABCDEFGHIJ"[index], name=str(group.label), order=index)
        LaneService.objects.bulk_create(
            [LaneService(office=office, lane=lane, service=s) for s in services if s.group == group]
        )
        lanes.append(lane)
    ungrouped = [s for s in services if not s.group]
    if ungrouped:
        lane = Lane.objects.create(
            office=office, code="ABCDEFGHIJ"[len(lanes)], name=_("Layanan lain"), order=len(lanes)
        )
        LaneService.objects.bulk_create([LaneService(office=office, lane=lane, service=s) for s in ungrouped])
        lanes.append(lane)
    for number in (1, 2):
        counter = Counter.objects.create(office=office, number=number, name=_("Loket %(n)d") % {"n": number})
        counter.lanes.set(lanes)
    for code in PriorityGroup.Code:
        PriorityGroup.objects.get_or_create(office=office, code=code, defaults={"name": str(code.label)})
    QueueSettings.objects.get_or_create(office=office)
    return len(lanes)


# ---------------------------------------------------------------------------------------------
# Appointment reminders (run every minute by `manage.py queue_reminders --loop`, started by serve)

# The day-before reminder goes out from this local time on the day before the slot.
DAY_BEFORE_FROM = dt.time(9)
HOUR_BEFORE = dt.timedelta(hours=1)


def _reminder_text(appointment: Appointment, *, day_before: bool) -> str:
    slot = appointment.slot
    params = {
        "service": str(slot.service),
        "office": slot.office.name,
        "time": f"{slot.start:%H.%M}",
        "tz": slot.office.tz_abbreviation,
        "code": appointment.code,
    }
    if day_before:
        return (
            _("Pengingat: janji temu %(service)s di %(office)s besok pukul %(time)s %(tz)s. Kode check-in: %(code)s.")
            % params
        )
    return (
        _("Pengingat: janji temu %(service)s di %(office)s hari ini pukul %(time)s %(tz)s. Kode check-in: %(code)s.")
        % params
    )


def _send_reminder(appointment: Appointment, text: str) -> bool:
    from layan.messaging import services as messaging

    try:
        if appointment.urn is not None:
            messaging.enqueue(appointment.urn, text, office=appointment.office)
        elif appointment.phone:
            messaging.enqueue_sms(appointment.office, number=appointment.phone, text=text)
        else:
            return False
    except (messaging.MessagingError, urns.URNError) as exc:
        # Never retried in a loop: the reminder counts as done (no personal data in the log).
        logger.warning("appointment %s: reminder not queued: %s", appointment.pk, exc)
        return False
    return True


def _remind(appointment: Appointment, field: str, *, day_before: bool, send: bool, now: dt.datetime) -> bool:
    """Claim the reminder with a conditional UPDATE and write its message in the same transaction:
    however many workers run, and however often, each reminder is written once."""
    with transaction.atomic():
        claimed = Appointment.objects.filter(
            pk=appointment.pk, status=Appointment.Status.BOOKED, **{f"{field}__isnull": True}
        ).update(**{field: now})
        if not claimed or not send:
            return False
        return _send_reminder(appointment, _reminder_text(appointment, day_before=day_before))


def send_appointment_reminders(*, now: dt.datetime | None = None) -> int:
    """Write the due reminders to the outbox: the day before (from 09.00 local time) and an hour
    before the slot. A booking made after a reminder's time has come gets no such reminder (it is
    marked, not sent). Returns how many messages were written."""
    now = now or timezone.now()
    utc_today = now.date()
    candidates = (
        Appointment.objects.filter(
            status=Appointment.Status.BOOKED,
            slot__date__range=(utc_today - dt.timedelta(days=1), utc_today + dt.timedelta(days=2)),
        )
        .filter(Q(reminded_day_before_at__isnull=True) | Q(reminded_hour_before_at__isnull=True))
        .select_related("slot", "slot__service", "slot__office", "office", "urn")
        .order_by("id")
    )
    sent = 0
    for appointment in candidates:
        office = appointment.office
        local = office.local_now(now)
        start = appointment.slot.starts_at()
        if start <= now:
            continue
        if appointment.reminded_day_before_at is None:
            day_before = appointment.slot.date - dt.timedelta(days=1)
            opens = dt.datetime.combine(day_before, DAY_BEFORE_FROM, tzinfo=office.tz)
            if local.date() == day_before and local >= opens:
                sent += _remind(
                    appointment, "reminded_day_before_at", day_before=True, send=appointment.created_at < opens, now=now
                )
            elif local.date() == appointment.slot.date:
                # Booked for today (or the worker was down yesterday): the hour-before one will do.
                _remind(appointment, "reminded_day_before_at", day_before=True, send=False, now=now)
        if appointment.reminded_hour_before_at is None and start - HOUR_BEFORE <= now:
            sent += _remind(
                appointment,
                "reminded_hour_before_at",
                day_before=False,
                send=appointment.created_at < start - HOUR_BEFORE,
                now=now,
            )
    return sent


@transaction.atomic
def delete_call_clip(office: Office, *, word: str) -> bool:
    """Remove the office's recording of `word`; the board then synthesises calls that use it."""
    clip = CallClip.objects.filter(office=office, word=word).first()
    if clip is None:
        return False
    audio = clip.audio
    clip.delete()
    transaction.on_commit(lambda: audio.delete(save=False))
    return True
