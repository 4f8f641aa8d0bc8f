"""Public pages of letters (the office's public key, the verification page) and the staff pages."""

from pathlib import Path

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from layan.applications.access import get_application_for_user
from layan.applications.uploads import PDF, UploadRejected, clean_upload
from layan.catalogue.models import Service
from layan.offices.access import get_office_for_user, get_public_office, user_can_write
from layan.offices.http import public_page
from layan.offices.models import AuditEvent
from layan.offices.ratelimit import TRACKING, RateLimited, check, too_many_requests
from layan.offices.services import record_audit_event

from . import keys, services, verifier
from .access import get_letter_for_user, get_public_letter
from .forms import LetterSettingsForm, LetterTemplateForm, SignerForm
from .models import Letter, LetterTemplate, Signer
from .render import default_body
from .verification import check_file
from .verifier import format_fingerprint

STAFF_PAGE_SIZE = 25


# --- public ------------------------------------------------------------------------------------------


@public_page
def public_key(request, office_slug):
    """The office's current public key (PEM): all the offline verifier needs besides the letter."""
    office = get_public_office(office_slug)
    record = keys.current_key(office)
    if record is None:
        raise Http404("Kantor ini belum mempunyai kunci tanda tangan")
    response = HttpResponse(record.public_key, content_type="application/x-pem-file; charset=us-ascii")
    response["Content-Disposition"] = f'inline; filename="kunci-publik-{office.slug}.pem"'
    return response


class VerifyUploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Berkas surat (PDF)"))


def verify(request, office_slug, token):
    """What anyone holding the QR may know: the key facts (NIK masked), the state and the PDF's
    SHA-256, never the letter itself; and whether an uploaded PDF is the signed original.
    A draft says only that it is not signed yet."""
    office = get_public_office(office_slug, with_region=True)
    try:
        check(request, TRACKING)
    except RateLimited as exc:
        return too_many_requests(request, exc.usage)
    letter = get_public_letter(office, token)
    form = VerifyUploadForm(request.POST or None, request.FILES or None)
    result = None
    status = 200
    if request.method == "POST":
        content = _uploaded_pdf(form) if letter.is_signed and form.is_valid() else None
        if content is None:
            status = 400
        else:
            result = check_file(content, letter=letter)
    context = {
        "office": office,
        "letter": letter,
        "facts": letter.facts if letter.is_signed else {},
        "form": form,
        "result": result,
        "fingerprint": format_fingerprint(letter.key.fingerprint) if letter.key_id and letter.key else "",
    }
    # The token is in the address: the site-wide Referrer-Policy (same-origin) keeps it from other
    # sites. Not no-referrer: a browser then sends "Origin: null" with the upload, and CSRF refuses it.
    with timezone.override(office.tz):
        return render(request, "letters/verify.html", context, status=status)


def _uploaded_pdf(form) -> bytes | None:
    """The uploaded PDF's bytes, or None with the reason added to the form."""
    upload = form.cleaned_data["file"]
    try:
        clean = clean_upload(upload, name=upload.name, size=upload.size)
        if clean.content_type != PDF:
            raise UploadRejected(_("Unggah surat dalam bentuk PDF."))
    except UploadRejected as exc:
        form.add_error("file", exc)
        return None
    return clean.content


def verify_any(request, office_slug):
    """Check a letter file without its QR (a torn or blurred code): which letter it is, and whether it is
    the signed original that still stands."""
    office = get_public_office(office_slug, with_region=True)
    form = VerifyUploadForm(request.POST or None, request.FILES or None)
    result, status = None, 200
    if request.method == "POST":
        try:
            check(request, TRACKING)
        except RateLimited as exc:
            return too_many_requests(request, exc.usage)
        content = _uploaded_pdf(form) if form.is_valid() else None
        if content is None:
            status = 400
        else:
            result = check_file(content)
            if result.letter is not None and result.letter.office_id != office.pk:
                result.letter = None  # another office's letter: its page is under its own address
    context = {"office": office, "form": form, "result": result}
    return render(request, "letters/verify_any.html", context, status=status)


