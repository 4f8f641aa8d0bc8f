from django.apps import AppConfig


class OfficesConfig(AppConfig):
    name = "layan.offices"
    verbose_name = "Kantor kecamatan"
