"""Read what gammu-smsd wrote: new inbox rows (citizens' SMS) and sentitems (send results).

Run by `manage.py gammu_poll` (a loop) for every active Gammu channel. Safe to run twice at once:
inbound is deduplicated by provider id `inbox:<ID>`, status updates are idempotent.
"""

import logging
from dataclasses import dataclass

from django.db import DatabaseError, transaction

from layan.messaging.urns import URNError, tel_urn

from .models import GammuInbox, GammuSentItem
from .transport import combined_status

log = logging.getLogger(__name__)
BATCH = 100
# Receipts are awaited for messages this recent; older `sent` rows stay as they are.
STATUS_HORIZON_DAYS = 3


@dataclass
class PollResult:
    received: int = 0
    statuses: int = 0


def poll_inbox(channel, *, limit: int = BATCH) -> int:
    """Hand unprocessed inbox rows of this modem to the messaging core, all of one read in one
    batch (one transaction); returns how many were new."""
    from layan.messaging.models import InboundEvent
    from layan.messaging.services import Incoming, receive

    phone_id = str((channel.config or {}).get("phone_id") or "")
    rows = list(GammuInbox.objects.filter(processed=False, recipient_id=phone_id).order_by("id")[:limit])
    items, answerable = [], []
    for row in rows:
        try:
            urn = tel_urn(row.sender_number)
        except URNError:
            # Operator senders ("TELKOMSEL", short codes) cannot be answered: mark and move on.
            log.info("gammu inbox %s: sender is not a phone number, skipped", row.id)
            continue
        answerable.append(row.id)
        items.append(
            Incoming(
                urn,
                row.text_decoded,
                provider_id=f"inbox:{row.id}",
                payload={
                    "ID": row.id,
                    "SenderNumber": row.sender_number,
                    "TextDecoded": row.text_decoded,
                    "Coding": row.coding,
                    "UDH": row.udh,
                    "SMSCNumber": row.smsc_number,
                    "RecipientID": row.recipient_id,
                },
            )
        )
    results = receive(channel, items) if items else []
    done = {row.id for row in rows} - set(answerable)
    for row_id, result in zip(answerable, results, strict=True):
        # Stored (or a duplicate, or an unusable sender): done. Any other error: left unprocessed,
        # so the next pass tries it again; nothing is lost.
        if result is None or isinstance(result, InboundEvent | URNError):
            done.add(row_id)
        else:
            log.warning("gammu inbox %s: not processed (%s), will retry", row_id, type(result).__name__)
    # After receive committed: a crash before this line only causes a deduplicated re-read.
    GammuInbox.objects.filter(id__in=done).update(processed=True)
    return sum(isinstance(r, InboundEvent) for r in results)


def poll_statuses(channel) -> int:
    """Move this channel's messages along by what gammu-smsd put in sentitems; returns updates made."""
    import datetime as dt

    from django.utils import timezone

    from layan.messaging.models import Message
    from layan.messaging.services import update_status

    since = timezone.now() - dt.timedelta(days=STATUS_HORIZON_DAYS)
    waiting = dict(
        Message.objects.filter(
            channel=channel,
            direction=Message.Direction.OUT,
            status__in=[Message.Status.SENDING, Message.Status.SENT],
            created_at__gte=since,
        )
        .exclude(provider_ref="")
        .values_list("provider_ref", "status")
    )
    if not waiting:
        return 0
    ids = [int(ref) for ref in waiting if ref.isdigit()]
    parts: dict[str, list[str]] = {}
    for outbox_id, part_status in GammuSentItem.objects.filter(outbox_id__in=ids).values_list("outbox_id", "status"):
        parts.setdefault(str(outbox_id), []).append(part_status)
    updates = 0
    for ref, statuses in parts.items():
        status = combined_status(statuses)
        if status and status != waiting[ref]:
            update_status(channel, provider_ref=ref, status=status, error=_error(statuses))
            updates += 1
    return updates


def _error(statuses: list[str]) -> str:
    bad = [s for s in statuses if s in ("SendingError", "Error", "DeliveryFailed")]
    return f"gammu: {bad[0]}" if bad else ""


def poll_channel(channel) -> PollResult:
    """One pass over one channel; a locked SQLite file (smsd writing) just waits for the next pass."""
    result = PollResult()
    try:
        result.received = poll_inbox(channel)
        with transaction.atomic():
            result.statuses = poll_statuses(channel)
    except DatabaseError as exc:
        log.warning("gammu poll of channel %s: %s", channel.uuid, type(exc).__name__)
    return result
