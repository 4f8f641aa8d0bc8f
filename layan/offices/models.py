"""The tenant: one kecamatan office, its staff, hours, facilities and contact channels."""

import datetime as dt
import re
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from layan.regions.models import District

TIMEZONES = [
    ("Asia/Jakarta", "WIB (Asia/Jakarta)"),
    ("Asia/Makassar", "WITA (Asia/Makassar)"),
    ("Asia/Jayapura", "WIT (Asia/Jayapura)"),
]
TZ_ABBREVIATIONS = {"Asia/Jakarta": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"}
# The public pages live at /<office-slug>/, beside these fixed prefixes.
RESERVED_SLUGS = frozenset(
    {"admin", "api", "static", "media", "staf", "channels", "i18n", "healthz", "cari", "masuk", "keluar"}
)


PLACEHOLDER_TEXT = re.compile(r"isi oleh admin", re.IGNORECASE)
PLACEHOLDER_NUMBER = re.compile(r"(?<!\d)0{4,}(?!\d)")


# The slug is a path segment of every public URL (/<slug>/…): lowercase letters, digits and single hyphens.
OFFICE_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
OFFICE_SLUG_MAX_LENGTH = 60


def validate_office_slug(value: str) -> None:
    if not OFFICE_SLUG.fullmatch(value) or len(value) > OFFICE_SLUG_MAX_LENGTH:
        raise ValidationError(
            _("Slug “%(slug)s” tidak sah: pakai huruf kecil, angka dan tanda hubung saja (mis. kisam-tinggi)."),
            params={"slug": value[:80]},
        )
    if value in RESERVED_SLUGS:
        raise ValidationError(_("Slug “%(slug)s” dipakai sistem; pilih yang lain."), params={"slug": value})


class Office(models.Model):
    slug = models.SlugField(
        _("slug"), max_length=OFFICE_SLUG_MAX_LENGTH, unique=True, validators=[validate_office_slug]
    )
    name = models.CharField(_("nama"), max_length=120)
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="offices", verbose_name=_("kecamatan")
    )
    timezone = models.CharField(_("zona waktu"), max_length=40, choices=TIMEZONES, default="Asia/Jakarta")
    address = models.TextField(_("alamat"), blank=True)
    phone = models.CharField(_("telepon"), max_length=40, blank=True)
    sms_number = models.CharField(_("nomor SMS"), max_length=40, blank=True)
    whatsapp_number = models.CharField(_("nomor WhatsApp"), max_length=40, blank=True)
    email = models.EmailField(_("email"), blank=True)
    facebook_page = models.CharField(_("halaman Facebook"), max_length=120, blank=True)
    telegram_username = models.CharField(_("Telegram"), max_length=60, blank=True)
    head_title = models.CharField(_("jabatan pimpinan"), max_length=60, default="Camat")
    head_name = models.CharField(_("nama pimpinan"), max_length=120, blank=True)
    maklumat = models.TextField(
        _("maklumat pelayanan"),
        blank=True,
        help_text=_("Janji pelayanan kepada masyarakat, dicetak di buku panduan."),
    )
    # Bumped in the same transaction as every publish: caches of pages, search and the
    # guidebook are keyed by it, so a new version shows at once in every process.
    catalogue_revision = models.PositiveIntegerField(default=0, editable=False)
    is_active = models.BooleanField(_("aktif"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("kantor kecamatan")
        verbose_name_plural = _("kantor kecamatan")

    def __str__(self) -> str:
        return self.name

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)

    @property
    def tz_abbreviation(self) -> str:
        return TZ_ABBREVIATIONS.get(self.timezone, self.timezone)

    def placeholder_fields(self) -> list[str]:
        """Labels of the contact fields that still hold a placeholder, as the demo's do: an address
        saying "isi oleh admin" or a number with a group of zeros ("(0735) 000000", "+62 812-0000-1608").
        The guidebook, the posters and the staff pages warn until an admin fills them in."""
        found = []
        if PLACEHOLDER_TEXT.search(self.address):
            found.append(str(_("alamat")))
        numbers = [
            (self.phone, _("telepon")),
            (self.sms_number, _("nomor SMS")),
            (self.whatsapp_number, _("nomor WhatsApp")),
        ]
        found += [str(label) for value, label in numbers if PLACEHOLDER_NUMBER.search(value)]
        return found

    def local_now(self, now: dt.datetime | None = None) -> dt.datetime:
        return (now or timezone.now()).astimezone(self.tz)

    def is_open_at(self, now: dt.datetime | None = None) -> bool:
        """Whether the office is open at `now`, in the office's own time zone."""
        local = self.local_now(now)
        if any(h.date == local.date() for h in self.holidays.all()):
            return False
        return any(h.covers(local) for h in self.opening_hours.all())


class Membership(models.Model):
    class Role(models.TextChoices):
        ADMIN = "admin", _("Admin kantor")
        STAFF = "staff", _("Petugas")
        VIEWER = "viewer", _("Pemantau (hanya baca)")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("peran"), max_length=10, choices=Role.choices, default=Role.STAFF)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "office"], name="membership_unique_user_office")]
        verbose_name = _("keanggotaan staf")
        verbose_name_plural = _("keanggotaan staf")

    def __str__(self) -> str:
        return f"{self.user} @ {self.office} ({self.role})"

    @property
    def can_write(self) -> bool:
        # The same roles as offices.access.WRITE_ROLES, which filters querysets by them.
        return self.role in (self.Role.ADMIN, self.Role.STAFF)


