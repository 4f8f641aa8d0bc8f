"""The signature format on its own: what the offline verifier accepts and refuses, and why."""

import base64
import json
import subprocess
import sys
from pathlib import Path

import pytest
import typst
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from layan.letters import verifier

SCRIPT = Path(__file__).resolve().parents[3] / "tools" / "verify_letter.py"


@pytest.fixture(scope="module")
def key():
    return Ed25519PrivateKey.generate()


@pytest.fixture(scope="module")
def signed(key):
    pdf = typst.compile(b"= Surat Keterangan\nNomor 470/001/KEC-KT/2026")
    data = {"number": "470/001/KEC-KT/2026", "applicant_name": "Siti Aminah", "pdf_sha256": verifier.sha256_hex(pdf)}
    return verifier.attach(pdf, verifier.sign_envelope(key, data))


def reencode(signed: bytes, change) -> bytes:
    """`signed` with its envelope changed by `change(envelope)` and written back in the same format."""
    original, envelope = verifier.split(signed)
    change(envelope)
    encoded = base64.urlsafe_b64encode(verifier.canonical_bytes(envelope)).rstrip(b"=")
    start = signed.rfind(b"\n" + verifier.MARKER)
    end = signed.find(b"\n", start + 1)
    return signed[: start + 1 + len(verifier.MARKER)] + encoded + signed[end:]


def test_a_signed_letter_verifies_and_keeps_its_facts(key, signed):
    verdict = verifier.verify(signed, key.public_key())
    assert verdict.valid, verdict.reason
    assert verdict.data["number"] == "470/001/KEC-KT/2026"
    assert verdict.key == verifier.public_key_fingerprint(key.public_key())


def test_a_changed_byte_of_the_pdf_fails(key, signed):
    # The page's text is in compressed streams; the document information is plain (same length, same offsets).
    tampered = signed.replace(b"Typst", b"Tipst", 1)
    assert tampered != signed
    verdict = verifier.verify(tampered, key.public_key())
    assert not verdict.valid and "Isi PDF diubah" in verdict.reason


def test_a_changed_field_fails(key, signed):
    tampered = reencode(signed, lambda e: e["data"].update(applicant_name="Budi"))
    verdict = verifier.verify(tampered, key.public_key())
    assert not verdict.valid and "Data surat diubah" in verdict.reason


def test_another_key_fails(signed):
    verdict = verifier.verify(signed, Ed25519PrivateKey.generate().public_key())
    assert not verdict.valid and "kunci lain" in verdict.reason


def test_a_forged_envelope_under_the_real_fingerprint_fails(key, signed):
    forger = Ed25519PrivateKey.generate()

    def forge(envelope):
        envelope["data"]["applicant_name"] = "Budi"
        envelope["sig"] = verifier.sign_envelope(forger, envelope["data"])["sig"]

    verdict = verifier.verify(reencode(signed, forge), key.public_key())
    assert not verdict.valid and "tanda tangan tidak cocok" in verdict.reason


def test_bytes_after_the_signature_block_are_refused(key, signed):
    # An incremental update appended after signing could change the page a reader shows.
    verdict = verifier.verify(signed + b"1 0 obj\n<<>>\nendobj\n", key.public_key())
    assert not verdict.valid and "setelah tanda tangan" in verdict.reason


def test_an_unsigned_pdf_is_refused(key):
    verdict = verifier.verify(typst.compile(b"hello"), key.public_key())
    assert not verdict.valid and "Tidak ada tanda tangan" in verdict.reason


def test_a_signed_letter_stays_a_pdf_for_poppler(signed, tmp_path):
    path = tmp_path / "surat.pdf"
    path.write_bytes(signed)
    result = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True)
    assert "470/001/KEC-KT/2026" in result.stdout
    assert "damaged" not in result.stderr and "reconstruct" not in result.stderr


def test_the_standalone_script_needs_only_the_public_key(key, signed, tmp_path):
    (tmp_path / "surat.pdf").write_bytes(signed)
    (tmp_path / "kunci.pem").write_bytes(verifier.public_key_pem(key.public_key()))
    # Copied out of the repository and run by a plain interpreter: no Django, no Layan on the path.
    script = tmp_path / "verify_letter.py"
    script.write_bytes(SCRIPT.read_bytes())
    run = [sys.executable, "-I", str(script), "--kunci", str(tmp_path / "kunci.pem")]
    ok = subprocess.run([*run, str(tmp_path / "surat.pdf")], capture_output=True, text=True, cwd=tmp_path)
    assert ok.returncode == 0 and ok.stdout.startswith("SAH:"), ok.stdout + ok.stderr
    assert "Nomor: 470/001/KEC-KT/2026" in ok.stdout
    (tmp_path / "palsu.pdf").write_bytes(signed.replace(b"Typst", b"Tipst", 1))
    bad = subprocess.run([*run, str(tmp_path / "palsu.pdf")], capture_output=True, text=True, cwd=tmp_path)
    assert bad.returncode == 1 and bad.stdout.startswith("TIDAK SAH:")


def test_the_envelope_is_canonical_json(key, signed):
    _original, envelope = verifier.split(signed)
    assert json.loads(verifier.canonical_bytes(envelope)) == envelope
    assert verifier.canonical_bytes({"b": 1, "a": "é"}) == '{"a":"é","b":1}'.encode()
