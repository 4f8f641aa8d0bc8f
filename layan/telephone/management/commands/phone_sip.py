import signal
import threading

from django.core.management.base import BaseCommand, CommandError

from layan.offices.models import Office

from ...drivers.sip import SipIvr


class Command(BaseCommand):
    help = "Jalankan IVR telepon lewat SIP (pyVoIP): mendaftar ke server SIP dan menjawab panggilan."

    def add_arguments(self, parser):
        parser.add_argument("--office", required=True, help="slug kantor, mis. kisam-tinggi")
        parser.add_argument("--sip-host", required=True, help="server SIP (registrar/PBX)")
        parser.add_argument("--port", type=int, default=5060, help="port server SIP")
        parser.add_argument("--username", default="")
        parser.add_argument("--password", default="", help="lebih baik lewat env LAYAN_SIP_PASSWORD")
        parser.add_argument("--my-ip", default="0.0.0.0", help="alamat IP lokal untuk SIP dan RTP")  # noqa: S104
        parser.add_argument("--local-port", type=int, default=5060)
        parser.add_argument("--rtp-low", type=int, default=10000)
        parser.add_argument("--rtp-high", type=int, default=20000)

    def handle(self, *args, **opts):
        import os

        office = Office.objects.filter(slug=opts["office"], is_active=True).first()
        if office is None:
            raise CommandError(f"Kantor '{opts['office']}' tidak ditemukan.")
        ivr = SipIvr(
            office,
            sip_host=opts["sip_host"],
            sip_port=opts["port"],
            username=opts["username"],
            password=opts["password"] or os.environ.get("LAYAN_SIP_PASSWORD", ""),
            my_ip=opts["my_ip"],
            local_port=opts["local_port"],
            rtp_low=opts["rtp_low"],
            rtp_high=opts["rtp_high"],
        )
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        signal.signal(signal.SIGINT, lambda *_: stop.set())
        ivr.start()
        self.stdout.write(f"IVR SIP {office.slug} terdaftar di {opts['sip_host']}:{opts['port']}")
        stop.wait()
        ivr.stop()
