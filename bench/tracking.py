"""Tracking lookup on PostgreSQL with 10^4 and with 10^6 applications: does it stay flat?

    .venv/bin/python bench/tracking.py --database-url postgres://layan:layan-ci@127.0.0.1:5432/layan_bench

The database named in the URL is dropped and created again (a throw-away one; the role needs
CREATEDB). Then: migrate, the Kisam Tinggi demo office and catalogue, and two copies of the
applications table, in schemas `size_small` (`--small` rows) and `size_large` (`--large` rows),
each filled by COPY (random 40-bit tracking numbers, random published services, statuses and
dates as `submit_application` stores them; no checklist rows, which a lookup never reads) and
ANALYZEd. The lookups are GETs of `/api/v1/track/{code}` in-process (Django's test client: the
whole middleware stack, URL routing, django-ninja, the rate limiter writing its counter, the
lookup and the JSON), and of the public page `/<office>/lacak/<code>/` when it exists, for codes
drawn at random from the table being read. The `search_path` picks the table; the two sizes take
turns in blocks of `--block` requests, so a machine whose load changes during the run (other
processes, the OS cache) slows both alike and the ratio stays meaningful.

Target (issue 11): p50 and p99 at 10^6 at most 1.3 x those at 10^4. Printed as PASS/FAIL; exit 0.
"""

import os
import sys

sys.path[0] = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

import argparse  # noqa: E402
import datetime as dt  # noqa: E402
import platform  # noqa: E402
import random  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
import urllib.parse  # noqa: E402

ROOT = sys.path[0]
TARGET = 1.3


def django_setup(database_url: str, var_dir: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ["LAYAN_VAR_DIR"] = var_dir
    os.environ["LAYAN_DEMO"] = "1"
    # The limiter stays on (its counter UPDATE is part of every lookup), with room for the bench.
    os.environ["LAYAN_RATE_TRACKING"] = "100000000/m"
    os.environ["DJANGO_SETTINGS_MODULE"] = "layan.settings"
    import django

    django.setup()


def recreate_database(database_url: str) -> None:
    import psycopg

    parts = urllib.parse.urlsplit(database_url)
    name = parts.path.lstrip("/")
    admin_url = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


SCHEMAS = {"small": "size_small", "large": "size_large"}


def copy_applications(office, schema: str, count: int, rng: random.Random) -> tuple[list[int], float]:
    """`count` applications of `office` into `schema`'s table by COPY: their tracking numbers and
    the seconds it took."""
    from django.db import connection

    from layan.applications.models import Application, Status
    from layan.regions.models import Village

    services = [(s.pk, s.current_version_id) for s in office.services.published()]
    villages = list(Village.objects.filter(district=office.district).values_list("pk", flat=True))
    statuses = [s.value for s in Status]
    fields = [f for f in Application._meta.concrete_fields if not f.primary_key]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    now = dt.datetime.now(dt.UTC)
    numbers: set[int] = set()
    started = time.perf_counter()
    with connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg 3
        table = f"{schema}.{Application._meta.db_table}"
        with raw.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:  # noqa: S608
            for i in range(count):
                number = rng.getrandbits(40)
                while number in numbers:
                    number = rng.getrandbits(40)
                numbers.add(number)
                service_id, version_id = rng.choice(services)
                submitted = now - dt.timedelta(minutes=rng.randrange(0, 60 * 24 * 365))
                status = rng.choice(statuses)
                closed = status in ("selesai", "diambil", "ditolak")
                row = {
                    "office": office.pk,
                    "service": service_id,
                    "version": version_id,
                    "tracking_number": number,
                    "applicant_name": f"Pemohon {i}",
                    "nik": f"160910{rng.randrange(1, 28):02d}{rng.randrange(1, 13):02d}{rng.randrange(60, 99)}"
                    f"{rng.randrange(1, 9999):04d}",
                    "phone": f"+62812{rng.randrange(10**7, 10**8)}",
                    "urn": None,
                    "village": rng.choice(villages),
                    "channel": "web",
                    "status": status,
                    "status_note": "",
                    "assignee": None,
                    "notes": "",
                    "submitted_at": submitted,
                    "clock_started_at": submitted,
                    "due_at": None if closed or status == "perlu_perbaikan" else submitted + dt.timedelta(days=3),
                    "closed_at": submitted + dt.timedelta(days=2) if closed else None,
                    "updated_at": submitted,
                }
                copy.write_row([row[f.name] for f in fields])
        cursor.execute(f"ANALYZE {table}")
    return sorted(numbers), time.perf_counter() - started


def use_table(size: str) -> None:
    """Point unqualified table names at `size`'s copy of the applications table (and, for every
    other table, at public): on this connection now and on any the test client opens later."""
    from django.db import connection

    use_table.current = size  # type: ignore[attr-defined]
    with connection.cursor() as cursor:
        cursor.execute(f"SET search_path TO {SCHEMAS[size]}, public")


def _on_new_connection(sender, connection, **kwargs) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"SET search_path TO {SCHEMAS[use_table.current]}, public")  # type: ignore[attr-defined]


def timed_gets(client, paths: list[str]) -> list[float]:
    """Milliseconds of each GET of `paths` (each must answer 200)."""
    times = []
    for path in paths:
        started = time.perf_counter()
        response = client.get(path)
        elapsed = time.perf_counter() - started
        if response.status_code != 200:
            raise SystemExit(f"{path}: {response.status_code} {response.content[:200]!r}")
        times.append(elapsed * 1000)
    return times


