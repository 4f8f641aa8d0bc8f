from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "layan.catalogue"
    verbose_name = "Katalog layanan (SOP)"
