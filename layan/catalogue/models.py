"""The catalogue: every service's standar pelayanan (PermenPAN-RB 15/2014), versioned.

A `Service` is the stable identity (office + code). Its content lives in `ServiceVersion` rows:

    draft ──publish_service_version()──▶ published (immutable, numbered 1, 2, …)
                                              │ a newer version is published
                                              ▼
                                           superseded (still readable)

`Service.current_version` points at the published version every channel uses. Editing starts a
new draft copied from the current version (`start_draft`), so what a citizen was told stays traceable.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from layan.offices.models import Office


class Category(models.TextChoices):
    PERIZINAN = "perizinan", _("Perizinan")
    NON_PERIZINAN = "non-perizinan", _("Non-perizinan")


class Group(models.TextChoices):
    """How the office arranges its list for citizens (not part of the standar pelayanan, so on
    `Service`, not versioned). The regulatory class stays `ServiceVersion.category`."""

    KEPENDUDUKAN = "kependudukan", _("Kependudukan")
    KETERANGAN = "keterangan", _("Surat keterangan dan rekomendasi")
    TANAH = "tanah", _("Tanah dan bangunan")
    USAHA = "usaha", _("Usaha dan izin")
    INFORMASI = "informasi", _("Informasi")


class ServiceQuerySet(models.QuerySet["Service"]):
    def published(self) -> "ServiceQuerySet":
        """The services a citizen may see, on every channel: active, with a published current version."""
        return self.filter(is_active=True, current_version__isnull=False)


class Service(models.Model):
    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="services")
    code = models.SlugField(_("kode"), max_length=60, help_text=_("Kode tetap: dipakai di URL, SMS dan API."))
    current_version = models.ForeignKey(
        "ServiceVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("versi terbit"),
    )
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)
    # Empty: listed under "Layanan lain" after the groups.
    group = models.CharField(_("kelompok"), max_length=20, choices=Group.choices, blank=True)
    is_active = models.BooleanField(_("aktif"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ServiceQuerySet.as_manager()

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("layanan")
        verbose_name_plural = _("layanan")
        constraints = [models.UniqueConstraint(fields=["office", "code"], name="service_unique_code")]

    def __str__(self) -> str:
        return self.current_version.name if self.current_version else self.code


class ServiceVersionQuerySet(models.QuerySet["ServiceVersion"]):
    def published(self) -> "ServiceVersionQuerySet":
        """Current versions of the services a citizen may see: `Service.objects.published()` from the
        version's side (a service has at most one version in the published state: its current one)."""
        return self.filter(status=ServiceVersion.Status.PUBLISHED, service__is_active=True)

    def issued(self) -> "ServiceVersionQuerySet":
        """Versions that were published at some time (the current one and those it superseded): the
        history citizens may read. Drafts never are."""
        return self.filter(status__in=[ServiceVersion.Status.PUBLISHED, ServiceVersion.Status.SUPERSEDED])


