"""Opt-out and opt-in (STOP / MULAI): broadcasts stop, replies to the citizen's own requests go."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from layan.messaging.models import Channel, ContactURN
from layan.messaging.urns import normalize_urn
from layan.offices.models import Office


@transaction.atomic
def opt_out(urn_identity: str, *, source: str, channel: Channel | None = None, now: dt.datetime | None = None) -> bool:
    """Stop broadcasts to this URN. Returns False when it was already opted out or is unknown."""
    identity = normalize_urn(urn_identity)
    return bool(
        ContactURN.objects.filter(identity=identity, opted_out_at__isnull=True).update(
            opted_out_at=now or timezone.now(), opt_out_source=source[:40]
        )
    )


@transaction.atomic
def opt_in(urn_identity: str, *, source: str, channel: Channel | None = None) -> bool:
    """Broadcasts reach this URN again. Returns False when it was not opted out or is unknown."""
    identity = normalize_urn(urn_identity)
    return bool(
        ContactURN.objects.filter(identity=identity, opted_out_at__isnull=False).update(
            opted_out_at=None, opt_out_source=source[:40]
        )
    )


def apply_keyword(
    contact_urn: ContactURN, *, channel: Channel, office: Office | None, stop: bool, now: dt.datetime
) -> None:
    """The citizen wrote STOP (stop=True) or MULAI on `channel`."""
    if stop:
        opt_out(contact_urn.identity, source="keyword", channel=channel, now=now)
    else:
        opt_in(contact_urn.identity, source="keyword", channel=channel)


def subscribe_rows(pairs: set[tuple[int, int]]) -> None:
    """(office id, URN id) pairs that wrote to an office: subscribed to its broadcasts."""
