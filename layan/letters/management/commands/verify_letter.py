from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ...verification import check_file
from ...verifier import FACT_LABELS, split


class Command(BaseCommand):
    help = (
        "Check a letter PDF against this server: the Ed25519 signature with the key it names, that it is the "
        "stored signed original, and whether it was revoked. Exit status 0 valid, 1 not valid. "
        "Without the server, tools/verify_letter.py needs only the office's public key."
    )

    def add_arguments(self, parser):
        parser.add_argument("pdf", type=Path)

    def handle(self, *args, **options):
        try:
            content = options["pdf"].read_bytes()
        except OSError as exc:
            raise CommandError(f"{options['pdf']}: {exc.strerror}") from None
        result = check_file(content)
        self.stdout.write(result.summary())
        try:
            data = split(content)[1]["data"] if result.signature_valid else {}
        except ValueError:
            data = {}
        for name, label in FACT_LABELS:
            if data.get(name):
                self.stdout.write(f"  {label}: {data[name]}")
        if not result.valid:
            raise SystemExit(1)
