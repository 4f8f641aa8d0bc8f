"""Letter numbers: `{klasifikasi}/{urut:03}/{unit}/{tahun}`, one register per office and year.

`take_number` must run inside the transaction that signs the letter. Its UPDATE … RETURNING locks the
year's row of the register until that transaction ends (on SQLite the IMMEDIATE transaction already
holds the database's write lock), so concurrent signings queue on it: no duplicates. A signing that fails rolls
back its increment with everything else: no gaps.
"""

import datetime as dt
from dataclasses import dataclass

from django.db import connection, transaction

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


def _increment(office: Office, year: int) -> int | None:
    """One UPDATE … RETURNING on the register's row: the row stays locked until the caller's
    transaction ends, and concurrent signers wait on it for one statement, not three."""
    table = connection.ops.quote_name(NumberSequence._meta.db_table)
    sql = (
        f'UPDATE {table} SET "last" = "last" + 1 '  # noqa: S608 (a model's table name)
        'WHERE "office_id" = %s AND "year" = %s RETURNING "last"'
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [office.pk, year])
        row = cursor.fetchone()
    return row[0] if row else None


def take_number(office: Office, *, date: dt.date, pattern: str, classification: str, unit: str) -> LetterNumber:
    """The next number of `office`'s register for `date`'s year. Call inside the signing transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("take_number() must run inside the transaction that uses the number")
    sequence = _increment(office, date.year)
    if sequence is None:
        # The first number of a year: two signers may race to create the row; the loser's insert is
        # skipped (ON CONFLICT DO NOTHING) and both then update the one row in turn.
        NumberSequence.objects.bulk_create([NumberSequence(office=office, year=date.year)], ignore_conflicts=True)
        sequence = _increment(office, date.year)
    assert sequence is not None
    text = format_number(pattern, sequence=sequence, date=date, classification=classification, unit=unit)
    return LetterNumber(year=date.year, sequence=sequence, text=text)
