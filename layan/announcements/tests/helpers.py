"""create_* helpers and a fake Facebook Page for announcement tests."""

from layan.announcements.services import create_announcement
from layan.messaging.models import Channel, Contact, ContactURN

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
    contact = Contact.objects.create(office=office)
    urns = []
    for identity in identities:
        scheme, path = identity.split(":", 1)
        urns.append(ContactURN.objects.create(contact=contact, scheme=scheme, path=path, identity=identity))
    return urns


def create_draft(office, **fields):
    defaults = {"title": "Pelayanan KTP keliling", "body": "Perekaman KTP-el di Desa Balayan hari Sabtu pukul 08.00."}
    return create_announcement(office, **(defaults | fields))
