from django.core.management.base import BaseCommand, CommandError

from layan.offices.models import Office
from layan.offices.services import OfficeError, seed_holidays


class Command(BaseCommand):
    help = (
        "Add a year's national holidays and cuti bersama (from the pinned `holidays` package) to the "
        "offices' holiday lists, e.g. seed_holidays 2027 --office kisam-tinggi. Idempotent: existing "
        "days and days an officer removed are left alone."
    )

    def add_arguments(self, parser):
        parser.add_argument("year", type=int)
        parser.add_argument("--office", default="", help="slug of one office (default: every active office)")

    def handle(self, *args, **options):
        offices = Office.objects.filter(is_active=True)
        if options["office"]:
            offices = offices.filter(slug=options["office"])
            if not offices.exists():
                raise CommandError(f"Kantor '{options['office']}' tidak ditemukan.")
        for office in offices:
            try:
                added = seed_holidays(office, actor=None, year=options["year"])
            except OfficeError as exc:
                raise CommandError(str(exc)) from None
            self.stdout.write(f"{office.slug}: {added} hari libur {options['year']} ditambahkan")
