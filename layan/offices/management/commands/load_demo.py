import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from layan.catalogue.yaml_io import CatalogueImportError, import_catalogue
from layan.offices.models import Membership
from layan.offices.services import OfficeError, add_member, create_office
from layan.regions.importer import import_regions
from layan.regions.models import District

DEMO_DISTRICT = "16.09.10"
DEMO_SLUG = "kisam-tinggi"


class Command(BaseCommand):
    help = "Load the Kisam Tinggi demo: regions, the office, its catalogue and (demo mode) an admin. Idempotent."

    def add_arguments(self, parser):
        parser.add_argument("--no-admin", action="store_true", help="Do not create the demo admin.")

    def handle(self, *args, **options):
        if not District.objects.filter(code=DEMO_DISTRICT).exists():
            counts = import_regions()
            self.stdout.write(f"Wilayah dimuat: {counts.districts} kecamatan, {counts.villages} desa/kelurahan.")
        try:
            office = create_office(DEMO_DISTRICT, slug=DEMO_SLUG)
            text = (settings.DATA_DIR / "catalogue" / f"{DEMO_SLUG}.yaml").read_text(encoding="utf-8")
            result = import_catalogue(office, text, note="Data demo")
        except (OfficeError, CatalogueImportError) as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            f"{office.name}: {len(result.created)} layanan baru, {len(result.updated)} diperbarui, "
            f"{len(result.unchanged)} tetap."
        )
        if settings.DEMO_MODE and not options["no_admin"]:
            self._demo_admin(office)

    @transaction.atomic
    def _demo_admin(self, office) -> None:
        # The password is made once and kept beside the database, so a second `make run`
        # prints the same credentials instead of silently changing them.
        path = settings.VAR_DIR / "demo-admin.txt"
        if path.exists():
            password = path.read_text().strip()
        else:
            password = secrets.token_urlsafe(9)
            path.write_text(password + "\n")
            path.chmod(0o600)
        User = get_user_model()
        user, created = User.objects.get_or_create(username="admin", defaults={"is_staff": True})
        if created or not user.check_password(password):
            user.set_password(password)
            user.is_staff = True
            user.save()
        add_member(office, user, role=Membership.Role.ADMIN)
        self.stdout.write(
            self.style.SUCCESS(f"Admin demo: pengguna 'admin', kata sandi '{password}' (hanya mode demo).")
        )
