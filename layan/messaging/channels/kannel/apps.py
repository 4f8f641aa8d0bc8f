from django.apps import AppConfig


class KannelConfig(AppConfig):
    """The Kannel channel as an app, for its command kannel_config (no models)."""

    name = "layan.messaging.channels.kannel"
    label = "kannel"
    verbose_name = "SMS (Kannel)"
