"""insert_rows: the inbound path's multi-row INSERT stores exactly what save() would."""

import datetime as dt

import pytest
from django.db import connection
from django.db.models import signals
from django.forms.models import model_to_dict
from django.utils import timezone

from layan.messaging import rows
from layan.messaging.models import Contact, InboundEvent, Message
from layan.messaging.rows import build, insert_rows
from layan.messaging.services import create_channel, get_or_create_urn

from .helpers import CITIZEN, create_test_channel

WHEN = dt.datetime(2026, 11, 28, 9, 30, 15, 123456, tzinfo=dt.UTC)


def _stored(message: Message) -> dict:
    row = model_to_dict(Message.objects.get(pk=message.pk), exclude=["id", "uuid"])
    return {**row, "uuid": Message.objects.values_list("uuid", flat=True).get(pk=message.pk)}


def _pair(channel, urn, **extra):
    """The same inbound message and reply, unsaved: each field of a kind the converters handle."""
    event = InboundEvent(channel=channel, urn=urn, text="syarat ktp", content_hash="h" * 64, received_at=WHEN)
    inbound = Message(
        office=channel.office, channel=channel, contact_id=urn.contact_id, urn=urn, direction="in",
        text="syarat ktp ✓", status="handled", event=event, created_at=WHEN, **extra,
    )  # fmt: skip
    reply = Message(
        office=channel.office, channel=channel, contact_id=urn.contact_id, urn=urn, direction="out",
        text="KTP-el\nSyarat: KK", choices=["Pelayanan KTP-el", "Kartu Keluarga"], status="queued",
        next_attempt_at=WHEN, parts=2, in_reply_to=inbound, created_at=WHEN,
    )  # fmt: skip
    return event, inbound, reply


def test_rows_read_back_equal_to_saved_ones(personas):
    channel = create_test_channel(personas.office)
    urn = get_or_create_urn(CITIZEN, channel=channel)
    saved = _pair(channel, urn)
    for obj in saved:
        obj.save(force_insert=True)
    fast = _pair(channel, urn)
    for obj in fast:
        insert_rows(type(obj), [obj])

    assert all(obj.pk is not None and not obj._state.adding for obj in fast)
    # The unsaved event and inbound message were linked by object: their new ids were used.
    assert fast[1].event_id == fast[0].pk and fast[2].in_reply_to_id == fast[1].pk
    for a, b in zip(saved[1:], fast[1:], strict=True):
        expected, got = _stored(a), _stored(b)
        assert got["uuid"] == b.uuid and got["uuid"] != expected["uuid"]
        for key in ("event", "in_reply_to", "uuid"):
            expected.pop(key), got.pop(key)
        assert got == expected
    event = InboundEvent.objects.get(pk=fast[0].pk)
    assert (event.received_at, event.text, event.status) == (WHEN, "syarat ktp", "received")
    # Stored byte for byte alike: on SQLite dates are text compared as text (the outbox's
    # "next_attempt_at <= now"), so the same instant must be written the same way.
    with connection.cursor() as cursor:
        columns = "CAST(next_attempt_at AS TEXT), CAST(created_at AS TEXT), CAST(choices AS TEXT)"
        sql = f"SELECT {columns} FROM {Message._meta.db_table} WHERE id IN (%s, %s)"  # noqa: S608
        cursor.execute(sql, [saved[2].pk, fast[2].pk])
        stored_saved, stored_fast = cursor.fetchall()
    assert stored_saved == stored_fast


def test_build_goes_through_init_when_something_listens_to_post_init(personas):
    seen = []

    def listener(sender, instance, **kwargs):
        seen.append(instance)

    signals.post_init.connect(listener, sender=InboundEvent)
    try:
        event = build(InboundEvent, text="halo", content_hash="h")
    finally:
        signals.post_init.disconnect(listener, sender=InboundEvent)
    assert seen == [event] and event.text == "halo" and event.status == "received"


