"""Queue ticket benchmark (not a test): 32 concurrent clients take 10,000 tickets through the API.

    DATABASE_URL=postgres://layan:pw@127.0.0.1:5432/layan_bench .venv/bin/python bench/queue_tickets.py
    … bench/queue_tickets.py --tickets 10000 --clients 32 --room-max 2000

The path citizens take: `POST /api/v1/offices/kisam-tinggi/tickets` on granian exactly as `make run`
serves it (layan/ops/serve.py: LAYAN_WEB_WORKERS processes x LAYAN_WEB_THREADS threads), with the rate
limit on (its counters in the database as in production; each client has its own address, passed as
X-Forwarded-For the way the TLS proxy does, and the per-address rate is raised so one client may take
its share). wrk drives it: one thread and one connection per client, each stopping after its share of
tickets. The services asked for rotate over the demo's services (five lanes); every tenth ticket is a
priority one (lansia).

Phase 1 (no waiting-room maximum): tickets/s, and from the database the duplicates and gaps of the
numbering per lane. Target >= 500 tickets/s, 0 duplicates, 0 gaps.
Phase 2 (`--room-max`): the same load against a waiting room of that size: exactly that many 201s, the
rest 409, and never more tickets in the room than the maximum.

The database is flushed first: DATABASE_URL must name a throw-away PostgreSQL database whose name
contains "bench" (or pass --yes-flush). Exits 0 whatever the figures (benchmarks report, they don't gate).
"""

import os
import sys

# bench/http.py would shadow the stdlib `http` package: put the repository root first instead.
sys.path[0] = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

import argparse  # noqa: E402
import re  # noqa: E402
import shutil  # noqa: E402
import signal  # noqa: E402
import socket  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
import urllib.request  # noqa: E402
from contextlib import contextmanager  # noqa: E402
from pathlib import Path  # noqa: E402

from layan.ops.serve import WEB_THREADS, WEB_WORKERS, granian_command  # noqa: E402

ROOT = Path(sys.path[0])
PATH = "/api/v1/offices/kisam-tinggi/tickets"
TARGET_PER_SECOND = 500

