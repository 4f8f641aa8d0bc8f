import time

from django.core.management.base import BaseCommand, CommandError

from layan.offices.models import Office

from ... import prompts
from ...ivr import FIXED_PROMPTS, IvrMachine
from ...lookup import office_info


class Command(BaseCommand):
    help = "Buat (dan simpan di cache) semua prompt IVR kantor untuk SIP (u8) dan Asterisk (s16)."

    def add_arguments(self, parser):
        parser.add_argument("--office", required=True)

    def handle(self, *args, **opts):
        office = Office.objects.filter(slug=opts["office"]).first()
        if office is None:
            raise CommandError(f"Kantor '{opts['office']}' tidak ditemukan.")
        machine = IvrMachine(office_info(office), caller="+620000000")
        texts = [machine.fixed(key) for key in FIXED_PROMPTS]
        # The service pages are the long dynamic prompts; walk them all.
        machine.start()
        turn = machine.on_digits("1")
        texts += list(turn.prompts)
        while "Tekan 9 untuk layanan berikutnya." in turn.prompts[-1].text:
            turn = machine.on_digits("9")
            texts += list(turn.prompts)
        started = time.perf_counter()
        for fmt in prompts.FORMATS:
            for prompt in texts:
                prompts.prompt_file(office.pk, prompt, fmt)
        elapsed = time.perf_counter() - started
        self.stdout.write(
            f"{len(texts)} prompt x {len(prompts.FORMATS)} format dalam {elapsed:.2f} s "
            f"(cache: {prompts.CACHE_STATS['hits']} hit, {prompts.CACHE_STATS['misses']} baru)"
        )
