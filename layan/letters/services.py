"""Writes to letters: preparing the draft of an application's letter, signing it (the signer role
only: number, PDF, Ed25519 signature in one transaction) and revoking it. See the Letter docstring."""

import re
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from layan.applications.models import Application, Status
from layan.catalogue import links
from layan.offices.access import get_membership, user_can_write, user_is_office_admin
from layan.offices.models import AuditEvent, Office
from layan.offices.privacy import mask_nik
from layan.offices.services import record_audit_event

from . import keys, verifier
from .models import DEFAULT_NUMBER_PATTERN, Letter, LetterSettings, LetterTemplate, Signer
from .numbering import take_number
from .render import DOCUMENT_LANGUAGE, LetterContent, body_blocks, default_body, fill, format_date, render_letter

# An application gets its letter once the office has checked the file; a refused or returned one does not.
LETTER_STATUSES = frozenset({Status.DIVERIFIKASI, Status.DIPROSES, Status.SELESAI, Status.DIAMBIL})
MAX_REASON = 500


class LetterError(ValidationError):
    """A refused write, with a message for the officer (Indonesian)."""


# --- who signs ---------------------------------------------------------------------------------------


def signer_for(user, office: Office) -> Signer | None:
    """The user's active signer role in `office` (the camat or sekcam), or None."""
    membership = get_membership(user, office)
    if membership is None:
        return None
    return Signer.objects.filter(membership=membership, is_active=True).first()


def can_revoke(user, office: Office) -> bool:
    return signer_for(user, office) is not None or user_is_office_admin(user, office)


# --- what is printed ---------------------------------------------------------------------------------


def letter_settings(office: Office) -> LetterSettings:
    settings = LetterSettings.objects.filter(office=office).first()
    return settings or LetterSettings(office=office)


def default_unit(office: Office) -> str:
    """'KEC-KT' for Kisam Tinggi: the unit code until the office sets its own."""
    initials = "".join(word[0] for word in re.findall(r"[A-Za-z]+", office.district.name)).upper()
    return f"KEC-{initials}" if initials else "KEC"


def template_for(application: Application) -> LetterTemplate:
    template = LetterTemplate.objects.filter(service=application.service_id).first()
    return template or LetterTemplate(office=application.office, service=application.service)


def subject_for(application: Application, template: LetterTemplate) -> str:
    if not template.subject:
        return application.version.name
    return " ".join(fill(template.subject, placeholders(application, signer_title="")).split())


def placeholders(application: Application, *, signer_title: str) -> dict[str, str]:
    office = application.office
    village = application.village
    return {
        "nama": application.applicant_name,
        "nik": application.nik,
        "desa": village.name if village else "",
        "kecamatan": office.district.name,
        "layanan": application.version.name,
        "kode_permohonan": application.tracking_code,
        "tanggal_permohonan": format_date(office.local_now(application.submitted_at).date()),
        "catatan": application.notes,
        "jabatan": signer_title,
    }


def applicant_rows(application: Application) -> list[tuple[str, str]]:
    office = application.office
    place = ", ".join(
        part
        for part in (
            application.village.name if application.village else "",
            _("Kecamatan %(name)s") % {"name": office.district.name},
        )
        if part
    )
    return [(_("Nama"), application.applicant_name), (_("NIK"), application.nik), (_("Alamat"), place)]


def _default_signer(office: Office) -> tuple[str, str, str]:
    signer = Signer.objects.filter(membership__office=office, is_active=True).order_by("id").first()
    if signer is not None:
        return signer.full_name, signer.title, signer.nip
    return office.head_name or "(................................)", f"{office.head_title} {office.district.name}", ""


def _logo(settings: LetterSettings) -> bytes:
    if not settings.logo:
        return b""
    try:
        with settings.logo.open("rb") as fh:
            return fh.read()
    except OSError:
        return b""


def letter_content(
    letter: Letter,
    *,
    number: str = "",
    signer: tuple[str, str, str] | None = None,
    verify_url: str = "",
    template: LetterTemplate | None = None,
) -> LetterContent:
    """What the letter prints: a draft (no number yet, the expected signer) or the signed letter.
    `template`: an unsaved one to preview (the template screen); by default the service's.
    Always in Indonesian, the language of official letters, whatever the officer's screen speaks."""
    with translation.override(DOCUMENT_LANGUAGE):
        return _letter_content(letter, number=number, signer=signer, verify_url=verify_url, template=template)


def _letter_content(letter: Letter, *, number, signer, verify_url, template) -> LetterContent:
    application = letter.application
    office = application.office
    name, title, nip = signer or _default_signer(office)
    template = template or template_for(application)
    signed_at = letter.signed_at or timezone.now()
    return LetterContent(
        office=office,
        number=number or _("(diberikan saat ditandatangani)"),
        date=office.local_now(signed_at).date(),
        subject=letter.subject,
        attachment=template.attachment or "-",
        body=body_blocks(
            template.body or default_body(), placeholders(application, signer_title=title), applicant_rows(application)
        ),
        signer_name=name,
        signer_title=title,
        signer_nip=nip,
        verify_url=verify_url,
        draft=not verify_url,
        logo=_logo(letter_settings(office)),
    )