def summary(times: list[float]) -> tuple[float, float, float]:
    cuts = statistics.quantiles(times, n=100, method="inclusive")
    return cuts[49], cuts[98], max(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", ""))
    parser.add_argument("--small", type=int, default=10_000)
    parser.add_argument("--large", type=int, default=1_000_000)
    parser.add_argument("--lookups", type=int, default=3000, help="timed lookups per size and path")
    parser.add_argument("--warmup", type=int, default=300)
    parser.add_argument("--block", type=int, default=50)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    if not args.database_url.startswith("postgres"):
        raise SystemExit("bench/tracking.py needs --database-url postgres://… (a throw-away database)")

    var_dir = tempfile.mkdtemp(prefix="layan-bench-tracking-")
    recreate_database(args.database_url)
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "--verbosity", "0"],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": args.database_url, "LAYAN_VAR_DIR": var_dir, "LAYAN_DEMO": "1"},
        check=True,
    )
    django_setup(args.database_url, var_dir)
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.db.backends.signals import connection_created
    from django.test import Client
    from django.urls import Resolver404, resolve

    from layan.applications import tracking
    from layan.applications.models import Application
    from layan.catalogue.yaml_io import import_catalogue
    from layan.offices.services import create_office
    from testkit.personas import create_regions

    call_command("collectstatic", "--noinput", verbosity=0)  # the tracking page's stylesheet
    create_regions()
    office = create_office("16.09.10", slug="kisam-tinggi")
    import_catalogue(office, (settings.DATA_DIR / "catalogue" / "kisam-tinggi.yaml").read_text(encoding="utf-8"))
    rng = random.Random(args.seed)
    table = Application._meta.db_table
    stored: dict[str, list[int]] = {}
    with connection.cursor() as cursor:
        cursor.execute("SELECT version(), current_setting('shared_buffers')")
        version, shared_buffers = cursor.fetchone()
        for size, count in (("small", args.small), ("large", args.large)):
            schema = SCHEMAS[size]
            cursor.execute(f"CREATE SCHEMA {schema}")
            cursor.execute(f"CREATE TABLE {schema}.{table} (LIKE public.{table} INCLUDING ALL)")
            stored[size], seconds = copy_applications(office, schema, count, rng)
            cursor.execute(
                "SELECT pg_size_pretty(pg_table_size(%s)), pg_size_pretty(pg_indexes_size(%s))",
                [f"{schema}.{table}"] * 2,
            )
            table_size, index_size = cursor.fetchone()
            print(
                f"{schema}: {count:,} applications (COPY in {seconds:.1f} s, {count / seconds:,.0f} rows/s; "
                f"table {table_size}, indexes {index_size})",
                flush=True,
            )

    kinds = {"api": "/api/v1/track/{code}"}
    try:
        resolve(f"/{office.slug}/lacak/{tracking.encode(1)}/")
        kinds["page"] = f"/{office.slug}/lacak/{{code}}/"
    except Resolver404:
        pass
    print(
        f"conditions: {version.split(',')[0]}, shared_buffers {shared_buffers}; in-process GETs (Django test "
        f"client, DEBUG={settings.DEBUG}, rate limiter on: its counter written per lookup), {args.lookups} random "
        f"codes per size and path after {args.warmup} untimed, sizes taking turns in blocks of {args.block}, "
        f"Python {platform.python_version()}, {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.2f}",
        flush=True,
    )
    use_table("small")
    connection_created.connect(_on_new_connection)
    client = Client(HTTP_HOST="127.0.0.1", REMOTE_ADDR="192.0.2.10")

    def paths(size: str, pattern: str, n: int) -> list[str]:
        return [pattern.format(code=tracking.encode(rng.choice(stored[size]))) for _ in range(n)]

    times: dict[tuple[str, str], list[float]] = {}
    for kind, pattern in kinds.items():
        for size in SCHEMAS:
            use_table(size)
            timed_gets(client, paths(size, pattern, args.warmup))
            times[(kind, size)] = []
        for block in range(0, args.lookups, args.block):
            # Alternate which size goes first, so neither always follows the other.
            for size in SCHEMAS if (block // args.block) % 2 == 0 else reversed(SCHEMAS):
                use_table(size)
                times[(kind, size)] += timed_gets(client, paths(size, pattern, min(args.block, args.lookups - block)))
    print(f"load at the end {os.getloadavg()[0]:.2f}")
    for kind, pattern in kinds.items():
        results = {size: summary(times[(kind, size)]) for size in SCHEMAS}
        for size in SCHEMAS:
            p50, p99, top = results[size]
            count = args.small if size == "small" else args.large
            print(
                f"    {kind:<4} {pattern:<30} {count:>9,} applications: "
                f"p50 {p50:6.2f} ms   p99 {p99:6.2f} ms   max {top:6.1f} ms"
            )
        r50 = results["large"][0] / results["small"][0]
        r99 = results["large"][1] / results["small"][1]
        verdict = "PASS" if max(r50, r99) <= TARGET else "FAIL"
        print(
            f"{kind}: {args.large:,} vs {args.small:,} applications: p50 x{r50:.2f}, p99 x{r99:.2f} "
            f"(target <= {TARGET}) {verdict}"
        )


if __name__ == "__main__":
    main()
