"""manage.py queue_reminders: write the due appointment reminders (the day before, an hour before)
to the outbox. `--loop` keeps running (started beside the web server by `serve`), looking every
minute. A reminder is claimed and written in one transaction, so several runs never send one twice.
SIGTERM/SIGINT: the current pass finishes; exit 0."""

import signal
import threading

from django.core.management.base import BaseCommand

from layan.queue.services import send_appointment_reminders


class Command(BaseCommand):
    help = "Kirim pengingat janji temu yang sudah waktunya (sehari dan satu jam sebelumnya)."

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="terus berjalan dan memeriksa setiap menit")
        parser.add_argument("--interval", type=float, default=60.0, help="detik antar pemeriksaan (dengan --loop)")

    def handle(self, *args, **opts):
        stopping = threading.Event()

        def stop(signum, frame):
            stopping.set()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        while True:
            sent = send_appointment_reminders()
            if sent or opts["verbosity"] > 1:
                self.stdout.write(f"pengingat={sent}")
            if not opts["loop"] or stopping.is_set():
                return
            stopping.wait(opts["interval"])
            if stopping.is_set():
                return