def render_draft(letter: Letter) -> bytes:
    """The draft's PDF for the staff preview: marked DRAF, no number, no QR."""
    return render_letter(letter_content(letter))


SAMPLE_NIK = "1609104512900001"


def render_sample(service, template: LetterTemplate) -> bytes:
    """A draft of `service`'s letter for an invented applicant: the template screen's preview."""
    office = service.office
    application = Application(
        office=office,
        service=service,
        version=service.current_version,
        applicant_name=_("Nama Pemohon (contoh)"),
        nik=SAMPLE_NIK,
        tracking_number=0,
        submitted_at=timezone.now(),
        notes=_("catatan pemohon (contoh)"),
    )
    letter = Letter(office=office, application=application, subject=subject_for(application, template))
    return render_letter(letter_content(letter, template=template))


def verify_url(letter: Letter) -> str:
    path = reverse("letters:verify", kwargs={"office_slug": letter.office.slug, "token": letter.token})
    return links.absolute_url(path)


# --- writes ------------------------------------------------------------------------------------------


@transaction.atomic
def prepare_letter(application: Application, *, actor) -> Letter:
    """The application's letter, as a draft if it has none yet. Staff of the office who may write."""
    if not user_can_write(actor, application.office):
        raise PermissionDenied(_("Peran Anda hanya boleh melihat."))
    # Locked: two officers pressing the button at once get the same draft, not a duplicate-key error.
    status = Application.objects.select_for_update().values_list("status", flat=True).get(pk=application.pk)
    existing = Letter.objects.without_pdf().filter(application=application).first()
    if existing is not None:
        return existing
    if status not in LETTER_STATUSES:
        raise LetterError(_("Surat dibuat setelah berkas permohonan diverifikasi."))
    template = template_for(application)
    return Letter.objects.create(
        office=application.office,
        application=application,
        subject=subject_for(application, template)[:200],
        created_by=actor,
    )


@transaction.atomic
def sign_letter(letter: Letter, *, actor, now=None) -> Letter:
    """Approve and sign: only an active signer (camat or sekcam) of the letter's office.

    In one transaction: the next number of the office's register, the PDF, the Ed25519 signature over
    the key facts and the unsigned PDF's hash, the signed file stored, an audit event. Any failure
    rolls everything back, the number included (no gaps)."""
    letter = Letter.objects.select_for_update().select_related("application__version", "office").get(pk=letter.pk)
    office = letter.office
    signer = signer_for(actor, office)
    if signer is None:
        raise PermissionDenied(_("Hanya camat atau sekcam yang ditunjuk yang boleh menandatangani surat."))
    if letter.state != Letter.State.DRAFT:
        raise LetterError(_("Surat ini sudah ditandatangani."))
    application = letter.application
    if application.status not in LETTER_STATUSES:
        raise LetterError(_("Permohonan ini tidak dalam keadaan yang boleh diberi surat."))
    try:
        private_key = keys.load_private_key(office)
        key_record, _created = keys.ensure_key(office)
    except keys.KeyMissing as exc:
        raise LetterError(str(exc)) from None

    now = now or timezone.now()
    letter.signed_at = now
    date = office.local_now(now).date()
    template = template_for(application)
    settings = letter_settings(office)
    number = take_number(
        office,
        date=date,
        pattern=template.number_pattern or settings.number_pattern or DEFAULT_NUMBER_PATTERN,
        classification=template.classification,
        unit=settings.unit_code or default_unit(office),
    )
    url = verify_url(letter)
    identity = (signer.full_name, signer.title, signer.nip)
    pdf = render_letter(letter_content(letter, number=number.text, signer=identity, verify_url=url))
    facts = {
        "office": office.name,
        "number": number.text,
        "date": date.isoformat(),
        "subject": letter.subject,
        "applicant_name": application.applicant_name,
        "applicant_nik": mask_nik(application.nik),
        "signer_name": signer.full_name,
        "signer_title": signer.title,
        "signer_nip": signer.nip,
        "token": letter.token,
        "verify_url": url,
        "pdf_sha256": verifier.sha256_hex(pdf),
    }
    envelope = verifier.sign_envelope(private_key, facts)
    signed = verifier.attach(pdf, envelope)

    letter.state = Letter.State.SIGNED
    letter.number, letter.year, letter.sequence = number.text, number.year, number.sequence
    letter.signed_by = actor
    letter.signer_name, letter.signer_title, letter.signer_nip = identity
    letter.key = key_record
    letter.facts = facts
    letter.signature = envelope["sig"]
    letter.pdf_sha256 = facts["pdf_sha256"]
    letter.signed_sha256 = verifier.sha256_hex(signed)
    letter.signed_pdf = signed
    letter.save()
    record_audit_event(office, actor=actor, action=AuditEvent.Action.SIGN_LETTER, target=f"surat:{number.text}"[:100])
    return letter


