import csv
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from layan.offices.models import Office
from layan.regions.importer import import_regions
from layan.regions.models import District, Province, Regency, Village

pytestmark = pytest.mark.django_db

WILAYAH = settings.DATA_DIR / "wilayah"
FILES = ("provinces.csv", "regencies.csv", "districts.csv", "villages.csv")


def copy_wilayah(target: Path, *, prefixes: tuple[str, ...]) -> Path:
    """Copy the region CSVs keeping only the codes under `prefixes` (and their parents)."""
    target.mkdir()
    for name in FILES:
        with (WILAYAH / name).open(encoding="utf-8", newline="") as src, (target / name).open("w", newline="") as dst:
            reader = csv.reader(src)
            writer = csv.writer(dst)
            writer.writerow(next(reader))
            writer.writerows(
                row for row in reader if any(p.startswith(row[0]) or row[0].startswith(p) for p in prefixes)
            )
    return target


def rename_village(directory: Path, code: str, new_name: str) -> None:
    path = directory / "villages.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    for row in rows:
        if row[0] == code:
            row[2] = new_name
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)


def snapshot() -> list[tuple]:
    return list(Village.objects.order_by("code").values_list("code", "district_id", "name", "kind"))


@pytest.fixture
def two_regions(tmp_path) -> Path:
    """Kisam Tinggi's kabupaten (WIB) and Kota Makassar (WITA), imported from a trimmed copy."""
    directory = copy_wilayah(tmp_path / "wilayah", prefixes=("16.09.10", "16.09.11", "73.71.01"))
    import_regions(directory)
    return directory


@pytest.mark.slow
def test_full_import_loads_all_of_indonesia_and_a_second_run_changes_nothing():
    counts = import_regions()

    assert (Province.objects.count(), Regency.objects.count()) == (38, 514)
    assert (District.objects.count(), Village.objects.count()) == (7285, 83762)
    assert Village.objects.filter(kind=Village.Kind.KELURAHAN).count() == 8496
    assert Regency.objects.filter(name__startswith="Kota").count() == 98
    assert (counts.villages, counts.written) == (83762, 38 + 514 + 7285 + 83762)
    before = snapshot()

    again = import_regions()

    assert again.written == 0
    assert snapshot() == before
    # The real data, not a trimmed copy: Kisam Tinggi has exactly 19 desa.
    call_command("create_office", "16.09.10", "--slug", "kisam-tinggi", stdout=(out := StringIO()))
    assert "19 desa/kelurahan, zona waktu Asia/Jakarta" in out.getvalue()


def test_renamed_village_in_the_csv_is_updated_and_nothing_else(two_regions):
    before = {code: name for code, _, name, _ in snapshot()}
    rename_village(two_regions, "16.09.10.2001", "Balayan Baru")

    counts = import_regions(two_regions)

    assert counts.written == 1
    after = {code: name for code, _, name, _ in snapshot()}
    assert after.pop("16.09.10.2001") == "Balayan Baru"
    before.pop("16.09.10.2001")
    assert after == before


def test_create_office_command_gives_the_desa_and_wib_time_zone(two_regions):
    call_command("create_office", "16.09.10", "--slug", "kisam-tinggi", stdout=(out := StringIO()))

    office = Office.objects.get(slug="kisam-tinggi")
    assert sorted(office.district.villages.values_list("code", flat=True)) == [
        f"16.09.10.{n}" for n in range(2001, 2020)
    ]
    assert office.tz_abbreviation == "WIB"
    assert "Kecamatan Kisam Tinggi" in out.getvalue()


def test_office_in_makassar_gets_wita(two_regions):
    call_command("create_office", "73.71.01", "--slug", "mariso", stdout=StringIO())

    assert Office.objects.get(slug="mariso").timezone == "Asia/Makassar"


def test_unknown_district_code_is_a_clear_indonesian_error(two_regions):
    with pytest.raises(CommandError, match="Kecamatan dengan kode 99.99.99 tidak ditemukan"):
        call_command("create_office", "99.99.99", "--slug", "tidak-ada", stdout=StringIO())

    assert not Office.objects.filter(slug="tidak-ada").exists()


def test_import_regions_command_reads_data_dir_and_reports_the_counts(two_regions, settings):
    settings.DATA_DIR = two_regions.parent

    call_command("import_regions", stdout=(out := StringIO()))

    assert "3 kecamatan" in out.getvalue()
