from layan.messaging.channels.telegram.command import Command  # noqa: F401
