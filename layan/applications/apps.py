from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "layan.applications"
    verbose_name = "Permohonan"
