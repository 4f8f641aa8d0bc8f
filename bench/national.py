"""National scale on PostgreSQL: every kecamatan of Indonesia as an office with the demo catalogue.

    .venv/bin/python bench/national.py --database-url postgres://layan:layan-ci@127.0.0.1:5432/layan_national

The database named in the URL is dropped and created again (it must be a throw-away one; the role needs
CREATEDB). Then, printing a progress bar:

1. load: migrate, the 91,599 regions, then all 7,285 kecamatan as offices, each with the catalogue of
   data/catalogue/kisam-tinggi.yaml (validated once per loader process by `parse_catalogue`, then
   `apply_catalogue` per office: what `import_catalogue` does, without parsing the same file 7,285
   times), in `--processes` worker processes, one transaction per office. About 175,000 services.
2. search, in a fresh process per pass, calling `search_services` as the page, the API and every channel
   do, on an `Office` loaded by slug as a request loads it:
   - cold: the first search of each of `--sample` random offices (its index is built then);
   - warm: a second search of each of those offices, with another query (so it is never an answer
     cached from the first pass: a cache hit is not a search).
   Each search has its own query drawn from the citizen question sets in layan/catalogue/tests/.
3. web: granian as `make run` starts it (`LAYAN_WEB_WORKERS` processes), the search API for `--sample`
   random offices, the office list and random office homes; p50/p99 of each, and the resident memory
   (RSS) of every web worker afterwards.

Targets (issue "Run it for real"): load < 10 minutes, warm search p99 < 50 ms across all offices,
RSS per web worker < 500 MB. Printed as PASS/FAIL; the exit status is 0 either way.
"""

import os
import sys

sys.path[0] = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

import argparse  # noqa: E402
import multiprocessing  # noqa: E402
import random  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
import urllib.parse  # noqa: E402
import urllib.request  # noqa: E402
from concurrent.futures import ThreadPoolExecutor  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(sys.path[0])
# Line by line, also into a file: worker processes must not inherit half a buffer.
sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]
TARGETS = {"load_minutes": 10.0, "warm_p99_ms": 50.0, "rss_mb": 500.0}


def progress(label: str, done: int, total: int, started: float) -> None:
    width = 30
    filled = int(width * done / total) if total else width
    elapsed = time.monotonic() - started
    rate = done / elapsed if elapsed else 0.0
    eta = (total - done) / rate if rate else 0.0
    sys.stdout.write(
        f"\r{label} [{'#' * filled}{'.' * (width - filled)}] {done:,}/{total:,}  {elapsed:,.0f} s  ETA {eta:,.0f} s "
    )
    if done >= total:
        sys.stdout.write("\n")
    sys.stdout.flush()


def django_setup(database_url: str, var_dir: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ["LAYAN_VAR_DIR"] = var_dir
    os.environ.setdefault("LAYAN_DEMO", "1")
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


def slug_for(code: str) -> str:
    return "kec-" + code.replace(".", "-")


_parsed = None


def _load_chunk(args: tuple[str, str, list[str]]) -> int:
    """In a loader process: each kecamatan of `codes` as an office with the demo catalogue, one transaction
    each. The file is validated once per process, as `import_catalogue` would, and applied to every office."""
    global _parsed
    database_url, var_dir, codes = args
    if _parsed is None:
        django_setup(database_url, var_dir)
        from django.conf import settings

        from layan.catalogue.yaml_io import parse_catalogue

        _parsed = parse_catalogue((settings.DATA_DIR / "catalogue" / "kisam-tinggi.yaml").read_text(encoding="utf-8"))
    from layan.catalogue.yaml_io import apply_catalogue
    from layan.offices.services import create_office

    for code in codes:
        office = create_office(code, slug=slug_for(code))
        apply_catalogue(office, _parsed, note="bench/national.py")
    return len(codes)


def load(database_url: str, var_dir: str, *, offices: int, processes: int) -> tuple[float, int, int]:
    started = time.monotonic()
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "--verbosity", "0"],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": database_url, "LAYAN_VAR_DIR": var_dir, "LAYAN_DEMO": "1"},
        check=True,
    )
    django_setup(database_url, var_dir)
    from layan.regions.importer import import_regions
    from layan.regions.models import District

    import_regions()
    codes = sorted(District.objects.values_list("code", flat=True))[:offices]
    chunks = [(database_url, var_dir, codes[i : i + 25]) for i in range(0, len(codes), 25)]
    from django.db import connections

    connections.close_all()  # the workers fork: none may share this connection
    done = 0
    with multiprocessing.get_context("fork").Pool(processes) as pool:
        for count in pool.imap_unordered(_load_chunk, chunks):
            done += count
            progress("load   ", done, len(codes), started)
    from layan.catalogue.models import Service

    return time.monotonic() - started, len(codes), Service.objects.count()


