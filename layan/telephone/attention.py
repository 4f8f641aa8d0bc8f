"""The telephone line's panel on the staff workspace home: voice messages to hear and call back."""

from django.urls import reverse
from django.utils.translation import gettext as _

from layan.offices.attention import ITEMS_PER_PANEL, AttentionItem, Panel
from layan.offices.models import Office

from .models import VoiceMessage


def voice_messages_to_return(office: Office) -> Panel:
    """Voice messages nobody has followed up yet (handled_at empty), oldest first: each one is a
    caller waiting to be heard and called back (one or two queries)."""
    pending = VoiceMessage.objects.filter(office=office, handled_at__isnull=True)
    rows = list(pending.order_by("created_at", "id")[:ITEMS_PER_PANEL])
    count = len(rows) if len(rows) < ITEMS_PER_PANEL else pending.count()
    dashboard = reverse("phone:dashboard", args=[office.slug])
    items = [
        AttentionItem(
            label=vm.masked_caller,
            since=vm.created_at,
            url=reverse("phone:call_back", args=[office.slug, vm.call_id]) if vm.call_id else dashboard,
            detail=_("%(seconds)d detik") % {"seconds": round(vm.seconds)},
        )
        for vm in rows
    ]
    return Panel(
        key="telephone-voice",
        title=_("Pesan suara belum didengar, telepon balik"),
        count=count,
        items=items,
        url=dashboard,
        link_text=_("Buka layanan telepon"),
        empty_text=_("Tidak ada pesan suara yang menunggu."),
    )
