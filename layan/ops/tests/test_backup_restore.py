"""`manage.py backup` while writes run, then `manage.py restore`: the database is intact and holds
exactly what the backup held, on SQLite and on PostgreSQL."""

import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

ROOT = Path(__file__).resolve().parents[3]

# Users are written ten per transaction until the stop file appears: a consistent copy holds a
# multiple of ten.
WRITER = """
import pathlib
from django.contrib.auth.models import User
from django.db import transaction
stop = pathlib.Path(STOP)
batch = 0
while not stop.exists():
    with transaction.atomic():
        User.objects.bulk_create(User(username=f"w{batch}-{i}") for i in range(10))
    batch += 1
"""
COUNT = "from django.contrib.auth.models import User; print('users', User.objects.count())"


def manage(env, *argv, check=True, **kwargs):
    result = subprocess.run(
        [sys.executable, "manage.py", *argv], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, **kwargs
    )
    if check:
        assert result.returncode == 0, result.stdout + result.stderr
    return result


def users(env) -> int:
    line = [x for x in manage(env, "shell", "-c", COUNT).stdout.splitlines() if x.startswith("users ")]
    return int(line[-1].split()[1])


@pytest.fixture(params=["sqlite", "postgresql"])
def database_env(request, tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "LAYAN_SQLITE_PATH")}
    env |= {"LAYAN_VAR_DIR": str(tmp_path / "var"), "LAYAN_DEMO": "1", "PYTHONUNBUFFERED": "1"}
    if request.param == "sqlite":
        yield env
        return
    request.applymarker(pytest.mark.real_component("postgresql"))
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres") or shutil.which("pg_dump") is None:
        pytest.skip("needs PostgreSQL (DATABASE_URL) and pg_dump")
    import psycopg

    parts = urlsplit(url)
    scratch = f"{parts.path.lstrip('/')}_restore_{os.getpid()}"
    with psycopg.connect(url, autocommit=True) as con:
        con.execute(f'DROP DATABASE IF EXISTS "{scratch}"')
        con.execute(f'CREATE DATABASE "{scratch}"')
    try:
        yield env | {"DATABASE_URL": urlunsplit(parts._replace(path=f"/{scratch}"))}
    finally:
        with psycopg.connect(url, autocommit=True) as con:
            con.execute(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')


def users_in_backup(path: Path, env) -> int:
    if path.suffix == ".sqlite3":
        con = sqlite3.connect(path)
        try:
            assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            return con.execute("SELECT count(*) FROM auth_user").fetchone()[0]
        finally:
            con.close()
    out = subprocess.run(
        ["pg_restore", "--data-only", "--table=auth_user", "--file=-", str(path)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rows = out.split("COPY public.auth_user", 1)[1].split("\n\\.", 1)[0]
    return len(rows.strip().splitlines()) - 1  # the COPY line's own tail


@pytest.mark.slow
def test_backup_while_writing_then_restore_gives_back_exactly_the_backup(database_env, tmp_path):
    env = database_env
    manage(env, "migrate", "--noinput")
    stop = tmp_path / "stop"
    writer = subprocess.Popen(
        [sys.executable, "manage.py", "shell", "-c", WRITER.replace("STOP", repr(str(stop)))],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while users(env) < 200:
            assert writer.poll() is None, writer.stderr.read() if writer.stderr else ""
            assert time.monotonic() < deadline, "the writer wrote nothing"
        target = tmp_path / ("backup.dump" if "DATABASE_URL" in env else "backup.sqlite3")
        out = manage(env, "backup", "-o", str(target)).stdout
        assert writer.poll() is None, "the writer must still be running after the backup"
        # More writes after the backup: the restore must take them away again.
        backed_up = users_in_backup(target, env)
        while users(env) < backed_up + 200:
            time.sleep(0.05)
    finally:
        stop.touch()
        writer.wait(timeout=60)
    assert writer.returncode == 0, writer.stderr.read() if writer.stderr else ""
    assert f"Cadangan ditulis ke {target}" in out
    assert oct(target.stat().st_mode & 0o777) == "0o600"
    assert backed_up >= 200 and backed_up % 10 == 0  # a transaction-consistent snapshot
    live = users(env)
    assert live > backed_up

    restored = manage(env, "restore", "--noinput", str(target))

    assert "Basis data dipulihkan" in restored.stdout
    assert users(env) == backed_up
    assert "No planned migration operations." in manage(env, "migrate", "--plan").stdout
    if "DATABASE_URL" not in env:
        database = Path(env["LAYAN_VAR_DIR"]) / "layan.sqlite3"
        con = sqlite3.connect(database)
        assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        con.close()
    # The database works for writing again.
    manage(env, "shell", "-c", "from django.contrib.auth.models import User; User.objects.create(username='after')")
    assert users(env) == backed_up + 1


def test_a_damaged_backup_is_refused_in_one_line_and_nothing_changes(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "LAYAN_SQLITE_PATH")}
    env |= {"LAYAN_VAR_DIR": str(tmp_path / "var"), "LAYAN_DEMO": "1"}
    manage(env, "migrate", "--noinput")
    manage(env, "shell", "-c", "from django.contrib.auth.models import User; User.objects.create(username='kept')")
    damaged = tmp_path / "damaged.sqlite3"
    damaged.write_bytes(b"SQLite format 3\0" + os.urandom(8192))

    result = manage(env, "restore", "--noinput", str(damaged), check=False)

    assert result.returncode == 1
    assert len(result.stderr.strip().splitlines()) == 1 and "damaged.sqlite3" in result.stderr, result.stderr
    assert users(env) == 1
