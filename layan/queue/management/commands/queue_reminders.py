"""manage.py queue_reminders: write the due appointment reminders (the day before, an hour before)
to the outbox. `--loop` keeps running (started beside the web server by `serve`), looking every
minute. A reminder is claimed and written in one transaction, so several runs never send one twice.
SIGTERM/SIGINT: the current pass finishes; exit 0."""

import threading

from layan.offices.periodic import PeriodicCommand
from layan.queue.services import send_appointment_reminders


class Command(PeriodicCommand):
    help = "Kirim pengingat janji temu yang sudah waktunya (sehari dan satu jam sebelumnya)."
    report_label = "pengingat"
    default_interval = 60.0
    loop_help = "terus berjalan dan memeriksa setiap menit"

    def run_once(self, stopping: threading.Event) -> int:
        return send_appointment_reminders()
