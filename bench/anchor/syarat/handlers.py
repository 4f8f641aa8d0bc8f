"""SYARAT <layanan>: the requirements of a service of the demo catalogue, as a stock RapidSMS
KeywordHandler answers them (the catalogue read once per process from the Layan YAML file)."""

from pathlib import Path

import yaml
from rapidsms.contrib.handlers import KeywordHandler

CATALOGUE = Path(__file__).resolve().parents[3] / "data" / "catalogue" / "kisam-tinggi.yaml"


def _load() -> dict[str, dict]:
    services = yaml.safe_load(CATALOGUE.read_text(encoding="utf-8"))["services"]
    by_word = {}
    for service in services:
        for word in [service["code"], *service.get("keywords", [])]:
            by_word.setdefault(word.lower(), service)
    return by_word


SERVICES = _load()


class SyaratHandler(KeywordHandler):
    keyword = "syarat|persyaratan"

    def help(self):
        self.respond("Kirim: SYARAT <layanan>, mis. SYARAT KTP.")

    def handle(self, text):
        wanted = " ".join(text.lower().split())
        service = SERVICES.get(wanted)
        if service is None:
            # The longest service keyword found in the text ("syarat bikin akta kelahiran anak").
            found = [word for word in SERVICES if word in wanted]
            service = SERVICES[max(found, key=len)] if found else None
        if service is None:
            self.respond(f"Layanan '{text}' tidak ditemukan. Kirim: SYARAT <layanan>, mis. SYARAT KTP.")
            return
        documents = "; ".join(
            f"{i}. {item['document']}" + (f" ({item['count']})" if item.get("count", 1) != 1 else "")
            for i, item in enumerate(service.get("requirements", []), start=1)
        )
        self.respond(f"Syarat {service['name']}: {documents}")