@public_page
def verifier_script(request, office_slug):
    """The offline verifier (layan/letters/verifier.py, which needs only `cryptography`), to download."""
    get_public_office(office_slug)
    response = HttpResponse(Path(verifier.__file__).read_bytes(), content_type="text/x-python; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="verify_letter.py"'
    return response


# --- staff -------------------------------------------------------------------------------------------


@login_required
def staff_list(request, office):
    """The office's letters: drafts waiting for a signature first."""
    office = get_office_for_user(request, office)
    letters = (
        Letter.objects.without_pdf()
        .filter(office=office)
        .select_related("application__version")
        .order_by("state", "-created_at")
    )
    page = Paginator(letters, STAFF_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"office": office, "page": page, "is_signer": services.signer_for(request.user, office) is not None}
    with timezone.override(office.tz):
        return render(request, "letters/staff_list.html", context)


@login_required
def for_application(request, office, application):
    """The letter of an application: its screen if there is one; POST prepares the draft."""
    application = get_application_for_user(request, application, office=office, write=request.method == "POST")
    letter = Letter.objects.without_pdf().filter(application=application).first()
    if letter is not None:
        return redirect("letters:staff_letter", office=application.office.slug, pk=letter.pk)
    if request.method == "POST":
        try:
            letter = services.prepare_letter(application, actor=request.user)
        except services.LetterError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            return redirect("letters:staff_letter", office=application.office.slug, pk=letter.pk)
    context = {
        "office": application.office,
        "application": application,
        "can_prepare": application.status in services.LETTER_STATUSES,
    }
    return render(request, "letters/staff_prepare.html", context)


@login_required
def staff_letter(request, office, pk):
    office, letter = get_letter_for_user(request, office, pk)
    context = {
        "office": office,
        "letter": letter,
        "application": letter.application,
        "is_signer": services.signer_for(request.user, office) is not None,
        "can_revoke": services.can_revoke(request.user, office),
        "can_write": user_can_write(request.user, office),
        "fingerprint": format_fingerprint(letter.key.fingerprint) if letter.key else "",
    }
    with timezone.override(office.tz):
        return render(request, "letters/staff_letter.html", context)


def _opened(request, letter: Letter) -> None:
    # The letter prints the applicant's whole NIK: opening it is a view of personal data.
    record_audit_event(
        letter.office, actor=request.user, action=AuditEvent.Action.VIEW_NIK, target=f"surat:{letter.pk}"
    )


@login_required
def draft_pdf(request, office, pk):
    office, letter = get_letter_for_user(request, office, pk)
    if letter.state != Letter.State.DRAFT:
        return redirect("letters:signed_pdf", office=office.slug, pk=letter.pk)
    _opened(request, letter)
    return _pdf(services.render_draft(letter), f"draf-surat-{letter.pk}.pdf")


@login_required
def signed_pdf(request, office, pk):
    office, found = get_letter_for_user(request, office, pk)
    letter = Letter.objects.select_related("office").get(pk=found.pk)
    if not letter.is_signed or letter.signed_pdf is None:
        raise Http404("Surat belum ditandatangani")
    _opened(request, letter)
    name = "surat-" + "".join(c if c.isalnum() else "-" for c in letter.number) + ".pdf"
    return _pdf(bytes(letter.signed_pdf), name, attachment=True)


def _pdf(content: bytes, filename: str, *, attachment: bool = False) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    disposition = "attachment" if attachment else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


@login_required
@require_POST
def sign(request, office, pk):
    office, letter = get_letter_for_user(request, office, pk)
    try:
        letter = services.sign_letter(letter, actor=request.user)
    except services.LetterError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Surat %(number)s ditandatangani.") % {"number": letter.number})
    return redirect("letters:staff_letter", office=office.slug, pk=letter.pk)


@login_required
@require_POST
def revoke(request, office, pk):
    office, letter = get_letter_for_user(request, office, pk)
    try:
        services.revoke_letter(letter, actor=request.user, reason=request.POST.get("reason", ""))
    except services.LetterError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Surat dicabut. Halaman verifikasinya kini menyatakan demikian."))
    return redirect("letters:staff_letter", office=office.slug, pk=letter.pk)


# --- settings (office admin) -------------------------------------------------------------------------


def _settings_context(office, **overrides):
    current = services.letter_settings(office)
    context = {
        "office": office,
        "settings_form": LetterSettingsForm(instance=current),
        "current": current,
        "signer_form": SignerForm(office=office),
        "signers": Signer.objects.filter(membership__office=office).select_related("membership__user"),
        "services": Service.objects.published().filter(office=office).select_related("current_version"),
        "templates": set(LetterTemplate.objects.filter(office=office).values_list("service_id", flat=True)),
        "key": keys.current_key(office),
    }
    if context["key"]:
        context["fingerprint"] = format_fingerprint(context["key"].fingerprint)
    return context | overrides


@login_required
def settings_page(request, office):
    office = get_office_for_user(request, office, admin=request.method == "POST")
    if request.method == "POST":
        form = LetterSettingsForm(request.POST, request.FILES, instance=services.letter_settings(office))
        if form.is_valid():
            logo = form.cleaned_data["logo_file"]
            if logo is not None and logo.content_type == PDF:
                form.add_error("logo_file", _("Logo harus gambar PNG atau JPG."))
            else:
                try:
                    services.save_letter_settings(
                        office,
                        actor=request.user,
                        unit_code=form.cleaned_data["unit_code"],
                        number_pattern=form.cleaned_data["number_pattern"],
                        logo=logo.content if logo is not None else None,
                        remove_logo=form.cleaned_data["remove_logo"],
                    )
                except ValidationError as exc:
                    form.add_error(None, exc)
                else:
                    messages.success(request, _("Pengaturan surat disimpan."))
                    return redirect("letters:settings", office=office.slug)
        return render(request, "letters/settings.html", _settings_context(office, settings_form=form), status=400)
    return render(request, "letters/settings.html", _settings_context(office))


@login_required
@require_POST
def save_signer(request, office):
    office = get_office_for_user(request, office, admin=True)
    form = SignerForm(request.POST, office=office)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.set_signer(
                data["membership"],
                actor=request.user,
                full_name=data["full_name"],
                title=data["title"],
                nip=data["nip"],
                is_active=data["is_active"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Penanda tangan disimpan."))
            return redirect("letters:settings", office=office.slug)
    return render(request, "letters/settings.html", _settings_context(office, signer_form=form), status=400)


@login_required
def template_page(request, office, code):
    office = get_office_for_user(request, office, admin=request.method == "POST")
    service = Service.objects.published().filter(office=office, code=code).select_related("current_version").first()
    if service is None:
        raise Http404("Layanan tidak ditemukan")
    instance = LetterTemplate.objects.filter(service=service).first() or LetterTemplate(office=office, service=service)
    form = LetterTemplateForm(request.POST or None, instance=instance)
    status = 200
    if request.method == "POST":
        if form.is_valid() and request.POST.get("action") == "preview":
            return _pdf(services.render_sample(service, form.save(commit=False)), f"contoh-surat-{service.code}.pdf")
        if form.is_valid():
            try:
                services.save_letter_template(service, actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Templat surat disimpan."))
                return redirect("letters:template", office=office.slug, code=service.code)
        status = 400
    context = {"office": office, "service": service, "form": form, "default_body": default_body()}
    return render(request, "letters/template.html", context, status=status)