def citizen_queries() -> list[str]:
    import yaml

    queries: list[str] = []
    for path in sorted((ROOT / "layan" / "catalogue" / "tests").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for item in _walk_queries(data):
            queries.append(item)
    return sorted(set(queries))


def _walk_queries(data) -> list[str]:
    found: list[str] = []
    if isinstance(data, dict):
        if isinstance(data.get("q"), str):
            found.append(data["q"])
        for value in data.values():
            found.extend(_walk_queries(value))
    elif isinstance(data, list):
        for value in data:
            found.extend(_walk_queries(value))
    return found


def search_pass(args: tuple[str, str, list[str], list[tuple[str, str]]]) -> list[tuple[float, float]]:
    """In a fresh process: for each slug, search its first query (cold), then all of them again with their
    second query (warm). Returns (cold ms, warm ms) per office."""
    database_url, var_dir, slugs, pairs = args
    django_setup(database_url, var_dir)
    from layan.catalogue.search import search_services
    from layan.offices.models import Office

    def one(slug: str, query: str) -> float:
        t0 = time.perf_counter()
        office = Office.objects.get(slug=slug, is_active=True)
        search_services(office, query)
        return (time.perf_counter() - t0) * 1000

    cold = [one(slug, pair[0]) for slug, pair in zip(slugs, pairs, strict=True)]
    order = list(range(len(slugs)))
    random.Random(2).shuffle(order)
    warm = [0.0] * len(slugs)
    for i in order:
        warm[i] = one(slugs[i], pairs[i][1])
    return list(zip(cold, warm, strict=True))


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def rss_of_children(pid: int) -> list[float]:
    """RSS in MB of every descendant process of `pid` (the granian workers)."""
    found: list[float] = []
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            continue
        for child in children:
            pending.append(int(child))
            try:
                status = Path(f"/proc/{child}/status").read_text()
            except OSError:
                continue
            for line in status.splitlines():
                if line.startswith("VmRSS:"):
                    found.append(int(line.split()[1]) / 1024)
    return found


def web_pass(database_url: str, var_dir: str, slugs: list[str], queries: list[str]) -> dict:
    from layan.ops.serve import granian_command

    with socketless_port() as port:
        pass  # released again: granian binds it next
    env = {**os.environ, "DATABASE_URL": database_url, "LAYAN_VAR_DIR": var_dir, "LAYAN_DEMO": "1"}
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"], cwd=ROOT, env=env, check=True
    )
    command = granian_command("layan.wsgi:application", host="127.0.0.1", port=port)
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(base + "/", timeout=5).read()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.3)

        def timed(path: str) -> tuple[float, int]:
            t0 = time.perf_counter()
            try:
                with urllib.request.urlopen(base + path, timeout=30) as response:
                    response.read()
                    status = response.status
            except urllib.error.HTTPError as exc:
                status = exc.code
            return (time.perf_counter() - t0) * 1000, status

        rng = random.Random(3)
        search_paths = [
            f"/api/v1/offices/{slug}/services?q={urllib.parse.quote(rng.choice(queries))}&_={i}"
            for i, slug in enumerate(slugs)
        ]
        home_paths = [f"/{slug}/" for slug in rng.sample(slugs, min(200, len(slugs)))]
        results = {}
        started = time.monotonic()
        with ThreadPoolExecutor(8) as pool:
            timings = []
            for i, timing in enumerate(pool.map(timed, search_paths), 1):
                timings.append(timing)
                if i % 50 == 0 or i == len(search_paths):
                    progress("web    ", i, len(search_paths), started)
            results["search API"] = timings
            results["office home"] = list(pool.map(timed, home_paths))
            results["office list"] = [timed("/") for _ in range(20)]
        results["rss"] = rss_of_children(server.pid)
        return results
    finally:
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()


