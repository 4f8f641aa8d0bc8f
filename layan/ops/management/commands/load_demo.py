import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from layan.catalogue.yaml_io import CatalogueImportError, import_catalogue
from layan.letters.services import set_up_demo_signer
from layan.offices.models import Membership, Office
from layan.offices.services import OfficeError, add_member, create_office, seed_holidays
from layan.queue.services import set_up_demo_queue
from layan.regions.importer import import_regions
from layan.regions.models import District

DEMO_DISTRICT = "16.09.10"
DEMO_SLUG = "kisam-tinggi"
DEMO_ADMIN = "admin"


class Command(BaseCommand):
    help = (
        "Load the Kisam Tinggi demo (regions, the office, its catalogue and, in demo mode, an admin) into an "
        "empty database. A database that already has an office is left exactly as it is."
    )

    def add_arguments(self, parser):
        parser.add_argument("--no-admin", action="store_true", help="Do not create the demo admin.")

    def handle(self, *args, **options):
        with_admin = settings.DEMO_MODE and not options["no_admin"]
        if Office.objects.exists():
            # What officers did (published versions, drafts, the office profile, passwords) is theirs.
            self.stdout.write("Basis data sudah berisi kantor: demo tidak dimuat ulang, tidak ada yang diubah.")
            if with_admin:
                self._print_admin()
            return
        if not District.objects.filter(code=DEMO_DISTRICT).exists():
            counts = import_regions()
            self.stdout.write(f"Wilayah dimuat: {counts.districts} kecamatan, {counts.villages} desa/kelurahan.")
        try:
            with transaction.atomic():
                office = create_office(DEMO_DISTRICT, slug=DEMO_SLUG)
                text = (settings.DATA_DIR / "catalogue" / f"{DEMO_SLUG}.yaml").read_text(encoding="utf-8")
                result = import_catalogue(office, text, note="Data demo")
                # This year's and next year's national holidays and cuti bersama, so "Buka sekarang"
                # and the JAM answer are right on those days (editable in the office profile).
                this_year = office.local_now().year
                holidays = sum(seed_holidays(office, actor=None, year=y) for y in (this_year, this_year + 1))
                set_up_demo_queue(office)
        except (OfficeError, CatalogueImportError) as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"{office.name}: {len(result.created)} layanan demo dimuat, {holidays} hari libur.")
        if with_admin:
            self._demo_admin(office)
            self._print_admin()

    def _password_path(self):
        return settings.VAR_DIR / "demo-admin.txt"

    @transaction.atomic
    def _demo_admin(self, office: Office) -> None:
        # The password is made once and kept beside the database (0600), so a second `make run`
        # prints the same credentials. An existing 'admin' account is never given a new password.
        path = self._password_path()
        if path.exists():
            password = path.read_text().strip()
        else:
            password = secrets.token_urlsafe(9)
            path.touch(mode=0o600)
            path.write_text(password + "\n")
        User = get_user_model()
        user = User.objects.filter(username=DEMO_ADMIN).first()
        if user is None:
            user = User.objects.create_user(DEMO_ADMIN, password=password, is_staff=True)
        # The demo admin also signs letters (a letter's whole path can be tried); never for an office with signers.
        set_up_demo_signer(add_member(office, user, role=Membership.Role.ADMIN))

    def _print_admin(self) -> None:
        path = self._password_path()
        user = get_user_model().objects.filter(username=DEMO_ADMIN).first()
        password = path.read_text().strip() if path.exists() else ""
        if user is None:
            return
        if password and user.check_password(password):
            self.stdout.write(
                self.style.SUCCESS(f"Admin demo: pengguna 'admin', kata sandi '{password}' (hanya mode demo).")
            )
        else:
            self.stdout.write("Admin demo: pengguna 'admin' (kata sandinya sudah diganti).")
