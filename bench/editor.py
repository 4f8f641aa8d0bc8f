"""The SOP editor's pages: render time (p50/p95) and first-load page weight, on SQLite with the demo.

    .venv/bin/python bench/editor.py [--requests 200]

Loads the Kisam Tinggi demo into a throw-away SQLite database (WAL, as settings configure it; its
own LAYAN_VAR_DIR under /tmp), logs a staff member in and requests each page through Django's
whole middleware stack with the test client (no HTTP server, no network), one after the other:

- list:   /staf/kisam-tinggi/layanan/ (24 services with their state)
- editor: /staf/kisam-tinggi/layanan/ktp-el/ without a draft (the form from the published version)
- draft:  the same page with a draft open (adds the SMS answer composed by the engine and the diff)

The CPU p95 (this process's CPU time per request) says what the page costs when other processes
compete for the cores, where the wall-clock p95 mostly measures the wait. Nothing is cached
between requests except what the application itself caches. Weight is the HTML plus every
stylesheet and script the page loads (first load, empty browser cache), each gzipped
at level 6 as nginx would send it. Targets: p95 < 100 ms, weight < 50 KB.
"""

import argparse
import gzip
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_P95_MS = 100
TARGET_WEIGHT_KB = 50


def setup(var_dir: str) -> None:
    for name in ("DATABASE_URL", "LAYAN_SQLITE_PATH", "LAYAN_DEBUG"):
        os.environ.pop(name, None)
    os.environ |= {"LAYAN_VAR_DIR": var_dir, "LAYAN_DEMO": "1", "DJANGO_SETTINGS_MODULE": "layan.settings"}
    # This directory holds bench/http.py, which would shadow the standard library's http package.
    sys.path[:] = [str(ROOT)] + [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", "--noinput", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)
    call_command("load_demo", "--no-admin", verbosity=0)


def weight_kb(html: bytes) -> float:
    """Gzipped size of the page and the local assets it links to, in KB."""
    from django.conf import settings

    total = len(gzip.compress(html, 6))
    prefix = settings.STATIC_URL.encode()
    for url in sorted(set(re.findall(rb'(?:src|href)="(' + re.escape(prefix) + rb'[^"?#]+\.(?:css|js))', html))):
        path = Path(settings.STATIC_ROOT) / url.decode().removeprefix(settings.STATIC_URL)
        total += len(gzip.compress(path.read_bytes(), 6))
    return total / 1024


def measure(client, url: str, requests: int) -> tuple[float, float, float, float]:
    for _ in range(10):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    times, cpu = [], []
    for _ in range(requests):
        start, start_cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    p95 = statistics.quantiles(times, n=20)[-1]
    cpu_p95 = statistics.quantiles(cpu, n=20)[-1]
    return statistics.median(times), p95, cpu_p95, weight_kb(response.content)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="layan-bench-editor-") as var_dir:
        setup(var_dir)
        from django.conf import settings
        from django.db import connection
        from django.test import Client

        from layan.catalogue import services as catalogue
        from layan.catalogue.models import Service
        from layan.offices.models import Membership, Office
        from testkit.personas import create_user

        office = Office.objects.get(slug="kisam-tinggi")
        user = create_user("bench_petugas", office, Membership.Role.STAFF)
        client = Client(HTTP_HOST=(settings.ALLOWED_HOSTS or ["localhost"])[0].lstrip(".") or "localhost")
        client.force_login(user)
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            journal = cursor.fetchone()[0]
        load = os.getloadavg()[0]
        print(
            f"SQLite ({journal}), demo office kisam-tinggi, test client (full middleware), {args.requests} requests "
            f"after 10 warm-up, DEBUG={settings.DEBUG}, {os.cpu_count()} CPUs, load {load:.2f}",
            flush=True,
        )
        base = f"/staf/{office.slug}/layanan/"
        rows = [("list", base), ("editor", f"{base}ktp-el/")]
        results = [(name, *measure(client, url, args.requests)) for name, url in rows]
        service = Service.objects.get(office=office, code="ktp-el")
        content, requirements, steps = catalogue.version_content(service.current_version)
        requirements[2]["document"] = "KTP-el lama yang rusak"
        catalogue.save_draft(
            service, content=content | {"summary": "Draf bench"}, requirements=requirements, steps=steps
        )
        results.append(("draft", *measure(client, f"{base}ktp-el/", args.requests)))
        ok = True
        for name, p50, p95, cpu_p95, kb in results:
            good = p95 < TARGET_P95_MS and kb < TARGET_WEIGHT_KB
            ok &= good
            print(
                f"  {name:<7} p50 {p50:6.1f} ms   p95 {p95:6.1f} ms (< {TARGET_P95_MS}, CPU p95 {cpu_p95:5.1f} ms)   "
                f"gzip {kb:5.1f} KB (< {TARGET_WEIGHT_KB})   {'PASS' if good else 'FAIL'}",
                flush=True,
            )
        print("PASS" if ok else "FAIL")
    return 0


if __name__ == "__main__":
    sys.exit(main())
