"""Letters: the PDF of one letter warm (p50/p95), and 8 processes taking letter numbers at once.

    DATABASE_URL=postgres://… .venv/bin/python bench/letters.py [--letters 100] [--processes 8] [--numbers 1000]

Without DATABASE_URL it runs on a throw-away SQLite file (WAL, as settings configure it); the target
figures are for PostgreSQL. Its own LAYAN_VAR_DIR under /tmp (key file, SQLite file). On the database it
is given it migrates, then uses an office of its own (slug bench-letters), whose letters and register it
empties first; nothing else is touched. Prints the load average: the figures depend on it.

- pdf:     render_letter() of one letter (kop, body from an application, signature block, QR), after
           5 warm-up renders; then sign_letter() as the camat's button runs it (number, PDF, Ed25519,
           the stored file and the audit row, in one transaction), one new application each.
- numbers: N processes start together (a barrier), each takes M numbers in M transactions from the
           same office's register for the same year. Reported: gaps and duplicates over all N*M
           numbers (both must be 0), and numbers per second over the wall time from the barrier to
           the last process done. Target: 0 gaps, 0 duplicates; PDF < 100 ms warm.
"""

import argparse
import multiprocessing
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SLUG = "bench-letters"
TARGET_PDF_MS = 100


def django_setup(var_dir: str) -> None:
    os.environ |= {"LAYAN_VAR_DIR": var_dir, "LAYAN_DEMO": "1", "DJANGO_SETTINGS_MODULE": "layan.settings"}
    os.environ.pop("LAYAN_DEBUG", None)
    # This directory holds bench/http.py, which would shadow the standard library's http package.
    sys.path[:] = [str(ROOT)] + [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
    import django

    django.setup()


def prepare() -> dict:
    from django.core.management import call_command

    from layan.letters.keys import ensure_key
    from layan.letters.models import Letter, NumberSequence
    from layan.offices.models import Office
    from layan.offices.services import create_office
    from testkit.personas import create_regions, create_service, create_user

    call_command("migrate", "--noinput", verbosity=0)
    create_regions()
    office = Office.objects.filter(slug=SLUG).first() or create_office("16.09.10", slug=SLUG, name="Bench Surat")
    # The bench office's own letters and register from an earlier run (the register restarts at 1).
    Letter.objects.filter(office=office).delete()
    NumberSequence.objects.filter(office=office).delete()
    ensure_key(office)
    if not office.services.filter(code="sk-domisili").exists():
        create_service(office, "sk-domisili", "Surat Keterangan Domisili")
    from django.contrib.auth import get_user_model

    from layan.letters.models import Signer

    staff = get_user_model().objects.filter(username="bench-letters-staf").first() or create_user(
        "bench-letters-staf", office
    )
    camat = get_user_model().objects.filter(username="bench-letters-camat").first()
    if camat is None:
        camat = create_user("bench-letters-camat", office)
        Signer.objects.create(
            membership=camat.memberships.get(office=office),
            title="Camat Kisam Tinggi",
            nip="197001011990031001",
            full_name="Drs. H. Ahmad Fauzi, M.Si.",
        )
    return {"office": office, "staff": staff, "camat": camat}


def new_draft(office, staff, i: int):
    from layan.applications.models import Channel, Status
    from layan.applications.services import change_status, submit_application
    from layan.letters.services import prepare_letter
    from layan.regions.models import Village

    application = submit_application(
        office,
        service=office.services.get(code="sk-domisili"),
        applicant_name=f"Siti Aminah {i}",
        nik="1609101205900001",
        village=Village.objects.get(code="16.09.10.2001"),
        channel=Channel.COUNTER,
    )
    change_status(application, to=Status.DIVERIFIKASI, actor=staff)
    change_status(application, to=Status.DIPROSES, actor=staff)
    return prepare_letter(application, actor=staff)


def percentiles(times: list[float]) -> str:
    return f"p50 {statistics.median(times):.1f} ms, p95 {statistics.quantiles(times, n=20)[-1]:.1f} ms"


def bench_pdf(ctx: dict, letters: int) -> None:
    from layan.letters.render import render_letter
    from layan.letters.services import letter_content, sign_letter, verify_url

    draft = new_draft(ctx["office"], ctx["staff"], 0)
    signer = ("Drs. H. Ahmad Fauzi, M.Si.", "Camat Kisam Tinggi", "197001011990031001")
    # A different number (and so a different document) each time: typst memoizes a repeated input.
    contents = [
        letter_content(draft, number=f"470/{i:03}/KEC-KT/2026", signer=signer, verify_url=verify_url(draft))
        for i in range(letters + 5)
    ]
    for content in contents[:5]:
        render_letter(content)
    times = []
    for content in contents[5:]:
        start = time.perf_counter()
        pdf = render_letter(content)
        times.append((time.perf_counter() - start) * 1000)
    print(f"pdf: render_letter warm, {letters} letters, {len(pdf) // 1024} KB each: {percentiles(times)}")
    drafts = [new_draft(ctx["office"], ctx["staff"], i) for i in range(1, letters + 1)]
    times = []
    for letter in drafts:
        start = time.perf_counter()
        sign_letter(letter, actor=ctx["camat"])
        times.append((time.perf_counter() - start) * 1000)
    print(f"pdf: sign_letter (number + PDF + Ed25519 + stored + audit), {letters} letters: {percentiles(times)}")
    print(f"     target: the letter's PDF p95 < {TARGET_PDF_MS} ms warm")


def take_numbers(var_dir: str, office_id: int, count: int, barrier, results) -> None:
    django_setup(var_dir)
    import datetime as dt

    from django.db import connection, transaction

    from layan.letters.numbering import take_number
    from layan.offices.models import Office

    office = Office.objects.get(pk=office_id)
    connection.ensure_connection()
    barrier.wait()
    got = []
    for _ in range(count):
        with transaction.atomic():
            got.append(
                take_number(office, date=dt.date(2026, 6, 1), pattern="{urut}", classification="", unit="").sequence
            )
    results.put((os.getpid(), time.perf_counter(), got))


def bench_numbers(var_dir: str, office_id: int, processes: int, count: int) -> bool:
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(processes + 1)
    results = context.Queue()
    workers = [
        context.Process(target=take_numbers, args=(var_dir, office_id, count, barrier, results))
        for _ in range(processes)
    ]
    for w in workers:
        w.start()
    barrier.wait()
    start = time.perf_counter()
    outputs = [results.get(timeout=600) for _ in workers]
    for w in workers:
        w.join()
    elapsed = max(end for _pid, end, _got in outputs) - start
    numbers = [n for _pid, _end, got in outputs for n in got]
    total = processes * count
    distinct = set(numbers)
    duplicates = len(numbers) - len(distinct)
    gaps = len(set(range(1, total + 1)) - distinct)
    print(
        f"numbers: {processes} processes x {count} numbers, one register: {len(numbers)} taken, "
        f"{gaps} gaps, {duplicates} duplicates, max {max(numbers)}, {total / elapsed:.0f} numbers/s "
        f"({elapsed:.2f} s wall)"
    )
    return gaps == 0 and duplicates == 0 and max(numbers) == total


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--letters", type=int, default=100)
    parser.add_argument("--processes", type=int, default=8)
    parser.add_argument("--numbers", type=int, default=1000)
    parser.add_argument("--part", choices=["all", "pdf", "numbers"], default="all")
    args = parser.parse_args()
    var_dir = tempfile.mkdtemp(prefix="layan-bench-letters-")
    if not os.environ.get("DATABASE_URL"):
        os.environ["LAYAN_SQLITE_PATH"] = str(Path(var_dir) / "layan.sqlite3")
    django_setup(var_dir)
    from django.db import connection

    ctx = prepare()
    vendor = connection.vendor
    extra = ""
    if vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            extra = f", journal_mode={cursor.fetchone()[0]}"
    else:
        extra = f", server {connection.pg_version}"
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"database: {vendor}{extra}; {os.cpu_count()} CPUs, load average {load}; Python {sys.version.split()[0]}")
    ok = True
    if args.part in ("all", "pdf"):
        bench_pdf(ctx, args.letters)
    if args.part in ("all", "numbers"):
        from layan.letters.models import NumberSequence

        NumberSequence.objects.filter(office=ctx["office"]).delete()
        connection.close()
        ok = bench_numbers(var_dir, ctx["office"].pk, args.processes, args.numbers)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
