"""Letter numbers: `{klasifikasi}/{urut:03}/{unit}/{tahun}`, one register per office and year.

`take_number` must run inside the transaction that signs the letter. It locks the year's row of the
register (SELECT … FOR UPDATE on PostgreSQL; on SQLite the IMMEDIATE transaction already holds the
database's write lock), so concurrent signings queue on it: no duplicates. A signing that fails rolls
back its increment with everything else: no gaps.
"""

import datetime as dt
from dataclasses import dataclass

from django.db import transaction

from layan.offices.models import Office

from .models import DEFAULT_NUMBER_PATTERN, NumberSequence

ROMAN_MONTHS = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")


@dataclass(frozen=True)
class LetterNumber:
    year: int
    sequence: int
    text: str


def format_number(pattern: str, *, sequence: int, date: dt.date, classification: str, unit: str) -> str:
    """'470/012/KEC-KT/2026' from the pattern (validated by models.validate_number_pattern)."""
    return (pattern or DEFAULT_NUMBER_PATTERN).format(
        klasifikasi=classification,
        urut=sequence,
        unit=unit,
        tahun=date.year,
        bulan=date.month,
        bulan_romawi=ROMAN_MONTHS[date.month - 1],
    )


def take_number(office: Office, *, date: dt.date, pattern: str, classification: str, unit: str) -> LetterNumber:
    """The next number of `office`'s register for `date`'s year. Call inside the signing transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("take_number() must run inside the transaction that uses the number")
    rows = NumberSequence.objects.select_for_update().filter(office=office, year=date.year)
    sequence = rows.first()
    if sequence is None:
        # The first number of a year: two signers may race to create the row; the loser's insert is
        # skipped (ON CONFLICT DO NOTHING) and both then lock the one row.
        NumberSequence.objects.bulk_create([NumberSequence(office=office, year=date.year)], ignore_conflicts=True)
        sequence = rows.get()
    sequence.last += 1
    sequence.save(update_fields=["last"])
    text = format_number(pattern, sequence=sequence.last, date=date, classification=classification, unit=unit)
    return LetterNumber(year=date.year, sequence=sequence.last, text=text)
