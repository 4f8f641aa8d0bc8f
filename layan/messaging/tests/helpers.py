"""Small create_* helpers for messaging tests."""

import contextlib
import threading
from http.server import ThreadingHTTPServer

from layan.messaging.models import Channel, Message, Subscription
from layan.messaging.services import Audience, Incoming, create_channel, enqueue_broadcast, receive

CITIZEN = "tel:+6281234567890"


def create_test_channel(office, **fields) -> Channel:
    return create_channel(kind="test", name="Uji", office=office, **fields)


def replies_to(event) -> list[str]:
    """What the citizen would receive for one inbound event."""
    return list(
        Message.objects.filter(in_reply_to__event=event, direction=Message.Direction.OUT)
        .order_by("id")
        .values_list("text", flat=True)
    )


def receive_one(channel, *, urn: str, text: str, **fields):
    """`receive` for one message: its InboundEvent, or None for a duplicate; raises its error."""
    [result] = receive(channel, [Incoming(urn=urn, text=text, **fields)])
    if isinstance(result, Exception):
        raise result
    return result


def broadcast(office, text: str, *, channel, scheme: str = "tel") -> list[Message]:
    """The office's broadcast of `text` to its subscribers of `scheme`: the rows written."""
    enqueue_broadcast(text, Audience(office, scheme), channel=channel)
    return list(Message.objects.filter(is_broadcast=True, text=text).order_by("id"))


def subscription_state(identity: str, office) -> str:
    """'subscribed', 'opted out' or 'none': the URN's subscription to `office`'s broadcasts."""
    found = Subscription.objects.filter(urn__identity=identity, office=office).first()
    if found is None:
        return "none"
    return "opted out" if found.is_opted_out else "subscribed"


def ask(channel, text: str, urn: str = CITIZEN, provider_id: str | None = None) -> list[str]:
    event = receive_one(channel, urn=urn, text=text, provider_id=provider_id, payload={"text": text})
    assert event is not None, "message was treated as a duplicate"
    return replies_to(event)


@contextlib.contextmanager
def loopback_server(handler):
    """A fake gateway: `handler` (a BaseHTTPRequestHandler class) served on 127.0.0.1 in a thread."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    # shutdown() waits for the loop's next poll: 0.5 s by default, paid by every test that stops it.
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True).start()
    try:
        yield server
    finally:
        server.shutdown()
