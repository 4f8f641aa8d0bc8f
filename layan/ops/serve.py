"""Start the web server (granian, WSGI) and the background workers, keep the workers running, stop them all together."""

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

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
        # granian's master replaces a web worker process that dies (an out-of-memory kill);
        # only the master failing stops `serve`.
        "--respawn-failed-workers",
        "--respawn-interval",
        "1",
        "--no-access-log",
        "--log-level",
        "warning",
        app,
    ]


# The background workers: the outbox, scheduled announcements, the Gammu modem poller (idle
# until an office adds a Gammu channel) and the queue's appointment reminders.
WORKERS = [["sendmessages"], ["publish_announcements", "--loop"], ["gammu_poll"], ["queue_reminders", "--loop"]]


def worker_commands() -> list[list[str]]:
    """Background workers started beside the web server, each a management command that stops on SIGTERM."""
    from django.core.management import get_commands

    available = get_commands()
    return [[sys.executable, "manage.py", *argv] for argv in WORKERS if argv[0] in available]


STOP_GRACE_SECONDS = 5
# A worker that exits is started again after 1 s, then 2, 4 … up to 60 s while it keeps failing;
# one that ran for a minute counts as healthy again and restarts after 1 s.
BACKOFF_FIRST_SECONDS = 1.0
BACKOFF_MAX_SECONDS = 60.0
HEALTHY_AFTER_SECONDS = 60.0
POLL_SECONDS = 0.2


def describe_exit(returncode: int) -> str:
    """'status 3' or 'sinyal SIGKILL': how a process ended, for the log line."""
    if returncode < 0:
        try:
            return f"sinyal {signal.Signals(-returncode).name}"
        except ValueError:
            return f"sinyal {-returncode}"
    return f"status {returncode}"


def _log(line: str) -> None:
    print(f"layan serve: {line}", file=sys.stderr, flush=True)


@dataclass
class Supervised:
    command: list[str]
    name: str
    proc: subprocess.Popen | None = None
    started_at: float = 0.0
    restart_at: float | None = None
    backoff: float = BACKOFF_FIRST_SECONDS
    restarts: int = 0

    def start(self) -> None:
        # Its own process group: Ctrl-C in the terminal reaches only `serve`, and stopping can
        # signal everything the command started (granian's workers) at once.
        self.proc = subprocess.Popen(self.command, process_group=0)
        self.started_at = time.monotonic()
        self.restart_at = None


def _name(command: Sequence[str]) -> str:
    if "granian" in command:
        return "web"
    return command[2] if len(command) > 2 and command[1].endswith("manage.py") else command[0]


def supervise(
    web: list[str], workers: Sequence[list[str]], *, log: Callable[[str], None] = _log, install_signals: bool = True
) -> int:
    """Run the web server and the workers until SIGINT/SIGTERM or until the web server fails.

    A worker that exits or is killed is logged with its exit status or signal and started again
    after a backoff, while the web server keeps serving. The web server ending on its own is a
    failure: everything is stopped and the return code is non-zero. After SIGINT/SIGTERM every
    process group gets SIGTERM, then SIGKILL after the grace period; the return code is 0.
    """
    server = Supervised(web, "web")
    helpers = [Supervised(cmd, _name(cmd)) for cmd in workers]
    stopping: list[int] = []

    def stop(signum, frame):
        stopping.append(signum)

    if install_signals:
        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
    result = 0
    try:
        for item in [server, *helpers]:
            item.start()
        while not stopping:
            assert server.proc is not None
            code = server.proc.poll()
            if code is not None:
                log(f"server web berhenti ({describe_exit(code)}); semua proses dihentikan.")
                result = code if code > 0 else 1
                break
            now = time.monotonic()
            for item in helpers:
                _tend(item, now, log)
            time.sleep(POLL_SECONDS)
    finally:
        _stop_all([server, *helpers])
    return result


def _tend(item: Supervised, now: float, log: Callable[[str], None]) -> None:
    if item.restart_at is not None:
        if now >= item.restart_at:
            item.restarts += 1
            item.start()
            log(f"pekerja '{item.name}' dimulai ulang (ke-{item.restarts}).")
        return
    assert item.proc is not None
    code = item.proc.poll()
    if code is None:
        return
    # Anything it left behind in its group goes too, so a restart never runs beside an orphan.
    _signal_group(item.proc, signal.SIGKILL)
    if now - item.started_at >= HEALTHY_AFTER_SECONDS:
        item.backoff = BACKOFF_FIRST_SECONDS
    delay = item.backoff
    item.backoff = min(item.backoff * 2, BACKOFF_MAX_SECONDS)
    item.restart_at = now + delay
    log(f"pekerja '{item.name}' berhenti ({describe_exit(code)}); dimulai ulang dalam {delay:g} s.")


def _stop_all(items: Sequence[Supervised]) -> None:
    running = [i.proc for i in items if i.proc is not None]
    for p in running:
        _signal_group(p, signal.SIGTERM)
    deadline = time.monotonic() + STOP_GRACE_SECONDS
    for p in running:
        try:
            p.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            pass
        # Also reaps workers left behind by a master that exited or hung.
        _signal_group(p, signal.SIGKILL)
        p.wait()


def _signal_group(proc: subprocess.Popen, signum: int) -> None:
    try:
        os.killpg(proc.pid, signum)
    except ProcessLookupError:
        pass  # the whole group has already exited


def public_address_problem(url: str) -> str | None:
    """Why `url` cannot be the address printed in QR codes, SMS links and the guidebook, or None."""
    import ipaddress
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if parts.scheme not in ("http", "https") or not host:
        return f"LAYAN_PUBLIC_BASE_URL harus alamat lengkap seperti https://layan.kecamatan.go.id, bukan {url!r}."
    try:
        loopback = host == "localhost" or host.endswith(".localhost") or ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = False
    if loopback:
        return (
            f"LAYAN_PUBLIC_BASE_URL adalah {url} (alamat lokal): QR, tautan SMS dan buku panduan tidak akan sampai ke "
            "warga. Isi dengan alamat publik kantor, mis. https://layan.kecamatan.go.id."
        )
    return None
