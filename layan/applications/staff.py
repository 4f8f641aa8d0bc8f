"""Staff pages of applications, in the workspace (/staf/<office>/permohonan/…): the work queue,
counter registration and its receipt, the detail screen and its forms, and document downloads.

Staff of another office get 404 on every page (access helpers); viewers read and get 403 on
every write. The full NIK and uploaded documents are for the staff who process files (the write
roles) only, and every view of them is audited (offices.AuditEvent view_nik / view_document).
"""

import hashlib
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import Count, F
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from layan.catalogue.models import ServiceVersion
from layan.offices.access import get_office_for_user, user_can_write
from layan.offices.models import AuditEvent, Office
from layan.offices.privacy import mask_nik
from layan.offices.services import record_audit_event

from . import sla
from .access import get_application_for_user
from .forms import (
    ASSIGNEE_ME,
    ASSIGNEE_NONE,
    AssignForm,
    BulkForm,
    CheckForm,
    CounterForm,
    QueueFilterForm,
    ServiceChoiceForm,
    StatusForm,
    office_officers,
    officer_label,
)
from .models import CLOCK_STATUSES, OPEN_STATUSES, Application, Attachment, Channel, RequirementCheck, Status
from .services import ApplicationError, assign_application, change_status, set_check, submit_application
from .tracking import try_parse
from .uploads import open_stored, save_attachment
from .views import week_hours

PAGE_SIZE = 25
# Statuses whose button needs a reason for the citizen (the service refuses an empty one).
NEEDS_REASON = (Status.PERLU_PERBAIKAN, Status.DITOLAK)


def _deadline(application: Application, time_unit: str | None = None) -> str:
    """The deadline as officers read it ('Senin, 9 Maret 2026', with the hour for services in hours)."""
    if not application.due_at or not application.clock_running:
        return ""
    with_time = (time_unit or application.version.time_unit) != ServiceVersion.TimeUnit.WORKING_DAYS
    return sla.format_deadline(application.office, application.due_at, with_time=with_time)


# --- The work queue ----------------------------------------------------------------------------


# The deadline order (overdue first) is read straight off the partial index application_office_running,
# whose condition is exactly this list: SQLite uses a partial index only for the same IN term.
RUNNING = sorted(CLOCK_STATUSES)
# A page's rows: names, not the wide service version rows (a page shows 50 of them).
SELECT = ("village", "assignee")


class QueueList:
    """The queue as one list of ordered parts, each read in index order. The default queue has two:
    the files the office holds, by deadline (the overdue ones have the earliest), then those
    waiting for the citizen (perlu_perbaikan, no deadline), oldest first; one ORDER BY with NULLS
    LAST over both would sort every open application for each page. A Paginator slices it like a
    queryset; `counts` given (from the per-status counts) spare the COUNT queries."""

    def __init__(self, office: Office, *parts, counts: list[int] | None = None):
        self.office = office
        self.parts = list(parts)
        self._counts = counts

    def counts(self) -> list[int]:
        if self._counts is None:
            self._counts = [part.count() for part in self.parts]
        return self._counts

    def count(self) -> int:
        return sum(self.counts())

    def __getitem__(self, window: slice) -> list[Application]:
        start, stop = window.start or 0, window.stop
        ids: list[int] = []
        for part, size in zip(self.parts, self.counts(), strict=True):
            if start < size and stop > 0:
                ids += part.values_list("id", flat=True)[max(start, 0) : min(stop, size)]
            start, stop = start - size, stop - size
        # The page's ids come from the index alone; the rows and their joins only for those ids
        # (joined first, SQLite would sort every open application with its joins).
        rows = (
            Application.objects.select_related(*SELECT)
            .annotate(service_name=F("service__current_version__name"), time_unit=F("version__time_unit"))
            .in_bulk(ids)
        )
        for row in rows.values():
            row.office = self.office  # one office for the whole page: no query per row
        return [rows[pk] for pk in ids if pk in rows]


