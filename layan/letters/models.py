"""Letters: what an application ends in (`Letter`, with its lifecycle below).

The office's letterhead (`LetterSettings`), one template per service (`LetterTemplate`: klasifikasi,
number pattern, perihal, body), the yearly register (`NumberSequence`), the members who may sign
(`Signer`: the camat or sekcam, with jabatan and NIP) and the office's public keys (`SigningKey`;
the private key is a file outside the database, see keys.py).
"""

import secrets
import string

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from layan.applications.models import Application
from layan.catalogue.models import Service
from layan.offices.models import Membership, Office

DEFAULT_NUMBER_PATTERN = "{klasifikasi}/{urut:03}/{unit}/{tahun}"
# The names a number pattern may use; `urut` is the sequence number and must appear.
PATTERN_FIELDS = ("klasifikasi", "urut", "unit", "tahun", "bulan", "bulan_romawi")


def validate_number_pattern(pattern: str) -> None:
    try:
        names = [name for _text, name, _spec, _conv in string.Formatter().parse(pattern) if name is not None]
    except ValueError:
        raise ValidationError(_("Pola nomor tidak sah: periksa tanda kurung kurawal { }.")) from None
    unknown = sorted({n for n in names if n not in PATTERN_FIELDS})
    if unknown:
        raise ValidationError(
            _("Pola nomor memakai nama yang tidak dikenal: %(names)s. Yang boleh: %(allowed)s."),
            params={"names": ", ".join(unknown), "allowed": ", ".join(PATTERN_FIELDS)},
        )
    if "urut" not in names:
        raise ValidationError(_("Pola nomor harus memuat {urut} (nomor urut), mis. {klasifikasi}/{urut:03}/…"))
    try:
        pattern.format(klasifikasi="470", urut=1, unit="KT", tahun=2026, bulan=1, bulan_romawi="I")
    except (ValueError, IndexError, KeyError):
        raise ValidationError(_("Pola nomor tidak sah: format {urut} yang benar mis. {urut:03}.")) from None


class LetterSettings(models.Model):
    """The kop surat of an office: its name, region and contacts come from the office profile; the unit
    code of its numbers and an optional logo are set here."""

    office = models.OneToOneField(Office, on_delete=models.CASCADE, related_name="letter_settings")
    unit_code = models.CharField(
        _("kode unit"), max_length=30, blank=True, help_text=_("Bagian {unit} nomor surat, mis. KEC-KT.")
    )
    number_pattern = models.CharField(
        _("pola nomor"),
        max_length=80,
        default=DEFAULT_NUMBER_PATTERN,
        validators=[validate_number_pattern],
        help_text=_("Nama yang boleh: {klasifikasi} {urut:03} {unit} {tahun} {bulan} {bulan_romawi}."),
    )
    # PNG or JPEG, checked by content when set (services.set_letter_logo); stored outside static.
    logo = models.FileField(_("logo"), upload_to="letters/logos/", blank=True)

    class Meta:
        verbose_name = _("pengaturan surat")
        verbose_name_plural = _("pengaturan surat")

    def __str__(self) -> str:
        return str(self.office)


class LetterTemplate(models.Model):
    """The letter a service ends in. Empty fields fall back to the office's defaults (number pattern)
    or to the default perihal and body (templates.py)."""

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="letter_templates")
    service = models.OneToOneField(Service, on_delete=models.CASCADE, related_name="letter_template")
    classification = models.CharField(
        _("kode klasifikasi"),
        max_length=20,
        default="470",
        validators=[RegexValidator(r"^[0-9][0-9.]*$", _("Kode klasifikasi berupa angka, mis. 470 atau 474.1."))],
    )
    number_pattern = models.CharField(
        _("pola nomor khusus"), max_length=80, blank=True, validators=[validate_number_pattern]
    )
    subject = models.CharField(_("perihal"), max_length=200, blank=True)
    attachment = models.CharField(_("lampiran"), max_length=100, blank=True, default="-")
    body = models.TextField(
        _("isi surat"),
        blank=True,
        help_text=_(
            "Kosongkan untuk isi bawaan. Boleh memakai {nama}, {nik}, {desa}, {layanan}, {kode_permohonan}, "
            "{tanggal_permohonan}, {catatan}; paragraf dipisah baris kosong."
        ),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("templat surat")
        verbose_name_plural = _("templat surat")

    def __str__(self) -> str:
        return f"{self.service}"


class NumberSequence(models.Model):
    """The register of an office for one year: `last` is the last number given. A number is taken in
    the signing transaction (numbering.take_number), so a rolled-back signing gives its number back
    and the register has neither gaps nor duplicates."""

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="number_sequences")
    year = models.PositiveSmallIntegerField(_("tahun"))
    last = models.PositiveIntegerField(_("nomor terakhir"), default=0)

    class Meta:
        verbose_name = _("buku nomor surat")
        verbose_name_plural = _("buku nomor surat")
        constraints = [models.UniqueConstraint(fields=["office", "year"], name="letter_sequence_unique_year")]

    def __str__(self) -> str:
        return f"{self.office} {self.year}: {self.last}"


