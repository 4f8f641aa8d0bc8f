"""Messaging benchmark (not a test): prints figures, exits 0.

1. Inbound: N messages through the test channel into the outbox, one process, SQLite
   (messages/s processed to queued replies; target >= 1,000/s for `receive` batches:
   the modem poller, webhooks carrying many messages), and for comparison one `receive`
   transaction per message (a webhook each). The texts are citizens' questions in their own
   words (the search quality set with greetings: 2,200 different texts) and keyword commands.
   Wall-clock and this process's CPU time are both printed: on a loaded machine the CPU figure
   is the fairer one.
2. Outbox: drain M messages with a transport that takes 20 ms a send, by 1 and by 4 worker
   processes on PostgreSQL (DATABASE_URL); target: 4 workers >= 3x one.
3. Fair (`--part fair`, not part of the default run): the per-message path under the conditions
   of the RapidSMS 2.2 anchor (bench/anchor/): one message per transaction through
   `receive` (a webhook each), SQLite on disk with Django's defaults (rollback journal,
   synchronous FULL: Layan's own WAL/NORMAL settings are overridden for the bench's database),
   the anchor's texts (SYARAT <layanan> commands and the citizen questions), reply caches cold
   (forgotten before every message) then warm (the same messages again). With
   `--compare-rapidsms` the anchor receives the same messages in the same run, in its own
   virtualenv (`sh bench/anchor/setup.sh` builds it), and both are printed side by side;
   target: Layan >= 3x RapidSMS per CPU-second.

    .venv/bin/python bench/messaging.py [--inbound 5000] [--batch 100] [--modes single,batch] [--outbox 600]
    DATABASE_URL=postgres://user:pw@127.0.0.1/db .venv/bin/python bench/messaging.py
    .venv/bin/python bench/messaging.py --part fair --compare-rapidsms [--fair 2000]
    .venv/bin/python bench/messaging.py --part engine [--fair 2000]    # the engine alone, same texts
"""

import argparse
import json
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
FAIR_TARGET = 3.0  # Layan / RapidSMS, messages per CPU-second
ANCHOR_PYTHON = ROOT / "bench/anchor/.venv/bin/python"
COMMANDS = ["syarat ktp", "JAM", "menu", "SYARAT KK", "layanan", "alamat", "info akta kelahiran", "surat"]
GREETINGS = ["", "pagi pak, ", "assalamualaikum ", "min, ", "halo kak "]
THANKS = ["", " makasih", " tolong dibalas ya", " trims"]


def citizen_texts() -> list[str]:
    """What citizens send: a third keyword commands, two thirds questions in their own words (the
    110 of the search quality set, each with greetings and thanks: 2,200 different texts). The
    search answers by its analysed terms, and many of those texts share them: most free-text
    answers still come from the answer cache (the run prints how many)."""
    import yaml

    cases = yaml.safe_load((ROOT / "layan/catalogue/tests/search_quality.yaml").read_text())["queries"]
    questions = [f"{g}{case['q']}{t}" for t in THANKS for g in GREETINGS for case in cases]
    texts = []
    for i, question in enumerate(questions):
        texts.append(question)
        if i % 2:
            texts.append(COMMANDS[i % len(COMMANDS)])
    return texts


def setup_django(env: dict, *, sqlite_defaults: bool = False) -> None:
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "layan.settings")
    os.environ.setdefault("LAYAN_DEMO", "1")
    os.environ.setdefault("LAYAN_LOG_LEVEL", "WARNING")
    sys.path.insert(0, str(ROOT))
    import django

    if sqlite_defaults:
        from django.conf import settings

        # Django's defaults, as the anchor runs: no init_command (SQLite's rollback journal and
        # synchronous FULL instead of Layan's WAL and NORMAL), DEFERRED transactions, 5 s timeout.
        # Read before any connection is opened, so every connection gets them.
        assert settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"
        settings.DATABASES["default"]["OPTIONS"] = {}

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


class SearchCount:
    """How many free-text searches the engine made and how many of them were ranked (the
    rest came from the search's answer cache)."""

    def __init__(self):
        from layan.catalogue import search

        self.searches = self.ranked = 0
        index_for, rank = search._index_for, search._rank

        def counted_index_for(*args, **kwargs):  # once per search_services call
            self.searches += 1
            return index_for(*args, **kwargs)

        def counted_rank(*args, **kwargs):
            self.ranked += 1
            return rank(*args, **kwargs)

        search._index_for, search._rank = counted_index_for, counted_rank

    def take(self) -> str:
        searches, ranked = self.searches, self.ranked
        self.searches = self.ranked = 0
        hits = 1 - ranked / searches if searches else 0
        return f"{searches} free-text searches, {hits:.0%} answered from the answer cache"


