# The Gammu table models are defined beside the channel that uses them; importing them here
# registers them with this app (their Meta.app_label is "sms").
from layan.messaging.channels.gammu.models import (  # noqa: F401
    GammuInbox,
    GammuOutbox,
    GammuOutboxMultipart,
    GammuPhone,
    GammuSentItem,
)
