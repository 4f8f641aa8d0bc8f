import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from layan.letters import services
from layan.letters.models import Letter
from layan.offices.models import AuditEvent

from .helpers import create_signer, processed_application

SCRIPT = Path(__file__).resolve().parents[3] / "tools" / "verify_letter.py"


@pytest.fixture
def camat(personas):
    return create_signer(personas.office)


@pytest.fixture
def application(personas):
    return processed_application(personas.office, personas.staff)


@pytest.fixture
def signed(personas, application, camat, office_key):
    letter = services.prepare_letter(application, actor=personas.staff)
    return Letter.objects.get(pk=services.sign_letter(letter, actor=camat).pk)


def verify_page(client, letter, upload: bytes | None = None, name="surat.pdf"):
    url = f"/kisam-tinggi/verifikasi/{letter.token}/"
    if upload is None:
        return client.get(url)
    return client.post(url, {"file": SimpleUploadedFile(name, upload, content_type="application/pdf")})


def test_the_verification_page_shows_the_key_facts_never_the_letter(client, signed):
    response = verify_page(client, signed)
    page = response.content.decode()
    assert response.status_code == 200
    for fact in (
        signed.number,
        "Surat Keterangan Domisili",
        "Siti Aminah",
        "1609••••••••0001",
        "Drs. H. Ahmad Fauzi",
        "Camat Kisam Tinggi",
        "197001011990031001",
        signed.signed_sha256,
        "SAH",
    ):
        assert fact in page
    assert "1609101205900001" not in page  # the NIK, masked
    assert "application/pdf" not in response["Content-Type"] and "%PDF" not in page
    assert response["Referrer-Policy"] == "same-origin"  # the token never leaves the site


def test_a_draft_cannot_be_verified(client, personas, application):
    letter = services.prepare_letter(application, actor=personas.staff)
    page = verify_page(client, letter).content.decode()
    assert "Belum ditandatangani" in page
    assert "Siti Aminah" not in page and "Periksa berkas" not in page
    assert verify_page(client, letter, b"%PDF-1.7 x").status_code == 400


def test_an_unknown_token_or_another_office_is_404(client, signed):
    assert client.get("/kisam-tinggi/verifikasi/tidak-ada/").status_code == 404
    assert client.get(f"/muaradua-kisam/verifikasi/{signed.token}/").status_code == 404


def test_uploading_the_original_says_so_and_a_tampered_copy_says_why(client, signed):
    original = bytes(signed.signed_pdf)
    ok = verify_page(client, signed, original).content.decode()
    assert "Cocok" in ok and "surat asli" in ok
    tampered = original.replace(b"Typst", b"Tipst", 1)
    bad = verify_page(client, signed, tampered).content.decode()
    assert "Tidak cocok" in bad and "Isi PDF diubah" in bad
    not_pdf = verify_page(client, signed, b"MZ\x90\x00 program", name="surat.pdf")
    assert not_pdf.status_code == 400 and "PDF" in not_pdf.content.decode()


def test_a_revoked_letter_says_so_with_its_reason_everywhere(client, personas, signed, camat, office_key, tmp_path):
    services.revoke_letter(signed, actor=camat, reason="Salah tulis nama pemohon")
    page = verify_page(client, signed).content.decode()
    assert "DICABUT" in page and "Salah tulis nama pemohon" in page
    original = bytes(Letter.objects.get(pk=signed.pk).signed_pdf)
    upload = verify_page(client, signed, original).content.decode()
    assert "Tidak cocok" in upload and "DICABUT" in upload
    path = tmp_path / "surat.pdf"
    path.write_bytes(original)
    with pytest.raises(SystemExit) as exit_:
        call_command("verify_letter", str(path))
    assert exit_.value.code == 1


def test_the_command_the_script_and_the_page_agree(client, signed, office_key, tmp_path, capsys):
    original = bytes(signed.signed_pdf)
    (tmp_path / "asli.pdf").write_bytes(original)
    (tmp_path / "palsu.pdf").write_bytes(original.replace(b"Typst", b"Tipst", 1))
    (tmp_path / "kunci.pem").write_text(client.get("/kisam-tinggi/kunci-publik.pem").content.decode())
    answers = {}
    for name in ("asli", "palsu"):
        pdf = tmp_path / f"{name}.pdf"
        try:
            call_command("verify_letter", str(pdf))
            command_ok = True
        except SystemExit as exc:
            command_ok = exc.code == 0
        script = subprocess.run(
            [sys.executable, "-I", str(SCRIPT), "--kunci", str(tmp_path / "kunci.pem"), str(pdf)],
            capture_output=True,
            text=True,
        )
        page = verify_page(client, signed, pdf.read_bytes()).content.decode()
        answers[name] = (command_ok, script.returncode == 0, "<strong>Cocok" in page)
    assert answers == {"asli": (True, True, True), "palsu": (False, False, False)}
    out = capsys.readouterr().out
    assert f"Nomor: {signed.number}" in out and "SAH: berkas ini adalah surat asli" in out


