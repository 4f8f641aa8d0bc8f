"""Writes to offices and staff."""

import datetime as dt
import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.text import slugify

from layan.regions.models import District

from .models import AuditEvent, Facility, Holiday, Membership, Office, OpeningHours, validate_office_slug


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


# --- The office profile, edited by the office's admin (issue 10 item 3) -------------------------
# Every write below records an AuditEvent (shown as "Riwayat perubahan" on the profile page) and
# bumps the catalogue revision, because the pages, guidebook, posters, search and the JAM/ALAMAT
# answers are cached by it.

PROFILE_FIELDS = (
    "address",
    "phone",
    "sms_number",
    "whatsapp_number",
    "email",
    "facebook_page",
    "telegram_username",
    "head_title",
    "head_name",
    "maklumat",
)
Span = tuple[dt.time, dt.time]


def _changed(office: Office, actor, action: str, target: str) -> None:
    record_audit_event(office, actor=actor, action=action, target=target[:100])
    mark_office_changed(office)


@transaction.atomic
def update_office_profile(office: Office, *, actor, changes: dict[str, str]) -> list[str]:
    """Set the address, contacts and texts in `changes`; returns the labels of the fields that changed."""
    unknown = set(changes) - set(PROFILE_FIELDS)
    if unknown:
        raise OfficeError(f"Kolom tidak dikenal: {', '.join(sorted(unknown))}")
    changed = [name for name, value in changes.items() if getattr(office, name) != value]
    if not changed:
        return []
    for name in changed:
        setattr(office, name, changes[name])
    try:
        office.full_clean(exclude=["slug", "district", "timezone", "name"])
    except ValidationError as exc:
        raise OfficeError(" ".join(exc.messages)) from None
    office.save(update_fields=changed)
    labels = [str(getattr(Office._meta.get_field(name), "verbose_name", name)) for name in changed]
    _changed(office, actor, AuditEvent.Action.UPDATE_PROFILE, ", ".join(labels))
    return labels


@transaction.atomic
def set_opening_hours(office: Office, *, actor, week: dict[int, list[Span]]) -> None:
    """Replace the whole week: `week[weekday]` is that day's periods (several when there are
    breaks, e.g. the Friday prayer break); a day without periods is closed."""
    rows = []
    for day in OpeningHours.Weekday.values:
        spans = sorted(week.get(day, []))
        label = OpeningHours.Weekday(day).label
        for opens, closes in spans:
            if closes <= opens:
                raise OfficeError(f"{label}: jam tutup {closes:%H.%M} harus sesudah jam buka {opens:%H.%M}.")
        for (_o1, c1), (o2, _c2) in zip(spans, spans[1:], strict=False):
            if o2 < c1:
                raise OfficeError(f"{label}: periode {o2:%H.%M} bertumpang tindih dengan periode sebelumnya.")
        rows += [OpeningHours(office=office, weekday=day, opens=o, closes=c) for o, c in spans]
    before = sorted((h.weekday, h.opens, h.closes) for h in office.opening_hours.all())
    after = sorted((h.weekday, h.opens, h.closes) for h in rows)
    if before == after:
        return
    office.opening_hours.all().delete()
    OpeningHours.objects.bulk_create(rows)
    _changed(office, actor, AuditEvent.Action.SET_HOURS, "jam layanan")


def _holiday_target(date: dt.date) -> str:
    return f"libur:{date.isoformat()}"


@transaction.atomic
def save_holiday(office: Office, *, actor, date: dt.date, name: str, holiday: Holiday | None = None) -> Holiday:
    """Add a holiday (a regional one, an office closure) or change `holiday`'s date or name."""
    name = name.strip()
    if not name:
        raise OfficeError("Keterangan hari libur wajib diisi.")
    others = Holiday.objects.filter(office=office, date=date)
    clash = (others.exclude(pk=holiday.pk) if holiday else others).first()
    if clash is not None:
        raise OfficeError(f"Tanggal {date:%d-%m-%Y} sudah tercatat sebagai libur: {clash.name}.")
    if holiday is None:
        holiday = Holiday.objects.create(office=office, date=date, name=name[:120])
        action = AuditEvent.Action.ADD_HOLIDAY
    else:
        if holiday.office_id != office.pk:
            raise OfficeError("Hari libur itu bukan milik kantor ini.")
        if (holiday.date, holiday.name) == (date, name):
            return holiday
        old_date = holiday.date
        holiday.date, holiday.name = date, name[:120]
        holiday.save(update_fields=["date", "name"])
        # The target starts with the old date: a later seed must not add the day back (an officer
        # moving the package's estimate of Idul Fitri by a day must not end up with two days).
        moved = f" → {date.isoformat()}" if old_date != date else ""
        _changed(office, actor, AuditEvent.Action.CHANGE_HOLIDAY, f"{_holiday_target(old_date)}{moved} {name}")
        return holiday
    _changed(office, actor, action, f"{_holiday_target(date)} {name}")
    return holiday


