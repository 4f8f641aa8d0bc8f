from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from layan.offices.access import get_office_for_user
from layan.offices.models import AuditEvent
from layan.offices.services import record_audit_event

from . import services
from .access import get_call_for_user, get_voice_message_for_user
from .forms import StaffCallForm
from .models import CallLog, VoiceMessage

PAGE_SIZE = 25


@login_required
def dashboard(request, office):
    """IVR calls, voice messages, and the form for a call answered by an officer."""
    office = get_office_for_user(request, office, write=request.method == "POST")
    form = StaffCallForm(request.POST or None, office=office)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        send_sms = "send_sms" in request.POST
        _call, result = services.log_staff_call(
            office,
            staff=request.user,
            caller=data["caller"],
            question=data["question"],
            service=data["service"],
            send_sms=send_sms,
        )
        if result is None:
            messages.success(request, _("Panggilan dicatat."))
        elif result.ok:
            messages.success(request, _("Panggilan dicatat dan tautan SOP dikirim lewat SMS."))
        else:
            messages.warning(request, _("Panggilan dicatat, tetapi SMS tidak terkirim: %s") % result.reason)
        return redirect("phone:dashboard", office=office.slug)
    calls = Paginator(CallLog.objects.filter(office=office).select_related("service__current_version"), PAGE_SIZE)
    voice = VoiceMessage.objects.filter(office=office)[:PAGE_SIZE]
    status = 400 if request.method == "POST" else 200
    context = {
        "office": office,
        "calls": calls.get_page(request.GET.get("hal")),
        "voice_messages": voice,
        "form": form,
    }
    return render(request, "telephone/dashboard.html", context, status=status)


@login_required
@require_GET
def voice_audio(request, office, pk):
    """A voice message's audio, for the office's own staff only."""
    office = get_office_for_user(request, office)
    message = VoiceMessage.objects.filter(office=office, pk=pk).first()
    if message is None or not message.audio:
        raise Http404(_("Pesan suara tidak ditemukan"))
    try:
        handle = message.audio.open("rb")
    except FileNotFoundError as exc:
        raise Http404(_("Berkas rekaman tidak ditemukan")) from exc
    response = FileResponse(handle, content_type="audio/wav")
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def call_back(request, office, pk):
    """One call with the caller's full number, for the officer who calls back: every view is audited."""
    office, call = get_call_for_user(request, office, pk)
    if call.caller:
        record_audit_event(office, actor=request.user, action=AuditEvent.Action.VIEW_PHONE, target=f"call:{call.pk}")
    return render(request, "telephone/call_back.html", {"office": office, "call": call})


@login_required
@require_POST
def voice_handled(request, office, pk):
    """The officer heard the voice message and called back: it leaves the workspace home."""
    office, message = get_voice_message_for_user(request, office, pk, write=True)
    services.mark_voice_message_handled(message)
    messages.success(request, _("Pesan suara ditandai sudah ditindaklanjuti."))
    return redirect("phone:dashboard", office=office.slug)
