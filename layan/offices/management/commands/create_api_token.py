from django.core.management.base import BaseCommand, CommandError

from layan.offices.models import Membership
from layan.offices.tokens import create_api_token


class Command(BaseCommand):
    help = (
        "Create a staff API token for a member of an office, e.g. create_api_token kisam-tinggi budi "
        "--name 'Aplikasi desa'. The token is printed once; only its hash is stored. What it may do "
        "is the member's role (a viewer's token only reads)."
    )

    def add_arguments(self, parser):
        parser.add_argument("office_slug")
        parser.add_argument("username")
        parser.add_argument("--name", default="")

    def handle(self, *args, **options):
        membership = (
            Membership.objects.select_related("office", "user")
            .filter(office__slug=options["office_slug"], user__username=options["username"])
            .first()
        )
        if membership is None:
            raise CommandError(
                f"{options['username']} bukan staf kantor {options['office_slug']} (tambahkan dulu sebagai staf)."
            )
        row, token = create_api_token(membership, name=options["name"])
        self.stderr.write(
            f"Token '{row.name}' untuk {membership.user.username} @ {membership.office.slug} "
            f"(peran: {membership.get_role_display()}). Simpan sekarang, token tidak dapat ditampilkan lagi:"
        )
        self.stdout.write(token)