@transaction.atomic
def remove_holiday(office: Office, *, actor, holiday: Holiday) -> None:
    """Remove a holiday (e.g. the office stays open on a cuti bersama); a later seed of the same
    year does not bring it back, since the removal is in the audit log."""
    if holiday.office_id != office.pk:
        raise OfficeError("Hari libur itu bukan milik kantor ini.")
    holiday.delete()
    _changed(office, actor, AuditEvent.Action.REMOVE_HOLIDAY, f"{_holiday_target(holiday.date)} {holiday.name}")


def national_holidays(year: int) -> dict[dt.date, str]:
    """Indonesia's national holidays and cuti bersama of `year` (names in Indonesian) from the pinned
    `holidays` package; an estimate for years whose decree (SKB 3 Menteri) is not out yet."""
    # Imported here: the package takes ~57 ms to import (python -X importtime), and only a seed needs it,
    # not every web, SMS or telephone process.
    import holidays

    calendar = holidays.country_holidays(
        "ID", years=year, categories=(holidays.PUBLIC, holidays.GOVERNMENT), language="id"
    )
    # Two holidays on one day (Isra Mikraj on Christmas Day 2027) share the row: the names are joined.
    return {day: "; ".join(calendar.get_list(day)) for day in sorted(calendar)}


@transaction.atomic
def seed_holidays(office: Office, *, actor, year: int) -> int:
    """Add the national holidays and cuti bersama of `year`; returns how many were added.

    Idempotent, and it never overwrites an officer's work: a day that already has a row (seeded,
    edited or added by hand) is left as it is, and a day an officer removed is not added again.
    """
    if not 2000 <= year <= 2100:
        raise OfficeError(f"Tahun {year} di luar jangkauan.")
    existing = set(Holiday.objects.filter(office=office, date__year=year).values_list("date", flat=True))
    # Days an officer removed, or moved to another date, are theirs: the targets start with that day.
    removed_targets = AuditEvent.objects.filter(
        office=office,
        action__in=[AuditEvent.Action.REMOVE_HOLIDAY, AuditEvent.Action.CHANGE_HOLIDAY],
        target__startswith=f"libur:{year}-",
    ).values_list("target", flat=True)
    removed = {dt.date.fromisoformat(t.split()[0].removeprefix("libur:")) for t in removed_targets}
    rows = [
        Holiday(office=office, date=day, name=name[:120], source=Holiday.Source.NATIONAL)
        for day, name in national_holidays(year).items()
        if day not in existing and day not in removed
    ]
    Holiday.objects.bulk_create(rows)
    if rows:
        _changed(office, actor, AuditEvent.Action.SEED_HOLIDAYS, f"libur nasional {year}: {len(rows)} hari")
    return len(rows)


def year_without_holidays(office: Office, today: dt.date | None = None) -> int | None:
    """Next year, if the office has no holiday entered for it yet (the profile page warns); else None."""
    year = (today or office.local_now().date()).year + 1
    return None if Holiday.objects.filter(office=office, date__year=year).exists() else year


@transaction.atomic
def save_facility(
    office: Office, *, actor, name: str, description: str = "", facility: Facility | None = None
) -> Facility:
    """Add a facility (ruang tunggu, ruang bermain anak, area merokok …) at the end, or change one."""
    name = name.strip()
    if not name:
        raise OfficeError("Nama fasilitas wajib diisi.")
    if facility is None:
        base = slugify(name)[:50] or "fasilitas"
        code, n = base, 1
        while Facility.objects.filter(office=office, code=code).exists():
            n += 1
            code = f"{base}-{n}"
        last = office.facilities.order_by("-order").values_list("order", flat=True).first()
        facility = Facility.objects.create(
            office=office, code=code, name=name[:200], description=description, order=(last or 0) + 1
        )
        action = AuditEvent.Action.ADD_FACILITY
    else:
        if facility.office_id != office.pk:
            raise OfficeError("Fasilitas itu bukan milik kantor ini.")
        if (facility.name, facility.description) == (name, description):
            return facility
        facility.name, facility.description = name[:200], description
        facility.save(update_fields=["name", "description"])
        action = AuditEvent.Action.CHANGE_FACILITY
    _changed(office, actor, action, f"fasilitas:{facility.code} {facility.name}")
    return facility


