"""manage.py publish_announcements: publish scheduled announcements that are due, and finish any
left `publishing` — handed over by the staff "publish now" button, or half-done by a run that
stopped. `--loop` keeps running (started beside the web server by `serve`); it looks every second
(one indexed query) so a "publish now" broadcast starts at once.
SIGTERM/SIGINT: the current batch finishes, the rest is resumed by the next run; exit 0."""

import threading

from layan.announcements.models import Announcement
from layan.announcements.services import due_announcement_ids, publish_announcement
from layan.offices.periodic import PeriodicCommand


class Command(PeriodicCommand):
    help = "Terbitkan pengumuman terjadwal yang sudah jatuh tempo."
    report_label = "diterbitkan"
    # One indexed query a second, so a "publish now" broadcast starts at once.
    default_interval = 1.0
    loop_help = "terus berjalan dan memeriksa jadwal"

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
