"""The `make run` contract: setup never overwrites, `serve` answers, and Ctrl-C stops every process.

Runs the real Makefile recipe and the real server in a throw-away var dir (SQLite).
"""

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]

pytestmark = [pytest.mark.slow, pytest.mark.real_component("make")]


@pytest.fixture
def demo_env(tmp_path) -> dict[str, str]:
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "LAYAN_SQLITE_PATH")}
    return env | {"LAYAN_VAR_DIR": str(tmp_path / "var"), "PYTHONUNBUFFERED": "1"}


def make_setup(env: dict[str, str], target: str = "demo") -> str:
    # -o: never (re)build the venv from here; PY: the interpreter running the tests.
    result = subprocess.run(
        ["make", "--no-print-directory", "-o", ".venv/.runtime", target, f"PY={sys.executable}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def admin_password(output: str) -> str:
    match = re.search(r"pengguna 'admin', kata sandi '([^']+)'", output)
    assert match, output
    return match.group(1)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str) -> int:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.status


def session_members(sid: int) -> list[int]:
    """PIDs of every live process in session `sid`: the server, granian's workers, the outbox worker."""
    pids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        # fields[0] is the state, fields[3] the session id; a zombie has already stopped.
        if int(fields[3]) == sid and fields[0] != "Z":
            pids.append(int(stat.parent.name))
    return pids


def test_setup_twice_then_serve_and_ctrl_c_stops_everything(demo_env, tmp_path):
    first = make_setup(demo_env)
    database = tmp_path / "var" / "layan.sqlite3"
    created_at = database.stat().st_ino

    second = make_setup(demo_env)

    # The second run reuses the database and the catalogue, and prints the same credentials.
    assert database.stat().st_ino == created_at
    assert admin_password(second) == admin_password(first)
    assert "demo tidak dimuat ulang, tidak ada yang diubah" in second
    assert "Wilayah dimuat" in first and "Wilayah dimuat" not in second

    port = free_port()
    log = tmp_path / "serve.log"
    server = subprocess.Popen(
        [sys.executable, "manage.py", "serve", "--host", "127.0.0.1", "--port", str(port)],
        cwd=ROOT,
        env=demo_env | {"LAYAN_DEMO": "1"},
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                status = get(f"http://127.0.0.1:{port}/kisam-tinggi/")
                break
            except OSError:
                assert server.poll() is None, log.read_text()
                assert time.monotonic() < deadline, "server did not answer within 20 s"
                time.sleep(0.2)
        assert status == 200
        # granian's master, its workers and the outbox worker all run in the server's session.
        assert len(session_members(server.pid)) >= 3

        # Ctrl-C in a terminal signals the whole foreground process group.
        started = time.monotonic()
        os.killpg(server.pid, signal.SIGINT)
        server.wait(timeout=10)
        while session_members(server.pid) and time.monotonic() - started < 10:
            time.sleep(0.1)
        stopped_after = time.monotonic() - started
    finally:
        if server.poll() is None or session_members(server.pid):
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()

    assert session_members(server.pid) == []
    assert stopped_after < 10, f"took {stopped_after:.1f} s to stop"
    output = log.read_text()
    assert "Layan berjalan di" in output
    assert "Traceback" not in output, output


def manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


# What an officer does after the first `make run`: publish an edit, keep a draft, edit the office
# profile and change the admin password.
OFFICER_EDITS = """
from django.contrib.auth.models import User
from layan.catalogue.models import Service
from layan.catalogue.services import publish_service_version, start_draft
from layan.offices.models import Office
office = Office.objects.get(slug="kisam-tinggi")
office.address = "Jl. Merdeka 1, Simpang Sender"
office.head_name = "Ibu Camat Baru"
office.save()
services = list(Service.objects.filter(office=office).order_by("code")[:2])
draft = start_draft(services[0])
draft.name = "Nama diubah petugas"
draft.save()
publish_service_version(draft, note="edit petugas")
kept = start_draft(services[1])
kept.name = "Draf petugas"
kept.save()
admin = User.objects.get(username="admin")
admin.set_password("sandi-baru-petugas-2026")
admin.save()
"""

OFFICER_STATE = """
from django.contrib.auth.models import User
from layan.catalogue.models import Service, ServiceVersion
from layan.offices.models import Office
office = Office.objects.get(slug="kisam-tinggi")
services = list(Service.objects.filter(office=office).order_by("code")[:2])
print("address", office.address)
print("head", office.head_name)
print("published", services[0].current_version.name, services[0].current_version.number)
print("draft", services[1].versions.filter(status=ServiceVersion.Status.DRAFT).get().name)
print("password", User.objects.get(username="admin").check_password("sandi-baru-petugas-2026"))
print("offices", Office.objects.count())
"""


def test_setup_again_keeps_what_officers_did(demo_env):
    env = demo_env | {"LAYAN_DEMO": "1"}
    make_setup(demo_env)
    manage(env, "shell", "-c", OFFICER_EDITS)
    before = manage(env, "shell", "-c", OFFICER_STATE)
    assert "published Nama diubah petugas 2" in before and "password True" in before

    second = make_setup(demo_env)
    third = make_setup(demo_env)

    assert manage(env, "shell", "-c", OFFICER_STATE) == before
    for output in (second, third):
        assert "demo tidak dimuat ulang, tidak ada yang diubah" in output
        assert "kata sandinya sudah diganti" in output
        assert "sandi-baru" not in output


def test_production_setup_loads_no_demo_and_creates_the_first_admin_from_env(demo_env, tmp_path):
    secret = tmp_path / "admin-password"
    secret.write_text("kata-sandi-kantor-yang-panjang\n")
    env = demo_env | {
        "LAYAN_SECRET_KEY": "production-test-secret-key-" + "x" * 40,
        "LAYAN_PUBLIC_BASE_URL": "https://layan.example.go.id",
        "LAYAN_ADMIN_USERNAME": "camat",
        "LAYAN_ADMIN_PASSWORD_FILE": str(secret),
    }
    env.pop("LAYAN_DEMO", None)
    first = make_setup(env, "setup")
    second = make_setup(env | {"LAYAN_ADMIN_PASSWORD_FILE": "/nonexistent"}, "setup")

    assert "Administrator pertama 'camat' dibuat." in first
    assert "Administrator sudah ada; tidak diubah." in second
    state = manage(
        env,
        "shell",
        "-c",
        "from django.contrib.auth.models import User; from layan.offices.models import Office; "
        "print(Office.objects.count(), list(User.objects.values_list('username', flat=True)), "
        "User.objects.get(username='camat').check_password('kata-sandi-kantor-yang-panjang'))",
    )
    assert state.strip().splitlines()[-1] == "0 ['camat'] True"
    assert not (tmp_path / "var" / "demo-admin.txt").exists()
