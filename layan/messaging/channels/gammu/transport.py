"""Gammu channel: an office's own GSM modem driven by gammu-smsd on Layan's database.

Sending is an INSERT into the Gammu outbox (gammu-smsd picks it up within CommTimeout seconds);
the provider reference is the outbox ID, which gammu-smsd keeps as sentitems.ID. Inbound and
status receipts are read by poller.py (`manage.py gammu_poll`).
"""

from django.db import DatabaseError, transaction

from layan.messaging.channels.base import SendError, Transport

from .models import GammuOutbox, GammuOutboxMultipart, GammuSentItem
from .parts import coding_for, split_parts


class GammuTransport(Transport):
    kind = "gammu"
    # Config keys, their meaning and which are required: CHANNEL.config_schema in __init__.py.

    @property
    def phone_id(self) -> str:
        return str((self.channel.config or {}).get("phone_id") or "")

    def send(self, message) -> str:
        if not self.phone_id:
            raise SendError("Kanal Gammu belum punya phone_id.", permanent=True)
        creator = str(message.uuid)
        number = message.urn.path
        try:
            with transaction.atomic():
                existing = self.existing_ref(creator)
                if existing:
                    return existing
                return str(self._insert(number, message.text, creator, reference=message.uuid.int % 256))
        except DatabaseError as exc:
            # e.g. "database is locked" while gammu-smsd writes on SQLite: try again later.
            raise SendError(f"gammu outbox: {type(exc).__name__}", permanent=False) from exc

    def existing_ref(self, creator: str) -> str:
        """The outbox ID already written for this message (a resend after a crash), or ""."""
        for model in (GammuOutbox, GammuSentItem):
            found = model.objects.filter(creator_id=creator).values_list(
                "id" if model is GammuOutbox else "outbox_id", flat=True
            )[:1]
            if found:
                return str(found[0])
        return ""

    def _insert(self, number: str, text: str, creator: str, *, reference: int) -> int:
        parts = split_parts(text, reference=reference)
        coding = coding_for(text)
        first = GammuOutbox.objects.create(
            destination_number=number,
            text_decoded=parts[0].text,
            coding=coding,
            udh=parts[0].udh or None,
            multipart=len(parts) > 1,
            sender_id=self.phone_id,
            creator_id=creator,
            delivery_report=(self.channel.config or {}).get("delivery_report") or "default",
        )
        GammuOutboxMultipart.objects.bulk_create(
            GammuOutboxMultipart(
                outbox_id=first.id, sequence_position=seq, text_decoded=part.text, coding=coding, udh=part.udh
            )
            for seq, part in enumerate(parts[1:], 2)
        )
        return first.id


# gammu sentitems.Status -> Layan message status. DeliveryPending/DeliveryUnknown change nothing.
SENTITEMS_STATUS = {
    "SendingOK": "sent",
    "SendingOKNoReport": "sent",
    "DeliveryOK": "delivered",
    "SendingError": "failed",
    "Error": "failed",
    "DeliveryFailed": "failed",
}


def combined_status(part_statuses: list[str]) -> str | None:
    """The status of a whole (possibly multipart) message from its sentitems parts."""
    mapped = [SENTITEMS_STATUS.get(s) for s in part_statuses]
    if "failed" in mapped:
        return "failed"
    if mapped and all(m == "delivered" for m in mapped):
        return "delivered"
    if mapped and all(m in ("sent", "delivered") for m in mapped):
        return "sent"
    return None
