"""Telephone line records: the call log, voice messages for the office, and recorded prompts.

Caller numbers are personal data (UU 27/2022): shown to the office's staff only, masked in lists,
never logged. Audio files live under VAR_DIR (voice/, prompts/) and are served only through
permission-checked views.
"""

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils.translation import gettext_lazy as _

from layan.catalogue.models import Service
from layan.messaging.urns import mask_phone
from layan.offices.models import Office

from .ivr import PROMPT_LABELS


def voice_storage() -> FileSystemStorage:
    # Callable so the location follows settings.VAR_DIR (tests run with their own).
    return FileSystemStorage(location=settings.VAR_DIR / "voice", base_url=None)


def prompt_storage() -> FileSystemStorage:
    return FileSystemStorage(location=settings.VAR_DIR / "prompts" / "recorded", base_url=None)


class CallLog(models.Model):
    class AnsweredBy(models.TextChoices):
        IVR = "ivr", _("Mesin penjawab (IVR)")
        STAFF = "staff", _("Petugas")

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="call_logs")
    caller = models.CharField(_("nomor penelepon"), max_length=32, blank=True)
    started_at = models.DateTimeField(_("mulai"))
    ended_at = models.DateTimeField(_("selesai"), null=True, blank=True)
    answered_by = models.CharField(_("dijawab oleh"), max_length=8, choices=AnsweredBy.choices)
    # The menu path, e.g. ["menu", "syarat", "syarat:ktp-el", "sms", "menu", "jam", "selesai"].
    path = models.JSONField(_("jalur menu"), default=list, blank=True)
    question = models.TextField(_("pertanyaan"), blank=True)
    service = models.ForeignKey(
        Service, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("layanan")
    )
    sms_sent = models.BooleanField(_("SMS terkirim"), default=False)
    driver = models.CharField(_("jalur"), max_length=8, blank=True, help_text="sip, agi atau manual")
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["office", "-started_at"])]
        verbose_name = _("log panggilan")
        verbose_name_plural = _("log panggilan")

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M} {self.masked_caller}"

    @property
    def masked_caller(self) -> str:
        return mask_phone(self.caller) if self.caller else str(_("tidak diketahui"))

    @property
    def duration_seconds(self) -> int | None:
        if self.ended_at is None:
            return None
        return int((self.ended_at - self.started_at).total_seconds())


class VoiceMessage(models.Model):
    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="voice_messages")
    call = models.OneToOneField(CallLog, on_delete=models.SET_NULL, null=True, blank=True, related_name="voice_message")
    caller = models.CharField(_("nomor penelepon"), max_length=32, blank=True)
    audio = models.FileField(_("rekaman"), storage=voice_storage, upload_to="%Y/%m/")
    seconds = models.FloatField(_("durasi (detik)"), default=0)
    created_at = models.DateTimeField(_("diterima"), auto_now_add=True)
    handled_at = models.DateTimeField(_("ditindaklanjuti"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["office", "-created_at"])]
        verbose_name = _("pesan suara")
        verbose_name_plural = _("pesan suara")

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.masked_caller}"

    @property
    def masked_caller(self) -> str:
        return mask_phone(self.caller) if self.caller else str(_("tidak diketahui"))


class PromptRecording(models.Model):
    """An office's own voice for one fixed prompt; converted to telephone audio when saved."""

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="prompt_recordings")
    key = models.CharField(_("prompt"), max_length=40, choices=list(PROMPT_LABELS.items()))
    upload = models.FileField(_("berkas WAV asli"), storage=prompt_storage, upload_to="upload/")
    # 8 kHz mono 16-bit signed WAV made by sox from `upload` (see prompts.convert_recording).
    audio = models.FileField(_("audio telepon"), storage=prompt_storage, upload_to="tel/", blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["office", "key"], name="prompt_recording_unique_key")]
        verbose_name = _("rekaman prompt")
        verbose_name_plural = _("rekaman prompt")

    def __str__(self) -> str:
        return f"{self.office}: {self.get_key_display()}"
