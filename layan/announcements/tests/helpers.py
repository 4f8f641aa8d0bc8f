"""create_* helpers and a fake Facebook Page for announcement tests."""

from django.utils import timezone

from layan.announcements.services import create_announcement
from layan.messaging.models import Channel, Contact, ContactURN, Subscription

PAGE_POSTS: list[dict] = []
FAKE_POST_FUNCTION = "layan.announcements.tests.helpers.fake_post_to_page"
FAILING_POST_FUNCTION = "layan.announcements.tests.helpers.failing_post_to_page"


def fake_post_to_page(channel, message, link=None) -> str:
    PAGE_POSTS.append({"channel": channel.pk, "message": message, "link": link})
    return f"page_{len(PAGE_POSTS)}"


def failing_post_to_page(channel, message, link=None) -> str:
    raise RuntimeError("(#200) izin halaman kurang")


def create_channel(office, kind: str, name: str = "") -> Channel:
    # Written directly: the facebook/whatsapp/telegram kinds may not be in Channel.Kind yet.
    return Channel.objects.create(office=office, kind=kind, name=name or kind)


def create_contact(office, *identities: str) -> list[ContactURN]:
    """A citizen of `office` with these URNs, each subscribed to its broadcasts."""
    contact = Contact.objects.create(office=office)
    urns = []
    for identity in identities:
        scheme, path = identity.split(":", 1)
        urn = ContactURN.objects.create(contact=contact, scheme=scheme, path=path, identity=identity)
        Subscription.objects.create(office=office, urn=urn)
        urns.append(urn)
    return urns


def opt_out_of(office, urn: ContactURN) -> None:
    Subscription.objects.filter(office=office, urn=urn).update(opted_out_at=timezone.now(), opt_out_source="test")


def is_opted_out(office, urn: ContactURN) -> bool:
    return Subscription.objects.get(office=office, urn=urn).is_opted_out


def create_draft(office, **fields):
    defaults = {"title": "Pelayanan KTP keliling", "body": "Perekaman KTP-el di Desa Balayan hari Sabtu pukul 08.00."}
    return create_announcement(office, **(defaults | fields))
