"""The queue by SMS and chat: ANTRI (take a number), JANJI (book an appointment), HADIR (check in).

    ANTRI A            a number in lane A          ANTRI KTP     the lane of the service "KTP"
    ANTRI A LANSIA     ... in a priority group     ANTRI         the number already held, or help
    ANTRI BATAL        give the number held up
    JANJI KTP          the earliest free appointment slot of the service
    HADIR K7M2QX       the appointment's number, at the office

Handlers only read; the ticket or booking is written by `ctx.act` inside the inbound transaction
(a retried webhook takes no second number). Imported from QueueConfig.ready().
"""

import re

from django.utils.translation import gettext as _

from layan.catalogue.search import clear_match, search_services
from layan.messaging.engine import text as textlib
from layan.messaging.engine.commands import command
from layan.messaging.engine.context import Context
from layan.offices import ratelimit
from layan.offices.models import Office

from . import intake, links, queries, services
from .models import Lane, LaneService, PriorityGroup, Ticket

SOURCE_BY_SCHEME = {
    "tel": Ticket.Source.SMS,
    "whatsapp": Ticket.Source.WHATSAPP,
    "telegram": Ticket.Source.TELEGRAM,
    "facebook": Ticket.Source.FACEBOOK,
}
# Words a citizen may add for a priority group ("ANTRI A LANSIA", "antri ktp ibu hamil").
PRIORITY_WORDS = {
    "lansia": "lansia",
    "manula": "lansia",
    "disabilitas": "disabilitas",
    "difabel": "disabilitas",
    "hamil": "ibu_hamil",
}


# ANTRI with more words than this is read as a question ("antri di sini jam berapa buka ya").
MAX_WORDS = 4


def source_for(ctx: Context) -> str:
    return SOURCE_BY_SCHEME.get(ctx.urn.scheme, Ticket.Source.SMS)


# Not fuzzy: a number is taken at once, and "antar", "anter" or "antara" are one edit from ANTRI.
@command("ANTRI", "ANTRE", "ANTRIAN", "ANTREAN", fuzzy=False)
def antri(ctx: Context, args: str):
    office = ctx.the_office
    words = args.split()
    priority_code = next((PRIORITY_WORDS[w] for w in words if w in PRIORITY_WORDS), None)
    words = [w for w in words if w not in PRIORITY_WORDS and not (w == "ibu" and "hamil" in words)]
    held = _held_ticket(ctx, office)
    if words == ["batal"]:
        return _cancel(ctx, held)
    if held is not None:
        return held_text(held)
    if not words or len(words) > MAX_WORDS:
        return lanes_help(office)  # a long sentence is a question about the queue, not a request
    lane, service = _resolve(office, words)
    if lane is None:
        return lanes_help(office)
    priority = PriorityGroup.objects.filter(office=office, code=priority_code, is_active=True).first()
    urn, source = ctx.urn, source_for(ctx)

    def take():
        try:
            ticket = services.take_ticket(office, lane=lane, service=service, source=source, priority=priority, urn=urn)
        except services.QueueError as exc:
            return str(exc)
        return ticket_text(ticket)

    ctx.act(take)
    return None


def _cancel(ctx: Context, held: Ticket | None):
    """ANTRI BATAL: the citizen gives the number up (someone else's turn comes sooner)."""
    if held is None:
        return _("Anda tidak memegang nomor antrian hari ini.")

    def cancel():
        try:
            services.cancel_ticket(held)
        except services.QueueError as exc:
            return str(exc)
        return _("Nomor antrian {number} dibatalkan. Terima kasih sudah memberi tahu.").format(number=held.display)

    ctx.act(cancel)
    return None


@command("JANJI", "BOOKING", fuzzy=False)
def janji(ctx: Context, args: str):
    office = ctx.the_office
    lane, service = _resolve(office, args.split()) if args.split() else (None, None)
    if service is None:
        return _("Ketik JANJI dan nama layanan, contoh: JANJI KTP. Jadwal lain: {url}").format(
            url=links.booking_url(office.slug)
        )
    slot = next(iter(intake.open_slots(office, service=service, now=ctx.now)), None)
    if slot is None:
        return _("Jadwal janji temu {service} sedang penuh. Ketik ANTRI untuk nomor antrian hari ini.").format(
            service=_service_name(service)
        )
    urn, name = ctx.urn, ctx.contact.name
    usage = ratelimit.hit(intake.QUEUE_RATE, f"urn:{urn.pk}")
    if usage.limited:
        return ratelimit.limited_message(usage)

    def book():
        try:
            appointment = services.book_appointment(slot, name=name or _("Warga"), urn=urn, source=source_for(ctx))
        except services.QueueError as exc:
            return str(exc)
        return _(
            "Janji temu {service}: {day} {start}-{end}. Kode {code}. Saat tiba, ketik kode di mesin antrian "
            "atau kirim HADIR {code}."
        ).format(
            service=_service_name(service),
            day=slot.date.strftime("%d/%m/%Y"),
            start=slot.start.strftime("%H.%M"),
            end=slot.end.strftime("%H.%M"),
            code=appointment.code,
        )

    ctx.act(book)
    return None


