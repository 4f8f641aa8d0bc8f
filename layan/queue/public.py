"""The citizen's queue pages: the kiosk in the office, the web ticket, web booking, and the live
status page of a ticket (what its QR code opens).

The kiosk runs on the office LAN and keeps working when the internet is down: its page loads
only this site's own CSS and script, and works without the script. The status page shows no
personal data: the ticket's number, lane, place in the queue and the estimated wait.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from layan.catalogue.models import Service
from layan.messaging.services import get_or_create_urn
from layan.offices import ratelimit
from layan.offices.access import get_public_office
from layan.offices.http import public_page
from layan.offices.models import Office

from . import intake, links, queries, services, slips
from .forms import BookingForm, CheckInForm, WebTicketForm
from .models import Call, Lane, PriorityGroup, Ticket
from .qr import qr_svg

# The kiosk's ticket screen goes back to the start by itself after this long (kiosk.js).
KIOSK_RETURN_SECONDS = 45
# The status page polls this often (htmx); without JavaScript it reloads itself (meta refresh).
STATUS_REFRESH_SECONDS = 15


def _priority_groups(office: Office) -> list[PriorityGroup]:
    return list(PriorityGroup.objects.filter(office=office, is_active=True).order_by("pk"))


def _chosen(office: Office, request: HttpRequest) -> tuple[Lane | None, Service | None, PriorityGroup | None, str]:
    """The service (by its code) or lane (by its letter) and the priority group a kiosk or web
    form posted; an error text if none or a bad one."""
    lane, service = None, None
    if code := request.POST.get("service", ""):
        link = next((link for link in intake.lane_services(office) if link.service.code == code), None)
        if link is not None:
            lane, service = link.lane, link.service
    else:
        lane = Lane.objects.filter(office=office, is_active=True, code=request.POST.get("lane", "")).first()
    if lane is None:
        return None, None, None, _("Pilih salah satu layanan.")
    priority = None
    if code := request.POST.get("priority", ""):
        priority = PriorityGroup.objects.filter(office=office, code=code, is_active=True).first()
        if priority is None:
            return None, None, None, _("Kelompok prioritas tidak dikenal.")
    return lane, service, priority, ""


@require_http_methods(["GET", "HEAD", "POST"])
def kiosk(request: HttpRequest, office_slug: str) -> HttpResponse:
    """The touch screen: pick a lane (and a priority group), get a number."""
    office = get_public_office(office_slug)
    kiosk_name = _kiosk_name(request)
    error = ""
    if request.method == "POST":
        lane, service, priority, error = _chosen(office, request)
        if lane is not None:
            try:
                ticket = services.take_ticket(
                    office, lane=lane, service=service, source=Ticket.Source.KIOSK, priority=priority
                )
            except services.QueueError as exc:
                error = str(exc)
            else:
                # Committed: the number stands whatever the printer does; it is printed at once.
                _print(request, ticket, kiosk_name)
                return _to_kiosk_ticket(office, ticket, kiosk_name)
    context = {
        "office": office,
        "kiosk_name": kiosk_name,
        "lanes": intake.lanes_with_services(office),
        "priorities": _priority_groups(office),
        "closed": intake.closed_notice(office),
        "error": error,
    }
    with timezone.override(office.tz):
        return render(request, "queue/kiosk.html", context, status=400 if error else 200)


@public_page
def kiosk_ticket(request: HttpRequest, office_slug: str, token: str) -> HttpResponse:
    """The number just taken, large, with the QR code of its status page, what the printer did,
    and a button to print it again (the office's thermal printer, else the browser's)."""
    office = get_public_office(office_slug)
    ticket = _ticket(office, token)
    kiosk_name = _kiosk_name(request)
    context = _ticket_context(office, ticket) | {
        "return_after": KIOSK_RETURN_SECONDS,
        "kiosk_name": kiosk_name,
        "has_printer": slips.printer_for(office, kiosk_name) is not None,
    }
    with timezone.override(office.tz):
        return render(request, "queue/kiosk_ticket.html", context)


@require_POST
def kiosk_print(request: HttpRequest, office_slug: str, token: str) -> HttpResponse:
    """Print the ticket (again) on the kiosk's thermal printer."""
    office = get_public_office(office_slug)
    ticket = _ticket(office, token)
    kiosk_name = _kiosk_name(request)
    _print(request, ticket, kiosk_name)
    return _to_kiosk_ticket(office, ticket, kiosk_name)


