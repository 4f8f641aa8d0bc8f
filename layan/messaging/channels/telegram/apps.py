from django.apps import AppConfig


class TelegramConfig(AppConfig):
    """The Telegram channel as an app, for its command telegram_set_webhook (no models)."""

    name = "layan.messaging.channels.telegram"
    label = "telegram"
    verbose_name = "Telegram"
