from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from layan.ops.backup import BackupError, backup, default_path


class Command(BaseCommand):
    help = (
        "Back up the database while Layan runs: SQLite through its online backup API (safe with WAL), "
        "PostgreSQL with pg_dump --format=custom. The copy is checked, then kept 0600."
    )

    def add_arguments(self, parser):
        parser.add_argument("-o", "--output", help="berkas tujuan (bawaan: var/backups/layan-<waktu>.sqlite3|.dump)")

    def handle(self, *args, **options):
        target = Path(options["output"]) if options["output"] else default_path(connections["default"].settings_dict)
        try:
            backup(target)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"Cadangan ditulis ke {target} ({target.stat().st_size:,} byte).")
