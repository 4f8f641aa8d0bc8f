"""Workspace benchmark: render time and page weight of the staff workspace home and inbox, and the weight
of every other staff page.

    .venv/bin/python bench/workspace.py [--requests 200] [--waiting 60]

Loads the Kisam Tinggi demo into a throw-away SQLite database (its own LAYAN_VAR_DIR under /tmp),
adds `--waiting` citizens with an unanswered question and a few voice messages, signs an officer
in with Django's test client and times each GET in-process (the full middleware stack and
templates; no HTTP server, no network). Prints p50/p95/max per page, the queries per page and the
first-load weight gzipped (the HTML plus the stylesheets and htmx it loads). Targets (issue 10):
p95 < 100 ms, first load < 50 KB gzipped. Exits 0 either way: benchmarks report, they don't gate.
"""

import os
import sys

sys.path[0] = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

import argparse  # noqa: E402
import gzip  # noqa: E402
import platform  # noqa: E402
import re  # noqa: E402
import statistics  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--waiting", type=int, default=60)
    args = parser.parse_args()

    for name in ("DATABASE_URL", "LAYAN_SQLITE_PATH", "LAYAN_DEBUG"):
        os.environ.pop(name, None)
    os.environ |= {"LAYAN_VAR_DIR": tempfile.mkdtemp(prefix="layan-bench-ws-"), "LAYAN_DEMO": "1"}
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "layan.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.files.base import ContentFile
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from layan.messaging.services import Incoming, create_channel, receive
    from layan.offices.models import Membership, Office
    from layan.telephone.models import VoiceMessage
    from testkit.personas import create_user

    call_command("migrate", "--noinput", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)
    call_command("load_demo", "--no-admin", verbosity=0)
    office = Office.objects.get(slug="kisam-tinggi")
    channel = create_channel(kind="test", name="Bench", office=office)
    receive(
        channel,
        [Incoming(urn=f"tel:+6281299{i:06d}", text="apakah besok kantor buka pak") for i in range(args.waiting)],
    )
    for i in range(5):
        vm = VoiceMessage(office=office, caller=f"08129900{i:04d}", seconds=10)
        vm.audio.save(f"b{i}.wav", ContentFile(b"RIFF"), save=False)
        vm.save()
    user = create_user("bench_staf", office, Membership.Role.STAFF)
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)

    journal = connection.cursor().execute("PRAGMA journal_mode").fetchone()[0]
    print(
        f"conditions: SQLite ({journal}), demo office + {args.waiting} waiting conversations + 5 voice messages, "
        f"{args.requests} GETs per page in-process (Django test client), DEBUG={settings.DEBUG}, "
        f"Python {platform.python_version()}, {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.2f}"
    )
    for label, path in (("home", f"/staf/{office.slug}/"), ("inbox", f"/staf/{office.slug}/pesan/")):
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        queries: list[str] = []

        def count(execute, sql, params, many, context, queries=queries):
            queries.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            client.get(path)
        times = []
        for _ in range(args.requests):
            start = time.perf_counter()
            client.get(path)
            times.append((time.perf_counter() - start) * 1000)
        times.sort()
        p95 = times[int(len(times) * 0.95) - 1]
        weight, assets = first_load_weight(response.content)
        print(
            f"{label:6} p50 {statistics.median(times):6.1f} ms  p95 {p95:6.1f} ms  max {times[-1]:6.1f} ms  "
            f"queries {len(queries)}  first load {weight / 1024:.1f} KB gzipped ({assets} assets)  "
            f"{'PASS' if p95 < 100 and weight < 50 * 1024 else 'FAIL'} (p95 < 100 ms, < 50 KB)"
        )

    # The weight target holds for every staff page: the rest, as the office admin sees them (the most forms).
    admin = create_user("bench_admin", office, Membership.Role.ADMIN)
    client.force_login(admin)
    contact = office_contact(office)
    o = office.slug
    pages = [
        f"/staf/{o}/pesan/{contact}/",
        f"/staf/{o}/simulator/",
        f"/staf/{o}/telepon/",
        f"/staf/{o}/pengumuman/",
        f"/staf/{o}/pengumuman/baru/",
        f"/staf/{o}/layanan/",
        f"/staf/{o}/layanan/ktp-el/",
        f"/staf/{o}/profil/",
    ]
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        weight, assets = first_load_weight(response.content)
        print(
            f"weight {path:42} first load {weight / 1024:5.1f} KB gzipped ({assets} assets)  "
            f"{'PASS' if weight < 50 * 1024 else 'FAIL'} (< 50 KB)"
        )


def office_contact(office) -> str:
    from layan.messaging.models import Message

    return str(Message.objects.filter(office=office, direction="in").values_list("contact__uuid", flat=True)[0])


def first_load_weight(html: bytes) -> tuple[int, int]:
    """Gzipped bytes of the page plus every local stylesheet and script it links, and how many of those."""
    from django.conf import settings

    static = re.escape(settings.STATIC_URL.encode())
    assets = re.findall(rb'(?:href|src)="' + static + rb'([^"]+\.(?:css|js))"', html)
    root = Path(settings.STATIC_ROOT)
    weight = len(gzip.compress(html)) + sum(len(gzip.compress((root / a.decode()).read_bytes())) for a in assets)
    return weight, len(assets)


if __name__ == "__main__":
    main()
