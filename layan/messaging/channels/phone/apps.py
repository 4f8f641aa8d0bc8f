from django.apps import AppConfig


class PhoneConfig(AppConfig):
    name = "layan.messaging.channels.phone"
    label = "phone"
    verbose_name = "Telepon (IVR)"
