#!/usr/bin/env python3
"""Check a letter signed by Layan, without the server: only this file, the office's public key
(kunci-publik.pem, published at /<office>/kunci-publik.pem) and the `cryptography` package.

    python3 verify_letter.py --kunci kunci-publik.pem surat.pdf

This module is also what the server uses (signing, the verification page, `manage.py verify_letter`),
so the offline answer and the page's answer come from the same code. It imports nothing from Django
or Layan on purpose: copy it anywhere.

How a signed letter is laid out. The server compiles the letter (the "unsigned PDF"), then signs the
canonical JSON (sorted keys, UTF-8, no spaces) of its key facts, among them `pdf_sha256`, the SHA-256
of those unsigned bytes. It appends, after the PDF's own `%%EOF`:

    \\n%LAYAN-TTE-1 <base64url of the envelope JSON>\\nstartxref\\n<the original offset>\\n%%EOF\\n

A line starting with `%` is a PDF comment and the repeated `startxref` points at the original
cross-reference table, so every PDF reader opens the file as before. The envelope is
`{"v": 1, "alg": "Ed25519", "key": <fingerprint>, "data": {...}, "sig": <base64url signature>}`.
Nothing may follow the block: an appended incremental update could change what a reader shows while
leaving the signed bytes intact, so a file that does not end with exactly this block is refused.
"""

from __future__ import annotations

import argparse
import base64
import binascii
import hashlib
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

MARKER = b"%LAYAN-TTE-1 "
VERSION = 1
ALGORITHM = "Ed25519"
STARTXREF = re.compile(rb"startxref\s+(\d+)\s+%%EOF\s*$")


class LetterFormatError(ValueError):
    """The bytes are not a letter signed by Layan (no block, a damaged block, bytes after it)."""


# --- the canonical form ----------------------------------------------------------------------------


def canonical_bytes(data: dict) -> bytes:
    """The exact bytes that are signed: sorted keys, no spaces, UTF-8 (names keep their letters)."""
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def sha256_hex(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def _b64encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def _b64decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


# --- keys ------------------------------------------------------------------------------------------


def public_key_fingerprint(public_key: Ed25519PublicKey) -> str:
    """SHA-256 of the raw 32-byte public key, hex: what the envelope names and the pages show."""
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return sha256_hex(raw)


def format_fingerprint(fingerprint: str) -> str:
    """'3f2a 91c0 …': groups of four, easier to compare aloud or on paper."""
    return " ".join(fingerprint[i : i + 4] for i in range(0, len(fingerprint), 4))


def public_key_pem(public_key: Ed25519PublicKey) -> bytes:
    return public_key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)


def load_public_key(pem: bytes) -> Ed25519PublicKey:
    try:
        key = serialization.load_pem_public_key(pem)
    except ValueError as exc:
        raise LetterFormatError("Berkas kunci publik tidak terbaca (harus PEM Ed25519).") from exc
    if not isinstance(key, Ed25519PublicKey):
        raise LetterFormatError("Kunci publik bukan kunci Ed25519.")
    return key


# --- attaching and splitting -----------------------------------------------------------------------


def _startxref(pdf: bytes) -> int:
    match = STARTXREF.search(pdf[-1024:])
    if match is None:
        raise LetterFormatError("Berkas ini bukan PDF yang utuh (startxref tidak ditemukan).")
    return int(match.group(1))


def _trailer(envelope_b64: bytes, offset: int) -> bytes:
    return b"\n" + MARKER + envelope_b64 + b"\nstartxref\n" + str(offset).encode() + b"\n%%EOF\n"


def sign_envelope(private_key: Ed25519PrivateKey, data: dict) -> dict:
    """The envelope for `data` (which must hold `pdf_sha256`): the facts, their signature, the key's fingerprint."""
    signature = private_key.sign(canonical_bytes(data))
    return {
        "v": VERSION,
        "alg": ALGORITHM,
        "key": public_key_fingerprint(private_key.public_key()),
        "data": data,
        "sig": _b64encode(signature),
    }


def attach(pdf: bytes, envelope: dict) -> bytes:
    """`pdf` with the envelope appended as a comment line and a repeated startxref (see the module doc)."""
    if MARKER in pdf:
        raise LetterFormatError("PDF ini sudah bertanda tangan.")
    encoded = _b64encode(canonical_bytes(envelope)).encode("ascii")
    return pdf + _trailer(encoded, _startxref(pdf))


