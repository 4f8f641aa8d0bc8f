"""The RapidSMS 2.2 side of `bench/messaging.py --part fair --compare-rapidsms` (run by it with
bench/anchor/.venv/bin/python; not a test). Reads the messages to receive from a JSON file
({"warmup": [[identity, text], ...], "passes": {name: [...], ...}}), receives each
one as RapidSMS's HTTP backends do (`lookup_connections`, then `rapidsms.router.receive`), one
transaction per message, and prints one JSON object with the figures and the conditions.
"""

import argparse
import json
import os
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", required=True, help="JSON file written by bench/messaging.py")
    parser.add_argument("--db", required=True, help="SQLite file to create (on disk)")
    args = parser.parse_args()
    os.environ["ANCHOR_SQLITE_PATH"] = args.db
    os.environ["DJANGO_SETTINGS_MODULE"] = "anchorproject.settings"
    sys.path.insert(0, str(HERE))
    import django

    django.setup()
    import rapidsms
    from django.core.management import call_command
    from django.db import connection, transaction
    from rapidsms.backends.database.models import BackendMessage
    from rapidsms.contrib.messagelog.models import Message
    from rapidsms.router import lookup_connections, receive

    call_command("migrate", verbosity=0)
    messages = json.loads(Path(args.messages).read_text(encoding="utf-8"))

    def receive_one(identity: str, text: str) -> None:
        # What a RapidSMS HTTP backend view does for one request, in one transaction.
        with transaction.atomic():
            (conn,) = lookup_connections("message_tester", [identity])
            receive(text, conn)

    for identity, text in messages["warmup"]:
        receive_one(identity, text)
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        journal_mode = cursor.fetchone()[0]
        cursor.execute("PRAGMA synchronous")
        synchronous = {0: "OFF", 1: "NORMAL", 2: "FULL", 3: "EXTRA"}[cursor.fetchone()[0]]
    out = {
        "name": f"RapidSMS {rapidsms.__version__} (Django {django.get_version()})",
        "journal_mode": journal_mode,
        "synchronous": synchronous,
        "passes": {},
    }
    for name, items in messages["passes"].items():
        replies_before = BackendMessage.objects.filter(direction="O").count()
        logged_before = Message.objects.filter(direction="I").count()
        start, cpu = time.perf_counter(), time.process_time()
        for identity, text in items:
            receive_one(identity, text)
        elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
        out["passes"][name] = {
            "messages": len(items),
            "seconds": elapsed,
            "cpu_seconds": cpu,
            # Counted where the outgoing backend stored them: the anchor really answered.
            "replies": BackendMessage.objects.filter(direction="O").count() - replies_before,
            "logged_in": Message.objects.filter(direction="I").count() - logged_before,
        }
    print(json.dumps(out))


if __name__ == "__main__":
    main()
