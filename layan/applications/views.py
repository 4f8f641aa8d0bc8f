"""Public application pages: the web form per service, its confirmation, and the tracking page.

Everything here works without JavaScript. The tracking page shows what the office does with the
file (service, status, dates, deadline, what is missing) and never who applied: the code is all a
visitor needs, so the page holds nothing a stranger with a guessed code could misuse. Tracking
lookups and submissions are rate-limited per client address (layan.offices.ratelimit).
"""

from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from layan.catalogue.models import Service, ServiceVersion
from layan.offices import ratelimit
from layan.offices.access import get_public_office
from layan.offices.hours import day_status, format_spans, hour_runs
from layan.offices.http import public_page
from layan.offices.models import Office

from . import sla
from .forms import ApplyForm, LookupForm
from .models import Application, Channel, RequirementCheck, Status
from .public import public_status
from .queries import find_by_tracking
from .services import ApplicationError, submit_application
from .uploads import remove_stored, save_attachment

# What each status means for the citizen, in plain words (the labels are the officers' terms).
STATUS_TEXT = {
    Status.DIAJUKAN: gettext_lazy("Permohonan Anda sudah kami terima dan menunggu diperiksa petugas."),
    Status.DIVERIFIKASI: gettext_lazy("Berkas Anda sudah diperiksa petugas dan lengkap; sebentar lagi dikerjakan."),
    Status.PERLU_PERBAIKAN: gettext_lazy(
        "Berkas Anda belum lengkap atau perlu diperbaiki. Lengkapi yang kurang di bawah ini, lalu bawa ke kantor "
        "atau hubungi petugas."
    ),
    Status.DIPROSES: gettext_lazy("Permohonan Anda sedang dikerjakan petugas."),
    Status.SELESAI: gettext_lazy("Sudah selesai dan siap diambil di kantor. Bawa KTP asli dan kode lacak ini."),
    Status.DIAMBIL: gettext_lazy("Sudah diambil. Terima kasih telah menggunakan layanan kami."),
    Status.DITOLAK: gettext_lazy(
        "Permohonan Anda tidak dapat diproses. Alasannya dikirim kepada Anda; hubungi kantor bila ada pertanyaan."
    ),
}


def week_hours(office: Office) -> list[tuple[str, str]]:
    """The office's open days as ("Senin–Kamis", "08.00–15.30") pairs: when to come and collect."""
    return [(run.days("–"), format_spans(run.spans)) for run in hour_runs(office.opening_hours.all())]


def _public_service(office_slug: str, code: str) -> tuple[Office, Service, ServiceVersion]:
    service = (
        Service.objects.published()
        .filter(office__slug=office_slug, office__is_active=True, code=code)
        .select_related("office__district__regency", "current_version")
        .first()
    )
    if service is None or service.current_version is None:
        raise Http404(_("Layanan tidak ditemukan"))
    return service.office, service, service.current_version


@require_http_methods(["GET", "HEAD", "POST"])
def apply(request: HttpRequest, office_slug: str, code: str) -> HttpResponse:
    """The web form for one service: applicant, desa, the checklist with optional uploads."""
    if office_slug != office_slug.lower() or code != code.lower():
        return redirect("applications:apply", office_slug=office_slug.lower(), code=code.lower(), permanent=True)
    try:
        office, service, version = _public_service(office_slug, code)
    except Http404:
        return render(request, "404.html", {"office": get_public_office(office_slug, with_region=True)}, status=404)
    requirements = list(version.requirements.all())
    posted = request.method == "POST"
    form = ApplyForm(
        request.POST if posted else None, request.FILES if posted else None, office=office, requirements=requirements
    )
    if posted:
        ratelimit.check(request, ratelimit.APPLY)
        if form.is_valid():
            try:
                application = _submit(office, service, form)
            except ApplicationError as exc:
                form.add_error(None, exc)
            else:
                return redirect("applications:submitted", office_slug=office.slug, tracking=application.tracking_code)
    context = {"office": office, "service": service, "version": version, "form": form, "rows": form.rows()}
    return render(request, "applications/apply.html", context, status=400 if posted else 200)


def _submit(office: Office, service: Service, form: ApplyForm) -> Application:
    data = form.cleaned_data
    stored: list[str] = []
    try:
        with transaction.atomic():
            application = _submit_rows(office, service, form, data, stored)
    except BaseException:
        for name in stored:  # the rows are gone: so are their files
            remove_stored(name)
        raise
    return application


