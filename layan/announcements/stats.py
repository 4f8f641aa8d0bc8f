"""Per-channel counts staff see, read from the outbox rows themselves (one grouped query)."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count

from layan.messaging.models import Message

from .models import AnnouncementDelivery, AnnouncementMessage

S = Message.Status


@dataclass
class DeliveryCounts:
    queued: int = 0  # rows written to the outbox
    waiting: int = 0  # still queued or being sent
    sent: int = 0  # accepted by the provider, no receipt yet
    delivered: int = 0
    failed: int = 0
    skipped_opted_out: int = 0


def delivery_counts(deliveries: Iterable[AnnouncementDelivery]) -> dict[int, DeliveryCounts]:
    """delivery id -> counts, for the broadcast deliveries among `deliveries`."""
    deliveries = [d for d in deliveries if d.is_broadcast]
    result = {d.pk: DeliveryCounts(queued=d.queued, skipped_opted_out=d.skipped_opted_out) for d in deliveries}
    if not result:
        return result
    rows = (
        AnnouncementMessage.objects.filter(delivery_id__in=list(result))
        .values("delivery_id", "message__status")
        .annotate(n=Count("id"))
        .order_by()
    )
    by_status: dict[int, dict[str, int]] = defaultdict(dict)
    for row in rows:
        by_status[row["delivery_id"]][row["message__status"]] = row["n"]
    for pk, statuses in by_status.items():
        counts = result[pk]
        counts.waiting = statuses.get(S.QUEUED, 0) + statuses.get(S.SENDING, 0)
        counts.sent = statuses.get(S.SENT, 0)
        counts.delivered = statuses.get(S.DELIVERED, 0)
        counts.failed = statuses.get(S.FAILED, 0)
    return result