@public_page
def ticket_pdf(request: HttpRequest, office_slug: str, token: str) -> HttpResponse:
    """The ticket as a 58 mm PDF, for a web ticket or a kiosk without a thermal printer."""
    office = get_public_office(office_slug)
    ticket = _ticket(office, token)
    response = HttpResponse(slips.pdf_for(ticket, status_url=links.ticket_status_url(ticket)), "application/pdf")
    response["Content-Disposition"] = f'inline; filename="antrian-{ticket.display}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


def _kiosk_name(request: HttpRequest) -> str:
    """Which kiosk this is (`?kiosk=lobi` in its bookmarked address), for its own printer."""
    name = request.POST.get("kiosk") or request.GET.get("kiosk") or ""
    return name if name and len(name) <= 40 and all(ch.isalnum() or ch in "-_" for ch in name) else ""


def _to_kiosk_ticket(office: Office, ticket: Ticket, kiosk_name: str) -> HttpResponse:
    url = reverse("queue:kiosk_ticket", kwargs={"office_slug": office.slug, "token": ticket.token})
    return redirect(url + (f"?{urlencode({'kiosk': kiosk_name})}" if kiosk_name else ""))


def _print(request: HttpRequest, ticket: Ticket, kiosk_name: str) -> None:
    """Print on the kiosk's printer, if it has one; the visitor reads what happened on the screen."""
    if slips.printer_for(ticket.office, kiosk_name) is None:
        return
    outcome = slips.print_for(ticket, status_url=links.ticket_status_url(ticket), kiosk=kiosk_name)
    (messages.success if outcome.ok else messages.warning)(request, outcome.message)