def _submit_rows(office: Office, service: Service, form: ApplyForm, data: dict, stored: list[str]) -> Application:
    application = submit_application(
        office,
        service=service,
        applicant_name=data["applicant_name"],
        nik=data["nik"],
        village=data["village"],
        phone=data["phone"],
        channel=Channel.WEB,
        notes=data["notes"],
        checklist=form.checklist(),
    )
    checks = {c.requirement_id: c for c in application.checks.all()}
    for requirement, upload in form.uploads():
        stored.append(save_attachment(application, upload, requirement_check=checks.get(requirement.pk)).stored_name)
    return application


def _tracked(request: HttpRequest, office_slug: str, tracking: str) -> tuple[Office, Application]:
    office = get_public_office(office_slug)
    application = find_by_tracking(tracking, office=office)
    if application is None:
        raise Http404(_("Kode lacak tidak ditemukan"))
    return office, application


def _tracking_context(office: Office, application: Application) -> dict:
    """What the public pages show: `public.public_status` (the one rule of what a code holder may
    learn) and, from the SOP, which requirements are still missing; the template never gets the
    application itself, so no personal field can slip into it."""
    found = public_status(application)
    with_time = application.version.time_unit != ServiceVersion.TimeUnit.WORKING_DAYS
    missing = []
    if application.status == Status.PERLU_PERBAIKAN:
        # The checklist lines the officer marked missing: the SOP's words, never the officer's notes.
        missing = list(
            application.checks.filter(state=RequirementCheck.State.MISSING).values_list("document", flat=True)
        )
    history = [
        (c.created_at, c.get_to_status_display()) for c in application.status_changes.order_by("created_at", "id")
    ]
    return {
        "office": office,
        "found": found,
        "digits": application.tracking_digits,
        "status_text": STATUS_TEXT[Status(application.status)],
        "deadline": sla.format_deadline(office, found.due_at, with_time=with_time) if found.due_at else "",
        "overdue": application.is_overdue(),
        "missing": missing,
        "updated": history[-1][0] if history else found.submitted_at,
        "history": history,
        "hours": week_hours(office) if application.status == Status.SELESAI else [],
        "today": day_status(office),
    }


def _tracking_page(request: HttpRequest, template: str, office_slug: str, tracking: str) -> HttpResponse:
    ratelimit.check(request, ratelimit.TRACKING)
    try:
        office, application = _tracked(request, office_slug, tracking)
    except Http404:
        office = get_public_office(office_slug)
        form = LookupForm({"kode": tracking[:40]})
        form.is_valid()
        form.add_error("kode", _("Kode lacak ini tidak ditemukan. Periksa lagi huruf dan angkanya."))
        return render(request, "applications/lookup.html", {"office": office, "form": form}, status=404)
    if tracking != application.tracking_code:
        # Typed loosely (lower case, no dashes, the keypad digits): one canonical address.
        name = "applications:submitted" if template.endswith("submitted.html") else "applications:track"
        return redirect(name, office_slug=office.slug, tracking=application.tracking_code)
    response = render(request, template, _tracking_context(office, application))
    # The status changes; nothing personal is shown, but no shared cache should keep it either.
    response["Cache-Control"] = "private, no-cache"
    response["X-Robots-Tag"] = "noindex"
    return response


@public_page
def track(request: HttpRequest, office_slug: str, tracking: str) -> HttpResponse:
    """/<office>/lacak/<code>/: service, status in plain words, dates and deadline; never personal data."""
    return _tracking_page(request, "applications/track.html", office_slug, tracking)


@public_page
def submitted(request: HttpRequest, office_slug: str, tracking: str) -> HttpResponse:
    """Right after the web form: the tracking code, big and grouped, and the deadline."""
    return _tracking_page(request, "applications/submitted.html", office_slug, tracking)


@public_page
def lookup(request: HttpRequest, office_slug: str) -> HttpResponse:
    """/<office>/lacak/: a form asking for the code (GET, so it works without JavaScript or cookies)."""
    office = get_public_office(office_slug)
    if "kode" not in request.GET:
        return render(request, "applications/lookup.html", {"office": office, "form": LookupForm()})
    ratelimit.check(request, ratelimit.TRACKING)
    form = LookupForm(request.GET)
    if form.is_valid():
        application = find_by_tracking(form.cleaned_data["kode"], office=office)
        if application is not None:
            return redirect(reverse("applications:track", args=[office.slug, application.tracking_code]))
        form.add_error("kode", _("Kode lacak ini tidak ditemukan. Periksa lagi huruf dan angkanya."))
    return render(request, "applications/lookup.html", {"office": office, "form": form}, status=400)
