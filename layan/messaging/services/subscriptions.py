"""Subscriptions per (office, URN): who receives an office's broadcasts; STOP and MULAI.

A URN is subscribed to an office when it writes to it (`subscribe_rows`, from the inbound path).
STOP opts out of the offices behind the channel it came on: the channel's office, or every office
of the kabupaten for a kabupaten-wide number. Replies to the citizen's own requests still go:
only broadcasts read subscriptions.
"""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from layan.messaging.models import Channel, ContactURN, Subscription
from layan.messaging.rows import build, insert_rows_ignoring_conflicts
from layan.messaging.urns import normalize_urn
from layan.offices.models import Office


def offices_behind(channel: Channel) -> list[int]:
    """The ids of the offices a channel serves: its own, or every office of its kabupaten."""
    if channel.office_id is not None:
        return [channel.office_id]
    return list(Office.objects.filter(district__regency_id=channel.regency_id).values_list("pk", flat=True))


@transaction.atomic
def opt_out(
    urn_identity: str,
    *,
    source: str,
    channel: Channel | None = None,
    office: Office | None = None,
    now: dt.datetime | None = None,
) -> int:
    """Stop broadcasts to this URN from the offices behind `channel` (or from `office`; with
    neither, from every office). Returns how many subscriptions stopped."""
    contact_urn = ContactURN.objects.filter(identity=normalize_urn(urn_identity)).first()
    if contact_urn is None:
        return 0
    if office is not None and channel is None:
        # Remember the refusal even before the first broadcast of that office.
        Subscription.objects.get_or_create(office=office, urn=contact_urn)
    return (
        _subscriptions(contact_urn, channel, office)
        .filter(opted_out_at__isnull=True)
        .update(opted_out_at=now or timezone.now(), opt_out_source=source[:40])
    )


@transaction.atomic
def opt_in(urn_identity: str, *, source: str, channel: Channel | None = None, office: Office | None = None) -> int:
    """Broadcasts from the offices behind `channel` (or from `office`) reach this URN again.
    Returns how many subscriptions restarted."""
    contact_urn = ContactURN.objects.filter(identity=normalize_urn(urn_identity)).first()
    if contact_urn is None:
        return 0
    if office is not None:
        Subscription.objects.get_or_create(office=office, urn=contact_urn)
    return (
        _subscriptions(contact_urn, channel, office)
        .filter(opted_out_at__isnull=False)
        .update(opted_out_at=None, opt_out_source=source[:40])
    )


def _subscriptions(contact_urn: ContactURN, channel: Channel | None, office: Office | None):
    subscriptions = Subscription.objects.filter(urn=contact_urn)
    if channel is not None:
        return subscriptions.filter(office_id__in=offices_behind(channel))
    if office is not None:
        return subscriptions.filter(office=office)
    return subscriptions


def apply_keyword(
    contact_urn: ContactURN, *, channel: Channel, office: Office | None, stop: bool, now: dt.datetime
) -> None:
    """The citizen wrote STOP (stop=True) or MULAI on `channel`: every office behind it. The
    office the message went to is already subscribed (`subscribe_rows` ran first)."""
    if stop:
        opt_out(contact_urn.identity, source="keyword", channel=channel, now=now)
    else:
        opt_in(contact_urn.identity, source="keyword", channel=channel)


def subscribe_rows(pairs: set[tuple[int, int]]) -> None:
    """(office id, URN id) pairs that wrote to an office: subscribed to its broadcasts. One
    INSERT that leaves existing subscriptions (and their opt-out) as they are."""
    # Built without the ORM's bulk_create: this runs for every inbound transaction.
    insert_rows_ignoring_conflicts(
        Subscription, [build(Subscription, office_id=office_id, urn_id=urn_id) for office_id, urn_id in sorted(pairs)]
    )
