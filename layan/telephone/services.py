"""Writes of the telephone line: call log, voice messages, staff-answered calls, office prompts."""

from __future__ import annotations

import tempfile
import wave
from dataclasses import dataclass
from pathlib import Path

from django.core.files import File
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from layan.catalogue.models import Service
from layan.messaging import services as messaging
from layan.messaging import urns
from layan.offices.models import Office

from . import prompts
from .ivr import FIXED_PROMPTS, sms_text
from .lookup import office_info
from .models import CallLog, PromptRecording, VoiceMessage


def normalize_caller(number: str) -> str:
    """The caller id as E.164 (messaging's one phone normaliser) when it is a phone number, ''
    when withheld or not a number."""
    try:
        return urns.normalize_phone(number)
    except urns.URNError:
        return ""


def start_call(office: Office, *, caller: str, driver: str) -> CallLog:
    return CallLog.objects.create(
        office=office,
        caller=normalize_caller(caller),
        started_at=timezone.now(),
        answered_by=CallLog.AnsweredBy.IVR,
        driver=driver,
    )


def finish_call(call: CallLog, *, path: list[str], sms_sent: bool, service_code: str = "") -> None:
    call.ended_at = timezone.now()
    call.path = path
    call.sms_sent = call.sms_sent or sms_sent
    if service_code:
        call.service = Service.objects.filter(office_id=call.office_id, code=service_code).first()
    call.save(update_fields=["ended_at", "path", "sms_sent", "service"])


@dataclass(frozen=True)
class SmsResult:
    ok: bool
    reason: str = ""  # Indonesian, shown to the officer when not ok


def queue_sms(office: Office, *, number: str, text: str, sent_by=None) -> SmsResult:
    """Queue `text` to phone `number` on the office's SMS line, through messaging's outbox."""
    try:
        messaging.enqueue_sms(office, number=number, text=text, sent_by=sent_by)
    except urns.URNError:
        return SmsResult(False, "Nomor telepon tidak valid.")
    except messaging.MessagingError as exc:
        return SmsResult(False, str(exc))
    return SmsResult(True)


def send_ivr_sms(call: CallLog, *, text: str) -> bool:
    """The caller pressed "send me this by SMS"."""
    if not call.caller:
        return False
    result = queue_sms(call.office, number=call.caller, text=text)
    if result.ok:
        CallLog.objects.filter(pk=call.pk).update(sms_sent=True)
        call.sms_sent = True
    return result.ok


def wav_seconds(path: Path) -> float:
    with wave.open(str(path), "rb") as w:
        return w.getnframes() / float(w.getframerate())


@transaction.atomic
def save_voice_message(call: CallLog, *, recording: Path) -> VoiceMessage:
    """Keep a caller's recorded WAV (moved under VAR_DIR/voice/) for the office's staff."""
    message = VoiceMessage(office_id=call.office_id, call=call, caller=call.caller, seconds=wav_seconds(recording))
    with recording.open("rb") as fh:
        message.audio.save(f"pesan-{call.pk}.wav", File(fh), save=False)
    message.save()
    recording.unlink(missing_ok=True)
    return message


@transaction.atomic
def log_staff_call(
    office: Office, *, staff, caller: str, question: str, service: Service | None, send_sms: bool
) -> tuple[CallLog, SmsResult | None]:
    """A call answered by an officer; optionally send the service's SOP link to the caller by SMS."""
    now = timezone.now()
    call = CallLog.objects.create(
        office=office,
        caller=normalize_caller(caller),
        started_at=now,
        ended_at=now,
        answered_by=CallLog.AnsweredBy.STAFF,
        question=question,
        service=service,
        driver="manual",
        staff=staff,
    )
    result = None
    if send_sms and service is not None:
        info = next((s for s in office_info(office).services if s.code == service.code), None)
        text = sms_text(info) if info else f"Info layanan: {service.code}"
        result = queue_sms(office, number=call.caller or caller, text=text, sent_by=staff)
        if result.ok:
            call.sms_sent = True
            call.save(update_fields=["sms_sent"])
    return call, result


def save_prompt_recording(office: Office, *, key: str, upload) -> PromptRecording:
    """Store an office's own recording of fixed prompt `key`, converted to telephone audio by sox.

    Raises prompts.PromptError (with an Indonesian message) when sox cannot read the upload.
    """
    if key not in FIXED_PROMPTS:
        raise prompts.PromptError("Prompt tidak dikenal.")
    with tempfile.TemporaryDirectory(prefix="layan-prompt-") as tmp:
        source = Path(tmp) / "upload.wav"
        source.write_bytes(upload.read())
        converted = Path(tmp) / "tel.wav"
        prompts.convert_recording(source, converted)
        with transaction.atomic():
            rec = PromptRecording.objects.filter(office=office, key=key).first() or PromptRecording(
                office=office, key=key
            )
            rec.upload.save(f"{office.slug}-{key}.wav", ContentFile(source.read_bytes()), save=False)
            rec.audio.save(f"{office.slug}-{key}.wav", ContentFile(converted.read_bytes()), save=False)
            rec.save()
    return rec


@transaction.atomic
def mark_voice_message_handled(message: VoiceMessage) -> VoiceMessage:
    """An officer heard the voice message and followed it up (called back): it leaves the
    workspace's "to call back" panel. Marking it again keeps the first time."""
    VoiceMessage.objects.filter(pk=message.pk, handled_at__isnull=True).update(handled_at=timezone.now())
    message.refresh_from_db()
    return message
