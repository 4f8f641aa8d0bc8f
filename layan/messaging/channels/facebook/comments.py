"""Page comments that ask about a service get a private reply with the catalogue's answer.

Only a clear catalogue match is answered ("syarat ktp apa min?"); praise, complaints and vague
comments are left to the officers who run the Page. The commenter is known only by their Facebook
user id (not a Messenger PSID), so they are stored as `ext:fb-user-<id>`, and the comment id rides
on the inbound event (provider id `comment:<id>`), which also makes a re-delivered webhook a no-op.
"""

from layan.catalogue.cases import cases_in
from layan.catalogue.models import ServiceVersion
from layan.catalogue.search import clear_match, search_services
from layan.messaging.engine import Context, EngineReply, EngineResult
from layan.messaging.engine import text as textlib
from layan.messaging.engine.catalogue import compose_service_reply
from layan.messaging.models import Channel, InboundEvent, Message
from layan.messaging.services import Incoming, receive

from .transport import COMMENT_PREFIX


def catalogue_answer(channel: Channel, text: str) -> str | None:
    """The engine's answer to `text` when the catalogue has one clear match, else None."""
    office = channel.office
    terms = textlib.search_terms(text)
    if office is None or not terms:
        return None
    hit = clear_match(search_services(office, terms, limit=5))
    if hit is None:
        return None
    version = ServiceVersion.objects.filter(pk=hit.version_id, office=office).first()
    if version is None:
        return None
    # compose_service_reply reads only the office and the length budget from the context.
    ctx = Context(channel=channel, urn=None, contact=None, text=text, office=office)  # type: ignore[arg-type]
    return compose_service_reply(ctx, version, hit.code, cases=cases_in(text))


def answer_page_comment(channel: Channel, value: dict) -> Message | None:
    """Handle one `feed` change; returns the queued private reply, or None when there is none."""
    if value.get("item") != "comment" or value.get("verb") != "add":
        return None
    comment_id = str(value.get("comment_id") or "")
    author = str((value.get("from") or {}).get("id") or "")
    text = str(value.get("message") or "")
    page_id = str((channel.config or {}).get("page_id") or "")
    if not comment_id or not author or author == page_id:
        return None
    answer = catalogue_answer(channel, text)
    if answer is None:
        return None
    item = Incoming(f"ext:fb-user-{author}", text, provider_id=COMMENT_PREFIX + comment_id, payload=str(value)[:4000])
    [event] = receive(channel, [item], responder=lambda ctx: EngineResult([EngineReply(answer)], channel.office))
    if not isinstance(event, InboundEvent):
        return None
    return Message.objects.filter(in_reply_to__event=event, direction=Message.Direction.OUT).first()
