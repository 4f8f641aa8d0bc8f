from django.core.management.base import BaseCommand, CommandError

from layan.offices.services import OfficeError, create_office


class Command(BaseCommand):
    help = "Create the office of a kecamatan by its Kemendagri code, e.g. create_office 16.09.10 --slug kisam-tinggi"

    def add_arguments(self, parser):
        parser.add_argument("district_code")
        parser.add_argument("--slug", required=True)
        parser.add_argument("--name", default="")

    def handle(self, *args, **options):
        try:
            office = create_office(options["district_code"], slug=options["slug"], name=options["name"])
        except OfficeError as exc:
            raise CommandError(str(exc)) from None
        villages = office.district.villages.count()
        self.stdout.write(f"{office.name} ({office.slug}), {villages} desa/kelurahan, zona waktu {office.timezone}")