def test_the_staff_screens_for_the_letter(client, personas, application, camat, office_key):
    client.force_login(personas.staff)
    base = f"/staf/kisam-tinggi/surat/permohonan/{application.pk}/"
    assert "Siapkan draf surat" in client.get(base).content.decode()
    response = client.post(base)
    letter = Letter.objects.get(application=application)
    assert response.status_code == 302 and response["Location"] == f"/staf/kisam-tinggi/surat/{letter.pk}/"
    screen = client.get(response["Location"]).content.decode()
    assert "Lihat draf" in screen and "Setujui dan tandatangani" not in screen  # staff do not sign
    draft = client.get(f"/staf/kisam-tinggi/surat/{letter.pk}/draf.pdf")
    assert draft.status_code == 200 and draft.content.startswith(b"%PDF")
    # The letter shows the whole NIK: each opening is audited.
    assert AuditEvent.objects.filter(action="view_nik", target=f"surat:{letter.pk}", actor=personas.staff).exists()
    assert client.post(f"/staf/kisam-tinggi/surat/{letter.pk}/tandatangani/").status_code == 403
    client.force_login(camat)
    assert "Setujui dan tandatangani" in client.get(response["Location"]).content.decode()
    signed = client.post(f"/staf/kisam-tinggi/surat/{letter.pk}/tandatangani/", follow=True).content.decode()
    letter.refresh_from_db()
    assert letter.state == "signed" and f"Surat {letter.number} ditandatangani" in signed
    download = client.get(f"/staf/kisam-tinggi/surat/{letter.pk}/surat.pdf")
    assert download.content == bytes(Letter.objects.get(pk=letter.pk).signed_pdf)
    assert "attachment" in download["Content-Disposition"] and "no-store" in download["Cache-Control"]
    assert AuditEvent.objects.filter(action="view_nik", target=f"surat:{letter.pk}", actor=camat).exists()
    assert letter.number in client.get("/staf/kisam-tinggi/surat/").content.decode()


def test_staff_of_another_office_get_404_everywhere(client, personas, signed, application):
    client.force_login(personas.outsider)
    other_camat = create_signer(personas.other_office, "camat_b")
    for user in (personas.outsider, other_camat):
        client.force_login(user)
        for url in (
            f"/staf/kisam-tinggi/surat/{signed.pk}/",
            f"/staf/kisam-tinggi/surat/{signed.pk}/surat.pdf",
            f"/staf/kisam-tinggi/surat/{signed.pk}/draf.pdf",
            f"/staf/kisam-tinggi/surat/permohonan/{application.pk}/",
            "/staf/kisam-tinggi/surat/",
        ):
            assert client.get(url).status_code == 404, url
        for url in (
            f"/staf/kisam-tinggi/surat/{signed.pk}/tandatangani/",
            f"/staf/kisam-tinggi/surat/{signed.pk}/cabut/",
        ):
            assert client.post(url, {"reason": "x"}).status_code == 404, url
        # The office of the URL is theirs, the letter is not.
        assert client.get(f"/staf/muaradua-kisam/surat/{signed.pk}/").status_code == 404


def test_a_viewer_sees_the_letter_but_cannot_prepare_sign_or_revoke(client, personas, signed, application):
    client.force_login(personas.viewer)
    screen = client.get(f"/staf/kisam-tinggi/surat/{signed.pk}/").content.decode()
    assert signed.number in screen and "Cabut surat" not in screen
    assert client.post(f"/staf/kisam-tinggi/surat/{signed.pk}/tandatangani/").status_code == 403
    assert client.post(f"/staf/kisam-tinggi/surat/{signed.pk}/cabut/", {"reason": "x"}).status_code == 403
    other = processed_application(personas.office, personas.staff, nik="1609105205900002")
    assert client.post(f"/staf/kisam-tinggi/surat/permohonan/{other.pk}/").status_code == 403


def test_the_workspace_home_lists_the_drafts_waiting_for_a_signature(client, personas, application):
    client.force_login(personas.staff)
    assert "Tidak ada surat yang menunggu tanda tangan." in client.get("/staf/kisam-tinggi/").content.decode()
    letter = services.prepare_letter(application, actor=personas.staff)
    home = client.get("/staf/kisam-tinggi/").content.decode()
    assert "Surat menunggu tanda tangan" in home and f"/staf/kisam-tinggi/surat/{letter.pk}/" in home


def test_a_file_is_checked_without_its_qr_and_the_verifier_can_be_downloaded(client, signed):
    page = client.get("/kisam-tinggi/verifikasi/").content.decode()
    assert "verify_letter.py" in page and "/kisam-tinggi/kunci-publik.pem" in page
    original = bytes(signed.signed_pdf)
    upload = SimpleUploadedFile("surat.pdf", original, content_type="application/pdf")
    answer = client.post("/kisam-tinggi/verifikasi/", {"file": upload}).content.decode()
    assert "surat asli" in answer and f"/kisam-tinggi/verifikasi/{signed.token}/" in answer
    tampered = SimpleUploadedFile("surat.pdf", original.replace(b"Typst", b"Tipst", 1), content_type="application/pdf")
    assert "Isi PDF diubah" in client.post("/kisam-tinggi/verifikasi/", {"file": tampered}).content.decode()
    script = client.get("/kisam-tinggi/verifikasi/verify_letter.py")
    assert script.status_code == 200 and script.content == SCRIPT.read_bytes()
    assert "attachment" in script["Content-Disposition"]


def test_the_screens_speak_english_when_asked_but_the_letter_stays_indonesian(client, personas, signed, tmp_path):
    from .test_render import text_of

    client.force_login(personas.staff)
    client.cookies["django_language"] = "en"
    screen = client.get(f"/staf/kisam-tinggi/surat/{signed.pk}/").content.decode()
    assert f"Letter {signed.number}" in screen and "Download the signed letter (PDF)" in screen
    assert "VALID" in client.get(f"/kisam-tinggi/verifikasi/{signed.token}/").content.decode()
    draft = services.prepare_letter(
        processed_application(personas.office, personas.staff, nik="1609105205900002"), actor=personas.staff
    )
    text = text_of(client.get(f"/staf/kisam-tinggi/surat/{draft.pk}/draf.pdf").content, tmp_path)
    assert "Yang bertanda tangan" in text and "Nomor" in text and "(diberikan saat ditandatangani)" in text
