"""Staff inbox: conversations the engine could not answer, and the officer's reply."""

import hashlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Max, Min
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from layan.offices.access import get_office_for_user, user_can_write
from layan.offices.models import AuditEvent
from layan.offices.services import record_audit_event

from .access import get_conversation_for_user
from .forms import ReplyForm
from .models import InboxAssignment, Message
from .services import MessagingError, send_staff_reply
from .services.inbox import mark_conversation_done, take_conversation
from .urns import mask_urn

PAGE_SIZE = 25
THREAD_LIMIT = 100


@login_required
def inbox(request, office):
    """Conversations waiting for an answer, the longest wait first: each with its last message
    (NIK masked), channel, waiting time and who took it. htmx polls the list (`?daftar=1`)."""
    office = get_office_for_user(request, office)
    waiting = (
        Message.objects.filter(office=office, direction=Message.Direction.IN, needs_reply=True)
        .values("contact_id", "contact__uuid")
        .annotate(since=Min("created_at"), last_at=Max("created_at"), count=Count("id"), last_id=Max("id"))
        .order_by("since", "contact_id")
    )
    page = Paginator(waiting, PAGE_SIZE).get_page(request.GET.get("page"))
    last = Message.objects.select_related("urn", "channel").in_bulk([row["last_id"] for row in page])
    taken = {
        a.contact_id: a
        for a in InboxAssignment.objects.filter(
            office=office, contact_id__in=[row["contact_id"] for row in page], taken_by__isnull=False
        ).select_related("taken_by")
    }
    rows = []
    for row in page:
        message = last[row["last_id"]]
        rows.append(
            row
            | {
                "masked": mask_urn(message.urn.identity) if message.urn else "",
                "last": message,
                "assignment": taken.get(row["contact_id"]),
            }
        )
    now = timezone.now()
    # What the list shows, to the minute (the ages): a poll that would show the same gets 204,
    # which htmx leaves unswapped, so the live region is not read out again every 20 seconds.
    shown = [
        (row["contact_id"], row["last_id"], row["count"], getattr(row["assignment"], "taken_by_id", None))
        for row in rows
    ]
    version = hashlib.sha256(
        repr((shown, page.number, page.paginator.count, f"{now:%Y%m%d%H%M}")).encode()
    ).hexdigest()[:16]
    polled = request.headers.get("HX-Request") and request.GET.get("daftar")
    if polled and request.GET.get("v") == version:
        return HttpResponse(status=204)
    context = {
        "office": office,
        "page": page,
        "rows": rows,
        "now": now,
        "version": version,
        "can_write": user_can_write(request.user, office),
    }
    if polled:
        return render(request, "messaging/inbox_rows.html", context)
    return render(request, "messaging/inbox.html", context)


@login_required
@require_POST
def take(request, office, contact):
    """Take the conversation (it is mine now); back to the inbox."""
    office, contact = get_conversation_for_user(request, office, contact, write=True)
    take_conversation(office, contact, user=request.user)
    messages.success(request, _("Percakapan Anda ambil."))
    return redirect(_back(request, office))


@login_required
@require_POST
def done(request, office, contact):
    """Mark the conversation done: it leaves the inbox until the citizen asks again."""
    office, contact = get_conversation_for_user(request, office, contact, write=True)
    mark_conversation_done(office, contact, user=request.user)
    messages.success(request, _("Percakapan ditandai selesai."))
    return redirect("messaging:inbox", office=office.slug)


def _back(request, office) -> str:
    """The conversation page when the form came from it, else the inbox (never another site)."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return reverse("messaging:inbox", args=[office.slug])


@login_required
def conversation(request, office, contact):
    office, contact = get_conversation_for_user(request, office, contact, write=request.method == "POST")
    form = ReplyForm(request.POST or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            send_staff_reply(office, contact, text=form.cleaned_data["text"], user=request.user)
        except MessagingError as exc:
            error = str(exc)
        else:
            return redirect("messaging:conversation", office=office.slug, contact=contact.uuid)
    thread = list(
        Message.objects.filter(office=office, contact=contact)
        .select_related("urn", "sent_by")
        .order_by("-created_at", "-id")[:THREAD_LIMIT]
    )[::-1]
    # The reply screen shows the citizen's full number (the officer answers them): each view is audited.
    record_audit_event(
        office, actor=request.user, action=AuditEvent.Action.VIEW_PHONE, target=f"contact:{contact.uuid}"
    )
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "messaging/conversation.html",
        {
            "office": office,
            "contact": contact,
            "thread": thread,
            "form": form,
            "error": error,
            "assignment": InboxAssignment.objects.filter(office=office, contact=contact)
            .select_related("taken_by")
            .first(),
        },
        status=status,
    )