def _filtered(request: HttpRequest, office: Office, form: QueueFilterForm, counts: dict[str, int]) -> QueueList:
    """The applications the filters ask for, in queue order; a field with a wrong value is ignored
    (the valid ones stay). `counts` (per open status, the whole office) spares the count queries
    when only the status is chosen."""
    form.is_valid()
    data = form.cleaned_data
    narrowed = any(data.get(name) for name in ("layanan", "desa", "jalur", "petugas", "q"))
    qs = Application.objects.filter(office=office)
    if data.get("layanan"):
        qs = qs.filter(service=data["layanan"])
    if data.get("desa"):
        qs = qs.filter(village=data["desa"])
    if data.get("jalur"):
        qs = qs.filter(channel=data["jalur"])
    assignee = data.get("petugas")
    if assignee == ASSIGNEE_ME:
        qs = qs.filter(assignee_id=request.user.pk)
    elif assignee == ASSIGNEE_NONE:
        qs = qs.filter(assignee__isnull=True)
    elif assignee:
        qs = qs.filter(assignee_id=int(assignee))
    if data.get("q"):
        number = try_parse(data["q"])
        qs = qs.filter(tracking_number=number) if number is not None else qs.none()
    status = data.get("status")
    if not status:
        known = None if narrowed else [sum(counts.get(s, 0) for s in RUNNING), counts.get(Status.PERLU_PERBAIKAN, 0)]
        return QueueList(
            office,
            qs.filter(status__in=RUNNING).order_by("due_at", "id"),
            qs.filter(status=Status.PERLU_PERBAIKAN).order_by("id"),
            counts=known,
        )
    qs = qs.filter(status=status)
    if status in CLOCK_STATUSES:
        qs = qs.order_by("due_at", "id")
    elif status == Status.PERLU_PERBAIKAN:
        qs = qs.order_by("id")
    else:
        qs = qs.order_by("-closed_at", "-id")  # closed: the latest first
    known = None if narrowed or status not in OPEN_STATUSES else [counts.get(status, 0)]
    return QueueList(office, qs, counts=known)


@login_required
@require_GET
def queue(request: HttpRequest, office: str) -> HttpResponse:
    """Applications by status, overdue first; filters, assignment and bulk actions. htmx polls the
    list (`?daftar=1`) and gets 204 when nothing shown changed."""
    office_obj = get_office_for_user(request, office)
    officers = list(office_officers(office_obj))
    form = QueueFilterForm(request.GET, office=office_obj, officers=officers)
    # Open files only: the closed ones pile up for years, and a tab needs no count to be useful.
    counts = dict(
        Application.objects.filter(office=office_obj, status__in=sorted(OPEN_STATUSES))
        .values_list("status")
        .annotate(n=Count("*"))  # COUNT(*): PostgreSQL then counts from the index alone
        .order_by()
    )
    listed: Any = _filtered(request, office_obj, form, counts)  # a Paginator needs only count() and slices
    page: Page[Application] = Paginator(listed, PAGE_SIZE).get_page(request.GET.get("hal"))
    now = timezone.now()
    flags = {a.pk: (a.is_overdue(now), a.is_due_today(now)) for a in page}
    shown = [(a.pk, a.status, a.assignee_id, *flags[a.pk]) for a in page]
    version = hashlib.sha256(repr((shown, page.number, page.paginator.count, counts)).encode()).hexdigest()[:16]
    polled = request.headers.get("HX-Request") and request.GET.get("daftar")
    if polled and request.GET.get("v") == version:
        return HttpResponse(status=204)
    # Each row's texts made here once: a template lookup per field and row is most of the page's cost.
    detail_prefix = reverse("applications:queue", args=[office_obj.slug])
    channels, statuses = dict(Channel.choices), dict(Status.choices)
    rows = [
        {
            "pk": a.pk,
            "code": a.tracking_code,
            "url": f"{detail_prefix}{a.pk}/",
            "name": a.applicant_name,
            "nik": mask_nik(a.nik),
            "village": a.village.name if a.village else "",
            "service": getattr(a, "service_name", ""),
            "channel": channels.get(a.channel, a.channel),
            "status": statuses.get(a.status, a.status),
            "deadline": _deadline(a, getattr(a, "time_unit", None)),
            "overdue": flags[a.pk][0],
            "today": flags[a.pk][1],
            "assignee": officer_label(a.assignee) if a.assignee else "",
            "mine": a.assignee_id == request.user.pk,
        }
        for a in page
    ]
    params = request.GET.copy()
    for name in ("hal", "daftar", "v"):
        params.pop(name, None)
    context = {
        "office": office_obj,
        "form": form,
        "page": page,
        "rows": rows,
        "now": now,
        "version": version,
        "tabs": [("", _("Semua yang berjalan"), sum(counts.get(s, 0) for s in OPEN_STATUSES))]
        + [(s.value, s.label, counts.get(s.value) if s in OPEN_STATUSES else None) for s in Status],
        "current_status": form.cleaned_data.get("status", ""),
        "query": params.urlencode(),
        "filters": urlencode({k: v for k, v in params.items() if k != "status"}),
        "can_write": user_can_write(request.user, office_obj),
        "bulk": BulkForm(officers=officers),
        # The filters' selects as plain lists: Django's widget renderer costs a template per option.
        "selects": [
            {
                "name": name,
                "label": form.fields[name].label,
                "choices": [(str(v), label) for v, label in form.fields[name].choices],  # type: ignore[attr-defined]
                "selected": str(form.data.get(name, "")),
            }
            for name in ("layanan", "desa", "petugas", "jalur")
        ],
    }
    if polled:
        return render(request, "applications/queue_rows.html", context)
    return render(request, "applications/queue.html", context)


