"""Announcement broadcast benchmark (not a test): prints figures, exits 0.

Builds an office with 10k, then 50k, then 100k contacts (one URN each, spread over tel/whatsapp/
telegram, ~5% opted out) and at each size times `publish_announcement` for an SMS+WhatsApp+Telegram
announcement, and measures its memory: RSS high-water mark above the RSS before the call
(/proc/self/clear_refs resets the mark) and, in a second run, the tracemalloc peak. Flat figures
across sizes mean memory does not grow with the number of contacts. Target: enqueue < 10 s for
100k contacts on PostgreSQL.

    .venv/bin/python bench/broadcast.py                      # SQLite in a temp dir
    DATABASE_URL=postgres://u:pw@127.0.0.1/layan_bench .venv/bin/python bench/broadcast.py
    … bench/broadcast.py --sizes 100000 --batch-size 5000   # compare batch sizes

The database is flushed first: DATABASE_URL must name a throw-away database whose name contains
"bench" (or pass --yes-flush).
"""

import argparse
import os
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# bench/http.py would shadow the stdlib `http` package Django imports.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
SIZES = (10_000, 50_000, 100_000)
CHUNK = 5_000


def setup_django(flush_ok: bool) -> str:
    url = os.environ.get("DATABASE_URL", "")
    if url and "bench" not in url.rsplit("/", 1)[-1] and not flush_ok:
        sys.exit("DATABASE_URL must name a throw-away database containing 'bench' (or pass --yes-flush).")
    if not url:
        os.environ["LAYAN_VAR_DIR"] = tempfile.mkdtemp(prefix="layan-bench-broadcast-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "layan.settings")
    os.environ.setdefault("LAYAN_DEMO", "1")
    os.environ.setdefault("LAYAN_LOG_LEVEL", "WARNING")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    return f"{connection.vendor} ({connection.settings_dict['NAME']})"


def rss_kib() -> tuple[int, int]:
    """(current RSS, high-water mark) of this process in KiB."""
    fields = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            fields[key] = int(value.split()[0])
    return fields["VmRSS"], fields["VmHWM"]


def reset_peak_rss() -> None:
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass


def make_office():
    from layan.messaging.models import Channel
    from testkit.personas import create_office, create_regions, create_user

    district, _ = create_regions()
    office = create_office(district, "kisam-tinggi", "Kecamatan Kisam Tinggi")
    for kind in ("test", "whatsapp", "telegram"):
        Channel.objects.create(office=office, kind=kind, name=kind, tps=1000)
    return office, create_user("bench_staf", office)


def add_contacts(office, start: int, stop: int) -> None:
    """Contacts start..stop-1, one URN each subscribed to `office`: i%3 picks the scheme, every 20th
    is opted out."""
    from django.utils import timezone

    from layan.messaging.models import Contact, ContactURN, Subscription

    now = timezone.now()
    for lo in range(start, stop, CHUNK):
        hi = min(lo + CHUNK, stop)
        contacts = Contact.objects.bulk_create([Contact(office=office) for _ in range(lo, hi)])
        urns = []
        for i, contact in zip(range(lo, hi), contacts, strict=True):
            scheme = ("tel", "whatsapp", "telegram")[i % 3]
            path = (
                f"+62812{i:08d}" if scheme == "tel" else (f"62812{i:08d}" if scheme == "whatsapp" else str(10**9 + i))
            )
            urns.append(ContactURN(contact=contact, scheme=scheme, path=path, identity=f"{scheme}:{path}"))
        ContactURN.objects.bulk_create(urns)
        Subscription.objects.bulk_create(
            Subscription(office=office, urn=urn, opted_out_at=now if i % 20 == 0 else None)
            for i, urn in zip(range(lo, hi), urns, strict=True)
        )


def publish(office, user, label: str, *, trace: bool, batch_size: int | None):
    from layan.announcements.services import BATCH_SIZE, create_announcement, publish_announcement

    announcement = create_announcement(
        office,
        user=user,
        title=f"Pengumuman {label}",
        body="Perekaman KTP-el keliling di balai desa hari Sabtu pukul 08.00 sampai 12.00. Bawa KK asli.",
        to_sms=True,
        to_whatsapp=True,
        to_telegram=True,
    )
    rss_before, _ = rss_kib()
    reset_peak_rss()
    if trace:
        tracemalloc.start()
    started = time.perf_counter()
    announcement = publish_announcement(announcement, batch_size=batch_size or BATCH_SIZE)
    elapsed = time.perf_counter() - started
    peak_py = 0
    if trace:
        _, peak_py = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    _, hwm = rss_kib()
    queued = sum(d.queued for d in announcement.deliveries.all())
    skipped = sum(d.skipped_opted_out for d in announcement.deliveries.all())
    return elapsed, queued, skipped, hwm - rss_before, peak_py


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--yes-flush", action="store_true")
    parser.add_argument("--sizes", default=",".join(str(s) for s in SIZES))
    parser.add_argument("--batch-size", type=int, help="rows per batch transaction (default: services.BATCH_SIZE)")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    database = setup_django(args.yes_flush)
    print(f"database: {database}; load average: {os.getloadavg()[0]:.1f}")
    if database.startswith("sqlite"):
        print("note: SQLite (set DATABASE_URL for the PostgreSQL figures the target refers to)")
    office, user = make_office()
    have = 0
    print(
        f"{'contacts':>9} {'create s':>8} {'queued':>7} {'skipped':>7} {'enqueue s':>9} {'rows/s':>8} "
        f"{'RSS +KiB':>8} {'py peak KiB':>11} {'traced s':>8}"
    )
    for size in sizes:
        started = time.perf_counter()
        add_contacts(office, have, size)
        created = time.perf_counter() - started
        have = size
        elapsed, queued, skipped, rss_delta, _ = publish(
            office, user, f"{size} a", trace=False, batch_size=args.batch_size
        )
        traced_elapsed, _, _, _, peak_py = publish(office, user, f"{size} b", trace=True, batch_size=args.batch_size)
        print(
            f"{size:>9,} {created:>8.1f} {queued:>7,} {skipped:>7,} {elapsed:>9.2f} {queued / elapsed:>8,.0f} "
            f"{rss_delta:>8,} {peak_py // 1024:>11,} {traced_elapsed:>8.1f}"
        )
    print(f"load average at the end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
