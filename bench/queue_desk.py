"""The queue's desk pages, server side: a kiosk number, a ticket's status page, the console's
poll and its "call next", and the statistics over a year of tickets; p50/p95 per request.

    .venv/bin/python bench/queue_desk.py [--tickets 200] [--year 50000]

In-process through Django's whole middleware stack (the test client: no HTTP server, no
network), on a throw-away SQLite database (WAL) with its own LAYAN_VAR_DIR under /tmp, or on
PostgreSQL when BENCH_DATABASE_URL is set (its database is used as it is: give an empty one).
The Kisam Tinggi demo is loaded (its five lanes and two counters); an officer is on duty at
counter 1, which serves every lane.
- kiosk: POST /<office>/antrian/kiosk/ for `--tickets` numbers (numbered, capacity checked,
  no printer);
- status: GET the last ticket's status page (its place among all waiting, the estimate);
- poll: the console's htmx poll of its panel when something changed (a full render);
- call: POST "panggil" then "selesai" on the console, timed on the call (the ordering rule, the
  call, the "3 nomor lagi" check);
- stats: `--year` finished tickets spread over 250 days, then the statistics page for the year
  and its CSV (streamed whole).
"""

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OFFICE = "kisam-tinggi"


def setup(var_dir: str) -> str:
    for name in ("DATABASE_URL", "LAYAN_SQLITE_PATH", "LAYAN_DEBUG"):
        os.environ.pop(name, None)
    database = os.environ.get("BENCH_DATABASE_URL", "")
    if database:
        os.environ["DATABASE_URL"] = database
    os.environ |= {"LAYAN_VAR_DIR": var_dir, "LAYAN_DEMO": "1", "DJANGO_SETTINGS_MODULE": "layan.settings"}
    # This directory holds bench/http.py, which would shadow the standard library's http package.
    sys.path[:] = [str(ROOT)] + [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", "--noinput", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)
    call_command("load_demo", "--no-admin", verbosity=0)
    return "PostgreSQL" if database else "SQLite (WAL)"


def figures(label: str, times: list[float]) -> None:
    p50 = statistics.median(times)
    p95 = statistics.quantiles(times, n=20)[-1] if len(times) >= 20 else max(times)
    print(f"{label:<34} n={len(times):<5} p50 {p50:8.1f} ms  p95 {p95:8.1f} ms  max {max(times):8.1f} ms", flush=True)


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=200)
    parser.add_argument("--year", type=int, default=50_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="layan-bench-desk-") as var_dir:
        database = setup(var_dir)
        from django.test import Client
        from django.test.utils import setup_test_environment

        from layan.offices.models import Membership, Office
        from layan.queue.models import Counter, Ticket
        from testkit.personas import create_user, open_around_the_clock

        setup_test_environment()  # the test client's ALLOWED_HOSTS ("testserver")
        office = Office.objects.get(slug=OFFICE)
        open_around_the_clock(office)  # the demo's hours would refuse tickets after closing
        officer = create_user("bench-desk", office, Membership.Role.STAFF)
        console = Client()
        console.force_login(officer)
        counter = Counter.objects.get(office=office, number=1)
        console.post(f"/staf/{OFFICE}/loket/", {"counter": counter.pk})
        print(
            f"conditions: {database}, Django test client in one process (no HTTP), {os.cpu_count()} CPUs, "
            f"load average {os.getloadavg()[0]:.2f}",
            flush=True,
        )

        kiosk = Client()
        lanes = list(office.queue_lanes.values_list("code", flat=True))
        taken = [
            timed(lambda: kiosk.post(f"/{OFFICE}/antrian/kiosk/", {"lane": random.choice(lanes)}))
            for _ in range(args.tickets)
        ]
        assert Ticket.objects.filter(office=office).count() == args.tickets
        figures(f"kiosk: take a number (to {args.tickets})", taken)

        last = Ticket.objects.filter(office=office).order_by("-id").first()
        status_url = f"/{OFFICE}/antrian/nomor/{last.token}/"
        figures(f"status page ({args.tickets} waiting)", [timed(lambda: kiosk.get(status_url)) for _ in range(200)])

        panel = f"/staf/{OFFICE}/loket/1/"
        polls = [timed(lambda: console.get(panel, {"panel": 1, "v": "x"}, HTTP_HX_REQUEST="true")) for _ in range(200)]
        figures("console: poll, panel changed", polls)

        calls = []
        for _ in range(min(100, args.tickets)):
            calls.append(timed(lambda: console.post(panel + "panggil/", HTTP_HX_REQUEST="true")))
            console.post(panel + "selesai/", HTTP_HX_REQUEST="true")
        assert Ticket.objects.filter(office=office, status="done").count() == len(calls)
        figures("console: call next", calls)

        # A year of finished visits, written directly (bench only): 250 working days.
        lane_ids = list(office.queue_lanes.values_list("pk", flat=True))
        today = dt.date.today()
        rows = []
        for i in range(args.year):
            day = today - dt.timedelta(days=1 + i % 250)
            taken_at = dt.datetime.combine(day, dt.time(1 + i % 6, i % 60), tzinfo=dt.UTC)
            called = taken_at + dt.timedelta(minutes=random.randint(1, 40))
            started = called + dt.timedelta(minutes=1)
            finished = started + dt.timedelta(minutes=random.randint(2, 15))
            rows.append(
                Ticket(
                    office=office, lane_id=random.choice(lane_ids), day=day, number=100_000 + i,
                    display=f"Z{i:05d}", source="kiosk", status="done", counter=counter, queue_at=taken_at,
                    created_at=taken_at, called_at=called, started_at=started, finished_at=finished,
                )
            )  # fmt: skip
        Ticket.objects.bulk_create(rows, batch_size=2000)
        span = {"dari": (today - dt.timedelta(days=365)).isoformat(), "sampai": today.isoformat()}
        page = [timed(lambda: console.get(f"/staf/{OFFICE}/antrian/statistik/", span)) for _ in range(5)]
        figures(f"statistics page ({args.year} visits)", page)

        def csv():
            response = console.get(f"/staf/{OFFICE}/antrian/statistik.csv", span)
            assert sum(len(chunk) for chunk in response.streaming_content) > args.year * 50

        figures(f"statistics CSV ({args.year} lines)", [timed(csv) for _ in range(3)])
    return 0


if __name__ == "__main__":
    sys.exit(main())
