"""Standing personas and small create_* helpers shared by every app's tests.

Office A (Kisam Tinggi, 16.09.10) has an admin, a staff member and a viewer; office B
(Muaradua Kisam, 16.09.11) has the outsider. Every staff view test checks that the outsider gets 404.
"""

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser

from layan.catalogue.models import Requirement, Service, ServiceVersion, Step
from layan.catalogue.services import publish_service_version
from layan.offices.models import Membership, Office, OpeningHours
from layan.regions.models import District, Province, Regency, Village

PASSWORD = "sandi-uji-123"  # noqa: S105 (test persona)


def create_regions() -> tuple[District, District]:
    province, _ = Province.objects.get_or_create(code="16", defaults={"name": "Sumatera Selatan"})
    regency, _ = Regency.objects.get_or_create(
        code="16.09", defaults={"province": province, "name": "Kabupaten Ogan Komering Ulu Selatan"}
    )
    a, _ = District.objects.get_or_create(code="16.09.10", defaults={"regency": regency, "name": "Kisam Tinggi"})
    b, _ = District.objects.get_or_create(code="16.09.11", defaults={"regency": regency, "name": "Muaradua Kisam"})
    Village.objects.get_or_create(
        code="16.09.10.2001", defaults={"district": a, "name": "Balayan", "kind": Village.Kind.DESA}
    )
    return a, b


def create_office(district: District, slug: str, name: str = "") -> Office:
    office = Office.objects.create(slug=slug, name=name or f"Kecamatan {district.name}", district=district)
    for day in range(4):
        OpeningHours.objects.create(office=office, weekday=day, opens=dt.time(8), closes=dt.time(15, 30))
    OpeningHours.objects.create(office=office, weekday=4, opens=dt.time(8), closes=dt.time(11, 30))
    return office


def open_around_the_clock(office: Office) -> None:
    """Every day 00.00–24.00 and no holidays, for tests that take queue tickets on the real clock:
    a ticket is refused after the office's last closing time, and CI runs at any hour."""
    office.holidays.all().delete()
    office.opening_hours.all().delete()
    for day in OpeningHours.Weekday.values:
        OpeningHours.objects.create(office=office, weekday=day, opens=dt.time(0), closes=dt.time.max)


def create_user(username: str, office: Office | None = None, role: str = Membership.Role.STAFF) -> AbstractUser:
    user = get_user_model().objects.create_user(username=username, password=PASSWORD, is_staff=True)
    if office is not None:
        Membership.objects.create(user=user, office=office, role=role)
    return user


def create_service(
    office: Office,
    code: str,
    name: str = "",
    *,
    requirements: list[str] | None = None,
    keywords: list[str] | None = None,
    publish: bool = True,
    **fields,
) -> Service:
    service = Service.objects.create(office=office, code=code)
    content = {
        "name": name or f"Layanan {code}",
        "category": "non-perizinan",
        "time_value": 1,
        "time_unit": ServiceVersion.TimeUnit.WORKING_DAYS,
        "fee_idr": 0,
        "output": "Surat keterangan",
        "complaint_handling": "Loket pengaduan",
        "legal_basis": ["PP 17/2018"],
        "facilities": "Loket",
        "competence": "Terlatih",
        "supervision": "Camat",
        "staff_count": 2,
        "guarantee": "Sesuai standar",
        "security": "Data dijaga",
        "evaluation": "Tiap triwulan",
        "keywords": keywords or [],
    } | fields
    version = ServiceVersion.objects.create(service=service, office=office, **content)
    for i, doc in enumerate(requirements or ["Surat pengantar kepala desa", "Fotokopi KTP"]):
        Requirement.objects.create(version=version, order=i, document=doc)
    Step.objects.create(version=version, order=1, actor="Pemohon", action="Menyerahkan berkas di loket")
    if publish:
        publish_service_version(version)
        service.refresh_from_db()
    return service


@dataclass
class Personas:
    office: Office
    other_office: Office
    admin: AbstractUser
    staff: AbstractUser
    viewer: AbstractUser
    outsider: AbstractUser


def create_personas() -> Personas:
    a, b = create_regions()
    office = create_office(a, "kisam-tinggi", "Kecamatan Kisam Tinggi")
    other = create_office(b, "muaradua-kisam", "Kecamatan Muaradua Kisam")
    return Personas(
        office=office,
        other_office=other,
        admin=create_user("admin_a", office, Membership.Role.ADMIN),
        staff=create_user("staf_a", office, Membership.Role.STAFF),
        viewer=create_user("pemantau_a", office, Membership.Role.VIEWER),
        outsider=create_user("orang_luar", other, Membership.Role.ADMIN),
    )
