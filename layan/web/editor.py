"""The SOP editor in the workspace: /staf/<office>/layanan/ (the office's services) and
/staf/<office>/layanan/<code>/ (edit in place, preview, diff, publish, history).

Opening a service changes nothing; the first real change creates its draft (`save_draft`).
Rows (requirements, procedure steps) are added, removed and moved with plain POST buttons that
also save the rest of the form, so nothing typed is lost; with htmx the editor is swapped in
place instead of reloading the page. Every write goes through `layan.catalogue.services`.
"""

import difflib
import hashlib
import re
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db.models import Max, prefetch_related_objects
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from layan.catalogue import services as catalogue
from layan.catalogue.guidebook import render_poster
from layan.catalogue.models import Requirement, Service, ServiceVersion
from layan.catalogue.views import where_and_when
from layan.messaging.engine.catalogue import compose_service_reply
from layan.messaging.engine.context import Context
from layan.offices.access import get_office_for_user, user_can_write
from layan.offices.models import Office

from .editor_forms import RequirementFormSet, StepFormSet, VersionForm

REQ_PREFIX = "req"
STEP_PREFIX = "step"
REQ_FIELDS = ["document", "form", "count", "condition", "upload_accepted", "note"]
STEP_FIELDS = ["actor", "action", "duration_minutes"]
BOOLEAN_FIELDS = {"upload_accepted"}
MAX_ROWS = 100
STATUS_TEXT = {
    "disimpan": gettext_lazy("Draf disimpan. Warga masih melihat versi terbit sampai draf diterbitkan."),
    "sama": gettext_lazy("Tidak ada perubahan: tidak ada draf yang dibuat."),
    "terbit": gettext_lazy("Versi baru diterbitkan: halaman, SMS dan poster sekarang memakai versi ini."),
    "dibuang": gettext_lazy("Draf dibuang. Versi terbit tidak berubah."),
    "disembunyikan": gettext_lazy("Layanan disembunyikan dari warga di semua saluran."),
    "ditampilkan": gettext_lazy("Layanan ditampilkan lagi kepada warga."),
}


# --- the list ----------------------------------------------------------------------------------


@login_required
def service_list(request: HttpRequest, office: str) -> HttpResponse:
    the_office = get_office_for_user(request, office)
    services = list(Service.objects.filter(office=the_office).select_related("current_version"))
    drafts = {
        v.service_id: v
        for v in ServiceVersion.objects.filter(office=the_office, status=ServiceVersion.Status.DRAFT).only(
            "service_id", "name", "created_at"
        )
    }
    rows = [
        {
            "service": s,
            "name": s.current_version.name if s.current_version else (drafts[s.pk].name if s.pk in drafts else s.code),
            "draft": drafts.get(s.pk),
        }
        for s in services
    ]
    context = {
        "office": the_office,
        "rows": rows,
        "status": STATUS_TEXT.get(request.GET.get("status", "")),
        "can_write": user_can_write(request.user, the_office),
    }
    return render(request, "web/editor/list.html", context)


# --- the editor --------------------------------------------------------------------------------


def _service(office: Office, code: str) -> Service:
    service = Service.objects.filter(office=office, code=code).select_related("current_version").first()
    if service is None:
        raise Http404("Layanan tidak ditemukan")
    return service


def _editor_url(office: Office, service: Service, status: str = "", anchor: str = "", focus: str = "") -> str:
    url = reverse("web:editor", args=[office.slug, service.code])
    query = urlencode({k: v for k, v in (("status", status), ("fokus", focus)) if v})
    return url + (f"?{query}" if query else "") + (f"#{anchor}" if anchor else "")


def _rows_data(prefix: str, rows: list[dict]) -> dict:
    """Formset data for `rows` (raw strings), every row counted as new: a blank one is then ignored."""
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": str(MAX_ROWS),
    }
    for i, row in enumerate(rows):
        for name, value in row.items():
            if name in BOOLEAN_FIELDS:
                if value:
                    data[f"{prefix}-{i}-{name}"] = "on"
            else:
                data[f"{prefix}-{i}-{name}"] = "" if value is None else str(value)
    return data


def _posted_rows(post, prefix: str, fields: list[str]) -> list[dict]:
    try:
        total = int(post.get(f"{prefix}-TOTAL_FORMS", "0"))
    except ValueError:
        total = 0
    total = max(0, min(total, MAX_ROWS))
    return [{name: post.get(f"{prefix}-{i}-{name}", "") for name in fields} for i in range(total)]


