from django.core.management.base import BaseCommand, CommandError

from layan.offices.models import Office

from ...keys import ensure_key, key_path
from ...verifier import format_fingerprint


class Command(BaseCommand):
    help = (
        "Create the Ed25519 signing key of every office that has none (or of --office SLUG): a private key "
        "file in LAYAN_LETTER_KEY_DIR (0600) and its public key in the database. Never replaces a key."
    )

    def add_arguments(self, parser):
        parser.add_argument("--office", help="only this office (its slug)")

    def handle(self, *args, **options):
        offices = Office.objects.order_by("slug")
        if options["office"]:
            offices = offices.filter(slug=options["office"])
            if not offices.exists():
                raise CommandError(f"Kantor '{options['office']}' tidak ada.")
        for office in offices:
            record, created = ensure_key(office)
            state = "dibuat" if created else "sudah ada"
            fingerprint = format_fingerprint(record.fingerprint)
            self.stdout.write(f"{office.slug}: kunci {state} ({key_path(office)}), sidik jari {fingerprint}")
