"""Staff pages (/staf/<office>/pengumuman/…) and public pages (/<office>/pengumuman/…)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from layan.offices.access import get_office_for_user, get_public_office, user_can_write
from layan.offices.http import public_page

from . import services
from .access import get_announcement_for_user, get_public_announcement
from .forms import AnnouncementForm, CorrectionForm
from .models import Announcement, AnnouncementDelivery
from .stats import delivery_counts
from .text import sms_text

STAFF_PAGE_SIZE = 10
PUBLIC_PAGE_SIZE = 20


@login_required
def staff_list(request, office):
    office = get_office_for_user(request, office)
    page = Paginator(Announcement.objects.filter(office=office), STAFF_PAGE_SIZE).get_page(request.GET.get("page"))
    deliveries = list(AnnouncementDelivery.objects.filter(announcement__in=list(page)).select_related("channel"))
    counts = delivery_counts(deliveries)
    by_announcement: dict[int, list] = {}
    for d in deliveries:
        by_announcement.setdefault(d.announcement_id, []).append((d, counts.get(d.pk)))
    rows = [(a, by_announcement.get(a.pk, [])) for a in page]
    context = {"office": office, "page": page, "rows": rows, "can_write": user_can_write(request.user, office)}
    with timezone.override(office.tz):
        return render(request, "announcements/staff_list.html", context)


@login_required
def staff_create(request, office):
    office = get_office_for_user(request, office, write=True)
    return _edit(request, office, None)


@login_required
def staff_edit(request, office, pk):
    office, announcement = get_announcement_for_user(request, office, pk, write=request.method == "POST")
    if announcement.status in Announcement.PUBLIC:
        return _correct(request, office, announcement)
    return _edit(request, office, announcement)


def _correct(request, office, announcement):
    """A public announcement: correct its web copy (no new broadcast) or withdraw it."""
    form = CorrectionForm(request.POST or None, instance=announcement)
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            services.correct_announcement(announcement, user=request.user, **form.cleaned_data)
        except services.AnnouncementError as exc:
            error = str(exc)
        else:
            messages.success(
                request, _("Koreksi disimpan. Halaman web berubah; pesan yang sudah terkirim tidak dikirim ulang.")
            )
            return redirect("announcements:staff_edit", office=office.slug, pk=announcement.pk)
    context = {"office": office, "form": form, "announcement": announcement, "error": error, "correcting": True}
    status = 400 if request.method == "POST" else 200
    return render(request, "announcements/staff_form.html", context, status=status)


@login_required
@require_POST
def staff_withdraw(request, office, pk):
    office, announcement = get_announcement_for_user(request, office, pk, write=True)
    try:
        services.withdraw_announcement(announcement, user=request.user)
    except services.AnnouncementError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, _("Pengumuman ditarik. Halaman publiknya kini menyatakan bahwa pengumuman ini ditarik.")
        )
    return redirect("announcements:staff_list", office=office.slug)


def _edit(request, office, announcement):
    with timezone.override(office.tz):
        form = AnnouncementForm(request.POST or None, instance=announcement)
        error = ""
        if request.method == "POST" and form.is_valid():
            try:
                saved = _save(request, office, announcement, form.cleaned_data)
            except services.AnnouncementError as exc:
                error = str(exc)
            else:
                return redirect("announcements:staff_edit", office=office.slug, pk=saved.pk)
        context = {
            "office": office,
            "form": form,
            "announcement": announcement,
            "error": error,
            "can_write": user_can_write(request.user, office),
            "sms_preview": sms_text(announcement) if announcement else "",
        }
        status = 400 if request.method == "POST" else 200
        return render(request, "announcements/staff_form.html", context, status=status)


def _save(request, office, announcement, data) -> Announcement:
    """Save the form, then do what the pressed button asked: keep as draft, schedule, publish."""
    action = request.POST.get("action", "draft")
    # A refused schedule must not leave a half-saved new draft behind.
    with transaction.atomic():
        if announcement is None:
            announcement = services.create_announcement(office, user=request.user, **data)
        else:
            announcement = services.update_announcement(announcement, **data)
        if action == "schedule":
            announcement = services.schedule_announcement(announcement, publish_at=data.get("publish_at"))
    if action == "schedule":
        messages.success(request, _("Pengumuman dijadwalkan."))
    elif action == "publish":
        announcement = services.publish_now(announcement)
        messages.success(request, _published_notice(announcement))
    else:
        messages.success(request, _("Draf disimpan."))
    return announcement


@login_required
@require_POST
def staff_publish(request, office, pk):
    office, announcement = get_announcement_for_user(request, office, pk, write=True)
    if announcement.status not in (*Announcement.EDITABLE, Announcement.Status.PUBLISHING):
        messages.error(request, _("Pengumuman ini sudah diterbitkan atau dibatalkan."))
    else:
        announcement = services.publish_now(announcement)
        messages.success(request, _published_notice(announcement))
    return redirect("announcements:staff_list", office=office.slug)


def _published_notice(announcement) -> str:
    if announcement.status == Announcement.Status.PUBLISHING:
        return _("Pengumuman terbit di web. Pesan ke warga sedang dikirim di latar belakang.")
    return _("Pengumuman diterbitkan.")


@login_required
@require_POST
def staff_cancel(request, office, pk):
    office, announcement = get_announcement_for_user(request, office, pk, write=True)
    try:
        services.cancel_announcement(announcement)
    except services.AnnouncementError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Pengumuman dibatalkan."))
    return redirect("announcements:staff_list", office=office.slug)


@public_page
def public_list(request, office_slug):
    office = get_public_office(office_slug, with_region=True)
    announcements = Announcement.objects.public().filter(office=office).order_by("-published_at", "-id")
    page = Paginator(announcements, PUBLIC_PAGE_SIZE).get_page(request.GET.get("page"))
    # Dates and times in the office's own zone (WIB, WITA or WIT), not the server's.
    with timezone.override(office.tz):
        return render(request, "announcements/list.html", {"office": office, "page": page})


@public_page
def public_detail(request, office_slug, pk):
    office = get_public_office(office_slug, with_region=True)
    announcement = get_public_announcement(office, pk)
    # A withdrawn announcement's address keeps answering, with the notice: 410 Gone tells search
    # engines and feed readers to drop it.
    status = 410 if announcement.status == Announcement.Status.WITHDRAWN else 200
    context = {"office": office, "announcement": announcement}
    with timezone.override(office.tz):
        return render(request, "announcements/detail.html", context, status=status)