def test_many_rows_over_several_statements_keep_their_ids_in_order(personas, monkeypatch):
    channel = create_test_channel(personas.office)
    urn = get_or_create_urn(CITIZEN, channel=channel)
    rows._plan.cache_clear()
    monkeypatch.setattr(rows, "_max_params", lambda connection: 30)  # 3 InboundEvent rows a statement
    try:
        events = [
            InboundEvent(channel=channel, urn=urn, text=f"pesan {i}", content_hash=str(i), received_at=timezone.now())
            for i in range(10)
        ]
        insert_rows(InboundEvent, events)
    finally:
        rows._plan.cache_clear()
    assert [InboundEvent.objects.get(pk=e.pk).text for e in events] == [f"pesan {i}" for i in range(10)]
    assert len({e.pk for e in events}) == 10


def test_a_row_pointing_at_an_unsaved_object_is_refused(personas):
    channel = create_test_channel(personas.office)
    urn = get_or_create_urn(CITIZEN, channel=channel)
    event, inbound, _ = _pair(channel, urn)
    with pytest.raises(ValueError, match="not saved yet"):
        insert_rows(Message, [inbound])
    assert not Message.objects.exists()


def test_auto_now_add_fields_are_filled(personas):
    before = timezone.now()
    contacts = [Contact(office=personas.office), Contact(office=personas.office)]
    insert_rows(Contact, contacts)
    stored = Contact.objects.filter(pk__in=[c.pk for c in contacts])
    assert all(c.created_at >= before for c in stored) and stored.count() == 2


def test_build_fills_defaults_per_row_and_refuses_unknown_columns(personas):
    channel = create_test_channel(personas.office)
    urn = get_or_create_urn(CITIZEN, channel=channel)
    common = dict(channel_id=channel.pk, contact_id=urn.contact_id, urn_id=urn.pk, direction="out", text="x")
    a, b = build(Message, status="queued", **common), build(Message, status="queued", **common)
    a.choices.append("1")

    assert a.uuid != b.uuid and b.choices == [] and a.pk is None and a.attempts == 0
    assert (a.channel, a.urn) == (channel, urn)  # plain instances: relations load as usual
    with pytest.raises(TypeError, match="no column channel"):
        build(Message, channel=channel)


def test_compiled_query_reads_what_the_queryset_reads(personas):
    from layan.messaging.models import ContactURN, ConversationState
    from layan.messaging.rows import CompiledQuery

    channel = create_test_channel(personas.office)
    asked = get_or_create_urn(CITIZEN, channel=channel)
    ConversationState.objects.create(urn=asked, office=personas.office, data={"kind": "choices"}, expires_at=WHEN)
    quiet = get_or_create_urn("tel:+6281299990000", channel=channel)
    by_identity = CompiledQuery(
        lambda identity: ContactURN.objects.select_related("contact", "conversation").filter(identity=identity),
        "identity",
    )

    for urn in (asked, quiet):
        (got,) = by_identity.fetch(urn.identity)
        (want,) = ContactURN.objects.select_related("contact", "conversation").filter(identity=urn.identity)
        assert model_to_dict(got) == model_to_dict(want) and got.last_inbound_at == want.last_inbound_at
        assert model_to_dict(got.contact) == model_to_dict(want.contact)
        # The related rows came with it (no query), a missing conversation as a known absence.
        assert ContactURN.contact.is_cached(got) and ContactURN.conversation.is_cached(got)
    (got,) = by_identity.fetch(asked.identity)
    assert got.conversation.data == {"kind": "choices"} and got.conversation.expires_at == WHEN
    assert by_identity.fetch("tel:+6280000000000") == []


def test_update_rows_writes_what_queryset_update_writes(personas):
    from layan.messaging.models import ContactURN
    from layan.messaging.rows import update_rows

    channel = create_test_channel(personas.office)
    other = create_channel(kind="test", name="Uji lain", office=personas.office)
    a, b, untouched = (get_or_create_urn(f"tel:+62812999900{i}", channel=channel) for i in range(3))
    update_rows(ContactURN, [a.pk, b.pk], last_inbound_at=WHEN, channel_id=other.pk)

    stored = {u.pk: (u.last_inbound_at, u.channel_id) for u in ContactURN.objects.all()}
    assert stored[a.pk] == stored[b.pk] == (WHEN, other.pk)
    assert stored[untouched.pk] == (None, channel.pk)