NIP_VALIDATOR = RegexValidator(r"^\d{18}$", _("NIP terdiri dari 18 angka (tanpa spasi)."))


class Signer(models.Model):
    """A member of the office who approves and signs letters (the camat, or the sekcam on their behalf),
    with the jabatan and NIP printed in the signature block."""

    membership = models.OneToOneField(Membership, on_delete=models.CASCADE, related_name="signer")
    title = models.CharField(_("jabatan"), max_length=120, help_text=_("Mis. Camat Kisam Tinggi"))
    nip = models.CharField(_("NIP"), max_length=18, validators=[NIP_VALIDATOR])
    full_name = models.CharField(_("nama lengkap dengan gelar"), max_length=120)
    is_active = models.BooleanField(_("boleh menandatangani"), default=True)

    class Meta:
        verbose_name = _("penanda tangan")
        verbose_name_plural = _("penanda tangan")

    def __str__(self) -> str:
        return f"{self.full_name} ({self.title})"


class SigningKey(models.Model):
    """An office's Ed25519 public key, kept so letters stay verifiable by the key they were signed with.
    The private half is only in the key file (keys.py)."""

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="signing_keys")
    fingerprint = models.CharField(_("sidik jari"), max_length=64, unique=True)
    public_key = models.TextField(_("kunci publik (PEM)"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("kunci tanda tangan")
        verbose_name_plural = _("kunci tanda tangan")

    def __str__(self) -> str:
        return f"{self.office}: {self.fingerprint[:16]}"


def new_token() -> str:
    # 128 random bits: the verification address cannot be guessed from another letter's.
    return secrets.token_urlsafe(16)


class LetterQuerySet(models.QuerySet["Letter"]):
    def without_pdf(self) -> "LetterQuerySet":
        return self.defer("signed_pdf")


class Letter(models.Model):
    """The letter of one application.

        draft ──sign_letter()──▶ signed ──revoke_letter(reason)──▶ revoked

    A draft has no number and is not verifiable: its verification page says only "belum
    ditandatangani". Signing (the signer role only) takes the next number of the office's register,
    compiles the PDF, signs its key facts with the office's Ed25519 key and stores the signed PDF;
    from then on the letter is immutable. Revoking keeps everything and adds who, when and why.

    `facts` is exactly the signed data (canonical JSON in the PDF, see verifier.py): office, number,
    date, perihal, the applicant's name and masked NIK, signer, jabatan, NIP, token, verification
    address and the SHA-256 of the unsigned PDF (`pdf_sha256`). `signed_sha256` is the hash of the
    whole signed file the citizen receives: an uploaded copy is the original when they match.
    """

    class State(models.TextChoices):
        DRAFT = "draft", _("Draf, belum ditandatangani")
        SIGNED = "signed", _("Ditandatangani")
        REVOKED = "revoked", _("Dicabut")

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="letters")
    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="letter")
    state = models.CharField(_("keadaan"), max_length=10, choices=State.choices, default=State.DRAFT)
    token = models.CharField(max_length=32, unique=True, default=new_token, editable=False)
    subject = models.CharField(_("perihal"), max_length=200)
    number = models.CharField(_("nomor"), max_length=120, blank=True)
    year = models.PositiveSmallIntegerField(_("tahun"), null=True, blank=True)
    sequence = models.PositiveIntegerField(_("nomor urut"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    signed_at = models.DateTimeField(_("ditandatangani pada"), null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    signer_name = models.CharField(_("penanda tangan"), max_length=120, blank=True)
    signer_title = models.CharField(_("jabatan"), max_length=120, blank=True)
    signer_nip = models.CharField(_("NIP"), max_length=18, blank=True)
    key = models.ForeignKey(SigningKey, on_delete=models.PROTECT, null=True, blank=True, related_name="letters")
    facts = models.JSONField(_("data yang ditandatangani"), default=dict, blank=True)
    signature = models.CharField(max_length=100, blank=True)
    pdf_sha256 = models.CharField(_("SHA-256 PDF sebelum ditandatangani"), max_length=64, blank=True)
    signed_sha256 = models.CharField(_("SHA-256 PDF bertanda tangan"), max_length=64, blank=True)
    # In the database, not a file: backed up with it and served by every web server.
    signed_pdf = models.BinaryField(editable=False, null=True, blank=True)
    revoked_at = models.DateTimeField(_("dicabut pada"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoke_reason = models.TextField(_("alasan pencabutan"), blank=True)

    objects = LetterQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("surat")
        verbose_name_plural = _("surat")
        constraints = [
            # The register's promise, kept by the database too: one letter per number and year.
            models.UniqueConstraint(fields=["office", "year", "sequence"], name="letter_unique_sequence"),
        ]

    def __str__(self) -> str:
        return self.number or f"draf #{self.pk}"

    @property
    def is_signed(self) -> bool:
        return self.state in (self.State.SIGNED, self.State.REVOKED)
