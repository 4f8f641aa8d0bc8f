"""`{% load announcements %}{% latest_announcements office %}`: the "Pengumuman terbaru" block for
the office home. The query result is cached briefly and dropped when an announcement is published."""

from django import template
from django.core.cache import cache

from ..models import Announcement
from ..services import LATEST_CACHE_SECONDS, latest_cache_key

register = template.Library()
LATEST_COUNT = 3


def latest_for(office) -> list[dict]:
    key = latest_cache_key(office.pk)
    rows = cache.get(key)
    if rows is None:
        rows = list(
            Announcement.objects.public()
            .filter(office=office)
            .order_by("-published_at", "-id")
            .values("pk", "title", "published_at")[:LATEST_COUNT]
        )
        cache.set(key, rows, LATEST_CACHE_SECONDS)
    return rows


@register.inclusion_tag("announcements/latest_block.html")
def latest_announcements(office):
    return {"office": office, "rows": latest_for(office)}
