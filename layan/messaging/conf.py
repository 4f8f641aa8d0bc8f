"""Messaging settings, read from django.conf.settings with defaults (add them to settings.py to change)."""

from django.conf import settings


def sms_max_parts() -> int:
    """Longest reply, in SMS parts (153 GSM-7 characters each once concatenated)."""
    return int(getattr(settings, "LAYAN_SMS_MAX_PARTS", 3))


def inbound_dedup_seconds() -> float:
    """Same text from the same URN within this window counts as one message (no provider id)."""
    return float(getattr(settings, "LAYAN_INBOUND_DEDUP_SECONDS", 5))


def outbox_max_attempts() -> int:
    return int(getattr(settings, "LAYAN_OUTBOX_MAX_ATTEMPTS", 5))


def outbox_lease_seconds() -> float:
    """How long a worker owns a claimed row; after that another worker may take it over."""
    return float(getattr(settings, "LAYAN_OUTBOX_LEASE_SECONDS", 120))


def conversation_ttl_seconds() -> float:
    """How long a question the engine asked (numbered choices, kecamatan name) stays open."""
    return float(getattr(settings, "LAYAN_CONVERSATION_TTL_SECONDS", 3600))
