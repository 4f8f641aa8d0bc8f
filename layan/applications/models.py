"""Applications (permohonan): a citizen's request for one published service version.

An `Application` records the version the citizen was told (requirements, service time), the
applicant, the requirements checklist (`RequirementCheck`), uploads (`Attachment`) and every
status change (`StatusChange`). All writes go through `layan.applications.services`.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from layan.catalogue.models import Requirement, Service, ServiceVersion
from layan.messaging.models import ContactURN
from layan.offices.models import Office
from layan.regions.models import Village

from . import tracking


class Channel(models.TextChoices):
    """Where the application came in."""

    WEB = "web", _("Situs web")
    COUNTER = "counter", _("Loket")
    SMS = "sms", _("SMS")
    WHATSAPP = "whatsapp", _("WhatsApp")
    TELEGRAM = "telegram", _("Telegram")
    FACEBOOK = "facebook", _("Facebook Messenger")
    API = "api", _("API")
    PHONE = "phone", _("Telepon")


class Status(models.TextChoices):
    DIAJUKAN = "diajukan", _("Diajukan")
    DIVERIFIKASI = "diverifikasi", _("Diverifikasi")
    PERLU_PERBAIKAN = "perlu_perbaikan", _("Perlu perbaikan")
    DIPROSES = "diproses", _("Diproses")
    SELESAI = "selesai", _("Selesai, siap diambil")
    DIAMBIL = "diambil", _("Sudah diambil")
    DITOLAK = "ditolak", _("Ditolak")


# The workflow (see the Application docstring): the one table every rule reads.
TRANSITIONS: dict[str, frozenset[str]] = {
    Status.DIAJUKAN: frozenset({Status.DIVERIFIKASI, Status.PERLU_PERBAIKAN, Status.DITOLAK}),
    Status.DIVERIFIKASI: frozenset({Status.DIPROSES, Status.PERLU_PERBAIKAN, Status.DITOLAK}),
    Status.PERLU_PERBAIKAN: frozenset({Status.DIAJUKAN, Status.DIVERIFIKASI, Status.DITOLAK}),
    Status.DIPROSES: frozenset({Status.SELESAI, Status.PERLU_PERBAIKAN, Status.DITOLAK}),
    Status.SELESAI: frozenset({Status.DIAMBIL}),
    Status.DIAMBIL: frozenset(),
    Status.DITOLAK: frozenset(),
}
# Open: the office still owes the citizen something, and the file may be refused (ditolak).
OPEN_STATUSES = frozenset({Status.DIAJUKAN, Status.DIVERIFIKASI, Status.PERLU_PERBAIKAN, Status.DIPROSES})
# The SLA clock runs only while the office holds the file; in perlu_perbaikan it waits for the citizen.
CLOCK_STATUSES = frozenset({Status.DIAJUKAN, Status.DIVERIFIKASI, Status.DIPROSES})


class ApplicationQuerySet(models.QuerySet["Application"]):
    def open(self) -> "ApplicationQuerySet":
        return self.filter(status__in=OPEN_STATUSES)

    def running(self) -> "ApplicationQuerySet":
        """Applications whose SLA clock runs (the office holds the file)."""
        return self.filter(status__in=CLOCK_STATUSES)

    def overdue(self, now=None) -> "ApplicationQuerySet":
        return self.running().filter(due_at__lt=now or timezone.now())


class Application(models.Model):
    """One citizen's application for one published service version.

    Status workflow (every change through `services.change_status`, recorded in StatusChange):

        diajukan ──▶ diverifikasi ──▶ diproses ──▶ selesai (siap diambil) ──▶ diambil
            │   ▲        │    ▲           │
            │   │        │    │           │
            ▼   │        ▼    │           │
          perlu_perbaikan ◀───────────────┘   (reason + what is missing; the citizen completes it:
                                                back to diajukan or straight to diverifikasi, and the
                                                SLA clock restarts)

        ditolak (reason) from any open state: diajukan, diverifikasi, perlu_perbaikan, diproses.
        diambil and ditolak are final; selesai only goes on to diambil.

    SLA: `clock_started_at` is when the office's time started (submission, or the return from
    perlu_perbaikan); `due_at` is computed from the version's service time by `sla.due_at` and
    is empty while the file waits for the citizen (perlu_perbaikan). `closed_at` is when the
    office's work ended (selesai or ditolak).

    `tracking_number` is a random 40-bit number, shown as `tracking_code` ("K7M-2QX-9PC") and
    `tracking_digits` (keypad form), see `tracking.py`. The NIK is personal data: never in
    `__str__`, logs or lists unmasked.
    """

    Status = Status
    Channel = Channel

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="applications")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="applications")
    # The published version the citizen was told: requirements and service time are traceable.
    version = models.ForeignKey(ServiceVersion, on_delete=models.PROTECT, related_name="applications")
    tracking_number = models.BigIntegerField(_("nomor lacak"), unique=True, editable=False)
    applicant_name = models.CharField(_("nama pemohon"), max_length=120)
    nik = models.CharField(_("NIK"), max_length=16)
    phone = models.CharField(_("nomor HP"), max_length=20, blank=True)  # E.164 (+62…), normalised
    urn = models.ForeignKey(
        ContactURN, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("kontak")
    )
    village = models.ForeignKey(
        Village, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("desa/kelurahan")
    )
    channel = models.CharField(_("jalur"), max_length=10, choices=Channel.choices)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DIAJUKAN)
    status_note = models.TextField(_("keterangan status"), blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_applications",
        verbose_name=_("petugas"),
    )
    notes = models.TextField(_("catatan pemohon"), blank=True)
    submitted_at = models.DateTimeField(_("diajukan pada"), default=timezone.now)
    clock_started_at = models.DateTimeField(_("jam SLA mulai"), default=timezone.now)
    due_at = models.DateTimeField(_("perkiraan selesai"), null=True, blank=True)
    closed_at = models.DateTimeField(_("selesai/ditolak pada"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("permohonan")
        verbose_name_plural = _("permohonan")
        indexes = [
            # clock_started_at last: the workspace home's counts per status (attention.py) read
            # the index alone instead of every open row (figures in the commit that added it).
            models.Index(fields=["office", "status", "due_at", "clock_started_at"], name="application_office_queue"),
            models.Index(fields=["office", "-submitted_at"], name="application_office_recent"),
            # The work queue's default order, overdue first (applications/staff.py QueueList).
            models.Index(
                fields=["office", "due_at", "id"],
                condition=models.Q(status__in=sorted(CLOCK_STATUSES)),
                name="application_office_running",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.tracking_code} ({self.get_status_display()})"

    @property
    def tracking_code(self) -> str:
        """'K7M-2QX-9PC': what the citizen reads aloud, types and keeps."""
        return tracking.encode(self.tracking_number)

    @property
    def tracking_digits(self) -> str:
        """The keypad form: 14 digits, the last one a check digit."""
        return tracking.encode_digits(self.tracking_number)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def clock_running(self) -> bool:
        return self.status in CLOCK_STATUSES

    def allowed_transitions(self) -> list[str]:
        """The statuses this application may move to now, in the workflow's order."""
        allowed = TRANSITIONS[self.status]
        return [value for value in Status.values if value in allowed]

    def is_overdue(self, now=None) -> bool:
        return self.clock_running and self.due_at is not None and self.due_at < (now or timezone.now())

    def is_due_today(self, now=None) -> bool:
        """Due later today (office time), not yet overdue."""
        if not self.clock_running or self.due_at is None:
            return False
        now = now or timezone.now()
        return self.due_at >= now and self.office.local_now(self.due_at).date() == self.office.local_now(now).date()


