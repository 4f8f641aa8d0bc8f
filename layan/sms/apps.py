from django.apps import AppConfig


class SmsConfig(AppConfig):
    """Owns the Gammu SMSD tables and the SMS operator commands (gammu_config, gammu_poll, kannel_config).

    The channel code itself lives in layan/messaging/channels/{gammu,kannel,android}/.
    """

    name = "layan.sms"
    label = "sms"
    verbose_name = "SMS (Gammu, Kannel, Android)"
