from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "layan.web"
    verbose_name = "Situs publik"
