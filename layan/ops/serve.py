"""Start the web server (granian, WSGI) and the background workers; stop them all together."""

import os
import signal
import subprocess
import sys
import time
from collections.abc import Sequence

# One worker process per core, two blocking threads each: Django views are short and mostly CPU,
# so more threads only queue behind the GIL (measured with bench/http.py: 2x2 beat 2x4 and 4x1
# on two cores, for throughput and p99); each thread keeps one persistent database connection.
WEB_WORKERS = int(os.environ.get("LAYAN_WEB_WORKERS", str(os.cpu_count() or 2)))
WEB_THREADS = int(os.environ.get("LAYAN_WEB_THREADS", "2"))


def granian_command(
    app: str, *, host: str, port: int, workers: int = WEB_WORKERS, threads: int = WEB_THREADS
) -> list[str]:
    return [
        sys.executable,
        "-m",
        "granian",
        "--interface",
        "wsgi",
        "--host",
        host,
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--blocking-threads",
        str(threads),
        "--no-access-log",
        "--log-level",
        "warning",
        app,
    ]


# The background workers: the outbox, scheduled announcements, and the Gammu modem poller
# (idle until an office adds a Gammu channel).
WORKERS = [["sendmessages"], ["publish_announcements", "--loop"], ["gammu_poll"]]


def worker_commands() -> list[list[str]]:
    """Background workers started beside the web server, each a management command that stops on SIGTERM."""
    from django.core.management import get_commands

    available = get_commands()
    return [[sys.executable, "manage.py", *argv] for argv in WORKERS if argv[0] in available]


STOP_GRACE_SECONDS = 5


def run_together(commands: Sequence[list[str]]) -> int:
    """Run every command; when one exits or we get SIGINT/SIGTERM, stop them all.

    Each command runs in its own process group, so Ctrl-C in the terminal reaches only us: the
    children get one SIGTERM each, not a SIGINT while granian is still starting its workers
    (which can leave a worker hanging). After the grace period the whole group is killed, so no
    granian worker outlives its master.
    """
    procs = [subprocess.Popen(cmd, process_group=0) for cmd in commands]
    stopping = False

    def stop(signum, frame):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    try:
        while not stopping and all(p.poll() is None for p in procs):
            time.sleep(0.2)
    finally:
        for p in procs:
            _signal_group(p, signal.SIGTERM)
        deadline = time.monotonic() + STOP_GRACE_SECONDS
        for p in procs:
            try:
                p.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                pass
            # Also reaps workers left behind by a master that exited or hung.
            _signal_group(p, signal.SIGKILL)
            p.wait()
    failed = [p.returncode for p in procs if p.returncode not in (0, -signal.SIGTERM, -signal.SIGKILL)]
    return 0 if stopping or not failed else failed[0]


def _signal_group(proc: subprocess.Popen, signum: int) -> None:
    try:
        os.killpg(proc.pid, signum)
    except ProcessLookupError:
        pass  # the whole group has already exited
