"""Backups that restore: SQLite through its online backup API (consistent while the web and the
workers write, WAL included), PostgreSQL through pg_dump / pg_restore. See docs/deploy.md."""

import os
import sqlite3
import subprocess
from pathlib import Path

from django.conf import settings
from django.db import connections
from django.utils import timezone


class BackupError(Exception):
    pass


def default_path(database: dict) -> Path:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    suffix = "sqlite3" if is_sqlite(database) else "dump"
    return Path(settings.VAR_DIR) / "backups" / f"layan-{stamp}.{suffix}"


def is_sqlite(database: dict) -> bool:
    return database["ENGINE"].endswith("sqlite3")


def backup(target: Path, *, alias: str = "default") -> Path:
    """Write a consistent copy of the database to `target` (0600), checked before it is kept."""
    database = connections[alias].settings_dict
    target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.partial")
    partial.unlink(missing_ok=True)
    partial.touch(mode=0o600)
    try:
        if is_sqlite(database):
            _sqlite_copy(Path(database["NAME"]), partial, journal_mode="DELETE")  # one self-contained file
            _check_sqlite(partial)
        else:
            _pg("pg_dump", database, "--format=custom", "--no-owner", "--no-privileges", "--file", str(partial))
            _pg("pg_restore", database, "--list", str(partial), dbname=False)  # readable to the end
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return target


def restore(source: Path, *, alias: str = "default") -> None:
    """Replace the database's contents with the backup `source`.

    SQLite: the backup is checked, then copied page by page into the live database through the
    backup API, under SQLite's own locks, so the database's -wal/-shm stay consistent (copying the
    file over a database beside a stale -wal corrupts it). PostgreSQL: pg_restore --clean in one
    transaction, so a failed restore leaves the database as it was.
    """
    if not source.is_file():
        raise BackupError(f"Berkas cadangan {source} tidak ada.")
    database = connections[alias].settings_dict
    connections[alias].close()
    if is_sqlite(database):
        _check_sqlite(source)
        target = Path(database["NAME"])
        target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not target.exists():
            # A fresh database file: no stale -wal or -shm may sit beside it.
            for leftover in (Path(f"{target}-wal"), Path(f"{target}-shm")):
                leftover.unlink(missing_ok=True)
            target.touch(mode=0o600)
        _sqlite_copy(source, target, journal_mode="WAL")
        _check_sqlite(target)
    else:
        _pg("pg_restore", database, "--clean", "--if-exists", "--no-owner", "--single-transaction", str(source))


def _sqlite_copy(source: Path, target: Path, *, journal_mode: str) -> None:
    src = sqlite3.connect(source, timeout=30)
    dst = sqlite3.connect(target, timeout=30)
    try:
        # pages=-1: one step, so the copy is one consistent snapshot even while others write.
        src.backup(dst, pages=-1)
        dst.execute(f"PRAGMA journal_mode={journal_mode}")
    except sqlite3.Error as exc:
        raise BackupError(f"Salinan SQLite gagal: {exc}.") from None
    finally:
        dst.close()
        src.close()


def _check_sqlite(path: Path) -> None:
    try:
        con = sqlite3.connect(path)
        try:
            result = con.execute("PRAGMA integrity_check").fetchall()
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{path} bukan basis data SQLite yang utuh: {exc}.") from None
    if result != [("ok",)]:
        raise BackupError(f"{path} rusak (integrity_check: {result[0][0]}).")


def _pg(program: str, database: dict, *args: str, dbname: bool = True) -> None:
    env = os.environ | {"PGPASSWORD": str(database.get("PASSWORD") or "")}
    argv = [program, *args]
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if database.get(key):
            argv += [flag, str(database[key])]
    if dbname:
        argv += ["--dbname", database["NAME"]]
    try:
        result = subprocess.run(argv, env=env, capture_output=True, text=True)
    except FileNotFoundError:
        raise BackupError(f"{program} tidak terpasang (paket postgresql-client).") from None
    if result.returncode != 0:
        last = (result.stderr.strip().splitlines() or ["?"])[-1]
        raise BackupError(f"{program} gagal: {last}")
