from django.db import migrations


class Migration(migrations.Migration):
    """The opt-out lives on the subscriptions now (0007 copied it there)."""

    dependencies = [
        ("messaging", "0007_subscriptions_from_contacts"),
    ]

    operations = [
        migrations.RemoveField(model_name="contacturn", name="opt_out_source"),
        migrations.RemoveField(model_name="contacturn", name="opted_out_at"),
    ]
