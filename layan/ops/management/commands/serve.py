from django.core.management.base import BaseCommand

from layan.ops.serve import granian_command, run_together, worker_commands


class Command(BaseCommand):
    help = "Serve Layan with granian and its background worker; Ctrl-C stops both."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)

    def handle(self, *args, **options):
        commands = [granian_command("layan.wsgi:application", host=options["host"], port=options["port"])]
        commands += worker_commands()
        self.stdout.write(f"Layan berjalan di http://{options['host']}:{options['port']}/  (Ctrl-C untuk berhenti)")
        raise SystemExit(run_together(commands))