class socketless_port:
    """A free loopback port (bound, read, released)."""

    def __enter__(self) -> int:
        import socket

        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        return self.sock.getsockname()[1]

    def __exit__(self, *exc) -> None:
        self.sock.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_NATIONAL_DATABASE_URL", ""))
    parser.add_argument("--offices", type=int, default=7285, help="how many kecamatan (default: all 7,285)")
    parser.add_argument("--processes", type=int, default=(os.cpu_count() or 2) + 1, help="loader processes")
    parser.add_argument("--sample", type=int, default=1000, help="random offices searched per pass")
    parser.add_argument("--reuse", action="store_true", help="keep the loaded database (skip step 1)")
    args = parser.parse_args()
    if not args.database_url.startswith("postgres"):
        parser.error("--database-url postgres://… of a throw-away database is required (it is dropped)")
    var_dir = tempfile.mkdtemp(prefix="layan-national-")
    print(f"PostgreSQL {args.database_url.rsplit('@', 1)[-1]}; {os.cpu_count()} cores; var dir {var_dir}")

    if not args.reuse:
        recreate_database(args.database_url)
        seconds, office_count, services = load(
            args.database_url, var_dir, offices=args.offices, processes=args.processes
        )
        verdict = "PASS" if seconds / 60 < TARGETS["load_minutes"] else "FAIL"
        print(
            f"load   {office_count:,} offices, {services:,} services in {seconds / 60:.1f} min "
            f"({args.processes} processes) -> {verdict} (target < {TARGETS['load_minutes']:.0f} min)"
        )
    else:
        django_setup(args.database_url, var_dir)

    from layan.offices.models import Office

    slugs_all = list(Office.objects.filter(is_active=True).values_list("slug", flat=True))
    from django.db import connections

    connections.close_all()
    rng = random.Random(1)
    sample = rng.sample(slugs_all, min(args.sample, len(slugs_all)))
    queries = citizen_queries()
    pairs = [tuple(rng.sample(queries, 2)) for _ in sample]
    print(f"search {len(sample):,} random offices of {len(slugs_all):,}; {len(queries)} different citizen questions")
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        timings = pool.apply(search_pass, ((args.database_url, var_dir, sample, pairs),))
    cold = [c for c, _ in timings]
    warm = [w for _, w in timings]
    verdict = "PASS" if percentile(warm, 99) < TARGETS["warm_p99_ms"] else "FAIL"
    print(
        f"search cold (index built): p50 {percentile(cold, 50):.1f} ms, p99 {percentile(cold, 99):.1f} ms; "
        f"warm (other query): p50 {percentile(warm, 50):.1f} ms, p99 {percentile(warm, 99):.1f} ms "
        f"-> {verdict} (target warm p99 < {TARGETS['warm_p99_ms']:.0f} ms)"
    )

    web = web_pass(args.database_url, var_dir, sample, queries)
    for name in ("search API", "office home", "office list"):
        ms = [t for t, _ in web[name]]
        bad = sum(1 for _, status in web[name] if status != 200)
        print(
            f"web    {name}: {len(ms)} requests, p50 {percentile(ms, 50):.0f} ms, p99 {percentile(ms, 99):.0f} ms, "
            f"non-200: {bad}"
        )
    rss = web["rss"]
    workers = os.environ.get("LAYAN_WEB_WORKERS", "2")
    verdict = "PASS" if rss and max(rss) < TARGETS["rss_mb"] else "FAIL"
    print(
        f"web    RSS of granian's processes ({workers} workers) after the requests: "
        + ", ".join(f"{mb:.0f} MB" for mb in rss)
        + f" -> {verdict} (target < {TARGETS['rss_mb']:.0f} MB each)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
