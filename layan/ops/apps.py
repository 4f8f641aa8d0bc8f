from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Operations: serving the site with its background worker."""

    name = "layan.ops"
    verbose_name = "Operasional"
