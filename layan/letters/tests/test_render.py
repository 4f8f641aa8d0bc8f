import datetime as dt
import subprocess

from layan.letters.render import LetterContent, body_blocks, default_body, render_letter


def content(office, **overrides) -> LetterContent:
    values = {
        "jabatan": "Camat Kisam Tinggi",
        "layanan": "Surat Keterangan Domisili",
        "kode_permohonan": "K7M-2QX-9PC",
        "tanggal_permohonan": "30 November 2026",
    }
    facts = [("Nama", "Siti Aminah"), ("NIK", "1609104512900001"), ("Desa", "Balayan")]
    fields = {
        "office": office,
        "number": "470/001/KEC-KT/2026",
        "date": dt.date(2026, 12, 1),
        "subject": "Surat Keterangan Domisili",
        "body": body_blocks(default_body(), values, facts),
        "signer_name": "Drs. H. Ahmad Fauzi, M.Si.",
        "signer_title": "Camat Kisam Tinggi",
        "signer_nip": "197001011990031001",
    } | overrides
    return LetterContent(**fields)


def text_of(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "surat.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_a_draft_has_the_kop_number_body_and_signature_block_and_says_draft(personas, tmp_path):
    pdf = render_letter(content(personas.office))
    text = text_of(pdf, tmp_path)
    assert "PEMERINTAH KABUPATEN OGAN KOMERING ULU SELATAN" in text
    assert "KECAMATAN KISAM TINGGI" in text
    assert "470/001/KEC-KT/2026" in text
    assert "Kisam Tinggi, 1 Desember 2026" in text
    assert "Siti Aminah" in text and "1609104512900001" in text
    assert "K7M-2QX-9PC" in text
    assert "NIP 197001011990031001" in text
    assert "DRAF" in text and "belum dapat diverifikasi" in text
