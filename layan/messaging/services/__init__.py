"""Messaging's API: the only writers of messages. Other apps and the channels call these.

    receive(channel, [Incoming(...)])      inbound, one message or a batch (inbound.py)
    enqueue(urn, text, office=…)           one message to one citizen (outbound.py)
    enqueue_sms(office, number=…, text=…)  an SMS to a phone number, for other domains (sms.py)
    enqueue_broadcast(text, audience, …)   an office's broadcast to its subscribers
    send_staff_reply(office, contact, …)   an officer answers a conversation
    update_status(channel, …)              a delivery receipt
    opt_out / opt_in                       STOP and MULAI (subscriptions.py)
    create_channel / save_channel          the operator's channel settings (channels.py)

Every outbound message is a `Message` row written in the caller's transaction; the worker
(`manage.py sendmessages`) delivers it.
"""

from .channels import check_channel, create_channel, get_simulator_channel, save_channel
from .errors import MessagingError
from .inbound import Incoming, get_or_create_urn, receive
from .outbound import (
    Audience,
    BroadcastLink,
    enqueue,
    enqueue_broadcast,
    send_staff_reply,
    update_status,
)
from .sms import enqueue_sms
from .subscriptions import opt_in, opt_out

__all__ = [
    "Audience",
    "BroadcastLink",
    "Incoming",
    "MessagingError",
    "check_channel",
    "create_channel",
    "enqueue",
    "enqueue_broadcast",
    "enqueue_sms",
    "get_or_create_urn",
    "get_simulator_channel",
    "save_channel",
    "opt_in",
    "opt_out",
    "receive",
    "send_staff_reply",
    "update_status",
]
