"""Issue 11's whole path in a real browser (Debian's chromium via Playwright): a citizen applies
online with an upload; an officer verifies, processes and completes the file; the citizen sees the
status page and receives the SMS (test channel); the camat signs the letter; the QR printed on the
letter leads to its verification page, which vouches for the downloaded PDF."""

import subprocess

import pytest
import typst

from layan.applications.models import Application, Status
from layan.applications.tests.pages import service_with_uploads
from layan.letters import keys
from layan.letters.models import Letter
from layan.messaging.models import Message
from layan.messaging.outbox import Worker
from layan.messaging.tests.helpers import create_test_channel
from testkit.personas import PASSWORD

from .helpers import create_signer

pytestmark = [pytest.mark.slow, pytest.mark.real_component("chromium")]

PHONE = "0812 3456 7890"
NIK = "1609105508900002"  # Kisam Tinggi, a woman born 15-08-1990


@pytest.fixture
def setup(personas, settings, tmp_path, live_server):
    settings.LAYAN_UPLOAD_DIR = tmp_path / "uploads"
    settings.LAYAN_LETTER_KEY_DIR = tmp_path / "keys"
    # The QR code and the footer of the letter point at the public address: here, the live server.
    settings.PUBLIC_BASE_URL = live_server.url
    keys.ensure_key(personas.office)
    create_test_channel(personas.office)
    return {"service": service_with_uploads(personas.office), "camat": create_signer(personas.office)}


def log_in(context, live_server, user):
    page = context.new_page()
    page.goto(f"{live_server.url}/staf/masuk/")
    page.get_by_label("Nama pengguna").fill(user.username)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url("**/staf/kisam-tinggi/")
    return page


def set_status(page, label: str) -> None:
    page.get_by_role("button", name=f"Jadikan “{label}”").click()
    page.wait_for_load_state()
    assert page.locator(".facts").get_by_text(label, exact=False).first.is_visible()


def qr_url(pdf: bytes, tmp_path) -> str:
    """What a phone reads from the letter's QR code: the page rendered by poppler, decoded by zbar."""
    (tmp_path / "surat.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "150", "-png", "-singlefile", "surat.pdf", "surat"], cwd=tmp_path, check=True)
    out = subprocess.run(["zbarimg", "--quiet", "--raw", "surat.png"], cwd=tmp_path, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    return out.stdout.strip()


def test_a_citizen_applies_online_and_the_signed_letter_verifies(
    transactional_db, live_server, personas, setup, browser, tmp_path
):
    base = live_server.url
    scan = tmp_path / "ktp.pdf"
    scan.write_bytes(typst.compile(b"Fotokopi KTP (pindaian)"))

    # The citizen, on a phone: the form of the service, with an upload.
    citizen = browser.new_context(viewport={"width": 390, "height": 844}, locale="id-ID").new_page()
    citizen.goto(f"{base}/kisam-tinggi/layanan/sktm/ajukan/")
    citizen.get_by_label("Nama lengkap").fill("Siti Aminah")
    citizen.get_by_label("NIK").fill(NIK)
    citizen.get_by_label("Desa/kelurahan").select_option(label="Balayan")
    citizen.get_by_label("Nomor HP").fill(PHONE)
    citizen.get_by_label("Surat RT").check()
    citizen.locator("input[type=file]").first.set_input_files(str(scan))
    citizen.get_by_role("button", name="Kirim permohonan").click()
    citizen.wait_for_url("**/terkirim/")
    application = Application.objects.get()
    assert application.tracking_code in citizen.content()
    assert application.attachments.count() == 1

    # The officer: work queue -> the application -> verified, processed, completed.
    staff = log_in(browser.new_context(locale="id-ID"), live_server, personas.staff)
    staff.goto(f"{base}/staf/kisam-tinggi/permohonan/")
    staff.get_by_role("link", name=application.tracking_code).first.click()
    staff.wait_for_url(f"**/staf/kisam-tinggi/permohonan/{application.pk}/")
    set_status(staff, "Diverifikasi")
    set_status(staff, "Diproses")
    set_status(staff, "Selesai, siap diambil")
    application.refresh_from_db()
    assert application.status == Status.SELESAI

    # The citizen's status page, and the SMS the outbox worker sends on the test channel.
    citizen.goto(f"{base}/kisam-tinggi/lacak/{application.tracking_code}/")
    assert "Selesai" in citizen.content() and "Siti Aminah" not in citizen.content()
    Worker().drain()
    sent = list(Message.objects.filter(direction=Message.Direction.OUT).order_by("id"))
    assert len(sent) == 4  # diajukan, diverifikasi, diproses, selesai
    sms = sent[-1]
    assert "selesai, silakan ambil" in sms.text and application.tracking_code in sms.text
    assert all(m.status in ("sent", "delivered") for m in sent)
    assert sms.urn.identity == "tel:+6281234567890"

    # The officer prepares the letter from the application screen.
    staff.get_by_role("link", name="Surat permohonan ini").click()
    staff.get_by_role("button", name="Siapkan draf surat").click()
    staff.wait_for_url("**/staf/kisam-tinggi/surat/*/")
    assert staff.get_by_text("Menunggu persetujuan dan tanda tangan camat").is_visible()

    # The camat signs from the letters list and downloads the signed PDF.
    camat = log_in(browser.new_context(locale="id-ID", accept_downloads=True), live_server, setup["camat"])
    camat.get_by_role("navigation", name="Menu petugas").get_by_role("link", name="Surat").click()
    camat.get_by_role("link", name="(draf)").click()
    camat.get_by_role("button", name="Setujui dan tandatangani").click()
    letter = Letter.objects.get(application=application)
    assert letter.state == Letter.State.SIGNED
    assert camat.get_by_role("status").filter(has_text=f"Surat {letter.number} ditandatangani").is_visible()
    with camat.expect_download() as download:
        camat.get_by_role("link", name="Unduh surat bertanda tangan (PDF)").click()
    signed = tmp_path / "surat-unduhan.pdf"
    download.value.save_as(signed)
    assert signed.read_bytes() == bytes(letter.signed_pdf)

    # The QR code on the letter opens its verification page, which vouches for the file.
    url = qr_url(signed.read_bytes(), tmp_path)
    assert url == f"{base}/kisam-tinggi/verifikasi/{letter.token}/"
    citizen.goto(url)
    facts = citizen.locator(".facts").inner_text()
    assert letter.number in facts and "Siti Aminah" in facts and "1609••••••••0002" in facts
    assert NIK not in citizen.content()
    assert citizen.get_by_text("SAH", exact=True).is_visible()
    citizen.get_by_label("Berkas surat (PDF)").set_input_files(str(signed))
    citizen.get_by_role("button", name="Periksa").click()
    citizen.wait_for_load_state()
    assert "berkas ini adalah surat asli yang ditandatangani" in citizen.get_by_role("status").last.inner_text()
