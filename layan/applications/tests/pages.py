"""Helpers for the application page tests (public and staff views)."""

from layan.applications.models import Application, Channel
from layan.applications.services import submit_application
from layan.regions.models import Village
from testkit.personas import create_service

NIK = "1609101508900001"  # Kisam Tinggi (16.09.10), born 15-08-1990, serial 0001
NIK_WOMAN = "1609105508900002"  # the same day, a woman (day + 40)


def village(office) -> Village:
    return Village.objects.filter(district_id=office.district_id).order_by("code").first()


def service_with_uploads(office, code: str = "sktm"):
    """A published service whose first requirement accepts an upload (the SOP allows it)."""
    service = create_service(office, code, "Surat Keterangan Tidak Mampu", requirements=["Fotokopi KTP", "Surat RT"])
    first = service.current_version.requirements.order_by("order").first()
    first.upload_accepted = True
    first.save(update_fields=["upload_accepted"])
    return service


def create_application(
    office, service=None, *, channel=Channel.WEB, nik=NIK, name="Siti Aminah", **kwargs
) -> Application:
    service = service or create_service(office, "domisili", "Surat Keterangan Domisili")
    return submit_application(
        office,
        service=service,
        applicant_name=name,
        nik=nik,
        village=village(office),
        phone=kwargs.pop("phone", "081234567890"),
        channel=channel,
        **kwargs,
    )
