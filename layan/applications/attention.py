"""The applications panel on the staff workspace home: open applications per status and overdue."""

from urllib.parse import urlencode

from django.db.models import Count, Min, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from layan.offices.attention import AttentionItem, Panel
from layan.offices.models import Office

from .models import CLOCK_STATUSES, OPEN_STATUSES, Application, Status


def open_applications(office: Office) -> Panel:
    """One line for the overdue applications (waiting since the oldest deadline passed), then one
    per open status with its count and how long its oldest file has waited. One query."""
    late = Q(status__in=CLOCK_STATUSES, due_at__lt=timezone.now())
    rows = list(
        Application.objects.filter(office=office, status__in=OPEN_STATUSES)
        .values("status")
        .annotate(
            n=Count("id"),
            oldest=Min("clock_started_at"),
            late=Count("id", filter=late),
            late_since=Min("due_at", filter=late),
        )
        .order_by()
    )
    by_status = {row["status"]: row for row in rows}
    queue = reverse("applications:queue", args=[office.slug])
    late_count = sum(row["late"] for row in rows)
    items = []
    if late_count:
        items.append(
            AttentionItem(
                label=_("Terlambat: %(n)d") % {"n": late_count},
                since=min(row["late_since"] for row in rows if row["late"]),
                detail=_("melewati perkiraan selesai"),
                url=queue,  # the queue lists the overdue first
            )
        )
    for value in Status.values:
        row = by_status.get(value)
        if row:
            items.append(
                AttentionItem(
                    label=f"{Status(value).label}: {row['n']}",
                    since=row["oldest"],
                    url=f"{queue}?{urlencode({'status': value})}",
                )
            )
    return Panel(
        key="applications-open",
        title=_("Permohonan terbuka"),
        count=sum(row["n"] for row in rows),
        items=items,
        url=queue,
        link_text=_("Buka daftar permohonan"),
        empty_text=_("Tidak ada permohonan yang terbuka."),
    )
