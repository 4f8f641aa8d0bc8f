import signal
import threading

from django.core.management.base import BaseCommand

from layan.messaging.channels.gammu.poller import poll_channel


class Command(BaseCommand):
    help = (
        "Read what gammu-smsd wrote (incoming SMS in the inbox, send results in sentitems) for every active "
        "Gammu channel. Runs until SIGTERM/SIGINT; --once does a single pass."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="One pass, then exit.")
        parser.add_argument("--interval", type=float, default=1.0, help="Seconds between passes (default 1).")

    def handle(self, *args, **options):
        from layan.messaging.models import Channel

        stopping = threading.Event()
        if not options["once"]:
            for sig in (signal.SIGTERM, signal.SIGINT):
                signal.signal(sig, lambda *_: stopping.set())
        while True:
            received = statuses = 0
            for channel in Channel.objects.filter(kind="gammu", is_active=True):
                result = poll_channel(channel)
                received, statuses = received + result.received, statuses + result.statuses
            if received or statuses or options["once"]:
                self.stdout.write(f"Gammu: {received} SMS masuk, {statuses} status kiriman diperbarui.")
            if options["once"] or stopping.wait(options["interval"]):
                return
