"""Bulk, idempotent import of the Kemendagri region CSVs (data/wilayah)."""

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection, models, transaction

from .models import District, Province, Regency, Village

BATCH = 5000


@dataclass
class ImportCounts:
    provinces: int
    regencies: int
    districts: int
    villages: int
    written: int = 0  # rows inserted or renamed/moved; 0 when the database already matched the files


def _rows(path: Path) -> Iterator[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as fh:
        yield from csv.DictReader(fh)


def _upsert(model: type[models.Model], rows: list[dict[str, str]], fields: list[str]) -> int:
    """Insert new codes and update changed ones; return how many rows were written.

    Rows that already match are left alone, so a repeated import (every `load_demo`) writes
    nothing. A region is never deleted here because offices point at it (a decree that
    removes a code is handled by hand).
    """
    columns: list[str] = [model._meta.get_field(f).column for f in fields]  # type: ignore[union-attr,misc]
    existing = {
        row[0]: row[1:] for row in model._default_manager.values_list("code", *fields).iterator(chunk_size=BATCH)
    }
    changed = [
        (row["code"], *values) for row in rows if existing.get(row["code"]) != (values := tuple(row[f] for f in fields))
    ]
    # Straight through the cursor: building 84k model instances for bulk_create costs several
    # times more than the insert itself.
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # One statement with one array per column: psycopg splits huge client-side queries slowly.
            if changed:
                cursor.execute(
                    _upsert_sql(model._meta.db_table, columns, unnest=True),
                    [list(col) for col in zip(*changed, strict=True)],
                )
        else:
            per_statement = min(1000, (connection.features.max_query_params or 10_000) // (len(columns) + 1))
            for start in range(0, len(changed), per_statement):
                chunk = changed[start : start + per_statement]
                cursor.execute(
                    _upsert_sql(model._meta.db_table, columns, rows=len(chunk)), [v for r in chunk for v in r]
                )
    return len(changed)


def _upsert_sql(table: str, columns: list[str], *, rows: int = 0, unnest: bool = False) -> str:
    """INSERT … ON CONFLICT (code) DO UPDATE, for `rows` rows of parameters or (PostgreSQL) one array per column.

    Identifiers come from the model's meta, never from the files; every value is a parameter.
    """
    q = connection.ops.quote_name
    names = ", ".join(q(c) for c in ["code", *columns])
    if unnest:
        source = "SELECT * FROM unnest(" + ", ".join(["%s::text[]"] * (len(columns) + 1)) + ")"  # noqa: S608
    else:
        row = "(" + ", ".join(["%s"] * (len(columns) + 1)) + ")"
        source = "VALUES " + ", ".join([row] * rows)
    updates = ", ".join(f"{q(c)} = excluded.{q(c)}" for c in columns)
    return f"INSERT INTO {q(table)} ({names}) {source} ON CONFLICT ({q('code')}) DO UPDATE SET {updates}"  # noqa: S608


@transaction.atomic
def import_regions(directory: Path | None = None) -> ImportCounts:
    directory = directory or settings.DATA_DIR / "wilayah"
    provinces = list(_rows(directory / "provinces.csv"))
    regencies = [r | {"province": r["province_code"]} for r in _rows(directory / "regencies.csv")]
    districts = [r | {"regency": r["regency_code"]} for r in _rows(directory / "districts.csv")]
    villages = [r | {"district": r["district_code"]} for r in _rows(directory / "villages.csv")]
    written = _upsert(Province, provinces, ["name"])
    written += _upsert(Regency, regencies, ["name", "province"])
    written += _upsert(District, districts, ["name", "regency"])
    written += _upsert(Village, villages, ["name", "district", "kind"])
    return ImportCounts(len(provinces), len(regencies), len(districts), len(villages), written)