# One wrk thread per client (-t N -c N): each has its own address and its own share of tickets,
# counts its answers by status, and stops once its share is answered.
WRK_LUA = """
local services = {%(services)s}
local share = %(share)d
local extra = %(extra)d
local threads = {}
local next_id = 0
function setup(thread)
  thread:set("id", next_id)
  table.insert(threads, thread)
  next_id = next_id + 1
end
function init(args)
  quota = share
  if id < extra then quota = quota + 1 end
  sent = 0
  answered = 0
  statuses = {}
  headers = {}
  headers["Content-Type"] = "application/json"
  headers["X-Forwarded-For"] = "10.20." .. math.floor(id / 250) .. "." .. (id %% 250 + 1)
  headers["X-Forwarded-Proto"] = "http"
end
function request()
  sent = sent + 1
  local service = services[((id * 7 + sent) %% #services) + 1]
  local priority = ""
  if sent %% 10 == 0 then priority = ', "priority": "lansia"' end
  local body = '{"service": "' .. service .. '"' .. priority .. ', "source": "api"}'
  return wrk.format("POST", nil, headers, body)
end
function response(status, headers, body)
  answered = answered + 1
  statuses[status] = (statuses[status] or 0) + 1
  if answered == quota then
    -- wrk itself runs for its whole -d duration: the benchmark stops it (SIGINT) once every
    -- client has left its mark here.
    local mark = io.open("%(marks)s/" .. id, "w")
    mark:close()
    wrk.thread:stop()
  end
end
function done(summary, latency, requests)
  local total = {}
  for _, thread in ipairs(threads) do
    local counts = thread:get("statuses")
    for status, n in pairs(counts) do total[status] = (total[status] or 0) + n end
  end
  for status, n in pairs(total) do io.write(string.format("STATUS %%d %%d\\n", status, n)) end
  io.write(string.format("P50 %%.3f\\nP99 %%.3f\\n", latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _cpu_seconds(match) -> float:
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            name, rest = stat.read_text().rsplit(")", 1)
        except OSError:
            continue
        fields = rest.split()
        if match(name.split("(", 1)[1], int(fields[2])):  # command, pgrp
            total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / os.sysconf("SC_CLK_TCK")


def group_cpu_seconds(pgid: int) -> float:
    """User + system CPU of every process in the process group (granian's master and workers)."""
    return _cpu_seconds(lambda _command, pgrp: pgrp == pgid)


def postgres_cpu_seconds() -> float:
    """User + system CPU of the local PostgreSQL server's processes (its backends included; 0 when
    the server runs elsewhere)."""
    return _cpu_seconds(lambda command, _pgrp: command == "postgres")


@contextmanager
def serving(env: dict[str, str], log_path: Path):
    port = free_port()
    # 4xx answers are logged as warnings by django.request: kept out of the figures.
    log = log_path.open("w")
    proc = subprocess.Popen(
        granian_command("layan.wsgi:application", host="127.0.0.1", port=port),
        cwd=ROOT,
        env=env,
        start_new_session=True,
        stdout=log,
        stderr=log,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(base + "/api/v1/offices/kisam-tinggi/queue", timeout=5) as r:  # noqa: S310
                    if r.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise SystemExit("server did not start")
            time.sleep(0.2)
        yield base, proc.pid
    finally:
        log.close()
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def setup_django(flush_ok: bool) -> None:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit("DATABASE_URL must name a PostgreSQL database (the benchmark is for PostgreSQL).")
    if "bench" not in url.rsplit("/", 1)[-1] and not flush_ok:
        sys.exit("DATABASE_URL must name a throw-away database containing 'bench' (or pass --yes-flush).")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "layan.settings")
    os.environ.setdefault("LAYAN_DEMO", "1")
    import django

    django.setup()


def load_demo() -> list[str]:
    from django.core.management import call_command

    from layan.offices.models import Office
    from layan.queue.models import LaneService
    from testkit.personas import open_around_the_clock

    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    call_command("load_demo", "--no-admin", verbosity=0)
    # The demo's hours would refuse every ticket after closing: the bench runs at any hour.
    open_around_the_clock(Office.objects.get(slug="kisam-tinggi"))
    return list(LaneService.objects.order_by("lane__code", "service__code").values_list("service__code", flat=True))


def reset_queue(room_max: int | None) -> None:
    from django.core.cache import caches

    from layan.offices.models import Office
    from layan.queue.models import Call, LaneDay, OfficeDay, QueueSettings, Ticket

    Call.objects.all().delete()
    Ticket.objects.all().delete()
    LaneDay.objects.all().delete()
    OfficeDay.objects.all().delete()
    office = Office.objects.get(slug="kisam-tinggi")
    QueueSettings.objects.update_or_create(office=office, defaults={"waiting_room_max": room_max})
    caches["ratelimit"].clear()


def numbering_check() -> tuple[int, int, int]:
    """(tickets, duplicates, gaps) over every lane and day."""
    from django.db.models import Count, Max

    from layan.queue.models import Ticket

    issued = Ticket.objects.filter(transferred_from__isnull=True)
    duplicates = sum(
        row["n"] - 1 for row in issued.values("lane", "day", "number").annotate(n=Count("id")).filter(n__gt=1)
    )
    gaps = 0
    for row in issued.values("lane", "day").annotate(top=Max("number"), n=Count("number", distinct=True)):
        gaps += row["top"] - row["n"]
    return issued.count(), duplicates, gaps


def run_wrk(base: str, script: str, marks: Path, clients: int) -> tuple[float, dict[int, int], float, float]:
    """Run wrk until every client has its answers; (seconds, answers by status, p50 ms, p99 ms)."""
    for mark in marks.glob("*"):
        mark.unlink()
    cmd = ["wrk", f"-t{clients}", f"-c{clients}", "-d600s", "--timeout", "30s", "-s", script, base + PATH]
    started = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    while len(list(marks.iterdir())) < clients and proc.poll() is None:
        time.sleep(0.02)
    elapsed = time.monotonic() - started
    proc.send_signal(signal.SIGINT)  # wrk stops, prints its summary and runs done()
    out, _err = proc.communicate(timeout=60)
    statuses = {int(s): int(n) for s, n in re.findall(r"^STATUS (\d+) (\d+)$", out, re.MULTILINE)}
    p50 = float(re.search(r"^P50 ([\d.]+)$", out, re.MULTILINE).group(1))
    p99 = float(re.search(r"^P99 ([\d.]+)$", out, re.MULTILINE).group(1))
    return elapsed, statuses, p50, p99


def write_script(directory: str, name: str, services: list[str], tickets: int, clients: int) -> tuple[str, Path]:
    marks = Path(directory) / f"{name}-done"
    marks.mkdir(exist_ok=True)
    path = Path(directory) / f"{name}.lua"
    quoted = ", ".join(f'"{code}"' for code in services)
    values = {"services": quoted, "share": tickets // clients, "extra": tickets % clients, "marks": marks}
    path.write_text(WRK_LUA % values, encoding="utf-8")
    return str(path), marks


def postgres_conditions() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
        cursor.execute("SHOW synchronous_commit")
        sync = cursor.fetchone()[0]
        cursor.execute("SHOW fsync")
        fsync = cursor.fetchone()[0]
    return f"PostgreSQL {version} ({connection.settings_dict['NAME']}), synchronous_commit={sync}, fsync={fsync}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--room-max", type=int, default=2_000, help="phase 2's waiting-room maximum (0: skip)")
    parser.add_argument("--yes-flush", action="store_true")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        print("wrk is not installed: apt-get install wrk", file=sys.stderr)
        return 2
    setup_django(args.yes_flush)
    services = load_demo()
    var_dir = tempfile.mkdtemp(prefix="layan-bench-queue-")
    env = dict(os.environ) | {
        "LAYAN_VAR_DIR": var_dir,
        "LAYAN_DEMO": "1",
        "DJANGO_SETTINGS_MODULE": "layan.settings",
        # The proxy's headers are trusted (as behind nginx): X-Forwarded-For is each client's address.
        "LAYAN_SECURE_PROXY_SSL_HEADER": "X-Forwarded-Proto",
        "LAYAN_RATE_QUEUE": f"{args.tickets}/h",
        "LAYAN_LOG_LEVEL": "ERROR",
    }
    env.pop("LAYAN_DEBUG", None)
    script, marks = write_script(var_dir, "tickets", services, args.tickets, args.clients)
    warm_script, warm_marks = write_script(var_dir, "warm-up", services, 4 * args.clients, args.clients)
    print(
        f"{postgres_conditions()}; granian {WEB_WORKERS} workers x {WEB_THREADS} threads; "
        f"wrk {args.clients} clients (one thread and connection each), {args.tickets} tickets over "
        f"{len(services)} services in 5 lanes, 10% priority; rate limit on (counters in the database, one address "
        f"per client, {args.tickets}/h each); {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}",
        flush=True,
    )
    try:
        with serving(env, Path(var_dir) / "server.log") as (base, pgid):
            reset_queue(None)
            run_wrk(base, warm_script, warm_marks, args.clients)  # every worker opens its connections
            reset_queue(None)
            cpu, pg_cpu = group_cpu_seconds(pgid), postgres_cpu_seconds()
            elapsed, statuses, p50, p99 = run_wrk(base, script, marks, args.clients)
            cpu, pg_cpu = group_cpu_seconds(pgid) - cpu, postgres_cpu_seconds() - pg_cpu
            taken, duplicates, gaps = numbering_check()
            rate = statuses.get(201, 0) / elapsed
            ok = rate >= TARGET_PER_SECOND and duplicates == 0 and gaps == 0 and taken == args.tickets
            print(
                f"{'PASS' if ok else 'FAIL'}  phase 1: {statuses.get(201, 0)} tickets in {elapsed:.1f} s = {rate:.0f} "
                f"tickets/s (target >= {TARGET_PER_SECOND}); p50 {p50:.1f} ms, p99 {p99:.1f} ms; answers {statuses}; "
                f"in the database {taken} tickets, {duplicates} duplicates, {gaps} gaps"
            )
            print(
                f"      web processes used {cpu:.1f} CPU-s: {cpu / max(taken, 1) * 1000:.1f} ms a ticket, "
                f"{taken / max(cpu, 0.001):.0f} tickets per web CPU-second; PostgreSQL used {pg_cpu:.1f} CPU-s: "
                f"{pg_cpu / max(taken, 1) * 1000:.1f} ms a ticket"
            )
            if args.room_max:
                from layan.queue.models import Ticket

                reset_queue(args.room_max)
                elapsed, statuses, p50, p99 = run_wrk(base, script, marks, args.clients)
                taken, duplicates, gaps = numbering_check()
                in_room = Ticket.objects.in_room().count()
                ok = (
                    statuses.get(201, 0) == args.room_max == in_room
                    and statuses.get(409, 0) == args.tickets - args.room_max
                    and duplicates == 0
                    and gaps == 0
                )
                print(
                    f"{'PASS' if ok else 'FAIL'}  phase 2 (waiting room max {args.room_max}): answers {statuses} in "
                    f"{elapsed:.1f} s ({args.tickets / elapsed:.0f} requests/s); {in_room} in the room; "
                    f"{taken} tickets, {duplicates} duplicates, {gaps} gaps"
                )
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