def _back_to_queue(request: HttpRequest, office: Office) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return reverse("applications:queue", args=[office.slug])


@login_required
@require_POST
def bulk(request: HttpRequest, office: str) -> HttpResponse:
    """Take, hand over or move one step several applications at once; the ones a step does not
    fit (another status, already closed) are left as they are and counted."""
    office_obj = get_office_for_user(request, office, write=True)
    officers = list(office_officers(office_obj))
    form = BulkForm(request.POST, officers=officers)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect(_back_to_queue(request, office_obj))
    action = form.cleaned_data["action"]
    chosen = list(
        Application.objects.filter(office=office_obj, pk__in=form.cleaned_data["ids"]).select_related("office")
    )
    done = skipped = 0
    for application in chosen:
        try:
            if action == "ambil":
                assign_application(application, assignee=request.user, actor=request.user)
            elif action == "lepas":
                assign_application(application, assignee=None, actor=request.user)
            elif action.startswith("tugas:"):
                user = next(u for u in officers if str(u.pk) == action.split(":", 1)[1])
                assign_application(application, assignee=user, actor=request.user)
            else:
                to = action.split(":", 1)[1]
                if to not in application.allowed_transitions():
                    skipped += 1
                    continue
                change_status(application, to=to, actor=request.user)
            done += 1
        except ApplicationError:
            skipped += 1
    if done:
        messages.success(request, _("%(n)d permohonan diperbarui.") % {"n": done})
    if skipped:
        messages.warning(request, _("%(n)d permohonan dilewati (statusnya tidak cocok).") % {"n": skipped})
    return redirect(_back_to_queue(request, office_obj))


# --- One application ---------------------------------------------------------------------------


def _detail_context(request: HttpRequest, application: Application, **extra) -> dict:
    office = application.office
    checks = list(application.checks.all())
    attachments = list(application.attachments.select_related("uploaded_by"))
    by_check: dict[int | None, list[Attachment]] = {}
    for attachment in attachments:
        by_check.setdefault(attachment.requirement_check_id, []).append(attachment)
    can_write = user_can_write(request.user, office)
    transitions = application.allowed_transitions() if can_write else []
    return {
        "office": office,
        "application": application,
        "checks": [
            {
                "check": c,
                "attachments": by_check.get(c.pk, []),
                "form": CheckForm(initial={"state": c.state, "note": c.note}, prefix=f"c{c.pk}"),
            }
            for c in checks
        ],
        "loose_attachments": by_check.get(None, []),
        "history": application.status_changes.select_related("actor"),
        "transitions": [
            {
                "to": to,
                "label": Status(to).label,
                "needs_reason": to in NEEDS_REASON,
                "form": StatusForm(
                    initial={"to": to}, checks=[c for c in checks if c.state != RequirementCheck.State.VERIFIED]
                ),
            }
            for to in sorted(transitions, key=lambda to: (to in NEEDS_REASON, to == Status.DITOLAK))
        ],
        "assign_form": AssignForm(office=office, initial={"assignee": application.assignee_id}),
        "can_write": can_write,
        "deadline": _deadline(application),
        "overdue": application.is_overdue(),
        "due_today": application.is_due_today(),
        **extra,
    }


