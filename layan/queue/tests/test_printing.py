"""The paper ticket: ESC/POS bytes captured with python-escpos's Dummy printer and with a loopback
TCP "printer" on 127.0.0.1:<port>, the printers without a cutter or native QR, failures, and the PDF."""

import datetime as dt
import re
import shutil
import socket
import subprocess
import threading
import zoneinfo

import pytest
from PIL import Image

from layan.queue import printing
from layan.queue.printing import PrinterSpec, TicketSlip

ESC, GS = b"\x1b", b"\x1d"
NATIVE_QR = GS + b"(k"
RASTER_IMAGE = GS + b"v0"
CUT = GS + b"V"
URL = "http://kantor.example/kisam-tinggi/antrian/tiket/q7Kx2"


def slip(**changes):
    values = {
        "office_name": "Kantor Camat Kisam Tinggi",
        "display": "A012",
        "lane_name": "Administrasi Kependudukan",
        "taken_at": dt.datetime(2026, 12, 1, 10, 52, tzinfo=zoneinfo.ZoneInfo("Asia/Jakarta")),
        "tz_label": "WIB",
        "status_url": URL,
        "ahead": 3,
        "wait_minutes": 12,
        "footer": "Terima kasih telah menunggu dengan tertib",
    }
    values.update(changes)
    return TicketSlip(**values)


def test_the_ticket_says_office_number_large_lane_time_and_wait():
    data = printing.render_escpos(slip(), PrinterSpec("network", profile="RP-F10-58mm"))
    assert data.startswith(ESC + b"@")  # a reset first: no style left over from another job
    assert b"KANTOR CAMAT KISAM TINGGI" in data
    # The number at four times width and height (GS ! 0x33), then back to normal size.
    assert GS + b"!\x33" + ESC + b"E\x01A012\n" in data
    assert b"Administrasi Kependudukan" in data
    assert b"Selasa, 1 Desember 2026 10.52 WIB" in data
    assert b"3 antrian sebelum Anda" in data and b"Perkiraan menunggu: 12 menit" in data
    assert b"Terima kasih telah menunggu" in data


def test_a_printer_with_cutter_and_native_qr_gets_the_qr_command_and_a_cut():
    data = printing.render_escpos(slip(), PrinterSpec("network", profile="RP-F10-58mm"))
    assert NATIVE_QR in data and URL.encode() in data
    assert RASTER_IMAGE not in data
    assert data.endswith(CUT + b"B\x00")


def test_a_pos5890_gets_the_qr_as_an_image_and_a_feed_instead_of_a_cut():
    data = printing.render_escpos(slip(), PrinterSpec("usb", profile="POS-5890"))
    assert NATIVE_QR not in data, "native QR hangs some of these printers"
    assert RASTER_IMAGE in data
    assert CUT not in data
    assert data.endswith(b"\n" * printing.FEED_LINES)


def test_the_spec_overrides_what_the_profile_declares():
    data = printing.render_escpos(slip(), PrinterSpec("network", profile="RP-F10-58mm", native_qr=False, cutter=False))
    assert NATIVE_QR not in data and RASTER_IMAGE in data and CUT not in data
    data = printing.render_escpos(slip(), PrinterSpec("network", profile="POS-5890", cutter=True))
    assert CUT in data


def test_no_wait_lines_when_the_wait_is_unknown():
    data = printing.render_escpos(slip(ahead=None, wait_minutes=None), PrinterSpec("network"))
    assert b"sebelum Anda" not in data and b"Perkiraan" not in data


def raster_to_image(data: bytes) -> Image.Image:
    """The first GS v 0 raster image in `data`, as a picture (black = set bit)."""
    at = data.index(RASTER_IMAGE) + 4
    width_bytes = data[at] + 256 * data[at + 1]
    height = data[at + 2] + 256 * data[at + 3]
    bits = data[at + 4 : at + 4 + width_bytes * height]
    image = Image.frombytes("1", (width_bytes * 8, height), bytes(b ^ 0xFF for b in bits))
    framed = Image.new("1", (image.width + 80, image.height + 80), 1)
    framed.paste(image, (40, 40))
    return framed


