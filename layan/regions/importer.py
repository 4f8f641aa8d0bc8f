"""Bulk, idempotent import of the Kemendagri region CSVs (data/wilayah)."""

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction

from .models import District, Province, Regency, Village

BATCH = 5000


@dataclass
class ImportCounts:
    provinces: int
    regencies: int
    districts: int
    villages: int


def _rows(path: Path) -> Iterator[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as fh:
        yield from csv.DictReader(fh)


def _upsert(model, objs: list, fields: list[str]) -> None:
    # Insert new codes, update renamed ones; a region is never deleted here because
    # offices point at it (a decree that removes a code is handled by hand).
    model.objects.bulk_create(
        objs, batch_size=BATCH, update_conflicts=True, unique_fields=["code"], update_fields=fields
    )


@transaction.atomic
def import_regions(directory: Path | None = None) -> ImportCounts:
    directory = directory or settings.DATA_DIR / "wilayah"
    provinces = [Province(code=r["code"], name=r["name"]) for r in _rows(directory / "provinces.csv")]
    _upsert(Province, provinces, ["name"])
    regencies = [
        Regency(code=r["code"], province_id=r["province_code"], name=r["name"])
        for r in _rows(directory / "regencies.csv")
    ]
    _upsert(Regency, regencies, ["name", "province"])
    districts = [
        District(code=r["code"], regency_id=r["regency_code"], name=r["name"])
        for r in _rows(directory / "districts.csv")
    ]
    _upsert(District, districts, ["name", "regency"])
    villages = [
        Village(code=r["code"], district_id=r["district_code"], name=r["name"], kind=r["kind"])
        for r in _rows(directory / "villages.csv")
    ]
    _upsert(Village, villages, ["name", "district", "kind"])
    return ImportCounts(len(provinces), len(regencies), len(districts), len(villages))