class ServiceVersion(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draf")
        PUBLISHED = "published", _("Terbit")
        SUPERSEDED = "superseded", _("Versi lama")

    class TimeUnit(models.TextChoices):
        WORKING_DAYS = "working_days", _("hari kerja")
        HOURS = "hours", _("jam")
        MINUTES = "minutes", _("menit")

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="versions")
    # Tenant key on every office-owned row, so the data can be partitioned by office.
    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="+")
    number = models.PositiveIntegerField(_("nomor versi"), null=True, blank=True, editable=False)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(_("tanggal terbit"), null=True, blank=True, editable=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+"
    )
    change_note = models.CharField(_("catatan perubahan"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    name = models.CharField(_("nama layanan"), max_length=200)
    category = models.CharField(_("kategori"), max_length=20, choices=Category.choices)
    summary = models.TextField(_("ringkasan"), blank=True)
    # 1 Persyaratan: Requirement rows.  2 Prosedur: Step rows (+ the complaint flow in 6).
    # 3 Jangka waktu pelayanan (later the SLA).
    time_value = models.PositiveIntegerField(_("jangka waktu"))
    time_unit = models.CharField(_("satuan waktu"), max_length=14, choices=TimeUnit.choices)
    time_note = models.CharField(_("keterangan waktu"), max_length=300, blank=True)
    # 4 Biaya/tarif. Null means "sesuai peraturan daerah" (the amount is set elsewhere).
    fee_idr = models.PositiveIntegerField(_("biaya (Rp)"), null=True, blank=True)
    fee_note = models.CharField(_("keterangan biaya"), max_length=300, blank=True)
    # 5 Produk pelayanan
    output = models.CharField(_("produk layanan"), max_length=300)
    # 6 Penanganan pengaduan, saran dan masukan
    complaint_handling = models.TextField(_("penanganan pengaduan, saran dan masukan"))
    # 7 Dasar hukum: an ordered list of citations.
    legal_basis = models.JSONField(_("dasar hukum"), default=list)
    # 8–14 Manufacturing (pengelolaan pelayanan) components.
    facilities = models.TextField(_("sarana, prasarana dan/atau fasilitas"))
    competence = models.TextField(_("kompetensi pelaksana"))
    supervision = models.TextField(_("pengawasan internal"))
    staff_count = models.PositiveSmallIntegerField(_("jumlah pelaksana"))
    staff_note = models.CharField(_("keterangan pelaksana"), max_length=200, blank=True)
    guarantee = models.TextField(_("jaminan pelayanan"))
    security = models.TextField(_("jaminan keamanan dan keselamatan pelayanan"))
    evaluation = models.TextField(_("evaluasi kinerja pelaksana"))
    # Words citizens use: "akte", "bikin kk", "surat miskin"; read by the search.
    keywords = models.JSONField(_("kata kunci"), default=list, blank=True)

    objects = ServiceVersionQuerySet.as_manager()

    class Meta:
        ordering = ["service", "-number"]
        verbose_name = _("versi layanan")
        verbose_name_plural = _("versi layanan")
        constraints = [
            models.UniqueConstraint(fields=["service", "number"], name="version_unique_number"),
            models.UniqueConstraint(fields=["service"], condition=models.Q(status="draft"), name="version_one_draft"),
        ]
        indexes = [models.Index(fields=["office", "status"])]

    def __str__(self) -> str:
        label = f"v{self.number}" if self.number else str(_("draf"))
        return f"{self.name} ({label})"

    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def is_free(self) -> bool:
        return self.fee_idr == 0

    def time_display(self) -> str:
        """'1 hari kerja' / '2 hari kerja'; in English '1 working day' / '2 working days'."""
        n = self.time_value
        units: dict[str, str] = {
            self.TimeUnit.WORKING_DAYS: ngettext("%(n)d hari kerja", "%(n)d hari kerja", n),
            self.TimeUnit.HOURS: ngettext("%(n)d jam", "%(n)d jam", n),
            self.TimeUnit.MINUTES: ngettext("%(n)d menit", "%(n)d menit", n),
        }
        text = units.get(self.time_unit)
        return text % {"n": n} if text else f"{n} {self.get_time_unit_display()}"

    def fee_display(self) -> str:
        if self.fee_idr is None:
            return str(_("Sesuai peraturan daerah"))
        if self.fee_idr == 0:
            return str(_("Gratis (tidak dipungut biaya)"))
        return "Rp" + f"{self.fee_idr:,}".replace(",", ".")


class Requirement(models.Model):
    class Form(models.TextChoices):
        ORIGINAL = "asli", _("asli")
        COPY = "fotokopi", _("fotokopi")
        ORIGINAL_AND_COPY = "asli-dan-fotokopi", _("asli dan fotokopi")
        NONE = "-", _("—")

    version = models.ForeignKey(ServiceVersion, on_delete=models.CASCADE, related_name="requirements")
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)
    document = models.CharField(_("dokumen/syarat"), max_length=300)
    form = models.CharField(_("bentuk"), max_length=20, choices=Form.choices, default=Form.NONE)
    count = models.PositiveSmallIntegerField(_("jumlah"), default=1)
    condition = models.CharField(_("berlaku jika"), max_length=200, blank=True, help_text=_("mis. “jika hilang”"))
    upload_accepted = models.BooleanField(_("boleh diunggah"), default=False)
    note = models.CharField(_("catatan"), max_length=300, blank=True)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("persyaratan")
        verbose_name_plural = _("persyaratan")

    def __str__(self) -> str:
        return self.document

    def form_display(self) -> str:
        """'fotokopi, 2 lembar' style detail, empty when there is nothing to add."""
        parts = []
        if self.form != self.Form.NONE:
            parts.append(self.get_form_display())
        if self.count > 1:
            parts.append(_("%(count)d lembar") % {"count": self.count})
        return ", ".join(str(p) for p in parts)


class Step(models.Model):
    version = models.ForeignKey(ServiceVersion, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)
    actor = models.CharField(_("pelaksana"), max_length=100)
    action = models.CharField(_("kegiatan"), max_length=400)
    duration_minutes = models.PositiveIntegerField(_("waktu (menit)"), null=True, blank=True)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("langkah prosedur")
        verbose_name_plural = _("langkah prosedur")

    def __str__(self) -> str:
        return f"{self.actor}: {self.action}"
