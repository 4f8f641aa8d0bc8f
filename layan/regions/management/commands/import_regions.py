import time

from django.core.management.base import BaseCommand

from layan.regions.importer import import_regions


class Command(BaseCommand):
    help = "Import (or update) provinces, kabupaten, kecamatan and desa from data/wilayah."

    def handle(self, *args, **options):
        started = time.monotonic()
        counts = import_regions()
        self.stdout.write(
            f"{counts.provinces} provinsi, {counts.regencies} kabupaten/kota, {counts.districts} kecamatan, "
            f"{counts.villages} desa/kelurahan ({time.monotonic() - started:.1f} s)"
        )
