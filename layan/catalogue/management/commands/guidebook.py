import shutil

from django.core.management.base import BaseCommand, CommandError

from layan.catalogue.guidebook import get_guidebook_pdf
from layan.offices.models import Office


class Command(BaseCommand):
    help = "Write an office's SOP guidebook (buku panduan) as PDF."

    def add_arguments(self, parser):
        parser.add_argument("office", help="slug kantor, mis. kisam-tinggi")
        parser.add_argument("-o", "--output", help="berkas PDF tujuan (bawaan: panduan-<slug>.pdf)")

    def handle(self, *args, **options):
        office = Office.objects.select_related("district__regency__province").filter(slug=options["office"]).first()
        if office is None:
            raise CommandError(f"Kantor '{options['office']}' tidak ditemukan.")
        output = options["output"] or f"panduan-{office.slug}.pdf"
        try:
            shutil.copyfile(get_guidebook_pdf(office), output)
        except OSError as exc:
            raise CommandError(f"Tidak dapat menulis {output}: {exc.strerror}") from exc
        self.stdout.write(f"Buku panduan {office.name} ditulis ke {output}")
        if fields := office.placeholder_fields():
            self.stderr.write(f"Peringatan: {', '.join(fields)} kantor masih isian contoh; lengkapi sebelum dicetak.")
