"""The paper queue ticket: 58 mm ESC/POS thermal printers (python-escpos) and the same ticket as PDF.

The ticket says the office, the number (large), the lane, when it was taken, how long the wait
should be, and a QR code to the ticket's live status page.

A ticket is rendered to bytes with python-escpos's Dummy printer first and then sent in one write:
nothing reaches the printer unless the whole ticket rendered, and tests see exactly the bytes a
printer gets. Printers differ in what they can do (`PrinterSpec`): the cheap POS-5890 family has
no cutter and no native QR command (on some USB models that command hangs the printer), so there
the QR goes as a raster image and the paper is fed out instead of cut.

Printing happens after the ticket was taken and committed: a failure never loses the ticket, it
only tells the visitor, in Indonesian, to note the number or scan the QR on screen.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import typst
from django.utils import formats, translation
from django.utils.translation import gettext as _
from escpos.escpos import Escpos
from escpos.exceptions import Error as EscposError
from escpos.printer import Dummy, File, Network, Usb

from layan.catalogue.guidebook import qr_svg

logger = logging.getLogger(__name__)

# A printed ticket is read at the counter in the national language, whatever the kiosk shows.
DOCUMENT_LANGUAGE = "id"
TYPST_DIR = Path(__file__).resolve().parent / "typst"
NUMBER_SIZE = 4  # GS ! : 4x width and height, ~19 mm tall on 58 mm paper
QR_BOX = 6  # dots per module: a 29-module code is ~22 mm wide, easy for a phone camera
FEED_LINES = 4  # where there is no cutter: enough paper out to tear past the QR

PrinterKind = Literal["network", "usb", "file"]


@dataclass(frozen=True)
class TicketSlip:
    """Everything a printed ticket shows; built from a Ticket by the code that prints it."""

    office_name: str
    display: str  # "A012"
    lane_name: str
    taken_at: dt.datetime  # aware; shown in its own time zone
    tz_label: str  # "WIB"
    status_url: str  # absolute URL of the ticket's status page (the QR)
    ahead: int | None = None  # tickets before this one in its lane
    wait_minutes: int | None = None
    footer: str = ""  # the office's own line ("Terima kasih telah menunggu dengan tertib")


@dataclass(frozen=True)
class PrinterSpec:
    """One printer of an office or of one kiosk. `cutter` and `native_qr` None: what the profile says."""

    kind: PrinterKind
    profile: str = "POS-5890"
    host: str = ""
    port: int = 9100
    usb_vendor: int | None = None
    usb_product: int | None = None
    device: str = ""  # kind "file": the kernel's usblp device, e.g. /dev/usb/lp0
    cutter: bool | None = None
    native_qr: bool | None = None
    timeout_s: float = 5.0
    name: str = field(default="", compare=False)  # for the log: "kios depan"


@dataclass(frozen=True)
class PrintOutcome:
    ok: bool
    message: str  # Indonesian, for the visitor at the kiosk


class PrintError(Exception):
    pass


def _capabilities(spec: PrinterSpec) -> tuple[Dummy, bool, bool]:
    printer = Dummy(profile=spec.profile)
    profile = printer.profile
    cutter = spec.cutter if spec.cutter is not None else profile.supports("paperFullCut")
    native_qr = spec.native_qr if spec.native_qr is not None else profile.supports("qrCode")
    return printer, bool(cutter), bool(native_qr)


def _columns(printer: Escpos) -> int:
    try:
        return int(printer.profile.get_columns("a"))
    except (KeyError, TypeError, ValueError):
        return 32


def _when(slip: TicketSlip) -> str:
    return f"{formats.date_format(slip.taken_at.date(), 'l, j F Y')} {slip.taken_at:%H.%M} {slip.tz_label}".strip()


def _wait_lines(slip: TicketSlip) -> list[str]:
    lines = []
    if slip.ahead is not None:
        lines.append(_("%(n)s antrian sebelum Anda") % {"n": slip.ahead})
    if slip.wait_minutes is not None:
        lines.append(_("Perkiraan menunggu: %(m)s menit") % {"m": slip.wait_minutes})
    return lines


def render_escpos(slip: TicketSlip, spec: PrinterSpec) -> bytes:
    """The ESC/POS bytes of `slip` for the printer `spec` describes."""
    printer, cutter, native_qr = _capabilities(spec)
    width = _columns(printer)
    with translation.override(DOCUMENT_LANGUAGE):
        printer.hw("INIT")
        printer.set(align="center", bold=True)
        for line in textwrap.wrap(slip.office_name.upper(), width) or [""]:
            printer.textln(line)
        printer.set(bold=False)
        printer.textln(_("Nomor Antrian"))
        printer.set(custom_size=True, width=NUMBER_SIZE, height=NUMBER_SIZE, bold=True)
        printer.textln(slip.display)
        printer.set(normal_textsize=True, bold=True)
        for line in textwrap.wrap(slip.lane_name, width):
            printer.textln(line)
        printer.set(bold=False)
        printer.textln(_when(slip))
        for line in _wait_lines(slip):
            printer.textln(line)
        printer.ln()
        # A native code follows the alignment set above; an image is centred by python-escpos itself.
        printer.qr(slip.status_url, size=QR_BOX, native=native_qr, center=not native_qr)
        if native_qr:
            printer.ln()
        printer.textln(_("Pindai untuk melihat antrian Anda"))
        for line in textwrap.wrap(slip.footer, width):
            printer.textln(line)
        printer.set(align="left")
        if cutter:
            # GS V 66 0: feed to the cutter's position, then cut (whatever the profile declares).
            printer.cut(feed=False)
        else:
            # No cutter: cut() would only feed six lines; feed a known amount to tear along.
            printer.ln(FEED_LINES)
    return printer.output


def _device(spec: PrinterSpec) -> Escpos:
    if spec.kind == "network":
        return Network(spec.host, port=spec.port, timeout=spec.timeout_s, profile=spec.profile)
    if spec.kind == "usb":
        return Usb(spec.usb_vendor, spec.usb_product, timeout=int(spec.timeout_s * 1000), profile=spec.profile)
    if spec.kind == "file":
        return File(spec.device, profile=spec.profile)
    raise PrintError(f"unknown printer kind {spec.kind!r}")


def send(data: bytes, spec: PrinterSpec) -> None:
    """Write rendered ticket bytes to the printer in one go; PrintError on any failure."""
    try:
        device = _device(spec)
        device.open()
        try:
            # _raw is python-escpos's one "write these bytes" entry point of every printer class.
            device._raw(data)
        finally:
            device.close()
    except PrintError:
        raise
    except (OSError, EscposError, ValueError, AssertionError) as exc:
        raise PrintError(str(exc)) from exc
    except Exception as exc:  # pyusb's errors, a driver's own: never a 500 at the kiosk
        raise PrintError(f"{type(exc).__name__}: {exc}") from exc


def print_ticket(slip: TicketSlip, spec: PrinterSpec | None) -> PrintOutcome:
    """Print `slip`; never raises. The ticket already exists, so a failure only changes what the
    visitor is told."""
    with translation.override(DOCUMENT_LANGUAGE):
        failed = _(
            "Nomor %(number)s sudah tercatat, tetapi tiket tidak dapat dicetak. Catat nomor Anda atau "
            "pindai kode QR di layar untuk melihat antrian."
        ) % {"number": slip.display}
        if spec is None:
            return PrintOutcome(False, failed)
        try:
            send(render_escpos(slip, spec), spec)
        except (PrintError, EscposError, ValueError) as exc:
            # The slip holds no personal data; the printer's name and error help the office fix it.
            logger.warning("ticket %s not printed on %s (%s): %s", slip.display, spec.name or spec.kind, spec.kind, exc)
            return PrintOutcome(False, failed)
        return PrintOutcome(
            True, _("Tiket %(number)s sudah dicetak. Silakan ambil tiket Anda.") % {"number": slip.display}
        )


def render_pdf(slip: TicketSlip) -> bytes:
    """The same ticket as a PDF page 58 mm wide (for a browser's print dialog or an office printer)."""
    with translation.override(DOCUMENT_LANGUAGE):
        data = {
            "office": slip.office_name,
            "display": slip.display,
            "lane": slip.lane_name,
            "when": _when(slip),
            "wait": _wait_lines(slip),
            "qr": qr_svg(slip.status_url),
            "url": slip.status_url,
            "footer": slip.footer,
            "labels": {"title": _("Nomor Antrian"), "scan": _("Pindai untuk melihat antrian Anda")},
        }
    return typst.compile(
        TYPST_DIR / "ticket.typ",
        root=TYPST_DIR,
        ignore_system_fonts=True,
        sys_inputs={"data": json.dumps(data, ensure_ascii=False)},
    )