def reply_caches_off() -> None:
    """--replies cold: nothing remembers answers (search hits per query, the engine's keyword
    answers, SMS forms of reply texts), so every reply is computed; the search index and the
    word stems stay (built per catalogue revision, not per question)."""
    from layan.catalogue import search
    from layan.messaging import gsm
    from layan.messaging.engine import memo

    search.MAX_CACHED_ANSWERS = -1  # every search empties the cache before storing its answer
    memo.remember = lambda office, key, build: build()
    for name, module in list(sys.modules.items()):
        if name.startswith("layan.") and getattr(module, "sms_form", None) is gsm.sms_form:
            module.sms_form = gsm.sms_form.__wrapped__  # type: ignore[attr-defined]


def bench_inbound(n: int, batch_size: int, modes: list[str], replies: str = "warm") -> None:
    setup_django({"LAYAN_VAR_DIR": tempfile.mkdtemp(prefix="layan-bench-msg-")})
    from django.conf import settings

    from layan.catalogue.yaml_io import import_catalogue
    from layan.messaging.models import Message
    from layan.messaging.services import Incoming, create_channel, receive
    from layan.offices.services import create_office
    from testkit.personas import create_regions

    create_regions()
    office = create_office("16.09.10", slug="kisam-tinggi")
    import_catalogue(office, (settings.DATA_DIR / "catalogue" / "kisam-tinggi.yaml").read_text(encoding="utf-8"))

    texts = citizen_texts()
    if replies == "cold":
        reply_caches_off()
    count = SearchCount()

    def item(mode: str, i: int) -> Incoming:
        # 1,000 citizens writing several times each: most URNs already exist after the first round.
        urn = f"tel:+62812{'1' if mode == 'single' else '2'}{i % 1000:07d}"
        return Incoming(urn, texts[i % len(texts)], provider_id=f"{mode}-{i}", payload="{}")

    for mode in modes:
        channel = create_channel(kind="test", name=f"bench-{mode}", office=office)
        # Warm-up (imports, caches) outside the measurement.
        for i in range(50):
            receive(channel, [Incoming(f"tel:+628129{i:07d}", COMMANDS[i % len(COMMANDS)], provider_id=f"w{i}")])
        items = [item(mode, i) for i in range(n)]
        count.take()
        start, cpu = time.perf_counter(), time.process_time()
        if mode == "single":
            for one in items:
                receive(channel, [one])
        else:
            for first in range(0, n, batch_size):
                receive(channel, items[first : first + batch_size])
        elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
        queued = Message.objects.filter(direction="out", status="queued", channel=channel).count() - 50
        label = "one transaction per message" if mode == "single" else f"batches of {batch_size}"
        if mode == "single":
            # A webhook brings one message per HTTP request; gateways that hand over many at once
            # (the modem poller, batched webhooks) use batches, which the target is for.
            verdict = "for comparison, no target"
        else:
            verdict = ("PASS" if n / elapsed >= INBOUND_TARGET else "FAIL") + f" (target >= {INBOUND_TARGET:,}/s)"
        print(
            f"inbound  SQLite, {label}: {n} messages in {elapsed:.2f} s = {n / elapsed:,.0f} messages/s "
            f"(CPU of this process {cpu:.2f} s = {n / cpu:,.0f} messages/CPU-s; {queued} replies queued; "
            f"{len(set(texts[:n]))} different texts; reply caches {replies}: {count.take()}) -> {verdict}"
        )


