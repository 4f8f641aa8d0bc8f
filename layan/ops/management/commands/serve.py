from django.core.management.base import BaseCommand

from layan.ops.serve import granian_command, supervise, worker_commands


class Command(BaseCommand):
    help = (
        "Serve Layan with granian and its background workers; a worker that stops is restarted, "
        "the web server failing stops everything (non-zero exit); Ctrl-C or SIGTERM stops all."
    )

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)

    def handle(self, *args, **options):
        web = granian_command("layan.wsgi:application", host=options["host"], port=options["port"])
        self.stdout.write(f"Layan berjalan di http://{options['host']}:{options['port']}/  (Ctrl-C untuk berhenti)")
        self.stdout.flush()
        raise SystemExit(supervise(web, worker_commands()))
