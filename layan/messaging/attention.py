"""Messaging's panel on the staff workspace home: conversations waiting for a reply."""

from django.db.models import Max, Min
from django.urls import reverse
from django.utils.translation import gettext as _

from layan.offices.attention import ITEMS_PER_PANEL, AttentionItem, Panel
from layan.offices.models import Office

from .models import InboxAssignment, Message
from .urns import mask_urn


def waiting_conversations(office: Office) -> Panel:
    """Contacts with messages the engine could not answer, oldest wait first, with who took
    each (at most three queries)."""
    waiting = Message.objects.filter(office=office, direction=Message.Direction.IN, needs_reply=True)
    rows = list(
        waiting.values("contact__uuid")
        .annotate(since=Min("created_at"), identity=Max("urn__identity"))
        .order_by("since")[:ITEMS_PER_PANEL]
    )
    count = len(rows) if len(rows) < ITEMS_PER_PANEL else waiting.values("contact_id").distinct().count()
    taken = (
        dict(
            InboxAssignment.objects.filter(
                office=office, contact__uuid__in=[row["contact__uuid"] for row in rows], taken_by__isnull=False
            ).values_list("contact__uuid", "taken_by__username")
        )
        if rows
        else {}
    )
    items = [
        AttentionItem(
            label=mask_urn(row["identity"] or ""),
            since=row["since"],
            url=reverse("messaging:conversation", args=[office.slug, row["contact__uuid"]]),
            detail=_("diambil %(name)s") % {"name": taken[row["contact__uuid"]]}
            if row["contact__uuid"] in taken
            else _("belum diambil"),
        )
        for row in rows
    ]
    return Panel(
        key="messaging-waiting",
        title=_("Percakapan menunggu balasan"),
        count=count,
        items=items,
        url=reverse("messaging:inbox", args=[office.slug]),
        link_text=_("Buka kotak pesan"),
        empty_text=_("Tidak ada pesan yang menunggu balasan."),
    )
