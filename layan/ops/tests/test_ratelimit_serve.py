"""Rate limits hold across the web processes of `manage.py serve`: two granian workers, one
budget (the counters are in the database, not in each process's memory)."""

import os
import subprocess
import sys
import urllib.error
import urllib.request

import pytest

from layan.ops.tests.test_make_run import free_port
from layan.ops.tests.test_serve import ROOT, answers, children, stop, wait_for

pytestmark = pytest.mark.slow


@pytest.fixture
def two_workers_env(tmp_path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "LAYAN_SQLITE_PATH")}
    env |= {
        "LAYAN_VAR_DIR": str(tmp_path / "var"),
        "PYTHONUNBUFFERED": "1",
        "LAYAN_DEMO": "1",
        "LAYAN_WEB_WORKERS": "2",
        "LAYAN_RATE_TRACKING": "5/10m",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "setup", "--demo"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return env


def status_of(url: str) -> int:
    request = urllib.request.Request(url, headers={"Connection": "close"})  # a new connection each time
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_two_web_workers_share_one_tracking_budget(two_workers_env, tmp_path):
    port = free_port()
    log = tmp_path / "serve.log"
    proc = subprocess.Popen(
        [sys.executable, "manage.py", "serve", "--host", "127.0.0.1", "--port", str(port)],
        cwd=ROOT,
        env=two_workers_env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}/"
    try:
        # Two workers take a while to start on a busy machine.
        wait_for(lambda: answers(base + "kisam-tinggi/") or proc.poll() is not None, "the site", seconds=120)
        assert proc.poll() is None, log.read_text()
        granian = next(pid for pid, cmd in children(proc.pid).items() if "granian" in cmd)
        assert len(children(granian)) >= 2, "expected two granian worker processes"
        statuses = [status_of(f"{base}api/v1/track/K7M-2QX-9PC") for _ in range(16)]
    finally:
        stop(proc)
    # 404: looked up (no such application); 429 once the shared budget of 5 is spent.
    assert statuses == [404] * 5 + [429] * 11, statuses
    assert "Traceback" not in log.read_text()
