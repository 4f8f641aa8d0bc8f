from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from layan.messaging.channels.gammu.smsdrc import DEFAULT_DEVICE, render_smsdrc


class Command(BaseCommand):
    help = (
        "Print a gammu-smsd configuration (smsdrc) for an office's Gammu channel, using Layan's own database. "
        "Example: manage.py gammu_config --office kisam-tinggi > /etc/gammu-smsdrc"
    )

    def add_arguments(self, parser):
        parser.add_argument("--office", help="Office slug whose Gammu channel to use.")
        parser.add_argument("--phone-id", help="PhoneID to write instead of the channel's (no channel needed).")
        parser.add_argument("--device", default=DEFAULT_DEVICE, help=f"Modem device (default {DEFAULT_DEVICE}).")
        parser.add_argument("--connection", default="at", help="Gammu connection, e.g. at, at115200 (default at).")
        parser.add_argument("--dummy", metavar="DIR", help="Use Gammu's dummy phone (a folder) instead of a modem.")
        parser.add_argument("--log-file", default="syslog", help="smsd log file (default syslog).")
        parser.add_argument("--fast", action="store_true", help="Poll every second (tests and demos).")

    def handle(self, *args, **options):
        phone_id = options["phone_id"] or self._phone_id(options["office"])
        try:
            text = render_smsdrc(
                phone_id=phone_id,
                database=settings.DATABASES["default"],
                device=options["device"],
                connection=options["connection"],
                dummy_dir=options["dummy"],
                log_file=options["log_file"],
                fast=options["fast"],
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(text, ending="")

    def _phone_id(self, slug: str | None) -> str:
        if not slug:
            raise CommandError("Sebutkan --office <slug> atau --phone-id.")
        from layan.messaging.models import Channel

        channel = Channel.objects.filter(kind="gammu", office__slug=slug, is_active=True).order_by("created_at").first()
        if channel is None:
            raise CommandError(
                f"Kantor {slug!r} belum punya kanal Gammu aktif. Tambahkan dengan "
                f"`manage.py add_channel --office {slug} --kind gammu …`."
            )
        phone_id = (channel.config or {}).get("phone_id")
        if not phone_id:
            raise CommandError(f"Kanal {channel.name} belum punya phone_id di konfigurasinya.")
        return str(phone_id)