def fair_texts() -> list[str]:
    """The anchor's texts: the citizen questions of `citizen_texts` and, for every other one, a
    SYARAT <layanan> command naming one of the demo catalogue's service keywords."""
    import yaml

    catalogue = yaml.safe_load((ROOT / "data/catalogue/kisam-tinggi.yaml").read_text(encoding="utf-8"))
    words = [word for service in catalogue["services"] for word in [service["code"], *service.get("keywords", [])]]
    questions = [text for text in citizen_texts() if text not in COMMANDS]
    texts = []
    for i, question in enumerate(questions):
        texts.append(question)
        if i % 2:
            word = words[(i // 2) % len(words)]
            texts.append(f"SYARAT {word.upper()}" if i % 4 == 1 else f"syarat {word}")
    return texts


def fair_messages(n: int) -> dict:
    """[identity, text] pairs, the same for both sides: 1,000 citizens. The passes send the same
    messages: "cold" (Layan forgets its reply caches before each message), "fill" (not reported:
    the caches fill) and "warm"."""
    texts = fair_texts()
    items = [[f"+62812{i % 1000:07d}", texts[i % len(texts)]] for i in range(n)]
    warmup = [[f"+628129{i:07d}", texts[i]] for i in range(50)]
    return {"warmup": warmup, "passes": {"cold": items, "fill": items, "warm": items}}


def _sqlite_conditions() -> tuple[str, str]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        journal_mode = cursor.fetchone()[0]
        cursor.execute("PRAGMA synchronous")
        synchronous = {0: "OFF", 1: "NORMAL", 2: "FULL", 3: "EXTRA"}[cursor.fetchone()[0]]
    return journal_mode, synchronous


def forget_replies() -> None:
    """Empty the caches that remember answers (search hits per query, the engine's keyword
    answers, SMS forms), so that the next message's reply is computed. The search index and
    the word stems stay: they are built per catalogue revision, not per question."""
    from layan.catalogue import search
    from layan.messaging import gsm
    from layan.messaging.engine import memo

    for index in list(search._indexes.values()):
        index.answers.clear()
    for entry in list(memo._entries.values()):
        entry.answers.clear()
    gsm.sms_form.cache_clear()


def bench_fair_layan(messages_path: str, db_path: str) -> None:
    """Layan's side of the fair mode; prints one JSON object like bench/anchor/run.py's."""
    setup_django({"LAYAN_SQLITE_PATH": db_path, "LAYAN_VAR_DIR": str(Path(db_path).parent)}, sqlite_defaults=True)
    from django.conf import settings

    from layan.catalogue.yaml_io import import_catalogue
    from layan.messaging.models import Message
    from layan.messaging.services import Incoming, create_channel, receive
    from layan.offices.services import create_office
    from testkit.personas import create_regions

    create_regions()
    office = create_office("16.09.10", slug="kisam-tinggi")
    import_catalogue(office, (settings.DATA_DIR / "catalogue" / "kisam-tinggi.yaml").read_text(encoding="utf-8"))
    channel = create_channel(kind="test", name="bench-fair", office=office)
    messages = json.loads(Path(messages_path).read_text(encoding="utf-8"))
    for identity, text in messages["warmup"]:
        receive(channel, [Incoming(f"tel:{identity}", text, payload="{}")])
    journal_mode, synchronous = _sqlite_conditions()
    out: dict = {"name": "Layan", "journal_mode": journal_mode, "synchronous": synchronous, "passes": {}}
    count = SearchCount()
    replies = Message.objects.filter(channel=channel, direction=Message.Direction.OUT)
    logged = Message.objects.filter(channel=channel, direction=Message.Direction.IN)
    for name, items in messages["passes"].items():
        cold = name == "cold"
        replies_before, logged_before = replies.count(), logged.count()
        count.take()
        start, cpu = time.perf_counter(), time.process_time()
        for i, (identity, text) in enumerate(items):
            if cold:
                forget_replies()
            # A webhook's message carries the provider's id (the anchor has no use for it).
            receive(channel, [Incoming(f"tel:{identity}", text, provider_id=f"{name}-{i}", payload="{}")])
        elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
        out["passes"][name] = {
            "messages": len(items),
            "seconds": elapsed,
            "cpu_seconds": cpu,
            "replies": replies.count() - replies_before,
            "logged_in": logged.count() - logged_before,
            "note": count.take(),
        }
    print(json.dumps(out))


def bench_engine(n: int) -> None:
    """The conversation engine alone (no write) on the fair mode's texts: what answering costs,
    with reply caches forgotten before each text and then remembered."""
    setup_django({"LAYAN_VAR_DIR": tempfile.mkdtemp(prefix="layan-bench-engine-")})
    from django.conf import settings
    from django.utils import timezone

    from layan.catalogue.yaml_io import import_catalogue
    from layan.messaging import engine
    from layan.messaging.engine.memo import current_office
    from layan.messaging.services import create_channel, get_or_create_urn
    from layan.offices.services import create_office
    from testkit.personas import create_regions

    create_regions()
    office = create_office("16.09.10", slug="kisam-tinggi")
    import_catalogue(office, (settings.DATA_DIR / "catalogue" / "kisam-tinggi.yaml").read_text(encoding="utf-8"))
    channel = create_channel(kind="test", name="bench-engine", office=office)
    urn = get_or_create_urn("tel:+6281200000001", channel=channel)
    texts = [text for _, text in fair_messages(n)["passes"]["cold"]]

    def answer_all(cold: bool) -> float:
        office = current_office(channel.office_id)
        start = time.process_time()
        for text in texts:
            if cold:
                forget_replies()
            ctx = engine.Context(channel=channel, urn=urn, contact=urn.contact, text=text, now=timezone.now())
            ctx.office = office
            engine.respond(ctx)
        return time.process_time() - start

    answer_all(cold=False)  # imports, index, stems
    for cold in (True, False):
        cpu = answer_all(cold)
        print(
            f"engine   {n} texts, reply caches {'cold' if cold else 'warm'}: {cpu * 1e6 / n:,.0f} µs a message "
            f"= {n / cpu:,.0f} messages/CPU-s (no write, no transaction)"
        )


def bench_fair(n: int, compare_rapidsms: bool) -> None:
    """Both sides one after the other on the same messages, each in its own process and its
    own SQLite file on disk; the figures side by side."""
    workdir = Path(tempfile.mkdtemp(prefix="layan-bench-fair-"))
    messages_path = workdir / "messages.json"
    messages = fair_messages(n)
    messages_path.write_text(json.dumps(messages), encoding="utf-8")
    texts = {text for _, text in messages["passes"]["cold"]}
    commands = sum(text.lower().startswith("syarat ") for _, text in messages["passes"]["cold"])
    sides = [("layan", [sys.executable, __file__, "--part", "fair-layan"])]
    if compare_rapidsms:
        if ANCHOR_PYTHON.exists():
            sides.append(("rapidsms", [str(ANCHOR_PYTHON), str(ROOT / "bench/anchor/run.py")]))
        else:
            print("fair     RapidSMS anchor: skipped (build it first: sh bench/anchor/setup.sh)")
    results = []
    for side, command in sides:
        db = workdir / f"{side}.sqlite3"
        env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        load = os.getloadavg()[0]
        done = subprocess.run(
            [*command, "--messages", str(messages_path), "--db", str(db)],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        result = json.loads(done.stdout.strip().splitlines()[-1])
        result["load"] = (load, os.getloadavg()[0])
        results.append(result)
    print(
        f"fair     {n} messages a pass, one transaction per message, {len(texts):,} different texts "
        f"({commands} SYARAT commands), 1,000 citizens; SQLite files on disk in {workdir}"
    )
    for result in results:
        print(
            f"fair     {result['name']}: journal_mode={result['journal_mode']}, synchronous={result['synchronous']}, "
            f"load average {result['load'][0]:.2f} before, {result['load'][1]:.2f} after"
        )
    print(f"fair     {'':<34}{'messages/s':>12}{'messages/CPU-s':>16}{'replies':>9}")
    for name, note in (("cold", "reply caches forgotten each message"), ("warm", "third time the same messages")):
        for result in results:
            p = result["passes"][name]
            label = f"{result['name'].split(' (')[0]}, {name}"
            print(
                f"fair     {label:<34}{p['messages'] / p['seconds']:>12,.0f}{p['messages'] / p['cpu_seconds']:>16,.0f}"
                f"{p['replies']:>9}  ({note + '; ' + p['note'] if 'note' in p else 'no reply cache'})"
            )
    if len(results) == 2:
        layan, anchor = results
        for name in ("cold", "warm"):
            a, b = layan["passes"][name], anchor["passes"][name]
            wall = (a["messages"] / a["seconds"]) / (b["messages"] / b["seconds"])
            per_cpu = (a["messages"] / a["cpu_seconds"]) / (b["messages"] / b["cpu_seconds"])
            verdict = "PASS" if per_cpu >= FAIR_TARGET else "FAIL"
            print(
                f"fair     Layan / RapidSMS, {name}: {wall:.2f}x messages/s, {per_cpu:.2f}x messages/CPU-s "
                f"-> {verdict} (target >= {FAIR_TARGET:g}x per CPU-second)"
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
    parser.add_argument("--batch", type=int, default=100, help="items per receive call")
    parser.add_argument("--modes", default="single,batch", help="inbound modes to measure: single, batch")
    parser.add_argument("--replies", choices=["warm", "cold"], default="warm", help="cold: no reply caches")
    parser.add_argument("--outbox", type=int, default=600)
    parser.add_argument("--part", choices=["inbound", "outbox", "fair", "fair-layan", "engine"])
    parser.add_argument("--fair", type=int, default=2000, help="messages per pass of --part fair")
    parser.add_argument("--compare-rapidsms", action="store_true", help="--part fair: run the anchor too")
    parser.add_argument("--messages", help=argparse.SUPPRESS)  # --part fair-layan: written by --part fair
    parser.add_argument("--db", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.part == "fair":
        bench_fair(args.fair, args.compare_rapidsms)
        return
    if args.part == "engine":
        bench_engine(args.fair)
        return
    if args.part == "fair-layan":
        bench_fair_layan(args.messages, args.db)
        return
    if args.part == "inbound":
        bench_inbound(args.inbound, args.batch, args.modes.split(","), args.replies)
        return
    if args.part == "outbox":
        bench_outbox(args.outbox)
        return
    # Each part in its own process: Django settings (SQLite vs PostgreSQL) are fixed per process.
    inbound_env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    me = [sys.executable, __file__, "--inbound", str(args.inbound), "--batch", str(args.batch), "--modes", args.modes]
    me += ["--replies", args.replies]
    me += ["--outbox", str(args.outbox)]
    subprocess.run([*me, "--part", "inbound"], env=inbound_env, check=False)
    subprocess.run([*me, "--part", "outbox"], check=False)


if __name__ == "__main__":
    main()
