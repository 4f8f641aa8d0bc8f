"""Migration 0007: today's rows become per-office subscriptions, opt-outs kept."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("messaging", "0006_subscription")]
AFTER = [("messaging", "0008_remove_contacturn_opt_out")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture(autouse=True)
def _latest_schema_afterwards():
    """Later tests need every table: end at the newest migration of every app, not at AFTER (later
    migrations, e.g. the inbox's assignments, would otherwise stay unapplied for the rest of the run)."""
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_contacts_office_and_the_offices_written_to_become_subscriptions_with_opt_outs_kept(personas):
    office_a, office_b = personas.office, personas.other_office
    old = migrate(BEFORE)
    Channel, Contact = old.get_model("messaging", "Channel"), old.get_model("messaging", "Contact")
    ContactURN, Message = old.get_model("messaging", "ContactURN"), old.get_model("messaging", "Message")
    line_b = Channel.objects.create(office_id=office_b.pk, kind="test", name="SMS B")
    now = timezone.now()

    def citizen(number: str, office_id, *, opted_out: bool = False):
        contact = Contact.objects.create(office_id=office_id)
        return ContactURN.objects.create(
            contact=contact,
            scheme="tel",
            path=number,
            identity=f"tel:{number}",
            opted_out_at=now if opted_out else None,
            opt_out_source="keyword" if opted_out else "",
        )

    both = citizen("+6281200000001", office_a.pk)  # a contact of A who also wrote to B
    stopped = citizen("+6281200000002", office_a.pk, opted_out=True)
    nowhere = citizen("+6281200000003", None)  # the phone line's SMS: never wrote to an office
    for urn in (both, both):
        Message.objects.create(
            office_id=office_b.pk, channel=line_b, contact=urn.contact, urn=urn, direction="in", text="JAM",
            status="handled",
        )  # fmt: skip

    new = migrate(AFTER)
    Subscription = new.get_model("messaging", "Subscription")
    rows = {(s.urn_id, s.office_id): s for s in Subscription.objects.all()}
    assert set(rows) == {(both.pk, office_a.pk), (both.pk, office_b.pk), (stopped.pk, office_a.pk)}
    assert rows[(stopped.pk, office_a.pk)].opted_out_at is not None
    assert rows[(stopped.pk, office_a.pk)].opt_out_source == "keyword"
    assert rows[(both.pk, office_a.pk)].opted_out_at is None and rows[(both.pk, office_b.pk)].opted_out_at is None
    assert not Subscription.objects.filter(urn_id=nowhere.pk).exists()

    # And back: a URN opted out anywhere is opted out again.
    old = migrate(BEFORE)
    assert old.get_model("messaging", "ContactURN").objects.get(pk=stopped.pk).opted_out_at is not None
    migrate(AFTER)
