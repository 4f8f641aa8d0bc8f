"""The queue's hardware settings per office: recorded word clips for the board's voice, ticket printers.

Imported by models.py (Django registers models from there); kept apart so the board's and the
printer's settings do not crowd the queue's own models.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from layan.offices.models import Office

from .printing import PrinterSpec
from .speech import VOCABULARY

# Profiles of python-escpos that are 58 mm printers offices buy; any other profile name is allowed too.
COMMON_PROFILES = ("POS-5890", "RP-F10-58mm", "ZJ-5870", "default")


def clip_storage() -> FileSystemStorage:
    return FileSystemStorage(location=settings.VAR_DIR / "queue" / "clips", base_url=None)


def clip_path(instance: CallClip, filename: str) -> str:
    return f"{instance.office_id}/{instance.word}.wav"


class CallClip(models.Model):
    """An office's own recording of one word of the spoken call (a word of speech.VOCABULARY),
    stored in the board's format (16-bit mono 22,050 Hz WAV, silence trimmed)."""

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="queue_call_clips")
    word = models.CharField(_("kata"), max_length=20, choices=[(w, w) for w in VOCABULARY])
    audio = models.FileField(_("rekaman"), storage=clip_storage, upload_to=clip_path)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["office", "word"]
        constraints = [models.UniqueConstraint(fields=["office", "word"], name="call_clip_unique_word")]
        verbose_name = _("rekaman kata panggilan")
        verbose_name_plural = _("rekaman kata panggilan")

    def __str__(self) -> str:
        return f"{self.office}: {self.word}"


class TicketPrinter(models.Model):
    """A thermal printer for queue tickets: the office's default (kiosk empty) or one kiosk's own."""

    class Kind(models.TextChoices):
        NETWORK = "network", _("Jaringan (TCP 9100)")
        USB = "usb", _("USB (vendor/product ID)")
        FILE = "file", _("Perangkat Linux (/dev/usb/lp0)")

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="queue_printers")
    kiosk = models.SlugField(
        _("kios"), max_length=40, blank=True, help_text=_("Kosong: printer bawaan kantor untuk semua kios.")
    )
    kind = models.CharField(_("sambungan"), max_length=8, choices=Kind.choices, default=Kind.NETWORK)
    profile = models.CharField(
        _("profil printer"),
        max_length=40,
        default="POS-5890",
        help_text=_("Nama profil python-escpos, mis. POS-5890 (58 mm, tanpa pemotong) atau RP-F10-58mm."),
    )
    host = models.CharField(_("alamat IP"), max_length=100, blank=True)
    port = models.PositiveIntegerField(_("port"), default=9100, validators=[MaxValueValidator(65535)])
    usb_vendor = models.PositiveIntegerField(
        _("USB vendor ID"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(0xFFFF)]
    )
    usb_product = models.PositiveIntegerField(
        _("USB product ID"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(0xFFFF)]
    )
    device = models.CharField(_("berkas perangkat"), max_length=100, blank=True)
    cutter = models.BooleanField(
        _("punya pemotong kertas"), null=True, blank=True, help_text=_("Kosong: menurut profil.")
    )
    native_qr = models.BooleanField(
        _("QR bawaan printer"),
        null=True,
        blank=True,
        help_text=_("Kosong: menurut profil. Matikan bila printer macet saat mencetak QR."),
    )
    footer = models.CharField(_("teks kaki tiket"), max_length=120, blank=True)
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        ordering = ["office", "kiosk"]
        constraints = [models.UniqueConstraint(fields=["office", "kiosk"], name="ticket_printer_unique_kiosk")]
        verbose_name = _("printer tiket")
        verbose_name_plural = _("printer tiket")

    def __str__(self) -> str:
        return f"{self.office}: {self.kiosk or _('bawaan')}"

    def clean(self) -> None:
        if self.kind == self.Kind.NETWORK and not self.host:
            raise ValidationError({"host": _("Isi alamat IP printer jaringan.")})
        if self.kind == self.Kind.USB and not (self.usb_vendor and self.usb_product):
            raise ValidationError({"usb_vendor": _("Isi vendor ID dan product ID printer USB.")})
        if self.kind == self.Kind.FILE and not self.device.startswith("/dev/"):
            raise ValidationError({"device": _("Isi berkas perangkat, mis. /dev/usb/lp0.")})

    def spec(self) -> PrinterSpec:
        return PrinterSpec(
            kind=self.kind,  # type: ignore[arg-type]
            profile=self.profile,
            host=self.host,
            port=self.port,
            usb_vendor=self.usb_vendor,
            usb_product=self.usb_product,
            device=self.device,
            cutter=self.cutter,
            native_qr=self.native_qr,
            name=str(self),
        )