class OpeningHours(models.Model):
    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Senin")
        TUESDAY = 1, _("Selasa")
        WEDNESDAY = 2, _("Rabu")
        THURSDAY = 3, _("Kamis")
        FRIDAY = 4, _("Jumat")
        SATURDAY = 5, _("Sabtu")
        SUNDAY = 6, _("Minggu")

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="opening_hours")
    weekday = models.PositiveSmallIntegerField(_("hari"), choices=Weekday.choices)
    opens = models.TimeField(_("buka"))
    closes = models.TimeField(_("tutup"))

    class Meta:
        ordering = ["weekday", "opens"]
        verbose_name = _("jam layanan")
        verbose_name_plural = _("jam layanan")
        constraints = [
            models.CheckConstraint(condition=models.Q(closes__gt=models.F("opens")), name="hours_close_after_open")
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"

    def covers(self, local: dt.datetime) -> bool:
        return local.weekday() == self.weekday and self.opens <= local.time() < self.closes


class Facility(models.Model):
    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="facilities")
    code = models.SlugField(_("kode"), max_length=60)
    name = models.CharField(_("nama"), max_length=200)
    description = models.TextField(_("keterangan"), blank=True)
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("fasilitas")
        verbose_name_plural = _("fasilitas")
        constraints = [models.UniqueConstraint(fields=["office", "code"], name="facility_unique_code")]

    def __str__(self) -> str:
        return self.name


class Holiday(models.Model):
    """A day the office is closed (libur nasional, cuti bersama); also skipped by SLA working days."""

    class Source(models.TextChoices):
        MANUAL = "manual", _("Diisi petugas")
        NATIONAL = "national", _("Kalender nasional")

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="holidays")
    date = models.DateField(_("tanggal"))
    name = models.CharField(_("keterangan"), max_length=120)
    # Where the row came from: seeded from the `holidays` package, or entered by an officer (a
    # regional holiday, an office closure). A seed never touches an existing row either way.
    source = models.CharField(_("sumber"), max_length=10, choices=Source.choices, default=Source.MANUAL)

    class Meta:
        ordering = ["date"]
        verbose_name = _("hari libur")
        verbose_name_plural = _("hari libur")
        constraints = [models.UniqueConstraint(fields=["office", "date"], name="holiday_unique_date")]

    def __str__(self) -> str:
        return f"{self.date}: {self.name}"


