"""The letters' panel on the staff workspace home: drafts waiting for the camat's signature."""

from django.urls import reverse
from django.utils.translation import gettext as _

from layan.offices.attention import ITEMS_PER_PANEL, AttentionItem, Panel
from layan.offices.models import Office

from .models import Letter


def letters_to_sign(office: Office) -> Panel:
    """Drafts not yet signed, oldest first (one or two queries)."""
    drafts = Letter.objects.without_pdf().filter(office=office, state=Letter.State.DRAFT)
    rows = list(drafts.select_related("application").order_by("created_at", "id")[:ITEMS_PER_PANEL])
    count = len(rows) if len(rows) < ITEMS_PER_PANEL else drafts.count()
    items = [
        AttentionItem(
            label=letter.subject,
            since=letter.created_at,
            url=reverse("letters:staff_letter", args=[office.slug, letter.pk]),
            detail=letter.application.tracking_code,
        )
        for letter in rows
    ]
    return Panel(
        key="letters-to-sign",
        title=_("Surat menunggu tanda tangan"),
        count=count,
        items=items,
        url=reverse("letters:staff_list", args=[office.slug]),
        link_text=_("Buka daftar surat"),
        empty_text=_("Tidak ada surat yang menunggu tanda tangan."),
    )
