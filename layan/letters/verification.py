"""The server's answer about a letter file: one function for the verification page's upload and for
`manage.py verify_letter`, on top of the offline check (verifier.py) that the standalone script runs.

The offline check proves the file is what the office signed. The server adds what only it knows:
which letter it is, and whether it was revoked since.
"""

from dataclasses import dataclass

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from . import verifier
from .models import Letter, SigningKey


@dataclass
class FileCheck:
    """`valid`: the signed original of a letter that stands (not revoked). `reason` says why, for a person."""

    valid: bool
    reason: str
    letter: Letter | None = None
    signature_valid: bool = False

    def summary(self) -> str:
        return (_("SAH") if self.valid else _("TIDAK SAH")) + ": " + self.reason


def revoked_note(letter: Letter) -> str:
    when = formats.date_format(timezone.localtime(letter.revoked_at, letter.office.tz), "j F Y H:i")
    return _("surat ini DICABUT pada %(when)s %(tz)s. Alasan: %(reason)s") % {
        "when": when,
        "tz": letter.office.tz_abbreviation,
        "reason": letter.revoke_reason,
    }


def check_file(content: bytes, *, letter: Letter | None = None) -> FileCheck:
    """Is `content` the signed original of a letter (of `letter`, when the page asks about one)?"""
    try:
        _original, envelope = verifier.split(content)
    except verifier.LetterFormatError as exc:
        return FileCheck(False, str(exc), letter)
    token = str(envelope["data"].get("token", ""))
    found = Letter.objects.without_pdf().select_related("office", "key").filter(token=token).first()
    if letter is not None and (found is None or found.pk != letter.pk):
        return FileCheck(False, _("berkas ini bukan surat nomor %(number)s.") % {"number": letter.number}, letter)
    key = SigningKey.objects.filter(fingerprint=str(envelope.get("key", ""))).first()
    if key is None:
        return FileCheck(False, _("ditandatangani dengan kunci yang tidak dikenal server ini."), found)
    verdict = verifier.verify(content, verifier.load_public_key(key.public_key.encode("ascii")))
    if not verdict.valid:
        return FileCheck(False, verdict.reason, found)
    if found is None or found.key_id != key.pk or found.office_id != key.office_id:
        return FileCheck(False, _("tanda tangan cocok, tetapi surat ini tidak terdaftar di server ini."), None, True)
    if verifier.sha256_hex(content) != found.signed_sha256:
        return FileCheck(False, _("berkas ini bukan salinan asli surat yang disimpan server."), found, True)
    if found.state == Letter.State.REVOKED:
        return FileCheck(False, _("tanda tangan cocok, tetapi %(note)s") % {"note": revoked_note(found)}, found, True)
    return FileCheck(True, _("berkas ini adalah surat asli yang ditandatangani, dan surat ini berlaku."), found, True)
