from django.apps import AppConfig


class QueueConfig(AppConfig):
    name = "layan.queue"
    verbose_name = "Antrian"