def _apply_row_op(op: str, req_rows: list[dict], step_rows: list[dict]) -> tuple[str, str]:
    """Apply "req:add", "step:remove:2", "req:up:0" … to the posted rows.

    Returns the section to return to and where the keyboard focus goes next: the moved row, the
    row that took a removed one's place, or the "add" button when no row is left."""
    parts = op.split(":")
    if len(parts) < 2 or parts[0] not in (REQ_PREFIX, STEP_PREFIX):
        return "", ""
    prefix, verb = parts[0], parts[1]
    rows, fields = (req_rows, REQ_FIELDS) if prefix == REQ_PREFIX else (step_rows, STEP_FIELDS)
    anchor = "persyaratan" if prefix == REQ_PREFIX else "prosedur"
    if verb == "add":
        if len(rows) < MAX_ROWS:
            blank = {name: "" for name in fields}
            if prefix == REQ_PREFIX:
                blank |= {"form": Requirement.Form.NONE, "count": "1"}
            rows.append(blank)
        return anchor, _row_focus(prefix, len(rows) - 1)
    try:
        index = int(parts[2])
    except (IndexError, ValueError):
        return anchor, ""
    if not 0 <= index < len(rows):
        return anchor, ""
    if verb == "remove":
        rows.pop(index)
        return anchor, _row_focus(prefix, min(index, len(rows) - 1)) if rows else f"{prefix}-add"
    if verb == "up" and index > 0:
        rows[index - 1], rows[index] = rows[index], rows[index - 1]
        return anchor, _row_focus(prefix, index - 1)
    if verb == "down" and index < len(rows) - 1:
        rows[index + 1], rows[index] = rows[index], rows[index + 1]
        return anchor, _row_focus(prefix, index + 1)
    return anchor, ""


FIRST_FIELD = {REQ_PREFIX: "document", STEP_PREFIX: "actor"}
FOCUS = re.compile(r"(req|step)-(\d{1,3})|(req|step)-add")


def _row_focus(prefix: str, index: int) -> str:
    return f"{prefix}-{index}"


def _set_focus(focus: str, req_fs, step_fs) -> str:
    """Put `autofocus` on the first field of row `focus` ("req-2"); returns a button id to focus instead."""
    match = FOCUS.fullmatch(focus)
    if match is None:
        return ""
    if match.group(3):
        return focus
    prefix, index = match.group(1), int(match.group(2))
    forms = (req_fs if prefix == REQ_PREFIX else step_fs).forms
    if index < len(forms):
        forms[index].fields[FIRST_FIELD[prefix]].widget.attrs["autofocus"] = True
    return ""


def fingerprint(version: ServiceVersion) -> str:
    """Which version, with which content, an edit started from: a save from a stale page is caught."""
    digest = hashlib.sha256(repr(catalogue.version_content(version)).encode()).hexdigest()[:16]
    return f"{version.pk}-{digest}"


