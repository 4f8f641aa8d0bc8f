"""manage.py sendmessages: the outbox worker. SIGTERM/SIGINT: finish the current message,
give the rest of the batch back to the queue, exit 0."""

import signal

from django.core.management.base import BaseCommand

from layan.messaging.outbox import Worker


class Command(BaseCommand):
    help = "Kirim pesan dari outbox (antrean pesan keluar)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="kirim semua yang jatuh tempo lalu berhenti")
        parser.add_argument("--batch", type=int, default=50)
        parser.add_argument("--poll", type=float, default=1.0, help="detik menunggu saat antrean kosong")

    def handle(self, *args, **opts):
        worker = Worker(batch_size=opts["batch"])

        def stop(signum, frame):
            worker.stop()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        if opts["once"]:
            worker.drain()
        else:
            worker.run_forever(poll_seconds=opts["poll"])
        if opts["verbosity"] > 1 or opts["once"]:
            self.stdout.write(f"terkirim={worker.sent} dicoba-lagi={worker.retried} gagal={worker.failed}")
