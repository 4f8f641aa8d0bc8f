from django.apps import AppConfig


class QueueConfig(AppConfig):
    name = "layan.queue"
    verbose_name = "Antrian"

    def ready(self):
        from . import commands  # noqa: F401  (registers ANTRI, JANJI, HADIR with the engine)
