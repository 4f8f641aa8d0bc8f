from django.core.management.base import BaseCommand, CommandError

from layan.catalogue.yaml_io import export_catalogue
from layan.offices.models import Office


class Command(BaseCommand):
    help = "Print an office's published catalogue as Layan YAML."

    def add_arguments(self, parser):
        parser.add_argument("office")
        parser.add_argument("-o", "--output", default="-")

    def handle(self, *args, **options):
        office = Office.objects.filter(slug=options["office"]).first()
        if office is None:
            raise CommandError(f"Kantor '{options['office']}' tidak ditemukan.")
        text = export_catalogue(office)
        if options["output"] == "-":
            self.stdout.write(text, ending="")
        else:
            with open(options["output"], "w", encoding="utf-8") as fh:
                fh.write(text)
