from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from layan.catalogue.yaml_io import CatalogueImportError, import_catalogue
from layan.offices.models import Office


class Command(BaseCommand):
    help = "Import an office's catalogue from a Layan YAML file (all or nothing)."

    def add_arguments(self, parser):
        parser.add_argument("office")
        parser.add_argument("path", type=Path)

    def handle(self, *args, **options):
        office = Office.objects.filter(slug=options["office"]).first()
        if office is None:
            raise CommandError(f"Kantor '{options['office']}' tidak ditemukan.")
        try:
            result = import_catalogue(office, options["path"].read_text(encoding="utf-8"))
        except CatalogueImportError as exc:
            raise CommandError("Impor dibatalkan, tidak ada yang disimpan:\n" + "\n".join(exc.errors)) from None
        except OSError as exc:
            raise CommandError(f"Berkas tidak dapat dibaca: {exc}") from None
        except UnicodeDecodeError as exc:
            raise CommandError(
                f"Berkas {options['path']} bukan teks UTF-8 (byte ke-{exc.start + 1}); simpan ulang sebagai UTF-8. "
                "Tidak ada yang disimpan."
            ) from None
        self.stdout.write(
            f"{len(result.created)} baru, {len(result.updated)} versi baru, {len(result.unchanged)} tidak berubah"
        )
