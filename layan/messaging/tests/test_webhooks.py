"""Webhook events that were not used: kept once, raw, and visible to the right people."""

import pytest
from django.urls import reverse

from layan.messaging import webhooks
from layan.messaging.models import InboundEvent

from .helpers import create_test_channel


def test_json_nesting_is_bounded_without_a_recursion_error():
    assert webhooks.parse_json(b"[" * 100 + b"]" * 100)
    with pytest.raises(webhooks.BadPayload):
        webhooks.parse_json(b"[" * 100_000 + b"]" * 100_000)


def test_an_unused_event_is_stored_once_however_often_it_is_delivered(personas):
    channel = create_test_channel(personas.office)
    raw = {"chat": {"id": ""}, "text": "halo"}
    first = webhooks.store_unused_event(channel, raw, error="chat.id: kosong")
    assert webhooks.store_unused_event(channel, raw, error="chat.id: kosong") is None
    assert first is not None and first.status == "malformed" and first.urn is None
    assert InboundEvent.objects.count() == 1


@pytest.fixture
def kept(personas):
    channel = create_test_channel(personas.office)
    return webhooks.store_unused_event(channel, {"from": "+6281234567890"}, error="Halaman '9999' tidak dikenal")


def test_admin_lists_unused_events_and_only_a_superuser_sees_the_raw_payload(client, personas, kept):
    personas.admin.is_staff = True
    personas.admin.save()
    client.force_login(personas.admin)
    listing = client.get(reverse("admin:messaging_inboundevent_changelist"))
    assert listing.status_code == 200 and "9999" in listing.content.decode()
    detail = client.get(reverse("admin:messaging_inboundevent_change", args=[kept.pk])).content.decode()
    assert "6281234567890" not in detail
    personas.admin.is_superuser = True
    personas.admin.save()
    detail = client.get(reverse("admin:messaging_inboundevent_change", args=[kept.pk])).content.decode()
    assert "6281234567890" in detail


def test_outsider_does_not_see_another_office_events(client, personas, kept):
    personas.outsider.is_staff = True
    personas.outsider.save()
    client.force_login(personas.outsider)
    listing = client.get(reverse("admin:messaging_inboundevent_changelist"))
    assert "9999" not in listing.content.decode()
    assert client.get(reverse("admin:messaging_inboundevent_change", args=[kept.pk])).status_code in (302, 404)


def test_a_database_outage_is_not_filed_as_a_malformed_event(personas, monkeypatch):
    # PostgreSQL restarting must make the provider deliver again, not lose the message.
    from django.db import OperationalError

    channel = create_test_channel(personas.office)

    def outage():
        raise OperationalError("server closed the connection unexpectedly")

    with pytest.raises(OperationalError):
        webhooks.handle_event(channel, {"text": "SYARAT KTP"}, outage)
    assert not InboundEvent.objects.exists()


def test_a_bug_while_handling_keeps_the_event_raw_and_says_so(personas):
    channel = create_test_channel(personas.office)
    assert webhooks.handle_event(channel, {"text": "x"}, lambda: 1 / 0) is False
    assert InboundEvent.objects.get().error == "gagal diproses: ZeroDivisionError"
