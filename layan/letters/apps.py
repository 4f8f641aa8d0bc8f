from django.apps import AppConfig


class LettersConfig(AppConfig):
    name = "layan.letters"
    verbose_name = "Surat"
