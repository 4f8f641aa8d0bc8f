"""Forms of the application pages: the citizen's web form, counter registration, the work queue's
filters and bulk actions, and the detail screen's status, checklist and assignment forms.

Forms validate input and turn it into the services' arguments; the services decide (and repeat
the checks that matter, so the API and chat flows get the same rules)."""

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from layan.catalogue.models import Requirement, Service
from layan.messaging.urns import URNError, normalize_phone
from layan.offices.access import WRITE_ROLES
from layan.offices.models import Office
from layan.regions.models import Village

from .models import Channel, RequirementCheck, Status
from .nik import validate_nik
from .uploads import CleanUpload, DocumentField, max_upload_bytes

NAME_MAX = 120
NOTE_MAX = 1000


def office_villages(office: Office):
    return Village.objects.filter(district_id=office.district_id).order_by("name")


def office_officers(office: Office):
    """The people who may take an application: the office's staff and admins."""
    return (
        get_user_model()
        .objects.filter(memberships__office=office, memberships__role__in=WRITE_ROLES, is_active=True)
        .order_by("first_name", "username")
        .distinct()
    )


def officer_label(user) -> str:
    return user.get_full_name() or user.get_username()


class OfficerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return officer_label(obj)


class ApplicantForm(forms.Form):
    """Who applies: the same fields on the web form and at the counter."""

    applicant_name = forms.CharField(
        label=_("Nama lengkap (sesuai KTP)"),
        max_length=NAME_MAX,
        error_messages={"required": _("Nama wajib diisi."), "max_length": _("Nama terlalu panjang.")},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    nik = forms.CharField(
        label=_("NIK"),
        max_length=24,
        help_text=_("16 angka di KTP atau Kartu Keluarga."),
        error_messages={"required": _("NIK wajib diisi.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "pattern": r"[0-9 .\-]*"}),
    )
    village = forms.ModelChoiceField(
        label=_("Desa/kelurahan tempat tinggal"),
        queryset=Village.objects.none(),
        empty_label=_("— pilih desa/kelurahan —"),
        error_messages={
            "required": _("Pilih desa/kelurahan Anda."),
            "invalid_choice": _("Pilih desa/kelurahan dari daftar."),
        },
    )
    phone = forms.CharField(
        label=_("Nomor HP (untuk pemberitahuan SMS)"),
        max_length=24,
        required=False,
        help_text=_("Boleh dikosongkan; tanpa nomor HP, pantau status dengan kode lacak."),
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel", "autocomplete": "tel"}),
    )
    notes = forms.CharField(
        label=_("Catatan (jika ada)"),
        max_length=NOTE_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": _("Catatan terlalu panjang (maksimal 1000 huruf).")},
    )

    def __init__(self, *args, office: Office, **kwargs):
        super().__init__(*args, **kwargs)
        self.office = office
        self.fields["village"].queryset = office_villages(office)  # type: ignore[attr-defined]

    def clean_applicant_name(self) -> str:
        return " ".join(self.cleaned_data["applicant_name"].split())

    def clean_nik(self) -> str:
        return validate_nik(self.cleaned_data["nik"])

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"].strip()
        if not phone:
            return ""
        try:
            phone = normalize_phone(phone)
        except URNError:
            raise ValidationError(_("Nomor HP tidak valid. Tulis seperti 0812 3456 7890."), code="phone") from None
        if not phone.startswith("+62"):
            raise ValidationError(_("Tulis nomor HP Indonesia, mis. 0812 3456 7890."), code="phone")
        return phone


def check_field(requirement: Requirement) -> str:
    return f"syarat_{requirement.pk}"


def upload_field(requirement: Requirement) -> str:
    return f"berkas_{requirement.pk}"


class ApplyForm(ApplicantForm):
    """The citizen's form: per requirement a tick ("I have it ready") and, where the SOP allows
    uploads, a file (PDF, JPG or PNG)."""

    def __init__(self, *args, office: Office, requirements: list[Requirement], **kwargs):
        super().__init__(*args, office=office, **kwargs)
        self.requirements = requirements
        limit_mb = max_upload_bytes() // (1024 * 1024)
        for r in requirements:
            self.fields[check_field(r)] = forms.BooleanField(label=r.document, required=False)
            if r.upload_accepted:
                self.fields[upload_field(r)] = DocumentField(
                    label=_("Unggah %(document)s") % {"document": r.document},
                    help_text=_("PDF, JPG atau PNG, paling besar %(mb)d MB (boleh dikosongkan).") % {"mb": limit_mb},
                )

    def checklist(self) -> dict[int, str]:
        """Requirement id -> state for submit_application: ticked or uploaded is "provided"."""
        states: dict[int, str] = {}
        for r in self.requirements:
            if self.cleaned_data.get(check_field(r)) or self.cleaned_data.get(upload_field(r)):
                states[r.pk] = RequirementCheck.State.PROVIDED
        return states

    def uploads(self) -> list[tuple[Requirement, CleanUpload]]:
        return [(r, f) for r in self.requirements if (f := self.cleaned_data.get(upload_field(r)))]

    def rows(self) -> list[dict]:
        """The checklist as the template lays it out: the requirement, its tick and its upload field."""
        return [
            {
                "requirement": r,
                "check": self[check_field(r)],
                "upload": self[upload_field(r)] if r.upload_accepted else None,
            }
            for r in self.requirements
        ]


class CounterForm(ApplicantForm):
    """Counter registration: the officer ticks what the citizen brought (verified on the spot or
    only handed in) and may also scan documents."""

    def __init__(self, *args, office: Office, requirements: list[Requirement], **kwargs):
        super().__init__(*args, office=office, **kwargs)
        self.requirements = requirements
        self.fields["village"].required = True
        for r in requirements:
            self.fields[check_field(r)] = forms.BooleanField(label=r.document, required=False)

    def checklist(self) -> dict[int, str]:
        provided = RequirementCheck.State.PROVIDED.value
        return {r.pk: provided for r in self.requirements if self.cleaned_data.get(check_field(r))}

    def rows(self) -> list[dict]:
        return [{"requirement": r, "check": self[check_field(r)]} for r in self.requirements]


class ServiceChoiceForm(forms.Form):
    """Counter registration, step one: which service (works without JavaScript: a GET form)."""

    layanan = forms.ModelChoiceField(
        label=_("Layanan"),
        queryset=Service.objects.none(),
        to_field_name="code",
        empty_label=_("— pilih layanan —"),
        error_messages={"invalid_choice": _("Pilih layanan dari daftar.")},
    )

    def __init__(self, *args, office: Office, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["layanan"].queryset = (  # type: ignore[attr-defined]
            Service.objects.published().filter(office=office).select_related("current_version").order_by("code")
        )
        self.fields["layanan"].label_from_instance = lambda s: s.current_version.name  # type: ignore[attr-defined]


class LookupForm(forms.Form):
    kode = forms.CharField(
        label=_("Kode lacak"),
        max_length=40,
        help_text=_("Contoh: K7M-2QX-9PC, atau 14 angka untuk telepon."),
        error_messages={"required": _("Tulis kode lacak Anda.")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
    )


ASSIGNEE_ME, ASSIGNEE_NONE = "saya", "kosong"


class QueueFilterForm(forms.Form):
    """The work queue's filters (GET). Every field is optional; a wrong value is ignored, not an error page."""

    status = forms.ChoiceField(required=False, label=_("Status"))
    layanan = forms.ModelChoiceField(
        required=False,
        queryset=Service.objects.none(),
        to_field_name="code",
        label=_("Layanan"),
        empty_label=_("Semua"),
    )
    desa = forms.ModelChoiceField(
        required=False, queryset=Village.objects.none(), label=_("Desa"), empty_label=_("Semua")
    )
    petugas = forms.ChoiceField(required=False, label=_("Petugas"))
    jalur = forms.ChoiceField(required=False, label=_("Jalur"), choices=[("", _("Semua")), *Channel.choices])
    q = forms.CharField(required=False, max_length=40, label=_("Kode lacak"))

    def __init__(self, *args, office: Office, officers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("Semua yang masih berjalan")), *Status.choices]  # type: ignore[attr-defined]
        self.fields["layanan"].queryset = (  # type: ignore[attr-defined]
            Service.objects.filter(office=office).select_related("current_version").order_by("code")
        )
        self.fields["layanan"].label_from_instance = lambda s: (  # type: ignore[attr-defined]
            s.current_version.name if s.current_version else s.code
        )
        self.fields["desa"].queryset = office_villages(office)  # type: ignore[attr-defined]
        self.fields["petugas"].choices = [  # type: ignore[attr-defined]
            ("", _("Semua")),
            (ASSIGNEE_ME, _("Saya")),
            (ASSIGNEE_NONE, _("Belum ada petugas")),
            *[(str(u.pk), officer_label(u)) for u in officers],
        ]


class StatusForm(forms.Form):
    """One status button's form on the detail screen: the target, a note (the reason, required for
    perlu_perbaikan and ditolak by the service) and, for perlu_perbaikan, what is missing."""

    to = forms.ChoiceField(choices=Status.choices)
    note = forms.CharField(required=False, max_length=NOTE_MAX, label=_("Alasan/catatan untuk pemohon"))
    missing = forms.TypedMultipleChoiceField(required=False, coerce=int, label=_("Yang kurang"))
    missing_other = forms.CharField(required=False, max_length=200, label=_("Lainnya yang kurang"))

    def __init__(self, *args, checks=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["missing"].choices = [(c.pk, c.document) for c in checks]  # type: ignore[attr-defined]

    def missing_items(self) -> list:
        items: list = list(self.cleaned_data.get("missing") or [])
        if other := self.cleaned_data.get("missing_other", "").strip():
            items.append(other)
        return items


class CheckForm(forms.Form):
    state = forms.ChoiceField(choices=RequirementCheck.State.choices, label=_("Keadaan"))
    note = forms.CharField(required=False, max_length=300, label=_("Catatan"))
    file = DocumentField(label=_("Unggah berkas"))


class AssignForm(forms.Form):
    assignee = OfficerChoiceField(
        queryset=get_user_model().objects.none(), required=False, label=_("Petugas"), empty_label=_("— tidak ada —")
    )

    def __init__(self, *args, office: Office, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = office_officers(office)  # type: ignore[attr-defined]


BULK_STATUSES = (Status.DIVERIFIKASI, Status.DIPROSES, Status.SELESAI, Status.DIAMBIL)


class BulkForm(forms.Form):
    """Several applications at once: take them, give them to someone, or move them one step
    (the steps that need no reason; perlu_perbaikan and ditolak are decided one file at a time)."""

    ids = forms.TypedMultipleChoiceField(coerce=int, error_messages={"required": _("Pilih dulu permohonannya.")})
    action = forms.ChoiceField(error_messages={"required": _("Pilih tindakannya.")})

    def __init__(self, *args, officers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ids"].choices = [(v, v) for v in self.data.getlist("ids") if str(v).isdigit()] if self.data else []  # type: ignore[attr-defined]
        self.fields["action"].choices = [  # type: ignore[attr-defined]
            ("ambil", _("Saya tangani")),
            ("lepas", _("Lepaskan petugas")),
            *[(f"tugas:{u.pk}", _("Tugaskan ke %(name)s") % {"name": officer_label(u)}) for u in officers],
            *[(f"status:{s.value}", _("Ubah status ke “%(status)s”") % {"status": s.label}) for s in BULK_STATUSES],
        ]
