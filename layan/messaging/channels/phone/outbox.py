"""The one place the telephone line hands an SMS to the messaging core's outbox.

ADAPTER: the core's contract (docs/messaging.md) has no "send a text to this number" service
yet. `send_sms` calls `layan.messaging.services.send_to_urn` when the core provides it, else
the core's `get_or_create_urn` + `queue_message`; as a last resort it writes the outbox row
itself with the core's models (Contact, ContactURN, Message queued). Replace the fallback by the core service
once it exists; nothing else in this folder touches messaging tables.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.apps import apps
from django.db import transaction
from django.utils import timezone

from layan.offices.models import Office

log = logging.getLogger(__name__)
SMS_KINDS = ("gammu", "kannel", "android", "test")


@dataclass(frozen=True)
class SmsResult:
    ok: bool
    reason: str = ""  # Indonesian, shown to the officer when not ok


def core_available() -> bool:
    return apps.is_installed("layan.messaging")


def send_sms(office: Office, *, number: str, text: str, sent_by=None) -> SmsResult:
    """Queue `text` to phone `number` on the office's SMS channel (through the outbox)."""
    if not core_available():
        return SmsResult(False, "Modul pesan belum terpasang.")
    from layan.messaging import urns

    try:
        urn = urns.tel_urn(number)
    except urns.URNError:
        return SmsResult(False, "Nomor telepon tidak valid.")
    from layan.messaging import services as core

    if hasattr(core, "send_to_urn"):
        core.send_to_urn(office, urn=urn, text=text, sent_by=sent_by)
        return SmsResult(True)
    if hasattr(core, "queue_message") and hasattr(core, "get_or_create_urn"):
        channel = sms_channel(office)
        if channel is None:
            return SmsResult(False, "Kantor belum punya kanal SMS yang aktif.")
        with transaction.atomic():
            core.queue_message(core.get_or_create_urn(urn), text, office=office, channel=channel, sent_by=sent_by)
        return SmsResult(True)
    return _write_outbox_row(office, urn=urn, text=text, sent_by=sent_by)


def sms_channel(office: Office):
    from layan.messaging.models import Channel

    channels = Channel.objects.filter(is_active=True, kind__in=SMS_KINDS)
    # The office's own line first, then a kabupaten-wide one; a real SMS line before the simulator.
    for qs in (channels.filter(office=office), channels.filter(regency_id=office.district.regency_id)):
        found = sorted(qs, key=lambda c: (c.kind == "test", c.pk))
        if found:
            return found[0]
    return None


@transaction.atomic
def _write_outbox_row(office: Office, *, urn: str, text: str, sent_by=None) -> SmsResult:
    from layan.messaging.models import Contact, ContactURN, Message

    channel = sms_channel(office)
    if channel is None:
        return SmsResult(False, "Kantor belum punya kanal SMS yang aktif.")
    scheme, _, path = urn.partition(":")
    contact_urn = ContactURN.objects.filter(identity=urn).select_related("contact").first()
    if contact_urn is None:
        contact = Contact.objects.create(office=office)
        contact_urn = ContactURN.objects.create(contact=contact, scheme=scheme, path=path, identity=urn)
    Message.objects.create(
        office=office,
        channel=channel,
        contact=contact_urn.contact,
        urn=contact_urn,
        direction=Message.Direction.OUT,
        text=text,
        status=Message.Status.QUEUED,
        next_attempt_at=timezone.now(),
        sent_by=sent_by,
    )
    return SmsResult(True)
