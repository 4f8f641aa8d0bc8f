from django.core.management.base import BaseCommand, CommandError

from layan.messaging.channels.kannel.config import render_kannel_conf


class Command(BaseCommand):
    help = "Print a kannel.conf (bearerbox + smsbox) for an office's Kannel channel. Contains passwords."

    def add_arguments(self, parser):
        parser.add_argument("--office", required=True, help="Office slug whose Kannel channel to use.")
        parser.add_argument("--sendsms-port", type=int, default=13013)
        parser.add_argument("--log-dir", default="/var/log/kannel")

    def handle(self, *args, **options):
        from layan.messaging.models import Channel

        slug = options["office"]
        channel = Channel.objects.filter(kind="kannel", office__slug=slug, is_active=True).first()
        if channel is None:
            raise CommandError(f"Kantor {slug!r} belum punya kanal Kannel aktif (manage.py add_channel --kind kannel).")
        text = render_kannel_conf(channel, sendsms_port=options["sendsms_port"], log_dir=options["log_dir"])
        self.stdout.write(text, ending="")