def split(signed: bytes) -> tuple[bytes, dict]:
    """(the unsigned PDF bytes, the envelope) of a signed letter; LetterFormatError if it is not one."""
    index = signed.rfind(b"\n" + MARKER)
    if index < 0:
        raise LetterFormatError("Tidak ada tanda tangan elektronik Layan di berkas ini.")
    original = signed[:index]
    line_end = signed.find(b"\n", index + 1 + len(MARKER))
    if line_end < 0:
        raise LetterFormatError("Blok tanda tangan rusak.")
    encoded = signed[index + 1 + len(MARKER) : line_end]
    try:
        offset = _startxref(original)
    except LetterFormatError:
        raise LetterFormatError("Bagian PDF sebelum tanda tangan rusak.") from None
    if signed[index:] != _trailer(encoded, offset):
        raise LetterFormatError("Ada tambahan atau perubahan pada berkas setelah tanda tangan.")
    try:
        envelope = json.loads(_b64decode(encoded.decode("ascii")))
    except (UnicodeDecodeError, binascii.Error, ValueError):
        raise LetterFormatError("Blok tanda tangan rusak.") from None
    if not isinstance(envelope, dict) or not isinstance(envelope.get("data"), dict):
        raise LetterFormatError("Blok tanda tangan rusak.")
    return original, envelope


# --- verifying -------------------------------------------------------------------------------------


@dataclass
class Verdict:
    """The answer for one file: `valid`, and `reason` in words a person reads (Indonesian)."""

    valid: bool
    reason: str
    data: dict = field(default_factory=dict)
    key: str = ""

    def summary(self) -> str:
        return ("SAH: " if self.valid else "TIDAK SAH: ") + self.reason


def verify(signed: bytes, public_key: Ed25519PublicKey) -> Verdict:
    """Is `signed` a letter signed with `public_key`, unchanged since? Checks, in order: the block is
    there and ends the file, it names this key, the unsigned bytes hash to the signed `pdf_sha256`,
    and the Ed25519 signature over the canonical facts holds."""
    try:
        original, envelope = split(signed)
    except LetterFormatError as exc:
        return Verdict(False, str(exc))
    data, key = envelope["data"], str(envelope.get("key", ""))
    if envelope.get("v") != VERSION or envelope.get("alg") != ALGORITHM:
        return Verdict(False, "Versi tanda tangan tidak dikenal.", data, key)
    if key != public_key_fingerprint(public_key):
        return Verdict(
            False, "Surat ini ditandatangani dengan kunci lain, bukan kunci publik yang diberikan.", data, key
        )
    if data.get("pdf_sha256") != sha256_hex(original):
        return Verdict(False, "Isi PDF diubah setelah ditandatangani (SHA-256 tidak cocok).", data, key)
    try:
        public_key.verify(_b64decode(str(envelope.get("sig", ""))), canonical_bytes(data))
    except (InvalidSignature, binascii.Error, ValueError):
        return Verdict(False, "Data surat diubah setelah ditandatangani (tanda tangan tidak cocok).", data, key)
    return Verdict(True, "tanda tangan elektronik cocok dengan kunci publik kantor; isi PDF utuh.", data, key)


# Labels of the facts, in the order a person reads them (also the order the command prints them).
FACT_LABELS = [
    ("office", "Kantor"),
    ("number", "Nomor"),
    ("date", "Tanggal"),
    ("subject", "Perihal"),
    ("applicant_name", "Nama"),
    ("applicant_nik", "NIK"),
    ("signer_name", "Penanda tangan"),
    ("signer_title", "Jabatan"),
    ("signer_nip", "NIP"),
    ("verify_url", "Periksa status"),
]


def describe(verdict: Verdict) -> list[str]:
    lines = [verdict.summary()]
    if verdict.data:
        lines += [f"  {label}: {verdict.data[name]}" for name, label in FACT_LABELS if verdict.data.get(name)]
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Periksa keaslian surat bertanda tangan elektronik Layan.")
    parser.add_argument("pdf", type=Path, help="berkas surat (PDF)")
    parser.add_argument("--kunci", "--key", dest="key", type=Path, required=True, help="kunci-publik.pem kantor")
    args = parser.parse_args(argv)
    try:
        public_key = load_public_key(args.key.read_bytes())
        signed = args.pdf.read_bytes()
    except (OSError, LetterFormatError) as exc:
        print(f"GALAT: {exc}", file=sys.stderr)
        return 2
    verdict = verify(signed, public_key)
    print("\n".join(describe(verdict)))
    if verdict.valid:
        print("Catatan: pencabutan surat hanya diketahui server; buka alamat 'Periksa status' untuk memastikannya.")
    return 0 if verdict.valid else 1


if __name__ == "__main__":
    sys.exit(main())