class RequirementCheck(models.Model):
    """One line of the application's checklist: a requirement of the version, and where it stands."""

    class State(models.TextChoices):
        PROVIDED = "provided", _("Diserahkan")
        MISSING = "missing", _("Belum ada")
        VERIFIED = "verified", _("Diverifikasi")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="checks")
    requirement = models.ForeignKey(Requirement, on_delete=models.PROTECT, related_name="+")
    # The requirement's text as the citizen was told it (the version is immutable; kept for lists).
    document = models.CharField(_("dokumen/syarat"), max_length=300)
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)
    state = models.CharField(_("keadaan"), max_length=10, choices=State.choices, default=State.MISSING)
    note = models.CharField(_("catatan"), max_length=300, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("daftar periksa persyaratan")
        verbose_name_plural = _("daftar periksa persyaratan")
        constraints = [models.UniqueConstraint(fields=["application", "requirement"], name="check_unique_requirement")]

    def __str__(self) -> str:
        return f"{self.document}: {self.get_state_display()}"


class Attachment(models.Model):
    """An uploaded document. The file lives outside static under `stored_name` (random); it is
    served only through a permission-checked view. `original_name` is shown, never used as a path."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="attachments")
    # Not named `check`: that would hide Django's Model.check() (the system checks).
    requirement_check = models.ForeignKey(
        RequirementCheck, on_delete=models.SET_NULL, null=True, blank=True, related_name="attachments"
    )
    stored_name = models.CharField(max_length=80, unique=True, editable=False)
    content_type = models.CharField(max_length=60)
    size = models.PositiveIntegerField(_("ukuran (byte)"))
    sha256 = models.CharField(max_length=64)
    original_name = models.CharField(_("nama berkas"), max_length=255)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("lampiran")
        verbose_name_plural = _("lampiran")

    def __str__(self) -> str:
        return self.original_name


class StatusChange(models.Model):
    """One step of an application's history: who moved it from which status to which, when, why.
    The first row (from_status empty) is the submission."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="status_changes")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    from_status = models.CharField(_("dari"), max_length=16, choices=Status.choices, blank=True)
    to_status = models.CharField(_("menjadi"), max_length=16, choices=Status.choices)
    note = models.TextField(_("catatan"), blank=True)
    # perlu_perbaikan: what the citizen must still bring, as written in the notification.
    missing = models.JSONField(_("yang kurang"), default=list, blank=True)
    created_at = models.DateTimeField(_("waktu"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("riwayat status")
        verbose_name_plural = _("riwayat status")

    def __str__(self) -> str:
        return f"{self.from_status or '-'} -> {self.to_status}"
