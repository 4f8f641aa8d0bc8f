"""manage.py simulate --office kisam-tinggi --urn tel:+6281234567890 "syarat ktp"

Sends one text through the office's test channel and prints every reply the contact receives."""

import uuid

from django.core.management.base import BaseCommand, CommandError

from layan.messaging.models import InboundEvent, Message
from layan.messaging.services import Incoming, get_simulator_channel, receive
from layan.messaging.urns import URNError
from layan.offices.models import Office


class Command(BaseCommand):
    help = "Simulasikan pesan warga dan cetak balasannya."

    def add_arguments(self, parser):
        parser.add_argument("--office", required=True)
        parser.add_argument("--urn", default="tel:+6281234567890")
        parser.add_argument("text", nargs="+")

    def handle(self, *args, **opts):
        office = Office.objects.filter(slug=opts["office"]).first()
        if office is None:
            raise CommandError(f"Kantor '{opts['office']}' tidak ditemukan.")
        channel = get_simulator_channel(office)
        [event] = receive(
            channel, [Incoming(opts["urn"], " ".join(opts["text"]), provider_id=uuid.uuid4().hex, payload="cli")]
        )
        if isinstance(event, URNError):
            raise CommandError(str(event))
        assert isinstance(event, InboundEvent)
        replies = Message.objects.filter(in_reply_to__event=event, direction=Message.Direction.OUT).order_by("id")
        if not replies:
            self.stdout.write("(tidak ada balasan)")
        for reply in replies:
            self.stdout.write(reply.text)
            self.stdout.write(f"-- {reply.parts} SMS")