@transaction.atomic
def revoke_letter(letter: Letter, *, actor, reason: str, now=None) -> Letter:
    """Revoke a signed letter (a signer or the office admin), with a reason shown on its verification page."""
    letter = Letter.objects.without_pdf().select_for_update().select_related("office").get(pk=letter.pk)
    if not can_revoke(actor, letter.office):
        raise PermissionDenied(_("Hanya penanda tangan atau admin kantor yang boleh mencabut surat."))
    reason = " ".join((reason or "").split())
    if not reason:
        raise LetterError(_("Tuliskan alasan pencabutan."))
    if len(reason) > MAX_REASON:
        raise LetterError(_("Alasan terlalu panjang (maksimal %(n)d huruf).") % {"n": MAX_REASON})
    if letter.state != Letter.State.SIGNED:
        raise LetterError(_("Hanya surat yang sudah ditandatangani dan belum dicabut yang dapat dicabut."))
    letter.state = Letter.State.REVOKED
    letter.revoked_at = now or timezone.now()
    letter.revoked_by = actor
    letter.revoke_reason = reason
    letter.save(update_fields=["state", "revoked_at", "revoked_by", "revoke_reason"])
    record_audit_event(
        letter.office, actor=actor, action=AuditEvent.Action.REVOKE_LETTER, target=f"surat:{letter.number}"[:100]
    )
    return letter


# --- the office's letter settings (office admin) ------------------------------------------------------


def _check_admin(office: Office, actor) -> None:
    if not user_is_office_admin(actor, office):
        raise PermissionDenied(_("Hanya admin kantor yang boleh mengubah pengaturan surat."))


@transaction.atomic
def save_letter_settings(
    office: Office, *, actor, unit_code: str, number_pattern: str, logo: bytes | None = None, remove_logo=False
) -> LetterSettings:
    """The kop and numbering of the office's letters. `logo`: PNG or JPEG bytes already checked and
    re-encoded (applications.uploads.clean_upload)."""
    _check_admin(office, actor)
    settings, _created = LetterSettings.objects.get_or_create(office=office)
    settings.unit_code = unit_code.strip()
    settings.number_pattern = number_pattern.strip() or DEFAULT_NUMBER_PATTERN
    settings.full_clean(exclude=["office", "logo"])
    if remove_logo and settings.logo:
        settings.logo.delete(save=False)
    if logo:
        from django.core.files.base import ContentFile

        extension = "png" if logo.startswith(b"\x89PNG") else "jpg"
        if settings.logo:
            settings.logo.delete(save=False)
        settings.logo.save(f"{secrets.token_hex(16)}.{extension}", ContentFile(logo), save=False)
    settings.save()
    return settings


@transaction.atomic
def save_letter_template(service, *, actor, **fields) -> LetterTemplate:
    """The letter of one service: klasifikasi, number pattern, perihal, lampiran, body."""
    _check_admin(service.office, actor)
    template = LetterTemplate.objects.filter(service=service).first() or LetterTemplate(
        office=service.office, service=service
    )
    for name in TEMPLATE_FIELDS:
        if name in fields:
            setattr(template, name, (fields[name] or "").strip())
    template.full_clean(exclude=["office", "service"])
    template.save()
    return template


TEMPLATE_FIELDS = ("classification", "number_pattern", "subject", "attachment", "body")


@transaction.atomic
def set_signer(membership, *, actor, full_name: str, title: str, nip: str, is_active: bool = True) -> Signer:
    """Give a member of the office the signer role (camat or sekcam), or change or withdraw it. Audited
    as a role change: who may sign letters is who may speak for the office."""
    office = membership.office
    _check_admin(office, actor)
    signer = Signer.objects.filter(membership=membership).first() or Signer(membership=membership)
    signer.full_name = " ".join(full_name.split())
    signer.title = " ".join(title.split())
    signer.nip = re.sub(r"\s", "", nip)
    signer.is_active = is_active
    signer.full_clean(exclude=["membership"])
    signer.save()
    state = "penanda tangan" if is_active else "bukan penanda tangan"
    record_audit_event(
        office,
        actor=actor,
        action=AuditEvent.Action.CHANGE_ROLE,
        target=f"staf:{membership.user.get_username()} {state}"[:100],
    )
    return signer


@transaction.atomic
def set_up_demo_signer(membership) -> Signer | None:
    """The demo's admin may also sign, so a new user can follow an application to its signed letter.
    Only for an office without any signer; the NIP of zeros marks it as an example."""
    office = membership.office
    if Signer.objects.filter(membership__office=office).exists():
        return None
    return Signer.objects.create(
        membership=membership,
        full_name=office.head_name or _("Camat (contoh)"),
        title=f"{office.head_title} {office.district.name}",
        nip="0" * 18,
    )
