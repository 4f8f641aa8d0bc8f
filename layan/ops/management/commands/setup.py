import os
import sys
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from layan.regions.importer import import_regions
from layan.regions.models import District


def read_secret(name: str) -> str:
    """NAME, or the contents of the file named by NAME_FILE (as settings read secrets)."""
    path = os.environ.get(f"{name}_FILE")
    if path:
        try:
            return Path(path).read_text().strip()
        except OSError as exc:
            raise CommandError(f"{name}_FILE tidak dapat dibaca: {exc.strerror} ({path}).") from None
    return os.environ.get(name, "").strip()


def _make_private(var_dir: Path, database: Path) -> None:
    """A var/ made before files were created private: the directory and the SQLite files become 0700/0600."""
    if var_dir.is_dir():
        var_dir.chmod(0o700)
    for path in (database, Path(f"{database}-wal"), Path(f"{database}-shm")):
        if path.is_file() and path.is_relative_to(var_dir):
            path.chmod(0o600)


class Command(BaseCommand):
    help = (
        "Prepare the database: migrations, static files, the regions and the first administrator "
        "(from LAYAN_ADMIN_USERNAME + LAYAN_ADMIN_PASSWORD[_FILE], or interactively). Loads no demo and "
        "creates no demo admin unless --demo. Safe to run again: nothing an officer made is changed."
    )

    def add_arguments(self, parser):
        parser.add_argument("--demo", action="store_true", help="Load the Kisam Tinggi demo into an empty database.")
        parser.add_argument("--noinput", "--no-input", action="store_false", dest="interactive")

    def handle(self, *args, **options):
        verbosity = options["verbosity"]
        _make_private(Path(settings.VAR_DIR), Path(str(settings.DATABASES["default"]["NAME"])))
        call_command("migrate", interactive=False, verbosity=min(verbosity, 1))
        call_command("collectstatic", interactive=False, verbosity=0)
        if not District.objects.exists():
            counts = import_regions()
            self.stdout.write(f"Wilayah dimuat: {counts.districts} kecamatan, {counts.villages} desa/kelurahan.")
        if options["demo"]:
            call_command("load_demo", stdout=self.stdout)
        else:
            self._first_admin(interactive=options["interactive"])
        # Every office gets its letter-signing key file when it has none (never replaced).
        call_command("letter_keys", stdout=self.stdout, verbosity=verbosity)

    def _first_admin(self, *, interactive: bool) -> None:
        User = get_user_model()
        if User.objects.filter(is_superuser=True).exists():
            self.stdout.write("Administrator sudah ada; tidak diubah.")
            return
        username = read_secret("LAYAN_ADMIN_USERNAME")
        password = read_secret("LAYAN_ADMIN_PASSWORD")
        if username and password:
            user = User(username=username, is_staff=True, is_superuser=True)
            try:
                validate_password(password, user)
            except ValidationError as exc:
                raise CommandError("Kata sandi administrator ditolak: " + " ".join(exc.messages)) from None
            user.set_password(password)
            user.save()
            self.stdout.write(self.style.SUCCESS(f"Administrator pertama '{username}' dibuat."))
        elif interactive and sys.stdin.isatty():
            self.stdout.write("Buat administrator pertama:")
            call_command("createsuperuser")
        else:
            self.stdout.write(
                "Belum ada administrator: jalankan 'manage.py createsuperuser', atau set LAYAN_ADMIN_USERNAME "
                "dan LAYAN_ADMIN_PASSWORD_FILE lalu jalankan setup lagi."
            )
