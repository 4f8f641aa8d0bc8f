"""A taken ticket's printed slip and printer choice, and the office's recorded words for the call."""

import io
import subprocess
import wave

import pytest

from layan.queue import slips, speech
from layan.queue.devices import TicketPrinter
from layan.queue.services import QueueError, save_call_clip, take_ticket

from .helpers import create_queue
from .test_printing import LoopbackPrinter, free_port

pytestmark = pytest.mark.django_db
URL = "http://kantor.example/s/abc"


def test_the_slip_carries_the_office_number_lane_and_wait(personas):
    service, _lane, _counter = create_queue(personas.office)
    take_ticket(personas.office, service=service, source="kiosk")
    ticket = take_ticket(personas.office, service=service, source="kiosk")
    slip = slips.slip_for(ticket, status_url=URL)
    assert (slip.office_name, slip.display, slip.lane_name) == (personas.office.name, "A002", "Kependudukan")
    assert slip.ahead == 1 and slip.wait_minutes == 5  # one ahead, the office's default 5 minutes each
    assert slip.taken_at.utcoffset() == personas.office.tz.utcoffset(slip.taken_at.replace(tzinfo=None))


def test_a_kiosk_uses_its_own_printer_else_the_office_default(personas):
    office = personas.office
    assert slips.printer_for(office, "kios-1") is None
    default = TicketPrinter.objects.create(office=office, host="192.0.2.10")
    assert slips.printer_for(office, "kios-1") == default
    own = TicketPrinter.objects.create(office=office, kiosk="kios-1", kind="usb", usb_vendor=0x0416, usb_product=1)
    assert slips.printer_for(office, "kios-1") == own
    assert slips.printer_for(office, "") == default
    own.is_active = False
    own.save()
    assert slips.printer_for(office, "kios-1") == default


def test_printing_a_taken_ticket_on_the_office_printer(personas):
    service, _lane, _counter = create_queue(personas.office)
    ticket = take_ticket(personas.office, service=service, source="kiosk")
    printer = LoopbackPrinter()
    TicketPrinter.objects.create(office=personas.office, host="127.0.0.1", port=printer.port, footer="Budayakan antre")
    try:
        outcome = slips.print_for(ticket, status_url=URL)
    finally:
        printer.close()
    assert outcome.ok
    assert b"A001" in printer.jobs[0] and b"Budayakan antre" in printer.jobs[0]


def test_a_failed_print_keeps_the_ticket_and_says_so(personas):
    service, _lane, _counter = create_queue(personas.office)
    ticket = take_ticket(personas.office, service=service, source="kiosk")
    TicketPrinter.objects.create(office=personas.office, host="127.0.0.1", port=free_port())
    outcome = slips.print_for(ticket, status_url=URL)
    assert not outcome.ok and "Nomor A001 sudah tercatat" in outcome.message
    ticket.refresh_from_db()
    assert ticket.status == "waiting"


def test_the_printer_settings_are_checked_per_connection(personas):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="alamat IP"):
        TicketPrinter(office=personas.office, kind="network").full_clean()
    with pytest.raises(ValidationError, match="/dev/usb/lp0"):
        TicketPrinter(office=personas.office, kind="file", device="lp0").full_clean()


def test_the_pdf_of_a_ticket(personas):
    service, _lane, _counter = create_queue(personas.office)
    ticket = take_ticket(personas.office, service=service, source="kiosk")
    assert slips.pdf_for(ticket, status_url=URL).startswith(b"%PDF")


def tone_wav(seconds=0.4, freq=440) -> bytes:
    out = io.BytesIO()
    raw = subprocess.run(
        ["sox", "-n", "-t", "wav", "-r", "16000", "-", "synth", str(seconds), "sine", str(freq)],
        capture_output=True,
        check=True,
    ).stdout
    out.write(raw)
    out.seek(0)
    return out


@pytest.mark.slow
@pytest.mark.real_component("sox")
def test_an_office_records_a_word_and_the_revision_changes(personas):
    if not speech.tools_available():
        pytest.skip("espeak-ng or sox is not installed")
    office = personas.office
    before = slips.clips_revision(office)
    clip = save_call_clip(office, word="nomor", upload=tone_wav())
    with wave.open(clip.audio.path, "rb") as w:
        assert (w.getframerate(), w.getnchannels()) == (speech.RATE, 1)
    (path,) = slips.office_clips(office).values()
    assert path.exists() and path.parts[-3:] == ("clips", str(office.pk), "nomor.wav")
    after = slips.clips_revision(office)
    assert after != before
    # Replacing it keeps one row and one file.
    again = save_call_clip(office, word="nomor", upload=tone_wav(freq=300))
    assert again.pk == clip.pk and again.audio.name == clip.audio.name
    assert slips.office_clips(office) == {"nomor": path}
    assert slips.office_clips(personas.other_office) == {}
    again.audio.delete(save=False)


def test_a_word_outside_the_call_is_refused(personas):
    with pytest.raises(QueueError, match="tidak dipakai"):
        save_call_clip(personas.office, word="halo", upload=io.BytesIO(b""))
