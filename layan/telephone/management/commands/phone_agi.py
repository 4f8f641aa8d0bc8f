import asyncio

from django.core.management.base import BaseCommand, CommandError

from layan.offices.models import Office

from ...drivers.agi import serve


class Command(BaseCommand):
    help = "Jalankan IVR telepon untuk Asterisk (FastAGI): exten => s,1,AGI(agi://host:4573/ivr)"

    def add_arguments(self, parser):
        parser.add_argument("--office", required=True, help="slug kantor, mis. kisam-tinggi")
        parser.add_argument("--host", default="127.0.0.1", help="alamat dengar (0.0.0.0 bila Asterisk di mesin lain)")
        parser.add_argument("--port", type=int, default=4573)

    def handle(self, *args, **opts):
        office = Office.objects.filter(slug=opts["office"], is_active=True).first()
        if office is None:
            raise CommandError(f"Kantor '{opts['office']}' tidak ditemukan.")
        self.stdout.write(f"FastAGI IVR {office.slug} di {opts['host']}:{opts['port']}/ivr")
        try:
            asyncio.run(serve(office, host=opts["host"], port=opts["port"]))
        except KeyboardInterrupt:
            pass
