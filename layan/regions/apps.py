from django.apps import AppConfig


class RegionsConfig(AppConfig):
    name = "layan.regions"
    verbose_name = "Wilayah"
