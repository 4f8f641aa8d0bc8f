"""Small create_* helpers for the applications tests."""

import datetime as dt

from layan.applications.models import Application, Channel
from layan.applications.services import submit_application
from layan.catalogue.models import Service
from layan.regions.models import Village
from testkit.personas import create_service

# 16.09.10 (Kisam Tinggi), born 12-05-1990 (a man), serial 0001.
NIK = "1609101205900001"
# The same kecamatan, a woman born 12-05-1990 (day + 40).
NIK_WOMAN = "1609105205900002"


def village():
    return Village.objects.get(code="16.09.10.2001")


def default_service(office) -> Service:
    existing = Service.objects.filter(office=office, code="sk-domisili").first()
    return existing or create_service(office, "sk-domisili", "Surat Keterangan Domisili")


def submit(office, service=None, *, now: dt.datetime | None = None, **fields) -> Application:
    service = service or default_service(office)
    values = {
        "applicant_name": "Siti Aminah",
        "nik": NIK,
        "village": village(),
        "phone": "0812 3456 7890",
        "channel": Channel.COUNTER,
    } | fields
    return submit_application(office, service=service, now=now, **values)
