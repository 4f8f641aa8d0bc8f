"""After `make run`'s setup, every command in the README works without LAYAN_DEMO=1 (the settings
find the demo's secret in var/); a missing setting is one line, never a traceback; outside demo
mode `serve` refuses a missing or loopback public address; the demo's links carry its port."""

import json
import os
import re
import shlex
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from layan.ops.serve import public_address_problem
from layan.ops.tests.test_make_run import free_port
from layan.ops.tests.test_serve import stop, wait_for

ROOT = Path(__file__).resolve().parents[3]
PRODUCTION = {"LAYAN_SECRET_KEY": "production-test-secret-key-" + "y" * 40}


def readme_commands() -> list[list[str]]:
    block = re.search(r"## Common tasks\s+```sh\n(.*?)```", (ROOT / "README.md").read_text(), re.S)
    assert block, "README has no 'Common tasks' block"
    commands = []
    for line in block.group(1).splitlines():
        argv = shlex.split(line, comments=True)
        if argv:
            assert argv[:2] == [".venv/bin/python", "manage.py"], line
            commands.append(argv[2:])
    return commands


@pytest.fixture(scope="module")
def after_make_run(tmp_path_factory) -> dict[str, str]:
    var = tmp_path_factory.mktemp("readme") / "var"
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "LAYAN_SQLITE_PATH", "LAYAN_DEMO")}
    env |= {"LAYAN_VAR_DIR": str(var), "PYTHONUNBUFFERED": "1"}
    setup = subprocess.run(
        [sys.executable, "manage.py", "setup", "--demo"],
        cwd=ROOT,
        env=env | {"LAYAN_DEMO": "1"},  # what `make run` sets
        capture_output=True,
        text=True,
    )
    assert setup.returncode == 0, setup.stdout + setup.stderr
    return env


def manage(env, *argv, cwd=ROOT):
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *argv], cwd=cwd, env=env, capture_output=True, text=True, timeout=300
    )


@pytest.mark.slow
@pytest.mark.parametrize("argv", readme_commands(), ids=lambda argv: argv[0])
def test_readme_command_works_after_make_run(after_make_run, argv, tmp_path):
    # Output files go to a scratch dir; paths to the repository's data stay relative to it.
    argv = [str(tmp_path / a) if prev == "-o" else a for prev, a in zip(["", *argv], argv, strict=False)]
    argv = [str(ROOT / a) if a.startswith("data/") else a for a in argv]
    result = manage(after_make_run, *argv, cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Traceback" not in result.stderr


def test_a_missing_secret_is_one_line(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("LAYAN_")}
    result = manage(env | {"LAYAN_VAR_DIR": str(tmp_path)}, "check")
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "Layan: LAYAN_SECRET_KEY (atau LAYAN_SECRET_KEY_FILE) belum diisi; "
        "untuk demo lokal: make run atau LAYAN_DEMO=1."
    ]
    result = manage(env | {"LAYAN_VAR_DIR": str(tmp_path), "LAYAN_SECRET_KEY_FILE": str(tmp_path / "none")}, "check")
    assert len(result.stderr.strip().splitlines()) == 1 and "LAYAN_SECRET_KEY_FILE" in result.stderr


@pytest.mark.parametrize(
    "url, ok",
    [
        ("https://layan.kisamtinggi.go.id", True),
        ("http://127.0.0.1:8000", False),
        ("http://localhost:8000", False),
        ("http://[::1]:8000", False),
        ("layan.kisamtinggi.go.id", False),
    ],
)
def test_public_address_must_be_reachable_by_citizens(url, ok):
    assert (public_address_problem(url) is None) == ok


@pytest.mark.parametrize("base_url", [None, "http://127.0.0.1:8000"])
def test_serve_outside_demo_mode_refuses_a_missing_or_loopback_public_address(tmp_path, base_url):
    env = {k: v for k, v in os.environ.items() if not k.startswith("LAYAN_") and k != "DATABASE_URL"}
    env |= PRODUCTION | {"LAYAN_VAR_DIR": str(tmp_path)}
    if base_url:
        env["LAYAN_PUBLIC_BASE_URL"] = base_url
    result = manage(env, "serve", "--port", str(free_port()))
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "LAYAN_PUBLIC_BASE_URL" in lines[0], result.stderr


@pytest.mark.parametrize("base_url", [None, "http://localhost:8000"])
def test_check_deploy_reports_a_missing_or_loopback_public_address(tmp_path, base_url):
    env = {k: v for k, v in os.environ.items() if not k.startswith("LAYAN_") and k != "DATABASE_URL"}
    env |= PRODUCTION | {"LAYAN_VAR_DIR": str(tmp_path)}
    if base_url:
        env["LAYAN_PUBLIC_BASE_URL"] = base_url
    result = manage(env, "check", "--deploy", "--fail-level", "ERROR")
    assert result.returncode != 0 and "layan.E001" in result.stderr
    good = manage(env | {"LAYAN_PUBLIC_BASE_URL": "https://layan.kisamtinggi.go.id"}, "check", "--deploy")
    assert "layan.E001" not in good.stderr + good.stdout


@pytest.mark.slow
def test_the_demo_links_carry_the_port_it_is_served_on(after_make_run, tmp_path):
    port = free_port()
    log = tmp_path / "serve.log"
    proc = subprocess.Popen(
        [sys.executable, "manage.py", "serve", "--port", str(port)],
        cwd=ROOT,
        env=after_make_run | {"LAYAN_WEB_WORKERS": "1"},
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}/api/v1/offices/kisam-tinggi/services"

    def fetch():
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return json.load(response)
        except OSError:
            assert proc.poll() is None, log.read_text()
            return None

    try:
        page = wait_for(fetch, "the API")
    finally:
        stop(proc)
    first = json.dumps(page)
    assert f"http://127.0.0.1:{port}/kisam-tinggi/layanan/" in first
