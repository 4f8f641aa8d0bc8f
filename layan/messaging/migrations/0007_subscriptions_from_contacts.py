"""Subscriptions from what the database knew before: a URN was subscribed to its contact's office
(Contact.office) and, from now on, to every office it wrote to (its inbound messages). The URN's
opt-out (ContactURN.opted_out_at, one for all offices) is copied to each of its subscriptions, so
nobody who said STOP receives a broadcast again.

Two INSERT ... SELECT statements, written for SQLite and PostgreSQL alike: the rows never come
into Python, whatever the number of contacts.
"""

from django.db import migrations


def forwards(apps, schema_editor):
    quote = schema_editor.quote_name
    Contact = apps.get_model("messaging", "Contact")
    ContactURN = apps.get_model("messaging", "ContactURN")
    Message = apps.get_model("messaging", "Message")
    Subscription = apps.get_model("messaging", "Subscription")
    subscription = quote(Subscription._meta.db_table)
    urn, contact, message = (quote(m._meta.db_table) for m in (ContactURN, Contact, Message))
    columns = "office_id, urn_id, opted_out_at, opt_out_source, created_at"
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {subscription} ({columns}) "  # noqa: S608 (table names from the models)
            f"SELECT c.office_id, u.id, u.opted_out_at, u.opt_out_source, c.created_at "
            f"FROM {urn} u JOIN {contact} c ON c.id = u.contact_id WHERE c.office_id IS NOT NULL"
        )
        cursor.execute(
            f"INSERT INTO {subscription} ({columns}) "  # noqa: S608
            f"SELECT m.office_id, m.urn_id, MIN(u.opted_out_at), MIN(u.opt_out_source), MIN(m.created_at) "
            f"FROM {message} m JOIN {urn} u ON u.id = m.urn_id "
            f"WHERE m.direction = 'in' AND m.office_id IS NOT NULL AND NOT EXISTS "
            f"(SELECT 1 FROM {subscription} s WHERE s.office_id = m.office_id AND s.urn_id = m.urn_id) "
            f"GROUP BY m.office_id, m.urn_id"
        )


def backwards(apps, schema_editor):
    """A URN opted out of any office is opted out (ContactURN keeps one opt-out for all); the
    subscriptions go (0006's reverse drops their table, and a forward run writes them again)."""
    ContactURN = apps.get_model("messaging", "ContactURN")
    Subscription = apps.get_model("messaging", "Subscription")
    for sub in Subscription.objects.filter(opted_out_at__isnull=False).order_by("opted_out_at").iterator():
        ContactURN.objects.filter(pk=sub.urn_id, opted_out_at__isnull=True).update(
            opted_out_at=sub.opted_out_at, opt_out_source=sub.opt_out_source
        )
    Subscription.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("messaging", "0006_subscription"),
        ("offices", "0003_audit_event"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
