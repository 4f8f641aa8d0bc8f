"""`manage.py telegram_set_webhook --channel <uuid> [--base-url https://…]`."""

from django.core.management.base import BaseCommand, CommandError

from layan.messaging.channels.base import SendError
from layan.messaging.channels.telegram.registration import set_webhook
from layan.messaging.models import Channel


class Command(BaseCommand):
    help = "Daftarkan webhook bot Telegram (setWebhook dengan secret_token) untuk satu kanal."

    def add_arguments(self, parser):
        parser.add_argument("--channel", required=True, help="uuid kanal Telegram")
        parser.add_argument("--base-url", default=None, help="alamat publik Layan (bawaan: LAYAN_PUBLIC_BASE_URL)")

    def handle(self, *args, **opts):
        channel = Channel.objects.filter(uuid=opts["channel"], kind="telegram").first()
        if channel is None:
            raise CommandError(f"Kanal Telegram {opts['channel']} tidak ditemukan.")
        try:
            url = set_webhook(channel, base_url=opts["base_url"])
        except SendError as exc:
            raise CommandError(f"Telegram menolak setWebhook: {exc}") from exc
        self.stdout.write(f"Webhook terpasang: {url}")
