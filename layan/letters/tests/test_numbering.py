import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection, transaction

from layan.letters.models import NumberSequence, validate_number_pattern
from layan.letters.numbering import format_number, take_number

ROOT = Path(__file__).resolve().parents[3]
PATTERN = "{klasifikasi}/{urut:03}/{unit}/{tahun}"


def take(office, date=dt.date(2026, 3, 9), **kw):
    with transaction.atomic():
        return take_number(office, date=date, pattern=PATTERN, classification="470", unit="KEC-KT", **kw)


def test_numbers_follow_the_pattern_and_start_again_each_year(personas):
    assert take(personas.office).text == "470/001/KEC-KT/2026"
    assert take(personas.office).text == "470/002/KEC-KT/2026"
    assert take(personas.office, dt.date(2027, 1, 2)).text == "470/001/KEC-KT/2027"
    assert take(personas.other_office).text == "470/001/KEC-KT/2026"  # each office its own register


def test_a_rolled_back_signing_gives_its_number_back(personas):
    take(personas.office)
    with pytest.raises(RuntimeError), transaction.atomic():
        take_number(personas.office, date=dt.date(2026, 3, 9), pattern=PATTERN, classification="470", unit="KT")
        raise RuntimeError("typst failed")
    assert take(personas.office).sequence == 2


@pytest.mark.django_db(transaction=True)
def test_a_number_is_only_taken_inside_a_transaction(personas):
    with pytest.raises(RuntimeError, match="inside the transaction"):
        take_number(personas.office, date=dt.date(2026, 1, 1), pattern=PATTERN, classification="1", unit="")


def test_patterns_with_the_roman_month_and_refused_patterns():
    date = dt.date(2026, 11, 3)
    assert (
        format_number(
            "{klasifikasi}/{urut:03}/KEC/{bulan_romawi}/{tahun}",
            sequence=15,
            date=date,
            classification="474.1",
            unit="",
        )
        == "474.1/015/KEC/XI/2026"
    )
    for bad, message in [
        ("{klasifikasi}/{tahun}", "urut"),
        ("{urut}/{kode}", "kode"),
        ("{urut", "kurung"),
        ("{urut:zz}", "format"),
    ]:
        with pytest.raises(Exception, match=message):
            validate_number_pattern(bad)


WORKER = """
import sys, django
django.setup()
from django.db import transaction
import datetime as dt
from layan.offices.models import Office
from layan.letters.numbering import take_number
office = Office.objects.get(slug="kisam-tinggi")
got = []
for _ in range(int(sys.argv[1])):
    with transaction.atomic():
        got.append(take_number(office, date=dt.date(2026, 5, 4), pattern="{urut}", classification="", unit="").sequence)
print(" ".join(map(str, got)))
"""
PER_PROCESS = 150


def run_eight(env: dict) -> list[str]:
    """Eight processes taking PER_PROCESS numbers each from the same register; their outputs."""
    env = os.environ | {"DJANGO_SETTINGS_MODULE": "layan.settings", "LAYAN_DEMO": "1", "PYTHONPATH": str(ROOT)} | env
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, str(PER_PROCESS)],
            env=env,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(8)
    ]
    outputs = [w.communicate(timeout=300) for w in workers]
    assert all(w.returncode == 0 for w in workers), [err[-2000:] for _out, err in outputs]
    return [out for out, _err in outputs]


def assert_every_number_once(outputs: list[str]) -> None:
    numbers = [int(n) for out in outputs for n in out.split()]
    assert sorted(numbers) == list(range(1, 8 * PER_PROCESS + 1))  # no duplicates, no gaps
    # Each process saw its own numbers rising: the register never went backwards.
    assert all([int(n) for n in out.split()] == sorted(int(n) for n in out.split()) for out in outputs)


@pytest.mark.slow
@pytest.mark.real_component("postgresql")
@pytest.mark.django_db(transaction=True)
def test_eight_processes_get_every_number_once_without_gaps_on_postgresql(personas, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL) for concurrent processes on one register")
    db = connection.settings_dict
    url = f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"
    assert_every_number_once(run_eight({"DATABASE_URL": url, "LAYAN_VAR_DIR": str(tmp_path)}))
    assert NumberSequence.objects.get(office=personas.office, year=2026).last == 8 * PER_PROCESS


SETUP = """
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from testkit.personas import create_regions
from layan.offices.services import create_office
create_regions()
create_office("16.09.10", slug="kisam-tinggi")
"""


@pytest.mark.slow
def test_eight_processes_get_every_number_once_without_gaps_on_sqlite(tmp_path):
    # The test database of SQLite lives in memory; the processes share a file database of their own.
    env = {"LAYAN_VAR_DIR": str(tmp_path), "LAYAN_SQLITE_PATH": str(tmp_path / "layan.sqlite3"), "DATABASE_URL": ""}
    subprocess.run(
        [sys.executable, "-c", SETUP],
        env=os.environ | {"DJANGO_SETTINGS_MODULE": "layan.settings", "LAYAN_DEMO": "1", "PYTHONPATH": str(ROOT)} | env,
        cwd=ROOT,
        check=True,
    )
    assert_every_number_once(run_eight(env))