class AuditEvent(models.Model):
    """One staff action on personal data (e.g. an officer opening a screen that shows a citizen's full
    phone number) or a change to the office profile (hours, holidays, staff …). Written only through
    offices.services; never holds personal data itself (the target names the row: "contact:<uuid>",
    "call:<id>", "libur:2027-03-10 Hari Raya Idul Fitri")."""

    class Action(models.TextChoices):
        VIEW_PHONE = "view_phone", _("Melihat nomor telepon lengkap")
        # Applications (applications.views): an officer opening a citizen's full NIK or an uploaded document.
        VIEW_NIK = "view_nik", _("Melihat NIK lengkap")
        VIEW_DOCUMENT = "view_document", _("Membuka berkas permohonan")
        # Letters (letters.services): the camat or sekcam signs, or a signed letter is revoked.
        SIGN_LETTER = "sign_letter", _("Menandatangani surat")
        REVOKE_LETTER = "revoke_letter", _("Mencabut surat")
        # Changes to the office profile (offices.services), listed as its "Riwayat perubahan".
        UPDATE_PROFILE = "update_profile", _("Mengubah profil kantor")
        SET_HOURS = "set_hours", _("Mengubah jam layanan")
        ADD_HOLIDAY = "add_holiday", _("Menambah hari libur")
        CHANGE_HOLIDAY = "change_holiday", _("Mengubah hari libur")
        REMOVE_HOLIDAY = "remove_holiday", _("Menghapus hari libur")
        SEED_HOLIDAYS = "seed_holidays", _("Mengisi libur nasional")
        ADD_FACILITY = "add_facility", _("Menambah fasilitas")
        CHANGE_FACILITY = "change_facility", _("Mengubah fasilitas")
        REMOVE_FACILITY = "remove_facility", _("Menghapus fasilitas")
        MOVE_FACILITY = "move_facility", _("Mengubah urutan fasilitas")
        ADD_MEMBER = "add_member", _("Menambah staf")
        CHANGE_ROLE = "change_role", _("Mengubah peran staf")
        REMOVE_MEMBER = "remove_member", _("Mengeluarkan staf")
        # Announcements already public (announcements.services): a correction, a withdrawal.
        EDIT_ANNOUNCEMENT = "edit_announcement", _("Mengoreksi pengumuman yang sudah terbit")
        WITHDRAW_ANNOUNCEMENT = "withdraw_announcement", _("Menarik pengumuman")
        # Staff API tokens (offices.tokens): created and revoked by the office admin.
        CREATE_API_TOKEN = "create_api_token", _("Membuat token API")
        REVOKE_API_TOKEN = "revoke_api_token", _("Mencabut token API")
        # The queue's rules (queue.services.save_queue_rules): ordering, waiting room, pandemic mode.
        SET_QUEUE_RULES = "set_queue_rules", _("Mengubah aturan antrian")

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="audit_events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="audit_events"
    )
    action = models.CharField(_("tindakan"), max_length=32, choices=Action.choices)
    target = models.CharField(_("sasaran"), max_length=100)
    created_at = models.DateTimeField(_("waktu"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["office", "-created_at"], name="audit_office_recent")]
        verbose_name = _("catatan audit")
        verbose_name_plural = _("catatan audit")

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor} {self.action} {self.target}"


class ApiToken(models.Model):
    """A staff member's key for the staff API (`Authorization: Bearer lyn_…`), for one office.

    Hashed at rest: only the SHA-256 of the token is stored (a token is 256 random bits, so a
    fast hash is enough), and the token itself is shown once, when it is created
    (`offices.tokens.create_api_token`). What it may do is the membership's role at each request:
    a viewer's token reads, and removing the member or revoking the token ends it at once.
    """

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("nama"), max_length=80, help_text=_("Untuk apa token ini, mis. 'Aplikasi desa'."))
    # The token's first characters, shown in lists to tell tokens apart (not enough to use one).
    prefix = models.CharField(_("awalan"), max_length=16, editable=False)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now)
    last_used_at = models.DateTimeField(_("terakhir dipakai"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("dicabut"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("token API")
        verbose_name_plural = _("token API")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.name})"
