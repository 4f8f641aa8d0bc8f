"""Staff inbox: conversations the engine could not answer, and the officer's reply."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Max
from django.shortcuts import redirect, render

from layan.offices.access import get_office_for_user
from layan.offices.models import AuditEvent
from layan.offices.services import record_audit_event

from .access import get_conversation_for_user
from .forms import ReplyForm
from .models import ContactURN, Message
from .services import MessagingError, send_staff_reply
from .urns import mask_urn

PAGE_SIZE = 25
THREAD_LIMIT = 100


@login_required
def inbox(request, office):
    office = get_office_for_user(request, office)
    waiting = (
        Message.objects.filter(office=office, direction=Message.Direction.IN, needs_reply=True)
        .values("contact_id", "contact__uuid")
        .annotate(last_at=Max("created_at"), count=Count("id"), urn_id=Max("urn_id"))
        .order_by("-last_at")
    )
    page = Paginator(waiting, PAGE_SIZE).get_page(request.GET.get("page"))
    urns = ContactURN.objects.in_bulk([row["urn_id"] for row in page])
    rows = [row | {"masked": mask_urn(urns[row["urn_id"]].identity)} for row in page]
    return render(request, "messaging/inbox.html", {"office": office, "page": page, "rows": rows})


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
        {"office": office, "contact": contact, "thread": thread, "form": form, "error": error},
        status=status,
    )
