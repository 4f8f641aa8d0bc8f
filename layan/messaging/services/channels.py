"""Channels: set up by the operator (`add_channel`, the admin) and the simulator's own."""

from django.db import transaction

from layan.messaging import channels
from layan.messaging.models import Channel
from layan.offices.models import Office

from .errors import MessagingError


def get_simulator_channel(office: Office) -> Channel:
    """The office's test channel, created on first use (the browser simulator and `simulate`)."""
    channel = Channel.objects.filter(office=office, kind="test").order_by("id").first()
    if channel is None:
        channel = Channel.objects.create(office=office, kind="test", name="Simulator", tps=1000)
    return channel


@transaction.atomic
def create_channel(
    *,
    kind: str,
    name: str,
    office: Office | None = None,
    regency=None,
    address: str = "",
    config: dict | None = None,
    tps: float | None = None,
) -> Channel:
    channel = Channel(kind=kind, name=name, office=office, regency=regency, address=address, config=config or {})
    if tps is not None:
        channel.tps = tps
    return save_channel(channel)


@transaction.atomic
def save_channel(channel: Channel) -> Channel:
    """Store a new or changed channel (the admin's form), after `check_channel`."""
    check_channel(channel)
    channel.save()
    return channel


def check_channel(channel: Channel) -> None:
    """Raises MessagingError (Indonesian) for a channel that cannot work."""
    if (channel.office_id is None) == (channel.regency_id is None):
        raise MessagingError("Pilih satu: kantor atau kabupaten.")
    kinds = channels.channel_types()
    if channel.kind not in kinds:
        raise MessagingError(f"Jenis kanal tidak dikenal: {channel.kind}. Pilihan: {', '.join(kinds)}.")