@pytest.mark.slow
@pytest.mark.real_component("zbarimg")
def test_the_image_qr_of_a_pos5890_decodes_to_the_status_page(tmp_path):
    if not shutil.which("zbarimg"):
        pytest.skip("zbarimg is not installed")
    data = printing.render_escpos(slip(), PrinterSpec("usb", profile="POS-5890"))
    png = tmp_path / "qr.png"
    raster_to_image(data).save(png)
    decoded = subprocess.run(["zbarimg", "-q", "--raw", str(png)], capture_output=True, text=True, check=True)
    assert decoded.stdout.strip() == URL


class LoopbackPrinter:
    """A raw-TCP 'printer' on 127.0.0.1 (port 9100's protocol): it keeps every byte of each job."""

    def __init__(self):
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.jobs: list[bytes] = []
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        self.server.settimeout(5)
        try:
            conn, _ = self.server.accept()
        except OSError:
            return
        with conn:
            chunks = []
            while chunk := conn.recv(65536):
                chunks.append(chunk)
            self.jobs.append(b"".join(chunks))

    def close(self):
        # Join first: the printed job may still wait in the listen backlog, unaccepted.
        self.thread.join(5)
        self.server.close()


def test_a_network_printer_receives_exactly_the_rendered_ticket():
    printer = LoopbackPrinter()
    spec = PrinterSpec("network", profile="POS-5890", host="127.0.0.1", port=printer.port, name="kios depan")
    try:
        outcome = printing.print_ticket(slip(), spec)
    finally:
        printer.close()
    assert outcome.ok
    assert outcome.message == "Tiket A012 sudah dicetak. Silakan ambil tiket Anda."
    assert printer.jobs == [printing.render_escpos(slip(), spec)]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_an_unreachable_printer_says_the_ticket_is_kept_in_indonesian(caplog):
    spec = PrinterSpec("network", host="127.0.0.1", port=free_port(), timeout_s=1, name="kios depan")
    outcome = printing.print_ticket(slip(), spec)
    assert not outcome.ok
    assert outcome.message.startswith("Nomor A012 sudah tercatat, tetapi tiket tidak dapat dicetak.")
    assert "kios depan" in caplog.text


def test_no_printer_configured_is_a_failure_with_the_same_message():
    outcome = printing.print_ticket(slip(), None)
    assert not outcome.ok and "sudah tercatat" in outcome.message


def test_a_usblp_device_file_gets_the_ticket(tmp_path):
    device = tmp_path / "lp0"
    device.touch()
    spec = PrinterSpec("file", device=str(device))
    assert printing.print_ticket(slip(), spec).ok
    assert device.read_bytes() == printing.render_escpos(slip(), spec)


def test_a_missing_usb_printer_fails_without_raising():
    outcome = printing.print_ticket(slip(), PrinterSpec("usb", usb_vendor=0x0416, usb_product=0x5011))
    assert not outcome.ok


def test_the_pdf_ticket_is_one_page_58_mm_wide():
    pdf = printing.render_pdf(slip())
    assert pdf.startswith(b"%PDF")
    assert re.search(rb"/MediaBox\s*\[0 0 164\.4\d* ", pdf)  # 58 mm = 164.41 pt


@pytest.mark.slow
@pytest.mark.real_component("zbarimg")
def test_the_pdf_ticket_shows_the_number_and_its_qr_decodes(tmp_path):
    if not (shutil.which("zbarimg") and shutil.which("pdftoppm") and shutil.which("pdftotext")):
        pytest.skip("zbarimg or poppler-utils is not installed")
    (tmp_path / "t.pdf").write_bytes(printing.render_pdf(slip()))
    text = subprocess.run(["pdftotext", str(tmp_path / "t.pdf"), "-"], capture_output=True, text=True, check=True)
    assert "A012" in text.stdout and "Perkiraan menunggu: 12 menit" in text.stdout
    subprocess.run(
        ["pdftoppm", "-r", "200", "-png", "-singlefile", str(tmp_path / "t.pdf"), str(tmp_path / "t")], check=True
    )
    decoded = subprocess.run(
        ["zbarimg", "-q", "--raw", str(tmp_path / "t.png")], capture_output=True, text=True, check=True
    )
    assert decoded.stdout.strip() == URL
