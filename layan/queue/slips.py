"""A taken ticket on paper and as sound: the printed slip of a Ticket, its printer, its PDF, and the
office's recorded clips for the spoken call. What the kiosk and the board call; no HTTP here."""

from __future__ import annotations

from pathlib import Path

from django.db.models import Count, Max

from layan.offices.models import Office

from . import printing, queries
from .devices import CallClip, TicketPrinter
from .models import QueueSettings, Ticket


def slip_for(ticket: Ticket, *, status_url: str, footer: str = "") -> printing.TicketSlip:
    """The printed ticket of `ticket`; `status_url` is the absolute address of its status page."""
    office = ticket.office
    rules = QueueSettings.for_office(office)
    ahead = queries.numbers_ahead(ticket, rules=rules)
    wait = (
        queries.estimated_wait_minutes(ticket.lane, ahead, rules=rules, day=ticket.day) if ahead is not None else None
    )
    return printing.TicketSlip(
        office_name=office.name,
        display=ticket.display,
        lane_name=ticket.lane.name,
        taken_at=ticket.created_at.astimezone(office.tz),
        tz_label=office.tz_abbreviation,
        status_url=status_url,
        ahead=ahead,
        wait_minutes=wait,
        footer=footer,
    )


def printer_for(office: Office, kiosk: str = "") -> TicketPrinter | None:
    """The kiosk's own active printer, else the office's default one, else None."""
    printers = {p.kiosk: p for p in TicketPrinter.objects.filter(office=office, is_active=True, kiosk__in={kiosk, ""})}
    return printers.get(kiosk) or printers.get("")


def print_for(ticket: Ticket, *, status_url: str, kiosk: str = "") -> printing.PrintOutcome:
    """Print a ticket that was already taken (and committed); never raises, see printing.print_ticket."""
    printer = printer_for(ticket.office, kiosk)
    slip = slip_for(ticket, status_url=status_url, footer=printer.footer if printer else "")
    return printing.print_ticket(slip, printer.spec() if printer else None)


def pdf_for(ticket: Ticket, *, status_url: str) -> bytes:
    printer = printer_for(ticket.office)
    return printing.render_pdf(slip_for(ticket, status_url=status_url, footer=printer.footer if printer else ""))


def office_clips(office: Office) -> dict[str, Path]:
    """The office's recorded words, word -> WAV file in the board's format."""
    return {clip.word: Path(clip.audio.path) for clip in CallClip.objects.filter(office=office).exclude(audio="")}


def clips_revision(office: Office) -> str:
    """Changes whenever a clip is added, replaced or removed: part of the audio URLs, so a board
    never plays a cached call in a voice the office has replaced."""
    row = CallClip.objects.filter(office=office).aggregate(latest=Max("updated_at"), count=Count("id"))
    return f"{row['count']}-{int(row['latest'].timestamp()) if row['latest'] else 0}"