@login_required
@require_GET
def detail(request: HttpRequest, office: str, pk: int) -> HttpResponse:
    application = get_application_for_user(request, pk, office=office)
    return render(request, "applications/detail.html", _detail_context(request, application))


def _refused(request: HttpRequest, application: Application, exc: ApplicationError) -> HttpResponse:
    """The detail screen again, with the service's reason, as a 400."""
    application.refresh_from_db()
    context = _detail_context(request, application, errors=exc.messages)
    return render(request, "applications/detail.html", context, status=400)


@login_required
@require_POST
def status(request: HttpRequest, office: str, pk: int) -> HttpResponse:
    """One status button: move the application along the workflow (the service refuses the rest)."""
    application = get_application_for_user(request, pk, office=office, write=True)
    form = StatusForm(request.POST, checks=list(application.checks.all()))
    if not form.is_valid():
        return _refused(request, application, ApplicationError(_("Isian status tidak valid.")))
    try:
        change_status(
            application,
            to=form.cleaned_data["to"],
            actor=request.user,
            note=form.cleaned_data["note"],
            missing=form.missing_items(),
        )
    except ApplicationError as exc:
        return _refused(request, application, exc)
    messages.success(request, _("Status diubah menjadi “%(status)s”.") % {"status": application.get_status_display()})
    return redirect("applications:detail", office=application.office.slug, pk=application.pk)


@login_required
@require_POST
def assign(request: HttpRequest, office: str, pk: int) -> HttpResponse:
    """Give the application to someone (or to me: the button sends `saya`)."""
    application = get_application_for_user(request, pk, office=office, write=True)
    if request.POST.get("assignee") == ASSIGNEE_ME:
        assignee = request.user
    else:
        form = AssignForm(request.POST, office=application.office)
        if not form.is_valid():
            return _refused(request, application, ApplicationError(_("Pilih petugas dari daftar.")))
        assignee = form.cleaned_data["assignee"]
    try:
        assign_application(application, assignee=assignee, actor=request.user)
    except ApplicationError as exc:
        return _refused(request, application, exc)
    messages.success(request, _("Petugas permohonan diperbarui."))
    return redirect(_back_to_detail(request, application))


def _back_to_detail(request: HttpRequest, application: Application) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return reverse("applications:detail", args=[application.office.slug, application.pk])


@login_required
@require_POST
def check(request: HttpRequest, office: str, pk: int, check: int) -> HttpResponse:
    """One checklist line: its state, a note, and optionally a scanned document."""
    application = get_application_for_user(request, pk, office=office, write=True)
    line = application.checks.filter(pk=check).first()
    if line is None:
        raise Http404(_("Syarat tidak ditemukan"))
    form = CheckForm(request.POST, request.FILES, prefix=f"c{line.pk}")
    if not form.is_valid():
        errors = [e for field_errors in form.errors.values() for e in field_errors]
        return _refused(request, application, ApplicationError(errors))
    try:
        set_check(line, state=form.cleaned_data["state"], actor=request.user, note=form.cleaned_data["note"])
        if form.cleaned_data["file"]:
            save_attachment(application, form.cleaned_data["file"], requirement_check=line, uploaded_by=request.user)
    except ApplicationError as exc:
        return _refused(request, application, exc)
    messages.success(request, _("Syarat “%(document)s” diperbarui.") % {"document": line.document})
    return redirect("applications:detail", office=application.office.slug, pk=application.pk)


