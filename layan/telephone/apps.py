from django.apps import AppConfig


class TelephoneConfig(AppConfig):
    name = "layan.telephone"
    # The label it had under messaging/channels/phone: its tables (phone_calllog, ...) and its
    # rows in django_migrations keep their names on existing databases.
    label = "phone"
    verbose_name = "Telepon (IVR)"