@transaction.atomic
def remove_facility(office: Office, *, actor, facility: Facility) -> None:
    if facility.office_id != office.pk:
        raise OfficeError("Fasilitas itu bukan milik kantor ini.")
    facility.delete()
    _changed(office, actor, AuditEvent.Action.REMOVE_FACILITY, f"fasilitas:{facility.code} {facility.name}")


@transaction.atomic
def move_facility(office: Office, *, actor, facility: Facility, up: bool) -> None:
    """Swap `facility` with its neighbour above (`up`) or below; the list is renumbered 1..n."""
    items = list(office.facilities.select_for_update().order_by("order", "id"))
    index = next((i for i, f in enumerate(items) if f.pk == facility.pk), None)
    if index is None:
        raise OfficeError("Fasilitas itu bukan milik kantor ini.")
    other = index - 1 if up else index + 1
    if not 0 <= other < len(items):
        return
    items[index], items[other] = items[other], items[index]
    for order, item in enumerate(items, start=1):
        item.order = order
    Facility.objects.bulk_update(items, ["order"])
    _changed(office, actor, AuditEvent.Action.MOVE_FACILITY, f"fasilitas:{facility.code} {facility.name}")


def _admin_count(office: Office) -> int:
    return Membership.objects.filter(office=office, role=Membership.Role.ADMIN).count()


@transaction.atomic
def add_officer(
    office: Office, *, actor, username: str, role: str, full_name: str = "", create: bool = False
) -> tuple[Membership, str]:
    """Put a user on the office's staff with `role`; returns the membership and, when `create` made a
    new account, its one-time password (shown once to the admin, never stored in clear)."""
    username = username.strip()
    if role not in Membership.Role.values:
        raise OfficeError("Peran tidak dikenal.")
    User = get_user_model()
    user = User.objects.filter(username__iexact=username).first() if username else None
    password = ""
    if create:
        if user is not None:
            raise OfficeError(f"Nama pengguna “{username}” sudah dipakai; pilih “tambahkan pengguna yang ada”.")
        try:
            UnicodeUsernameValidator()(username)
        except ValidationError:
            raise OfficeError("Nama pengguna hanya boleh berisi huruf, angka dan @ . + - _.") from None
        if not username or len(username) > 150:
            raise OfficeError("Nama pengguna wajib diisi (paling banyak 150 huruf).")
        password = secrets.token_urlsafe(9)
        first, _sep, last = full_name.strip().partition(" ")
        # Not is_staff: officers sign in at /staf/masuk/ and work in the workspace, not the Django admin.
        user = User.objects.create_user(
            username=username, password=password, first_name=first[:150], last_name=last[:150]
        )
    elif user is None:
        raise OfficeError(f"Pengguna “{username}” tidak ditemukan.")
    if Membership.objects.filter(office=office, user=user).exists():
        raise OfficeError(f"{user.get_username()} sudah menjadi staf kantor ini.")
    membership = Membership.objects.create(office=office, user=user, role=role)
    _changed(office, actor, AuditEvent.Action.ADD_MEMBER, f"staf:{user.get_username()} {role}")
    return membership, password


@transaction.atomic
def change_role(office: Office, *, actor, membership: Membership, role: str) -> Membership:
    if membership.office_id != office.pk:
        raise OfficeError("Staf itu bukan anggota kantor ini.")
    if role not in Membership.Role.values:
        raise OfficeError("Peran tidak dikenal.")
    if membership.role == role:
        return membership
    list(Membership.objects.select_for_update().filter(office=office, role=Membership.Role.ADMIN))
    if membership.role == Membership.Role.ADMIN and _admin_count(office) <= 1:
        raise OfficeError("Kantor harus punya paling sedikit satu admin: angkat admin lain dahulu.")
    membership.role = role
    membership.save(update_fields=["role"])
    _changed(office, actor, AuditEvent.Action.CHANGE_ROLE, f"staf:{membership.user.get_username()} {role}")
    return membership


@transaction.atomic
def remove_officer(office: Office, *, actor, membership: Membership) -> None:
    """Take a user off the office's staff (the account stays: they may serve other offices)."""
    if membership.office_id != office.pk:
        raise OfficeError("Staf itu bukan anggota kantor ini.")
    list(Membership.objects.select_for_update().filter(office=office, role=Membership.Role.ADMIN))
    if membership.role == Membership.Role.ADMIN and _admin_count(office) <= 1:
        raise OfficeError("Admin terakhir tidak dapat dihapus: angkat admin lain dahulu.")
    membership.delete()
    _changed(office, actor, AuditEvent.Action.REMOVE_MEMBER, f"staf:{membership.user.get_username()}")
