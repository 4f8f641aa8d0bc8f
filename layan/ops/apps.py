from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Operations: serving the site with its background worker."""

    name = "layan.ops"
    verbose_name = "Operasional"

    def ready(self) -> None:
        from . import checks  # noqa: F401 (registers the deploy checks)
