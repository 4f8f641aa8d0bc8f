"""A management command that does one pass of work, or keeps doing it with `--loop` (the workers
`manage.py serve` starts beside the web server). SIGTERM/SIGINT let the current pass finish, then
the command exits 0; a pass may watch `stopping` to end early between items."""

import signal
import threading

from django.core.management.base import BaseCommand


class PeriodicCommand(BaseCommand):
    # What one pass reports, "diterbitkan=3": printed when the pass did something (or with -v 2).
    report_label = ""
    default_interval = 60.0
    loop_help = "terus berjalan dan memeriksa lagi setiap selang waktu"

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help=self.loop_help)
        parser.add_argument(
            "--interval", type=float, default=self.default_interval, help="detik antar pemeriksaan (dengan --loop)"
        )

    def run_once(self, stopping: threading.Event) -> int:
        """One pass; returns how many things it did."""
        raise NotImplementedError

    def handle(self, *args, **opts):
        stopping = threading.Event()

        def stop(signum, frame):
            stopping.set()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        while True:
            done = self.run_once(stopping)
            if done or opts["verbosity"] > 1:
                self.stdout.write(f"{self.report_label}={done}")
            if not opts["loop"] or stopping.wait(opts["interval"]):
                return
