"""Writes to offices and staff."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F

from layan.regions.models import District

from .models import AuditEvent, Membership, Office, validate_office_slug


class OfficeError(Exception):
    pass


@transaction.atomic
def create_office(district_code: str, *, slug: str, name: str = "", timezone: str = "") -> Office:
    """Create the office of kecamatan `district_code` (e.g. "16.09.10"); idempotent on the slug."""
    try:
        validate_office_slug(slug)
    except ValidationError as exc:
        raise OfficeError(" ".join(exc.messages)) from None
    district = District.objects.select_related("regency__province").filter(code=district_code).first()
    if district is None:
        raise OfficeError(
            f"Kecamatan dengan kode {district_code} tidak ditemukan. Jalankan 'manage.py import_regions' dahulu."
        )
    office = Office.objects.filter(slug=slug).first()
    if office is not None:
        if office.district_id != district.code:
            raise OfficeError(f"Slug '{slug}' sudah dipakai kantor {office.name}.")
        return office
    return Office.objects.create(
        slug=slug,
        district=district,
        name=name or f"Kecamatan {district.name}",
        timezone=timezone or timezone_for_province(district.regency.province_id),
    )


def timezone_for_province(province_code: str) -> str:
    """WIB/WITA/WIT from the Kemendagri province code (UU: Keppres 41/1987 time zones)."""
    wita = {"51", "52", "53", "63", "64", "65", "71", "72", "73", "74", "75", "76"}
    wit = {"81", "82", "91", "92", "93", "94", "95", "96", "97"}
    if province_code in wita:
        return "Asia/Makassar"
    if province_code in wit:
        return "Asia/Jayapura"
    return "Asia/Jakarta"


def mark_office_changed(office: Office) -> None:
    """Invalidate every cache built from the office profile (pages, guidebook, posters, search).

    Caches are keyed by `catalogue_revision`; the office's address, hours, channels and maklumat
    appear in the guidebook and on the posters, so an edit to them must bump it too.
    """
    bump_catalogue_revision(office.pk)
    office.refresh_from_db(fields=["catalogue_revision"])


def bump_catalogue_revision(office_id: int) -> None:
    """Invalidate every public cache of the office in every process (pages, search, PDFs, answers).

    Those caches are keyed by the revision, so nothing is deleted: the next read builds anew.
    Call it inside the transaction of the change, so a reader never sees the new revision
    with the old content.
    """
    Office.objects.filter(pk=office_id).update(catalogue_revision=F("catalogue_revision") + 1)


@transaction.atomic
def add_member(office: Office, user, *, role: str = Membership.Role.STAFF) -> Membership:
    membership, _ = Membership.objects.update_or_create(office=office, user=user, defaults={"role": role})
    return membership


def record_audit_event(office: Office, *, actor, action: str, target: str) -> AuditEvent:
    """Note that `actor` (a user, or None for the system) did `action` on `target` in `office`."""
    return AuditEvent.objects.create(
        office=office, actor=actor if getattr(actor, "is_authenticated", False) else None, action=action, target=target
    )