@login_required
def edit(request: HttpRequest, office: str, code: str) -> HttpResponse:
    the_office = get_office_for_user(request, office, write=request.method == "POST")
    service = _service(the_office, code)
    draft = catalogue.open_draft(service)
    base = draft or service.current_version
    # The rows are read once and shared by the form, the SMS preview and the diff.
    prefetch_related_objects([v for v in (draft, service.current_version) if v is not None], "requirements", "steps")
    if base is None:
        raise Http404("Layanan belum punya isi")
    can_write = user_can_write(request.user, the_office)
    if request.method == "POST":
        op = request.POST.get("op", "save")
        if op == "discard":
            catalogue.discard_draft(service, user=request.user)
            return redirect(_editor_url(the_office, service, "dibuang"))
        req_rows = _posted_rows(request.POST, REQ_PREFIX, REQ_FIELDS)
        step_rows = _posted_rows(request.POST, STEP_PREFIX, STEP_FIELDS)
        anchor, focus = _apply_row_op(op, req_rows, step_rows)
        form = VersionForm(request.POST)
        req_fs = RequirementFormSet(_rows_data(REQ_PREFIX, req_rows), prefix=REQ_PREFIX)
        step_fs = StepFormSet(_rows_data(STEP_PREFIX, step_rows), prefix=STEP_PREFIX)
        token = fingerprint(base)
        stale = request.POST.get("base") != token
        if not stale and form.is_valid() and req_fs.is_valid() and step_fs.is_valid():
            saved = catalogue.save_draft(
                service,
                user=request.user,
                content=form.content(),
                requirements=[f.row() for f in req_fs.forms if f.has_changed()],
                steps=[f.row() for f in step_fs.forms if f.has_changed()],
            )
            status = "disimpan" if saved is not None else "sama"
            if not op.endswith(":add"):
                status = status if op == "save" or saved else ""
                return redirect(_editor_url(the_office, service, status, anchor, focus))
            # A row was added: show it (blank, so not stored yet) with everything else just saved.
            draft = catalogue.open_draft(service)
            if draft is not None:
                prefetch_related_objects([draft], "requirements", "steps")
            token = fingerprint(draft) if draft is not None else token
            focus_button = _set_focus(focus, req_fs, step_fs)
        else:
            focus_button = ""
        status_text = None
    else:
        content, requirements, steps = catalogue.version_content(base)
        form = VersionForm(initial=content)
        req_fs = RequirementFormSet(_rows_data(REQ_PREFIX, requirements), prefix=REQ_PREFIX)
        step_fs = StepFormSet(_rows_data(STEP_PREFIX, steps), prefix=STEP_PREFIX)
        status_text = STATUS_TEXT.get(request.GET.get("status", ""))
        token = fingerprint(base)
        stale = False
        focus_button = _set_focus(request.GET.get("fokus", ""), req_fs, step_fs) if can_write else ""
        if not can_write:
            for field in form.fields.values():
                field.disabled = True
            for fs in (req_fs, step_fs):
                for row_form in fs.forms:
                    for field in row_form.fields.values():
                        field.disabled = True
    context = {
        "office": the_office,
        "service": service,
        "draft": draft,
        "form": form,
        "req_fs": req_fs,
        "step_fs": step_fs,
        "can_write": can_write,
        "status": status_text,
        "token": token,
        "stale": stale,
        "focus_button": focus_button,
        "publish_error": request.session.pop("editor_publish_error", "") if request.method == "GET" else "",
        "publish_note": request.session.pop("editor_publish_note", "") if request.method == "GET" else "",
    }
    if draft is not None:
        context |= {
            "sms": sms_preview(draft, the_office, service.code),
            "diff": version_diff(service.current_version, draft),
        }
    context["history"] = _history(service)
    return render(request, "web/editor/edit.html", context)


def _history(service: Service):
    return (
        service.versions.issued()
        .select_related("published_by")
        .only(
            "number",
            "status",
            "published_at",
            "change_note",
            "published_by__username",
            "published_by__first_name",
            "published_by__last_name",
        )
        .order_by("-number")
    )


@login_required
@require_POST
def publish(request: HttpRequest, office: str, code: str) -> HttpResponse:
    the_office = get_office_for_user(request, office, write=True)
    service = _service(the_office, code)
    note = request.POST.get("note", "").strip()
    error = ""
    if not note:
        error = _("Tulis catatan perubahan: apa yang berubah dan mengapa.")
    elif len(note) > 200:
        error = _("Catatan perubahan paling panjang 200 huruf.")
    else:
        try:
            catalogue.publish_draft(service, user=request.user, note=note)
        except catalogue.PublishError as exc:
            error = str(exc)
    if not error:
        return redirect(_editor_url(the_office, service, "terbit"))
    request.session["editor_publish_error"] = error
    request.session["editor_publish_note"] = note[:200]
    return redirect(_editor_url(the_office, service, anchor="terbitkan"))


@login_required
@require_POST
def visibility(request: HttpRequest, office: str, code: str) -> HttpResponse:
    the_office = get_office_for_user(request, office, write=True)
    service = _service(the_office, code)
    show = request.POST.get("show") == "1"
    catalogue.set_service_visibility(service, user=request.user, is_active=show)
    return redirect(
        reverse("web:editor_list", args=[the_office.slug]) + "?status=" + ("ditampilkan" if show else "disembunyikan")
    )


# --- preview -----------------------------------------------------------------------------------


def _as_published(service: Service, draft: ServiceVersion) -> ServiceVersion:
    """The draft dressed as the version it will become (its number, published now), unsaved."""
    last = service.versions.aggregate(n=Max("number"))["n"] or 0
    draft.number = last + 1
    draft.published_at = timezone.now()
    return draft


def _draft_or_404(service: Service) -> ServiceVersion:
    draft = catalogue.open_draft(service)
    if draft is None:
        raise Http404("Tidak ada draf")
    return draft


