"""What other apps read of the announcements: plain functions, no HTTP or template code."""

from django.core.cache import cache

from .models import Announcement
from .services import LATEST_CACHE_SECONDS, latest_cache_key

LATEST_COUNT = 3


def latest_for(office) -> list[dict]:
    """The office's newest public announcements (pk, title, published_at), newest first.

    Cached briefly; publishing an announcement drops the entry, so a new one shows at once.
    """
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
