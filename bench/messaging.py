"""Messaging benchmark (not a test): prints figures, exits 0.

1. Inbound: N messages through the test channel into the outbox, one process, SQLite
   (messages/s processed to queued replies; target >= 1,000/s for `receive_messages` batches:
   the modem poller, webhooks carrying many messages), and for comparison one `receive_message`
   transaction per message (a webhook each). The texts are citizens' questions in their own
   words (the search quality set with greetings: 2,200 different texts) and keyword commands.
   Wall-clock and this process's CPU time are both printed: on a loaded machine the CPU figure
   is the fairer one.
2. Outbox: drain M messages with a transport that takes 20 ms a send, by 1 and by 4 worker
   processes on PostgreSQL (DATABASE_URL); target: 4 workers >= 3x one.

    .venv/bin/python bench/messaging.py [--inbound 5000] [--batch 100] [--modes single,batch] [--outbox 600]
    DATABASE_URL=postgres://user:pw@127.0.0.1/db .venv/bin/python bench/messaging.py
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# bench/http.py would shadow the standard library's http package when run as a script.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
INBOUND_TARGET = 1000
COMMANDS = ["syarat ktp", "JAM", "menu", "SYARAT KK", "layanan", "alamat", "info akta kelahiran", "surat"]
GREETINGS = ["", "pagi pak, ", "assalamualaikum ", "min, ", "halo kak "]
THANKS = ["", " makasih", " tolong dibalas ya", " trims"]


def citizen_texts() -> list[str]:
    """What citizens send: a third keyword commands, two thirds questions in their own words (the
    110 of the search quality set, each with greetings and thanks: 2,200 different texts, so the
    answers are mostly not remembered ones)."""
    import yaml

    cases = yaml.safe_load((ROOT / "layan/catalogue/tests/search_quality.yaml").read_text())["queries"]
    questions = [f"{g}{case['q']}{t}" for t in THANKS for g in GREETINGS for case in cases]
    texts = []
    for i, question in enumerate(questions):
        texts.append(question)
        if i % 2:
            texts.append(COMMANDS[i % len(COMMANDS)])
    return texts


def setup_django(env: dict) -> None:
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "layan.settings")
    os.environ.setdefault("LAYAN_DEMO", "1")
    os.environ.setdefault("LAYAN_LOG_LEVEL", "WARNING")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def bench_inbound(n: int, batch_size: int, modes: list[str]) -> None:
    setup_django({"LAYAN_VAR_DIR": tempfile.mkdtemp(prefix="layan-bench-msg-")})
    from django.conf import settings

    from layan.catalogue.yaml_io import import_catalogue
    from layan.messaging.models import Message
    from layan.messaging.services import create_channel, receive_message, receive_messages
    from layan.offices.services import create_office
    from testkit.personas import create_regions

    create_regions()
    office = create_office("16.09.10", slug="kisam-tinggi")
    import_catalogue(office, (settings.DATA_DIR / "catalogue" / "kisam-tinggi.yaml").read_text(encoding="utf-8"))

    texts = citizen_texts()

    def item(mode: str, i: int) -> dict:
        # 1,000 citizens writing several times each: most URNs already exist after the first round.
        urn = f"tel:+62812{'1' if mode == 'single' else '2'}{i % 1000:07d}"
        return dict(urn=urn, text=texts[i % len(texts)], provider_id=f"{mode}-{i}", payload="{}")

    for mode in modes:
        channel = create_channel(kind="test", name=f"bench-{mode}", office=office)
        # Warm-up (imports, caches) outside the measurement.
        for i in range(50):
            receive_message(channel, urn=f"tel:+628129{i:07d}", text=COMMANDS[i % len(COMMANDS)], provider_id=f"w{i}")
        items = [item(mode, i) for i in range(n)]
        start, cpu = time.perf_counter(), time.process_time()
        if mode == "single":
            for fields in items:
                receive_message(channel, **fields)
        else:
            for first in range(0, n, batch_size):
                receive_messages(channel, items[first : first + batch_size])
        elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
        queued = Message.objects.filter(direction="out", status="queued", channel=channel).count() - 50
        label = "one transaction per message" if mode == "single" else f"batches of {batch_size}"
        if mode == "single":
            # A webhook brings one message per HTTP request; gateways that hand over many at once
            # (the modem poller, batched webhooks) use receive_messages, which the target is for.
            verdict = "for comparison, no target"
        else:
            verdict = ("PASS" if n / elapsed >= INBOUND_TARGET else "FAIL") + f" (target >= {INBOUND_TARGET:,}/s)"
        print(
            f"inbound  SQLite, {label}: {n} messages in {elapsed:.2f} s = {n / elapsed:,.0f} messages/s "
            f"(CPU of this process {cpu:.2f} s = {n / cpu:,.0f} messages/CPU-s; {queued} replies queued; "
            f"{len(set(texts[:n]))} different texts) -> {verdict}"
        )


def _drain_child(start_event, done_queue) -> None:
    from django.db import connections

    from layan.messaging.outbox import Worker

    connections.close_all()  # never share the parent's connection after fork
    worker = Worker(batch_size=10)
    start_event.wait()
    worker.drain()
    done_queue.put(worker.sent)
    connections.close_all()


def bench_outbox(m: int) -> None:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        print("outbox   : skipped (set DATABASE_URL=postgres://… to measure concurrent workers on PostgreSQL)")
        return
    setup_django({})
    import multiprocessing as mp

    from django.db import connections

    from layan.messaging.models import Message
    from layan.messaging.services import create_channel, get_or_create_urn
    from layan.offices.models import Office
    from testkit.personas import create_office, create_regions

    district, _ = create_regions()
    office = Office.objects.filter(slug="bench-messaging").first() or create_office(district, "bench-messaging")
    channel = create_channel(kind="test", name="bench-20ms", office=office, config={"delay_ms": 20}, tps=100000)
    urn = get_or_create_urn("tel:+6281200000001", channel=channel)
    results = {}
    try:
        for workers in (1, 4):
            Message.objects.filter(channel=channel).delete()
            from django.utils import timezone

            now = timezone.now()
            Message.objects.bulk_create(
                Message(
                    office=office,
                    channel=channel,
                    contact_id=urn.contact_id,
                    urn=urn,
                    direction="out",
                    text=f"bench {i}",
                    status="queued",
                    next_attempt_at=now,
                )
                for i in range(m)
            )
            connections.close_all()
            ctx = mp.get_context("fork")
            start_event, done = ctx.Event(), ctx.Queue()
            procs = [ctx.Process(target=_drain_child, args=(start_event, done)) for _ in range(workers)]
            for p in procs:
                p.start()
            time.sleep(1.0)  # let every child finish forking and connecting
            start = time.perf_counter()
            start_event.set()
            sent = sum(done.get() for _ in procs)
            elapsed = time.perf_counter() - start
            for p in procs:
                p.join()
            delivered = Message.objects.filter(channel=channel, status="delivered").count()
            results[workers] = m / elapsed
            print(
                f"outbox   PG {workers} worker(s): {m} messages x 20 ms in {elapsed:.2f} s = "
                f"{m / elapsed:,.0f} messages/s (sent {sent}, delivered {delivered})"
            )
        ratio = results[4] / results[1]
        print(f"outbox   ratio 4 workers / 1 worker: {ratio:.2f}x -> {'PASS' if ratio >= 3 else 'FAIL'} (target >= 3x)")
    finally:
        Message.objects.filter(channel=channel).delete()
        channel.delete()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--inbound", type=int, default=5000)
    parser.add_argument("--batch", type=int, default=100, help="items per receive_messages call")
    parser.add_argument("--modes", default="single,batch", help="inbound modes to measure: single, batch")
    parser.add_argument("--outbox", type=int, default=600)
    parser.add_argument("--part", choices=["inbound", "outbox"])
    args = parser.parse_args()
    if args.part == "inbound":
        bench_inbound(args.inbound, args.batch, args.modes.split(","))
        return
    if args.part == "outbox":
        bench_outbox(args.outbox)
        return
    # Each part in its own process: Django settings (SQLite vs PostgreSQL) are fixed per process.
    inbound_env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    me = [sys.executable, __file__, "--inbound", str(args.inbound), "--batch", str(args.batch), "--modes", args.modes]
    me += ["--outbox", str(args.outbox)]
    subprocess.run([*me, "--part", "inbound"], env=inbound_env, check=False)
    subprocess.run([*me, "--part", "outbox"], check=False)


if __name__ == "__main__":
    main()
