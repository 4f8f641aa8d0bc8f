"""Work queue benchmark: the staff work queue page (/staf/<office>/permohonan/) with many open applications.

    .venv/bin/python bench/application_queue.py [--applications 100000] [--requests 200]
    DATABASE_URL=postgres://… .venv/bin/python bench/application_queue.py   # a database you can wipe

Loads the Kisam Tinggi demo into a throw-away SQLite database (its own LAYAN_VAR_DIR under /tmp), or
into the PostgreSQL database named by DATABASE_URL (its applications are deleted first), adds
`--applications` open applications spread over the demo's services, villages, statuses, channels
and three officers (a tenth overdue, a tenth without a deadline: perlu_perbaikan), signs an officer
in with Django's test client and times each GET in-process (the full middleware stack and
templates; no HTTP server, no network) after warming up. Prints p50/p95/max per variant of the page
and its queries, next to the workspace home as a reference for the machine's speed at the time.
Target (issue 11): p95 < 100 ms with 10^5 open applications. Exits 0 either way.
"""

import os
import sys

sys.path[0] = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

import argparse  # noqa: E402
import datetime as dt  # noqa: E402
import platform  # noqa: E402
import random  # noqa: E402
import statistics  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402

BATCH = 5000
WARMUP = 10


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--applications", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()

    postgres = bool(os.environ.get("DATABASE_URL"))
    for name in ("LAYAN_SQLITE_PATH", "LAYAN_DEBUG"):
        os.environ.pop(name, None)
    os.environ |= {"LAYAN_VAR_DIR": tempfile.mkdtemp(prefix="layan-bench-aq-"), "LAYAN_DEMO": "1"}
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "layan.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test import Client
    from django.utils import timezone

    from layan.applications import tracking
    from layan.applications.models import OPEN_STATUSES, Application, Channel, Status
    from layan.catalogue.models import Service
    from layan.offices.models import Membership, Office
    from layan.regions.models import Village
    from testkit.personas import create_user

    call_command("migrate", "--noinput", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)
    call_command("load_demo", "--no-admin", verbosity=0)
    office = Office.objects.get(slug="kisam-tinggi")
    Application.objects.filter(office=office).delete()
    services = list(Service.objects.published().filter(office=office).select_related("current_version"))
    villages = list(Village.objects.filter(district_id=office.district_id))
    officers = [
        create_user(f"bench_aq_{i}", office, Membership.Role.STAFF)
        if not Membership.objects.filter(office=office, user__username=f"bench_aq_{i}").exists()
        else Membership.objects.get(office=office, user__username=f"bench_aq_{i}").user
        for i in range(3)
    ]
    rng = random.Random(11)
    now = timezone.now()
    open_statuses = sorted(OPEN_STATUSES)
    channels = list(Channel.values)
    started = time.perf_counter()
    made = 0
    while made < args.applications:
        rows = []
        for _ in range(min(BATCH, args.applications - made)):
            status = rng.choice(open_statuses)
            service = rng.choice(services)
            submitted = now - dt.timedelta(minutes=rng.randrange(60, 60 * 24 * 30))
            if status == Status.PERLU_PERBAIKAN:
                due = None
            elif rng.random() < 0.1:
                due = now - dt.timedelta(hours=rng.randrange(1, 200))  # overdue
            else:
                due = now + dt.timedelta(hours=rng.randrange(1, 400))
            rows.append(
                Application(
                    office=office,
                    service=service,
                    version=service.current_version,
                    tracking_number=tracking.generate(),
                    applicant_name=f"Warga {made}",
                    nik=f"160910{rng.randrange(1, 28):02d}0190{made % 9999 + 1:04d}",
                    phone=f"+62812{rng.randrange(10**7, 10**8)}",
                    village=rng.choice(villages),
                    channel=rng.choice(channels),
                    status=status,
                    assignee=rng.choice([None, *officers]),
                    submitted_at=submitted,
                    clock_started_at=submitted,
                    due_at=due,
                )
            )
            made += 1
        with transaction.atomic():
            Application.objects.bulk_create(rows)
    loaded = time.perf_counter() - started
    if postgres:
        with connection.cursor() as cursor:  # as autovacuum leaves it: statistics and visibility map
            cursor.execute("VACUUM ANALYZE applications_application")
        database = f"PostgreSQL {connection.cursor().connection.info.server_version // 10000}"
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
            journal = cursor.execute("PRAGMA journal_mode").fetchone()[0]
        database = f"SQLite {connection.Database.sqlite_version} ({journal})"

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(officers[0])
    base = f"/staf/{office.slug}/permohonan/"
    print(
        f"conditions: {database}, {Application.objects.filter(office=office).count():,} open applications in the "
        f"demo office (loaded in {loaded:.1f} s), {args.requests} GETs per variant in-process (Django test client), "
        f"warm ({WARMUP} GETs first), DEBUG={settings.DEBUG}, Python {platform.python_version()}, "
        f"{os.cpu_count()} CPUs, load {os.getloadavg()[0]:.2f}"
    )
    poll = client.get(base, {"daftar": "1"}, headers={"HX-Request": "true"})
    version = poll.content.decode().split('name="v" value="')[1].split('"')[0]
    variants = [
        # How fast this machine serves a light staff page right now: read the figures below against it.
        ("reference: workspace home", f"/staf/{office.slug}/", {}),
        ("all open (default)", base, {}),
        ("status diproses", base, {"status": Status.DIPROSES}),
        ("one service", base, {"layanan": services[0].code}),
        ("assigned to me", base, {"petugas": "saya"}),
        ("page 100", base, {"hal": "100"}),
        ("htmx poll, unchanged (204)", base, {"daftar": "1", "v": version}),
    ]
    for label, path, params in variants:
        headers = {"HX-Request": "true"} if "daftar" in params else {}
        for _ in range(WARMUP):
            response = client.get(path, params, headers=headers)
            assert response.status_code in (200, 204), (label, response.status_code)
        queries: list[str] = []

        def count(execute, sql, *rest, queries=queries):
            queries.append(sql)
            return execute(sql, *rest)

        with connection.execute_wrapper(count):
            client.get(path, params, headers=headers)
        times = []
        for _ in range(args.requests):
            t0 = time.perf_counter()
            client.get(path, params, headers=headers)
            times.append((time.perf_counter() - t0) * 1000)
        times.sort()
        p95 = times[int(len(times) * 0.95) - 1]
        print(
            f"{label:28} p50 {statistics.median(times):6.1f} ms  p95 {p95:6.1f} ms  max {times[-1]:6.1f} ms  "
            f"{len(queries)} queries  {response.status_code}"
        )


if __name__ == "__main__":
    main()