@login_required
def preview(request: HttpRequest, office: str, code: str) -> HttpResponse:
    """The SOP page of the draft, rendered by the public template as citizens will see it."""
    the_office = get_office_for_user(request, office)
    service = _service(the_office, code)
    version = _as_published(service, _draft_or_404(service))
    context = {
        "office": the_office,
        "service": service,
        "version": version,
        "current": version,
        "is_old": False,
        "requirements": version.requirements.all(),
        "steps": version.steps.all(),
        "history": service.versions.issued().order_by("-number"),
        "editor_url": _editor_url(the_office, service),
        **where_and_when(the_office),
    }
    return render(request, "web/editor/preview.html", context)


@login_required
def preview_poster(request: HttpRequest, office: str, code: str) -> HttpResponse:
    the_office = get_office_for_user(request, office)
    service = _service(the_office, code)
    version = _as_published(service, _draft_or_404(service))
    pdf = render_poster(service, version=version)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="pratinjau-poster-{service.code}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


def sms_preview(version: ServiceVersion, office: Office, code: str) -> str:
    """The SMS answer the engine would send for `version`, composed by the engine itself."""
    # The composer reads only the office and the SMS budget from its context; no message is involved.
    ctx = Context(channel=None, urn=None, contact=None, text="", office=office)  # type: ignore[arg-type]
    with translation.override(settings.LANGUAGE_CODE):
        return compose_service_reply(ctx, version, code)


# --- diff --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class RowChange:
    kind: str  # "added", "removed", "changed"
    old: str
    new: str


@dataclass
class VersionDiff:
    fields: list[FieldChange]
    requirements: list[RowChange]
    steps: list[RowChange]

    def __bool__(self) -> bool:
        return bool(self.fields or self.requirements or self.steps)


def _display(form: VersionForm, name: str, value) -> str:
    field = form.fields[name]
    if isinstance(value, list):
        return "\n".join(str(v) for v in value) or "—"
    if name == "fee_idr" and value is None:
        return _("Sesuai peraturan daerah")
    choices = dict(getattr(field, "choices", []) or [])
    if choices and value in choices:
        return str(choices[value])
    return "—" if value in (None, "") else str(value)


def _requirement_text(row: dict) -> str:
    r = Requirement(**row)
    detail = r.form_display()
    parts = [r.document + (f" ({detail})" if detail else "")]
    if r.condition:
        parts.append(r.condition)
    if r.upload_accepted:
        parts.append(_("boleh diunggah"))
    if r.note:
        parts.append(r.note)
    return " · ".join(parts)


def _step_text(row: dict) -> str:
    text = f"{row['actor']}: {row['action']}"
    if row.get("duration_minutes"):
        text += " " + _("(%(m)d menit)") % {"m": row["duration_minutes"]}
    return text


def _row_changes(old: list[str], new: list[str]) -> list[RowChange]:
    """Rows added, removed or changed; a replaced row counts as changed when it still looks alike."""
    changes = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        added = list(new[j1:j2])
        for text in old[i1:i2]:
            alike = max(added, key=lambda a: _similarity(text, a), default=None)
            if alike is not None and _similarity(text, alike) >= SIMILAR:
                changes.append(RowChange("changed", text, alike))
                added.remove(alike)
            else:
                changes.append(RowChange("removed", text, ""))
        changes += [RowChange("added", "", text) for text in added]
    return changes


SIMILAR = 0.6


def _similarity(a: str, b: str) -> float:
    return difflib.SequenceMatcher(a=a.lower(), b=b.lower(), autojunk=False).ratio()


def version_diff(published: ServiceVersion | None, draft: ServiceVersion) -> VersionDiff:
    """What the draft changes against the published version: fields, then rows added/removed/changed."""
    new_content, new_reqs, new_steps = catalogue.version_content(draft)
    if published is None:
        old_content: dict = {}
        old_reqs: list[dict] = []
        old_steps: list[dict] = []
    else:
        old_content, old_reqs, old_steps = catalogue.version_content(published)
    form = VersionForm()
    fields = [
        FieldChange(
            str(form.fields[name].label), _display(form, name, old_content.get(name)), _display(form, name, value)
        )
        for name, value in new_content.items()
        if old_content.get(name) != value
    ]
    return VersionDiff(
        fields=fields,
        requirements=_row_changes([_requirement_text(r) for r in old_reqs], [_requirement_text(r) for r in new_reqs]),
        steps=_row_changes([_step_text(s) for s in old_steps], [_step_text(s) for s in new_steps]),
    )
