"""An SMS to a phone number, for a domain that has the number but no conversation (the telephone
line's "send me this by SMS"): the URN, the office's SMS line and the outbox row in one call."""

from django.db import transaction

from layan.messaging.models import Message
from layan.messaging.routing import sms_channel
from layan.messaging.urns import tel_urn
from layan.offices.models import Office

from .errors import MessagingError
from .inbound import get_or_create_urn
from .outbound import enqueue


@transaction.atomic
def enqueue_sms(office: Office, *, number: str, text: str, sent_by=None) -> Message:
    """An SMS to a phone number on the office's SMS line (`routing.sms_channel`), for a request
    the citizen made elsewhere (the telephone line). Raises URNError for a number that is not
    one, MessagingError when the office has no SMS line."""
    identity = tel_urn(number)
    channel = sms_channel(office)
    if channel is None:
        raise MessagingError("Kantor belum punya kanal SMS yang aktif.")
    return enqueue(get_or_create_urn(identity), text, office=office, channel=channel, sent_by=sent_by)