@require_http_methods(["GET", "HEAD", "POST"])
def kiosk_check_in(request: HttpRequest, office_slug: str) -> HttpResponse:
    """A citizen with an appointment types its code: the booking becomes a ticket (with its priority)."""
    office = get_public_office(office_slug)
    form = CheckInForm(request.POST or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        appointment = queries.find_appointment(office, form.cleaned_data["code"])
        try:
            if appointment is None:
                raise services.QueueError(_("Kode janji temu tidak ditemukan. Periksa lagi kodenya."))
            ticket = services.check_in(appointment)
        except services.QueueError as exc:
            error = str(exc)
        else:
            return redirect("queue:kiosk_ticket", office_slug=office.slug, token=ticket.token)
    status = 400 if request.method == "POST" else 200
    with timezone.override(office.tz):
        context = {"office": office, "form": form, "error": error}
        return render(request, "queue/kiosk_check_in.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
def web_ticket(request: HttpRequest, office_slug: str) -> HttpResponse:
    """A number taken from home: the same queue as the kiosk, with an SMS at "3 nomor lagi"."""
    office = get_public_office(office_slug, with_region=True)
    form = WebTicketForm(request.POST or None)
    error = ""
    if request.method == "POST":
        ratelimit.check(request, intake.QUEUE_RATE)
    if request.method == "POST" and form.is_valid():
        lane, service, priority, error = _chosen(office, request)
        if lane is not None:
            phone = form.cleaned_data["phone"]
            urn = get_or_create_urn("tel:" + phone) if phone else None
            try:
                ticket = services.take_ticket(
                    office, lane=lane, service=service, source=Ticket.Source.WEB, priority=priority, urn=urn
                )
            except services.QueueError as exc:
                error = str(exc)
            else:
                return redirect("queue:status", office_slug=office.slug, token=ticket.token)
    context = {
        "office": office,
        "form": form,
        "lanes": intake.lanes_with_services(office),
        "priorities": _priority_groups(office),
        "closed": intake.closed_notice(office),
        "error": error,
    }
    status = 400 if request.method == "POST" else 200
    with timezone.override(office.tz):
        return render(request, "queue/web_ticket.html", context, status=status)


@public_page
def status(request: HttpRequest, office_slug: str, token: str) -> HttpResponse:
    """The live status of one ticket; htmx polls its panel, a page without script reloads itself."""
    office = get_public_office(office_slug, with_region=True)
    ticket = _ticket(office, token)
    version = _status_version(ticket)
    polled = request.headers.get("HX-Request")
    if polled and request.GET.get("v") == version:
        # Many phones poll: an unchanged status costs two indexed lookups, and htmx keeps the panel.
        return HttpResponse(status=204, headers={"Cache-Control": "no-store"})
    context = _ticket_context(office, ticket) | {"refresh": STATUS_REFRESH_SECONDS, "version": version}
    template = "queue/status.html#panel" if polled else "queue/status.html"
    with timezone.override(office.tz):
        response = render(request, template, context)
    # The page changes with every call: no shared or browser cache may keep an old position.
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET", "HEAD", "POST"])
def booking(request: HttpRequest, office_slug: str) -> HttpResponse:
    """Web booking: choose a service, then a free slot, then leave a name and number."""
    office = get_public_office(office_slug, with_region=True)
    services_offered = [link.service for link in intake.lane_services(office)]
    service = next((s for s in services_offered if s.code == request.GET.get("layanan", "")), None)
    slots = intake.open_slots(office, service=service) if service is not None else []
    form = BookingForm(request.POST or None)
    error = ""
    if request.method == "POST":
        ratelimit.check(request, intake.QUEUE_RATE)
    if request.method == "POST" and service is not None and form.is_valid():
        slot = next((s for s in slots if str(s.pk) == request.POST.get("slot", "")), None)
        if slot is None:
            error = _("Pilih salah satu jadwal yang masih tersedia.")
        else:
            try:
                appointment = services.book_appointment(
                    slot, name=form.cleaned_data["name"], phone=form.cleaned_data["phone"]
                )
            except services.QueueError as exc:
                error = str(exc)
            else:
                return redirect("queue:booked", office_slug=office.slug, booking_code=appointment.code)
    elif request.method == "POST":
        error = _("Periksa isian di bawah.")
    context = {
        "office": office,
        "services": services_offered,
        "service": service,
        "slots": slots,
        "form": form,
        "error": error,
    }
    with timezone.override(office.tz):
        return render(request, "queue/booking.html", context, status=400 if error else 200)


@public_page
def booked(request: HttpRequest, office_slug: str, booking_code: str) -> HttpResponse:
    """The booking's confirmation: the code to type at the kiosk, date and time. No name or number."""
    office = get_public_office(office_slug, with_region=True)
    appointment = queries.find_appointment(office, booking_code)
    if appointment is None:
        raise Http404(_("Janji temu tidak ditemukan"))
    with timezone.override(office.tz):
        response = render(request, "queue/booked.html", {"office": office, "appointment": appointment})
    response["Cache-Control"] = "no-store"
    return response


def _ticket(office: Office, token: str) -> Ticket:
    ticket = queries.find_ticket(token)
    if ticket is None or ticket.office_id != office.pk:
        raise Http404(_("Nomor antrian tidak ditemukan"))
    return ticket


def _status_version(ticket: Ticket) -> str:
    """What moves a ticket's place, state or estimate: the office's latest call, the lane's latest
    ticket (a priority one may go ahead), its own status, and the minute (counters pausing, a
    ticket cancelled)."""
    calls = Call.objects.filter(office_id=ticket.office_id).order_by("-created_at", "-id")
    tickets = Ticket.objects.filter(lane_id=ticket.lane_id, day=ticket.day).order_by("-id")
    last_call = calls.values_list("id", flat=True).first()
    last_ticket = tickets.values_list("id", flat=True).first()
    return f"{last_call}.{last_ticket}.{ticket.status}.{timezone.now():%H%M}"


def _ticket_context(office: Office, ticket: Ticket) -> dict:
    url = links.ticket_status_url(ticket)
    state = queries.ticket_status(ticket)
    return {
        "office": office,
        "ticket": ticket,
        "ahead": state["ahead"],
        "wait_minutes": state["estimated_wait"],
        "status_url": url,
        "qr": qr_svg(url),
    }
