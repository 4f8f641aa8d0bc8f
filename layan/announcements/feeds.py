"""RSS 2.0 and Atom feeds of an office's announcements (readers, other sites, the kabupaten portal)."""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from layan.offices.access import get_public_office

from .models import Announcement

FEED_ITEMS = 20


class AnnouncementFeed(Feed):
    def get_object(self, request, office_slug):
        return get_public_office(office_slug, with_region=True)

    def title(self, office):
        return f"Pengumuman {office.name}"

    def link(self, office):
        return reverse("announcements:list", args=[office.slug])

    def description(self, office):
        return f"Pengumuman resmi {office.name}, {office.district.regency.name}."

    def items(self, office):
        return (
            Announcement.objects.public()
            .filter(office=office)
            .select_related("office")
            .order_by("-published_at", "-id")[:FEED_ITEMS]
        )

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.body

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.published_at

    def item_guid(self, item):
        return f"layan:announcement:{item.office_id}:{item.pk}"

    item_guid_is_permalink = False


class AnnouncementAtomFeed(AnnouncementFeed):
    feed_type = Atom1Feed

    def subtitle(self, office):
        return self.description(office)
