"""`{% load announcements %}{% latest_announcements office %}`: the "Pengumuman terbaru" block."""

from django import template

from ..queries import latest_for

register = template.Library()


@register.inclusion_tag("announcements/latest_block.html")
def latest_announcements(office):
    return {"office": office, "rows": latest_for(office)}
