"""`manage.py serve` supervises: a killed worker comes back, the site keeps answering, and the
web server failing stops everything with a non-zero exit."""

import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from layan.ops import serve

ROOT = Path(__file__).resolve().parents[3]


def python(code: str) -> list[str]:
    return [sys.executable, "-c", code]


def test_a_worker_that_exits_is_restarted_and_logged_and_the_web_server_failing_is_non_zero(monkeypatch):
    monkeypatch.setattr(serve, "BACKOFF_FIRST_SECONDS", 0.05)
    monkeypatch.setattr(serve, "POLL_SECONDS", 0.02)
    lines: list[str] = []
    # The "web server" lives until the worker has been restarted twice, then fails.
    marker = Path(os.environ["LAYAN_VAR_DIR"]) / f"restarts-{os.getpid()}"
    marker.unlink(missing_ok=True)
    web = python(
        "import pathlib, time, sys\n"
        f"p = pathlib.Path({str(marker)!r})\n"
        "while not (p.exists() and len(p.read_text()) >= 3): time.sleep(0.02)\n"
        "sys.exit(0)"
    )
    worker = python(f"import sys; open({str(marker)!r}, 'a').write('x'); sys.exit(3)")

    code = serve.supervise(web, [worker], log=lines.append, install_signals=False)

    assert code == 1  # the web server ending on its own is a failure even with status 0
    stopped = [line for line in lines if "berhenti (status 3)" in line]
    assert len(stopped) >= 2, lines
    assert any("dimulai ulang (ke-2)" in line for line in lines), lines
    assert lines[-1] == "server web berhenti (status 0); semua proses dihentikan."


def test_exit_descriptions_name_the_signal():
    assert serve.describe_exit(-signal.SIGKILL) == "sinyal SIGKILL"
    assert serve.describe_exit(2) == "status 2"


# --- the real server ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def served_env(tmp_path_factory) -> dict[str, str]:
    var = tmp_path_factory.mktemp("serve") / "var"
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "LAYAN_SQLITE_PATH")}
    env |= {"LAYAN_VAR_DIR": str(var), "PYTHONUNBUFFERED": "1", "LAYAN_DEMO": "1", "LAYAN_WEB_WORKERS": "1"}
    result = subprocess.run(
        [sys.executable, "manage.py", "setup", "--demo"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return env


def children(pid: int) -> dict[int, str]:
    """Direct children of `pid`: {pid: command line}."""
    found = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) == pid and fields[0] != "Z":
                found[int(stat.parent.name)] = (stat.parent / "cmdline").read_text().replace("\0", " ")
        except (OSError, IndexError):
            continue
    return found


def wait_for(predicate, what: str, seconds: float = 20):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status == 200
    except OSError:
        return False


def start_serve(env, tmp_path):
    from layan.ops.tests.test_make_run import free_port

    port = free_port()
    log = tmp_path / "serve.log"
    proc = subprocess.Popen(
        [sys.executable, "manage.py", "serve", "--host", "127.0.0.1", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}/kisam-tinggi/"
    wait_for(lambda: answers(url) or proc.poll() is not None, "the site")
    assert proc.poll() is None, log.read_text()
    return proc, url, log


def stop(proc):
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def worker_pid(proc, name: str) -> int | None:
    return next((pid for pid, cmd in children(proc.pid).items() if f"manage.py {name}" in cmd), None)


@pytest.mark.slow
def test_kill_9_of_the_outbox_worker_brings_it_back_and_the_site_keeps_answering(served_env, tmp_path):
    proc, url, log = start_serve(served_env, tmp_path)
    try:
        first = wait_for(lambda: worker_pid(proc, "sendmessages"), "the outbox worker")
        os.kill(first, signal.SIGKILL)
        second = wait_for(
            lambda: (pid := worker_pid(proc, "sendmessages")) not in (None, first) and pid, "a new outbox worker"
        )
        assert second != first
        assert answers(url)
        assert proc.poll() is None
        output = log.read_text()
        assert "pekerja 'sendmessages' berhenti (sinyal SIGKILL); dimulai ulang dalam 1 s." in output
    finally:
        stop(proc)
    assert proc.returncode == 0
    assert "Traceback" not in log.read_text()


@pytest.mark.slow
def test_when_the_web_server_dies_serve_stops_everything_and_exits_non_zero(served_env, tmp_path):
    proc, url, log = start_serve(served_env, tmp_path)
    try:
        web = next(pid for pid, cmd in children(proc.pid).items() if "granian" in cmd)
        os.kill(web, signal.SIGKILL)
        proc.wait(timeout=15)
    finally:
        stop(proc)
    assert proc.returncode != 0
    assert "server web berhenti (sinyal SIGKILL); semua proses dihentikan." in log.read_text()
    from layan.ops.tests.test_make_run import session_members

    # granian's workers and the background workers are gone too.
    wait_for(lambda: session_members(proc.pid) == [], "every process of the session to stop", seconds=10)
    assert not answers(url)
