"""The citizen's notification for each status change: one SMS-sized text (<= 160 GSM-7
characters, one part), written to messaging's outbox in the caller's transaction.

It goes to the URN the citizen wrote from (chat, SMS), else by SMS to the phone number given.
An application with neither, or an office without a channel that reaches it, gets none; the
status change itself is never refused for that.
"""

import logging
import unicodedata

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from layan.messaging.gsm import GSM7_EXTENDED, is_gsm7, to_gsm7
from layan.messaging.models import Message
from layan.messaging.services import MessagingError, enqueue, enqueue_sms
from layan.messaging.urns import URNError
from layan.offices.hours import hour_runs
from layan.offices.models import OpeningHours

from . import sla
from .models import Application, Status

logger = logging.getLogger(__name__)

SMS_LIMIT = 160


def sms_length(text: str) -> int:
    """Septets of a GSM-7 text (the extension table costs two)."""
    return len(text) + sum(text.count(ch) for ch in GSM7_EXTENDED)


def gsm_text(text: str) -> str:
    """`text` in the GSM-7 alphabet: punctuation made ASCII, accents dropped from the rest
    (a name written "Ṣāliḥ" goes out as "Salih"), anything else as '?'. One UCS-2 character
    would cut the whole SMS to 70 characters."""
    text = to_gsm7(text)
    if is_gsm7(text):
        return text
    out = []
    for ch in text:
        if is_gsm7(ch):
            out.append(ch)
            continue
        plain = unicodedata.normalize("NFKD", ch).encode("ascii", "ignore").decode()
        out.append(plain if plain and is_gsm7(plain) else "?")
    return "".join(out)


def shorten(text: str, budget: int) -> str:
    """`text` cut at a word to `budget` septets, with '...' when cut."""
    if sms_length(text) <= budget:
        return text
    if budget <= 3:
        return ""
    cut = text[: budget - 3]
    while sms_length(cut) > budget - 3:
        cut = cut[:-1]
    space = cut.rfind(" ")
    if space > budget // 2:
        cut = cut[:space]
    return cut.rstrip(" ,.;:") + "..."


def fit(template: str, flexible: str, **fixed: str) -> str:
    """`template` filled in, its `{flexible}` part shortened so the whole fits one SMS."""
    fixed = {k: gsm_text(v) for k, v in fixed.items()}
    bare = gsm_text(template.format(flexible="", **fixed))
    budget = SMS_LIMIT - sms_length(bare)
    text = gsm_text(template.format(flexible=shorten(gsm_text(flexible), max(budget, 0)), **fixed))
    return text if sms_length(text) <= SMS_LIMIT else shorten(text, SMS_LIMIT)


def hours_short(application: Application) -> str:
    """'Sen-Kam 08.00-15.30, Jum 08.00-11.30 WIB': the office's week in few characters."""
    office = application.office
    runs = hour_runs(office.opening_hours.all())
    if not runs:
        return ""

    def day(n: int) -> str:
        return str(OpeningHours.Weekday(n).label)[:3]

    parts = []
    for run in runs:
        days = day(run.first) if run.first == run.last else f"{day(run.first)}-{day(run.last)}"
        parts.append(days + " " + "/".join(f"{o:%H.%M}-{c:%H.%M}" for o, c in run.spans))
    return ", ".join(parts) + " " + office.tz_abbreviation


def _deadline(application: Application) -> str:
    if application.due_at is None:
        return ""
    with_time = application.version.time_unit != application.version.TimeUnit.WORKING_DAYS
    return sla.format_deadline(application.office, application.due_at, with_time=with_time)


def notification_text(application: Application, *, from_status: str = "", missing: list[str] | None = None) -> str:
    """The text for the status the application has just entered (Indonesian: citizens' default)."""
    with translation.override(settings.LANGUAGE_CODE):
        return _text(application, from_status, missing or [])


def _text(application: Application, from_status: str, missing: list[str]) -> str:
    code = application.tracking_code
    service = application.version.name
    status = application.status
    note = application.status_note.strip()
    if status == Status.DIAJUKAN and not from_status:
        return fit(
            _("Permohonan {flexible} diterima. Kode lacak: {code}. Perkiraan selesai {deadline}. Cek: STATUS {code}"),
            service,
            code=code,
            deadline=_deadline(application),
        )
    if status == Status.DIAJUKAN:
        return fit(
            _("Kelengkapan berkas {code} diterima ({flexible}). Perkiraan selesai {deadline}."),
            service,
            code=code,
            deadline=_deadline(application),
        )
    if status == Status.DIVERIFIKASI:
        return fit(
            _("Berkas {code} ({flexible}) sudah diverifikasi. Perkiraan selesai {deadline}."),
            service,
            code=code,
            deadline=_deadline(application),
        )
    if status == Status.PERLU_PERBAIKAN:
        items = "; ".join(missing) or note
        detail = f"{items}. {note}" if note and note != items else items
        return fit(_("Berkas {code} perlu dilengkapi: {flexible}. Bawa ke kantor kecamatan."), detail, code=code)
    if status == Status.DIPROSES:
        return fit(
            _("Permohonan {code} ({flexible}) sedang diproses. Perkiraan selesai {deadline}."),
            service,
            code=code,
            deadline=_deadline(application),
        )
    if status == Status.SELESAI:
        return fit(
            _("{flexible} ({code}) selesai, silakan ambil. Bawa KTP asli dan kode ini. Jam layanan: {hours}"),
            service,
            code=code,
            hours=hours_short(application),
        )
    if status == Status.DIAMBIL:
        return fit(_("Terima kasih, {flexible} ({code}) sudah diambil."), service, code=code)
    if status == Status.DITOLAK:
        return fit(_("Maaf, permohonan {code} ditolak: {flexible}"), note, code=code)
    raise ValueError(f"no notification for status {status!r}")


def notify_status(
    application: Application, *, from_status: str = "", missing: list[str] | None = None
) -> Message | None:
    """Write the notification of the application's current status to the outbox (the caller's
    transaction), or None when there is no way to reach the citizen."""
    if application.urn_id is None and not application.phone:
        return None
    text = notification_text(application, from_status=from_status, missing=missing)
    try:
        with transaction.atomic():  # a failure leaves the caller's writes alone
            if application.urn is not None:
                return enqueue(application.urn, text, office=application.office)
            return enqueue_sms(application.office, number=application.phone, text=text)
    except (MessagingError, URNError) as exc:
        # Never the phone number or the NIK: the application's id says enough.
        logger.warning("application %s: notification not queued: %s", application.pk, exc)
        return None
