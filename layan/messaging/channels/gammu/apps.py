from django.apps import AppConfig


class GammuConfig(AppConfig):
    """The Gammu channel: the Gammu SMSD tables and the commands gammu_config and gammu_poll.

    Its label is "sms", the label of the app (layan/sms) that held the tables before: the table
    models' app_label, the migration history in django_migrations and the migration name stay the
    same on existing databases.
    """

    name = "layan.messaging.channels.gammu"
    label = "sms"
    verbose_name = "SMS (Gammu)"
