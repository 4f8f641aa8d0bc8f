"""manage.py publish_announcements: publish scheduled announcements that are due, and finish any
left `publishing` — handed over by the staff "publish now" button, or half-done by a run that
stopped. `--loop` keeps running (started beside the web server by `serve`); it looks every second
(one indexed query) so a "publish now" broadcast starts at once.
SIGTERM/SIGINT: the current batch finishes, the rest is resumed by the next run; exit 0."""

import signal
import threading

from django.core.management.base import BaseCommand

from layan.announcements.models import Announcement
from layan.announcements.services import due_announcement_ids, publish_announcement


class Command(BaseCommand):
    help = "Terbitkan pengumuman terjadwal yang sudah jatuh tempo."

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="terus berjalan dan memeriksa jadwal")
        parser.add_argument("--interval", type=float, default=1.0, help="detik antar pemeriksaan (dengan --loop)")

    def handle(self, *args, **opts):
        stopping = threading.Event()

        def stop(signum, frame):
            stopping.set()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        while True:
            published = self.run_once(stopping)
            if published or opts["verbosity"] > 1:
                self.stdout.write(f"diterbitkan={published}")
            if not opts["loop"] or stopping.is_set():
                return
            stopping.wait(opts["interval"])
            if stopping.is_set():
                return

    def run_once(self, stopping: threading.Event) -> int:
        published = 0
        for pk in due_announcement_ids():
            if stopping.is_set():
                break
            announcement = Announcement.objects.filter(pk=pk).first()
            if announcement is None:
                continue
            result = publish_announcement(announcement, should_stop=stopping.is_set)
            published += result.status == Announcement.Status.PUBLISHED
        return published
