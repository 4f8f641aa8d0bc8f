from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "layan.applications"
    verbose_name = "Permohonan"

    def ready(self) -> None:
        from . import commands  # noqa: F401 (registers STATUS and DAFTAR with the conversation engine)