@login_required
@require_POST
def reveal_nik(request: HttpRequest, office: str, pk: int) -> HttpResponse:
    """The full NIK, on demand, for the staff who process files: every view is audited."""
    application = get_application_for_user(request, pk, office=office)
    if not user_can_write(request.user, application.office):
        raise PermissionDenied(_("Peran Anda tidak boleh melihat NIK lengkap."))
    record_audit_event(
        application.office,
        actor=request.user,
        action=AuditEvent.Action.VIEW_NIK,
        target=f"application:{application.pk}",
    )
    if request.headers.get("HX-Request"):
        return render(request, "applications/nik.html", {"application": application})
    return render(request, "applications/detail.html", _detail_context(request, application, nik_revealed=True))


@login_required
@require_GET
def download(request: HttpRequest, office: str, pk: int, attachment: int) -> HttpResponseBase:
    """An uploaded document, for the staff who process files only; every download is audited. The
    stored type (found by content) is sent, and the browser is told to run nothing in it."""
    application = get_application_for_user(request, pk, office=office)
    if not user_can_write(request.user, application.office):
        raise PermissionDenied(_("Peran Anda tidak boleh membuka berkas pemohon."))
    document = application.attachments.filter(pk=attachment).first()
    if document is None:
        raise Http404(_("Berkas tidak ditemukan"))
    try:
        handle = open_stored(document.stored_name)
    except (FileNotFoundError, ValueError) as exc:
        raise Http404(_("Berkas tidak ditemukan")) from exc
    record_audit_event(
        application.office,
        actor=request.user,
        action=AuditEvent.Action.VIEW_DOCUMENT,
        target=f"attachment:{document.pk}",
    )
    response = FileResponse(handle, content_type=document.content_type, filename=document.original_name)
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- Counter registration and its receipt ----------------------------------------------------------


@login_required
def register(request: HttpRequest, office: str) -> HttpResponse:
    """A walk-in citizen registered at the counter: pick the service, fill in, tick what was brought;
    Enter submits, and the receipt opens ready to print."""
    office_obj = get_office_for_user(request, office, write=True)
    choice = ServiceChoiceForm(request.GET or None, office=office_obj)
    service = choice.cleaned_data["layanan"] if choice.is_bound and choice.is_valid() else None
    form = None
    if service is not None:
        requirements = list(service.current_version.requirements.all())
        form = CounterForm(request.POST or None, office=office_obj, requirements=requirements)
        form.fields["applicant_name"].widget.attrs["autofocus"] = True
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                application = submit_application(
                    office_obj,
                    service=service,
                    applicant_name=data["applicant_name"],
                    nik=data["nik"],
                    village=data["village"],
                    phone=data["phone"],
                    channel=Channel.COUNTER,
                    notes=data["notes"],
                    checklist=form.checklist(),
                    actor=request.user,
                )
            except ApplicationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Permohonan terdaftar: %(code)s.") % {"code": application.tracking_code})
                return redirect("applications:receipt", office=office_obj.slug, pk=application.pk)
    elif request.method == "POST":
        raise Http404(_("Layanan tidak ditemukan"))
    context = {"office": office_obj, "choice": choice, "service": service, "form": form}
    return render(request, "applications/register.html", context, status=400 if request.method == "POST" else 200)


@login_required
@require_GET
def receipt(request: HttpRequest, office: str, pk: int) -> HttpResponse:
    """The receipt the citizen takes home: code, deadline, and what to bring next time."""
    application = get_application_for_user(request, pk, office=office)
    missing = [c for c in application.checks.all() if c.state == RequirementCheck.State.MISSING]
    context = {
        "office": application.office,
        "application": application,
        "deadline": _deadline(application),
        "missing": missing,
        "hours": week_hours(application.office),
        "track_url": settings.PUBLIC_BASE_URL
        + reverse("applications:track", args=[application.office.slug, application.tracking_code]),
    }
    return render(request, "applications/receipt.html", context)
