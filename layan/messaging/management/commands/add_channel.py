"""Add a messaging channel; secrets in --config are never printed.

    manage.py add_channel --office kisam-tinggi --kind android --name "HP loket" \
        --address +62812… --config url=… password=…
"""

from django.core.management.base import BaseCommand, CommandError

from layan.messaging.channels import ConfigError, channel_types, validate_config
from layan.messaging.services import MessagingError, create_channel
from layan.offices.models import Office
from layan.regions.models import Regency


class Command(BaseCommand):
    help = "Tambah kanal pesan untuk satu kantor (--office) atau satu kabupaten (--regency). Rahasia tidak dicetak."

    def create_parser(self, prog_name, subcommand, **kwargs):
        # The kinds and their labels come from the registry, so --help lists every installed kind.
        kinds = "; ".join(f"{kind}: {declared.label}" for kind, declared in channel_types().items())
        kwargs.setdefault("epilog", f"Jenis kanal (--kind): {kinds}.")
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser):
        scope = parser.add_mutually_exclusive_group(required=True)
        scope.add_argument("--office", help="slug kantor, mis. kisam-tinggi")
        scope.add_argument("--regency", help="kode kabupaten, mis. 16.09 (kanal bersama)")
        parser.add_argument("--kind", required=True, help="jenis kanal (lihat di bawah)")
        parser.add_argument("--name", required=True)
        parser.add_argument("--address", default="")
        parser.add_argument("--tps", type=float, default=None)
        parser.add_argument("--config", nargs="*", default=[], metavar="KEY=VALUE")

    def handle(self, *args, **opts):
        office = regency = None
        if opts["office"]:
            office = Office.objects.filter(slug=opts["office"]).first()
            if office is None:
                raise CommandError(f"Kantor '{opts['office']}' tidak ditemukan.")
        else:
            regency = Regency.objects.filter(code=opts["regency"]).first()
            if regency is None:
                raise CommandError(f"Kabupaten '{opts['regency']}' tidak ditemukan.")
        config = {}
        for item in opts["config"]:
            key, sep, value = item.partition("=")
            if not sep or not key:
                raise CommandError(f"Format --config harus KEY=VALUE, bukan {item!r}.")
            config[key.strip()] = value
        kinds = channel_types()
        if opts["kind"] not in kinds:
            raise CommandError(f"Jenis kanal tidak dikenal: {opts['kind']}. Pilihan: {', '.join(kinds)}.")
        try:
            validate_config(opts["kind"], config)
        except ConfigError as exc:
            raise CommandError(str(exc)) from exc
        try:
            channel = create_channel(
                kind=opts["kind"],
                name=opts["name"],
                office=office,
                regency=regency,
                address=opts["address"],
                config=config,
                tps=opts["tps"],
            )
        except MessagingError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Kanal dibuat: {channel.name} ({channel.kind}) uuid={channel.uuid}")
        self.stdout.write(f"Konfigurasi: {channel.masked_config()}")
