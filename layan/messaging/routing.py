"""Which channel reaches a citizen for an office: one policy per purpose.

Every policy prefers the office's own channel to a kabupaten-wide one (a channel with `regency`
set serves every office of that regency), then the lowest id. The order is made in Python, not
with ORDER BY on the nullable regency column: SQLite sorts NULLs first and PostgreSQL last, so
`order_by("regency_id")` picked different channels on the two databases.
"""

from django.db.models import Q

from layan.offices.models import Office

from .channels import sms_kinds
from .models import Channel, ContactURN


def _candidates(office: Office):
    return Channel.objects.filter(is_active=True).filter(Q(office=office) | Q(regency_id=office.district.regency_id))


def _best(channels, kinds: tuple[str, ...] | None = None) -> Channel | None:
    def rank(channel: Channel):
        kind_rank = kinds.index(channel.kind) if kinds else 0
        return (channel.regency_id is not None, kind_rank, channel.pk)

    return min(channels, key=rank, default=None)


def reply_channel(contact_urn: ContactURN, office: Office | None) -> Channel | None:
    """For a message to one citizen (a reply, a notification): the channel they last wrote on,
    else one of the office's channels (never the simulator)."""
    if contact_urn.channel_id and contact_urn.channel and contact_urn.channel.is_active:
        return contact_urn.channel
    if office is None:
        return None
    return _best(_candidates(office).exclude(kind="test"))


def broadcast_channel(office: Office, kinds: tuple[str, ...]) -> Channel | None:
    """For an office's broadcast: its active channel of one of `kinds` (in that order of
    preference), its own before a kabupaten-wide one."""
    return _best(_candidates(office).filter(kind__in=kinds), kinds)


def sms_channel(office: Office) -> Channel | None:
    """For an SMS another domain sends (the telephone line's "send me this by SMS"): the
    registry's SMS kinds in its order, the test channel (simulator, demos) last."""
    return broadcast_channel(office, tuple(sms_kinds()))
