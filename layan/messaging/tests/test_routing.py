"""Channel selection: the same choice on SQLite and PostgreSQL (NULLs sort differently there)."""

from layan.messaging.models import Channel
from layan.messaging.routing import broadcast_channel, reply_channel, sms_channel
from layan.messaging.services import create_channel, get_or_create_urn


def kabupaten_then_own(office, kind: str) -> tuple[Channel, Channel]:
    # The kabupaten-wide channel is the older one (lower id): only the policy can prefer the other.
    shared = create_channel(kind=kind, name="Kabupaten", regency=office.district.regency)
    own = create_channel(kind=kind, name="Kantor", office=office)
    return shared, own


def test_a_reply_without_a_usable_last_channel_goes_on_the_offices_own_channel(personas):
    shared, own = kabupaten_then_own(personas.office, "android")
    urn = get_or_create_urn("tel:+6281234567890")
    assert reply_channel(urn, personas.office) == own
    urn.channel = shared
    assert reply_channel(urn, personas.office) == shared  # where the citizen last wrote
    Channel.objects.filter(pk=shared.pk).update(is_active=False)
    urn.channel.refresh_from_db()
    assert reply_channel(urn, personas.office) == own


def test_a_broadcast_goes_on_the_offices_own_channel_before_the_kabupatens(personas):
    shared, own = kabupaten_then_own(personas.office, "telegram")
    assert broadcast_channel(personas.office, ("telegram",)) == own
    Channel.objects.filter(pk=own.pk).update(is_active=False)
    assert broadcast_channel(personas.office, ("telegram",)) == shared


def test_an_sms_goes_on_a_real_line_before_the_simulator(personas):
    simulator = create_channel(kind="test", name="Simulator", office=personas.office)
    shared, own = kabupaten_then_own(personas.office, "gammu")
    assert sms_channel(personas.office) == own
    Channel.objects.filter(pk=own.pk).update(is_active=False)
    assert sms_channel(personas.office) == simulator  # the office's own line, even a test one
    Channel.objects.filter(pk=simulator.pk).update(is_active=False)
    assert sms_channel(personas.office) == shared
