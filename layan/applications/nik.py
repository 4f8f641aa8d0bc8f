"""NIK (Nomor Induk Kependudukan) checks: the structure of the number, not the population register.

    PP RR DD  DDMMYY  NNNN
    kecamatan  birth   serial (0001-9999)
    code       date    women: day + 40

The first six digits are the kecamatan where the number was issued (Kemendagri code 16.09.10 ->
"160910"): it must be a kecamatan in regions.District. The NIK is personal data: the messages
below never repeat it, and nothing here logs it.
"""

import datetime as dt
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from layan.regions.models import District

_SEPARATORS = re.compile(r"[\s.\-]+")


@dataclass(frozen=True)
class NikFacts:
    nik: str
    district_code: str  # "16.09.10"
    birth_date: dt.date
    is_female: bool


def normalize_nik(value: str) -> str:
    """The digits as typed, without spaces, dots or dashes ("1609 1012 3456 0001")."""
    return _SEPARATORS.sub("", (value or "").strip())


def district_code(nik: str) -> str:
    return f"{nik[0:2]}.{nik[2:4]}.{nik[4:6]}"


def parse_nik(value: str, *, today: dt.date | None = None) -> NikFacts:
    """The facts a NIK states, or ValidationError with a message for the citizen (Indonesian)."""
    nik = normalize_nik(value)
    if not nik:
        raise ValidationError(_("NIK wajib diisi."), code="required")
    if not nik.isdigit():
        raise ValidationError(_("NIK hanya berisi angka."), code="digits")
    if len(nik) != 16:
        raise ValidationError(
            _("NIK harus 16 angka (yang diisi %(count)d angka).") % {"count": len(nik)}, code="length"
        )
    code = district_code(nik)
    if not District.objects.filter(code=code).exists():
        raise ValidationError(
            _("Enam angka pertama NIK bukan kode kecamatan yang dikenal; periksa lagi NIK di KTP."), code="region"
        )
    day, month, year = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    is_female = day > 40
    if is_female:
        day -= 40
    today = today or timezone.localdate()
    # Two-digit year: the latest century that does not put the birth in the future.
    century = 2000 if 2000 + year <= today.year else 1900
    try:
        birth = dt.date(century + year, month, day)
    except ValueError:
        raise ValidationError(
            _("Angka ke-7 sampai ke-12 NIK bukan tanggal lahir yang sah (HHBBTT; perempuan: tanggal + 40)."),
            code="birth_date",
        ) from None
    if birth > today:
        raise ValidationError(_("Tanggal lahir dalam NIK belum lewat; periksa lagi NIK di KTP."), code="birth_date")
    if nik[12:] == "0000":
        raise ValidationError(_("Empat angka terakhir NIK tidak boleh 0000."), code="serial")
    return NikFacts(nik=nik, district_code=code, birth_date=birth, is_female=is_female)


def validate_nik(value: str, *, today: dt.date | None = None) -> str:
    """The NIK as 16 digits, or ValidationError (Indonesian message)."""
    return parse_nik(value, today=today).nik