@command("HADIR", "CHECKIN", fuzzy=False)
def hadir(ctx: Context, args: str):
    office = ctx.the_office
    # From the text as typed: the engine's normalised words read a code like "8RXAAA" or "HESEC2"
    # as Indonesian ("aaa" squeezed, "kata2" reduplication), so `args` may not hold it whole.
    code = "".join(re.findall(r"[A-Za-z0-9]+", ctx.text)[1:]).upper()
    if not code:
        return _("Ketik HADIR dan kode janji temu Anda, contoh: HADIR K7M2QX.")

    def check_in():
        appointment = queries.find_appointment(office, code)
        if appointment is None:
            return _("Kode janji temu {code} tidak ditemukan. Periksa lagi kodenya.").format(code=code)
        try:
            ticket = services.check_in(appointment)
        except services.QueueError as exc:
            return str(exc)
        return ticket_text(ticket)

    ctx.act(check_in)
    return None


def ticket_text(ticket: Ticket) -> str:
    state = queries.ticket_status(ticket)
    ahead, minutes = state["ahead"] or 0, state["estimated_wait"]
    if ahead and minutes:
        where = _("{n} nomor sebelum Anda, perkiraan {m} menit").format(n=ahead, m=minutes)
    elif ahead:
        where = _("{n} nomor sebelum Anda").format(n=ahead)
    else:
        where = _("Anda berikutnya")
    text = _("Nomor antrian Anda {number} ({lane}) di {office}. {where}. Kami kabari saat 3 nomor lagi. Status: {url}")
    return text.format(
        number=ticket.display,
        lane=ticket.lane.name,
        office=ticket.office.name,
        where=where,
        url=links.ticket_status_url(ticket),
    )


def held_text(ticket: Ticket) -> str:
    state = queries.ticket_status(ticket)
    if ticket.status == Ticket.Status.CALLED and ticket.counter is not None:
        return _("Nomor {number} sedang dipanggil: silakan ke {counter}.").format(
            number=ticket.display, counter=ticket.counter.name
        )
    ahead = state["ahead"] or 0
    return _("Anda sudah memegang nomor {number}: {n} nomor lagi. Status: {url}").format(
        number=ticket.display, n=ahead, url=links.ticket_status_url(ticket)
    )


def lanes_help(office: Office) -> str:
    lanes = intake.lanes_with_services(office)
    if not lanes:
        return _("Antrian belum tersedia di {office}.").format(office=office.name)
    listed = ", ".join(f"{lane.code}={lane.name}" for lane in lanes)
    return _("Ketik ANTRI dan huruf jalur: {lanes}. Contoh: ANTRI {code}").format(lanes=listed, code=lanes[0].code)


def _held_ticket(ctx: Context, office: Office) -> Ticket | None:
    day = queries.today(office, ctx.now)
    return (
        Ticket.objects.filter(office=office, day=day, urn=ctx.urn, status__in=Ticket.IN_ROOM)
        .select_related("lane", "counter", "office")
        .order_by("-created_at")
        .first()
    )


def _resolve(office: Office, words: list[str]):
    """(lane, service) for "A" (a lane letter) or a service's name or code; (None, None) if unclear."""
    if len(words) == 1 and len(words[0]) == 1:
        lane = Lane.objects.filter(office=office, code=words[0].upper(), is_active=True).first()
        return lane, None
    terms = textlib.search_terms(" ".join(words))
    hits = search_services(office, terms, limit=5) if terms else []
    hit = clear_match(hits) if hits else None
    if hit is None:
        return None, None
    link = (
        LaneService.objects.filter(lane__office=office, lane__is_active=True, service__code=hit.code)
        .select_related("lane", "service__current_version")
        .first()
    )
    return (link.lane, link.service) if link else (None, None)


def _service_name(service) -> str:
    version = service.current_version
    return version.name if version is not None else service.code
