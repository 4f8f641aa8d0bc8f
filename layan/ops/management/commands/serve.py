import os

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from layan.ops.serve import granian_command, public_address_problem, supervise, worker_commands


class Command(BaseCommand):
    help = (
        "Serve Layan with granian and its background workers; a worker that stops is restarted, "
        "the web server failing stops everything (non-zero exit); Ctrl-C or SIGTERM stops all."
    )

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)

    def handle(self, *args, **options):
        if settings.DEMO_MODE:
            # The demo's links (QR codes, SMS, API) point at the port it is served on.
            wildcard = options["host"] in ("0.0.0.0", "::")  # noqa: S104 (compared, not bound)
            host = "127.0.0.1" if wildcard else options["host"]
            os.environ.setdefault("LAYAN_PUBLIC_BASE_URL", f"http://{host}:{options['port']}")
        elif problem := public_address_problem(settings.PUBLIC_BASE_URL):
            raise CommandError(problem)
        web = granian_command("layan.wsgi:application", host=options["host"], port=options["port"])
        self.stdout.write(f"Layan berjalan di http://{options['host']}:{options['port']}/  (Ctrl-C untuk berhenti)")
        self.stdout.flush()
        raise SystemExit(supervise(web, worker_commands()))
