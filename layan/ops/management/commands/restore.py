from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from layan.ops.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Replace the database with a backup made by `manage.py backup` (stop `serve` or the units first). "
        "The backup is checked before anything is overwritten."
    )

    def add_arguments(self, parser):
        parser.add_argument("backup")
        parser.add_argument("--noinput", "--no-input", action="store_false", dest="interactive")

    def handle(self, *args, **options):
        source = Path(options["backup"])
        if options["interactive"]:
            answer = input(f"Semua data sekarang diganti dengan isi {source}. Ketik 'ya' untuk lanjut: ")
            if answer.strip().lower() != "ya":
                raise CommandError("Dibatalkan; tidak ada yang diubah.")
        try:
            restore(source)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"Basis data dipulihkan dari {source}.")
