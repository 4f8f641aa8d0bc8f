"""The office profile in the staff workspace (/staf/<office>/profil/): address and contacts, opening
hours, holidays, facilities, channels and staff. Every member of the office may read it; only the
office's admin (offices.access) changes it, through offices.services, which audits each change;
the audit rows are shown as "Riwayat perubahan" at the foot of the page."""

import datetime as dt
import re

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from layan.messaging.models import Channel
from layan.offices import services
from layan.offices.access import get_office_for_user, user_is_office_admin
from layan.offices.models import AuditEvent, Facility, Holiday, Membership, Office, OpeningHours

HISTORY_SIZE = 50
# Views of personal data (view_phone, view_nik, view_document) are not changes to the profile.
PROFILE_ACTIONS = [a for a in AuditEvent.Action.values if not a.startswith("view_")]
TIME = r"([01]?\d|2[0-3])[.:]([0-5]\d)"
PERIOD = re.compile(rf"\s*{TIME}\s*[-–]\s*{TIME}\s*")


class ProfileForm(forms.ModelForm):
    class Meta:
        model = Office
        fields = list(services.PROFILE_FIELDS)
        widgets = {"address": forms.Textarea(attrs={"rows": 3}), "maklumat": forms.Textarea(attrs={"rows": 4})}


def parse_periods(text: str) -> list[services.Span]:
    """'08.00-12.00, 13.30-16.00' → [(08:00, 12:00), (13:30, 16:00)]; empty: closed."""
    spans = []
    for part in filter(None, (p.strip() for p in re.split(r"[,;]", text))):
        m = PERIOD.fullmatch(part)
        if not m:
            raise forms.ValidationError(
                _("“%(part)s” tidak dikenali: tulis seperti 08.00-12.00, 13.30-16.00 (kosong: tutup)."),
                params={"part": part[:40]},
            )
        h1, m1, h2, m2 = (int(g) for g in m.groups())
        spans.append((dt.time(h1, m1), dt.time(h2, m2)))
    return spans


class HoursForm(forms.Form):
    def __init__(self, *args, office: Office, **kwargs):
        super().__init__(*args, **kwargs)
        by_day: dict[int, list[str]] = {}
        for h in office.opening_hours.all():
            by_day.setdefault(h.weekday, []).append(f"{h.opens:%H.%M}-{h.closes:%H.%M}")
        for day, label in OpeningHours.Weekday.choices:
            self.fields[f"day{day}"] = forms.CharField(
                label=label,
                required=False,
                initial=", ".join(by_day.get(day, [])),
                help_text=_("Kosong: tutup. Istirahat: beberapa periode, mis. 08.00-11.30, 13.30-16.00.")
                if day == OpeningHours.Weekday.FRIDAY
                else "",
            )

    def clean(self):
        data = super().clean()
        week = {}
        for day in OpeningHours.Weekday.values:
            try:
                week[day] = parse_periods(data.get(f"day{day}", ""))
            except forms.ValidationError as exc:
                self.add_error(f"day{day}", exc)
        data["week"] = week
        return data


class _OwnIds(forms.Form):
    """Several forms share the profile page: each gets its own id prefix (ids stay unique, the
    field names stay plain)."""

    id_prefix = ""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", f"{self.id_prefix}-%s")
        super().__init__(*args, **kwargs)


class HolidayForm(_OwnIds):
    id_prefix = "libur"
    date = forms.DateField(label=gettext_lazy("Tanggal"), widget=forms.DateInput(attrs={"type": "date"}))
    name = forms.CharField(label=gettext_lazy("Keterangan"), max_length=120)


class SeedForm(_OwnIds):
    id_prefix = "isi-libur"
    year = forms.IntegerField(label=gettext_lazy("Tahun"), min_value=2000, max_value=2100)


class FacilityForm(_OwnIds):
    id_prefix = "fasilitas"
    name = forms.CharField(label=gettext_lazy("Nama fasilitas"), max_length=200)
    description = forms.CharField(
        label=gettext_lazy("Keterangan"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class OfficerForm(_OwnIds):
    id_prefix = "staf-baru"
    MODES = [
        ("create", gettext_lazy("Buat akun baru (sandi sekali pakai ditampilkan sekali)")),
        ("existing", gettext_lazy("Tambahkan pengguna yang sudah ada")),
    ]
    mode = forms.ChoiceField(label=gettext_lazy("Akun"), choices=MODES, initial="create", widget=forms.RadioSelect)
    username = forms.CharField(label=gettext_lazy("Nama pengguna"), max_length=150)
    full_name = forms.CharField(label=gettext_lazy("Nama lengkap"), max_length=150, required=False)
    role = forms.ChoiceField(label=gettext_lazy("Peran"), choices=Membership.Role.choices, initial="staff")


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=gettext_lazy("Peran"), choices=Membership.Role.choices)


def _channels(office: Office) -> list[dict]:
    channels = Channel.objects.filter(office=office) | Channel.objects.filter(regency_id=office.district.regency_id)
    return [
        {
            "channel": c,
            "kind": c.get_kind_display(),
            "shared": c.is_regency_wide,
            "config": sorted(c.masked_config().items()),
        }
        for c in channels.order_by("name")
    ]


def _page(request: HttpRequest, office: Office, *, status: int = 200, **overrides) -> HttpResponse:
    is_admin = user_is_office_admin(request.user, office)
    today = office.local_now().date()
    members = Membership.objects.filter(office=office).select_related("user").order_by("role", "user__username")
    history = AuditEvent.objects.filter(office=office, action__in=PROFILE_ACTIONS).select_related("actor")[
        :HISTORY_SIZE
    ]
    holidays = list(office.holidays.filter(date__year__gte=today.year).order_by("date"))
    context = {
        "office": office,
        "is_admin": is_admin,
        "today": today,
        "profile_form": ProfileForm(instance=office),
        "hours_form": HoursForm(office=office),
        "holiday_form": HolidayForm(),
        "seed_form": SeedForm(initial={"year": today.year + 1}),
        "facility_form": FacilityForm(),
        "officer_form": OfficerForm(),
        "hours": office.opening_hours.all(),
        "holidays": holidays,
        "missing_year": services.year_without_holidays(office, today),
        "facilities": office.facilities.all(),
        "channels": _channels(office),
        "members": [(m, RoleForm(initial={"role": m.role}, prefix=f"m{m.pk}")) for m in members],
        "history": history,
        "new_password": "",
    } | overrides
    return render(request, "web/profile/profile.html", context, status=status)


@login_required
def profile(request: HttpRequest, office_slug: str) -> HttpResponse:
    office = get_office_for_user(request, office_slug)
    return _page(request, office)


def _done(request: HttpRequest, office: Office, text: str) -> HttpResponse:
    messages.success(request, text)
    return redirect("web:profile", office_slug=office.slug)


def _refused(request, office, error: str, **forms_) -> HttpResponse:
    return _page(request, office, status=400, error=error, **forms_)


@login_required
@require_POST
def edit_contacts(request: HttpRequest, office_slug: str) -> HttpResponse:
    office = get_office_for_user(request, office_slug, admin=True)
    form = ProfileForm(request.POST, instance=Office.objects.get(pk=office.pk))
    if not form.is_valid():
        return _refused(request, office, _("Periksa isian alamat dan kontak."), profile_form=form)
    try:
        changed = services.update_office_profile(
            office, actor=request.user, changes={name: form.cleaned_data[name] for name in services.PROFILE_FIELDS}
        )
    except services.OfficeError as exc:
        return _refused(request, office, str(exc), profile_form=form)
    if not changed:
        return _done(request, office, _("Tidak ada yang berubah."))
    return _done(request, office, _("Tersimpan: %(fields)s.") % {"fields": ", ".join(changed)})


@login_required
@require_POST
def edit_hours(request: HttpRequest, office_slug: str) -> HttpResponse:
    office = get_office_for_user(request, office_slug, admin=True)
    form = HoursForm(request.POST, office=office)
    if not form.is_valid():
        return _refused(request, office, _("Periksa jam layanan."), hours_form=form)
    try:
        services.set_opening_hours(office, actor=request.user, week=form.cleaned_data["week"])
    except services.OfficeError as exc:
        return _refused(request, office, str(exc), hours_form=form)
    return _done(request, office, _("Jam layanan tersimpan."))


@login_required
@require_POST
def add_holiday(request: HttpRequest, office_slug: str) -> HttpResponse:
    office = get_office_for_user(request, office_slug, admin=True)
    form = HolidayForm(request.POST)
    if not form.is_valid():
        return _refused(request, office, _("Periksa tanggal dan keterangan hari libur."), holiday_form=form)
    try:
        data = form.cleaned_data
        services.save_holiday(office, actor=request.user, date=data["date"], name=data["name"])
    except services.OfficeError as exc:
        return _refused(request, office, str(exc), holiday_form=form)
    return _done(request, office, _("Hari libur ditambahkan."))


@login_required
@require_POST
def edit_holiday(request: HttpRequest, office_slug: str, pk: int) -> HttpResponse:
    office = get_office_for_user(request, office_slug, admin=True)
    holiday = get_object_or_404(Holiday, office=office, pk=pk)
    if "remove" in request.POST:
        services.remove_holiday(office, actor=request.user, holiday=holiday)
        return _done(request, office, _("Hari libur dihapus."))
    form = HolidayForm(request.POST)
    if not form.is_valid():
        return _refused(request, office, _("Periksa tanggal dan keterangan hari libur."))
    try:
        services.save_holiday(
            office, actor=request.user, date=form.cleaned_data["date"], name=form.cleaned_data["name"], holiday=holiday
        )
    except services.OfficeError as exc:
        return _refused(request, office, str(exc))
    return _done(request, office, _("Hari libur tersimpan."))


@login_required
@require_POST
def seed_holidays(request: HttpRequest, office_slug: str) -> HttpResponse:
    office = get_office_for_user(request, office_slug, admin=True)
    form = SeedForm(request.POST)
    if not form.is_valid():
        return _refused(request, office, _("Tahun tidak sah."), seed_form=form)
    year = form.cleaned_data["year"]
    added = services.seed_holidays(office, actor=request.user, year=year)
    text = _("%(n)d hari libur nasional dan cuti bersama %(year)d ditambahkan.") % {"n": added, "year": year}
    return _done(request, office, text)


@login_required
@require_POST
def add_facility(request: HttpRequest, office_slug: str) -> HttpResponse:
    office = get_office_for_user(request, office_slug, admin=True)
    form = FacilityForm(request.POST)
    if not form.is_valid():
        return _refused(request, office, _("Nama fasilitas wajib diisi."), facility_form=form)
    services.save_facility(office, actor=request.user, **form.cleaned_data)
    return _done(request, office, _("Fasilitas ditambahkan."))


@login_required
@require_POST
def edit_facility(request: HttpRequest, office_slug: str, pk: int) -> HttpResponse:
    office = get_office_for_user(request, office_slug, admin=True)
    facility = get_object_or_404(Facility, office=office, pk=pk)
    if "remove" in request.POST:
        services.remove_facility(office, actor=request.user, facility=facility)
        return _done(request, office, _("Fasilitas dihapus."))
    if "up" in request.POST or "down" in request.POST:
        services.move_facility(office, actor=request.user, facility=facility, up="up" in request.POST)
        return _done(request, office, _("Urutan fasilitas tersimpan."))
    form = FacilityForm(request.POST)
    if not form.is_valid():
        return _refused(request, office, _("Nama fasilitas wajib diisi."))
    services.save_facility(office, actor=request.user, facility=facility, **form.cleaned_data)
    return _done(request, office, _("Fasilitas tersimpan."))


@login_required
@require_POST
def add_officer(request: HttpRequest, office_slug: str) -> HttpResponse:
    office = get_office_for_user(request, office_slug, admin=True)
    form = OfficerForm(request.POST)
    if not form.is_valid():
        return _refused(request, office, _("Periksa isian staf baru."), officer_form=form)
    data = form.cleaned_data
    try:
        membership, password = services.add_officer(
            office,
            actor=request.user,
            username=data["username"],
            role=data["role"],
            full_name=data["full_name"],
            create=data["mode"] == "create",
        )
    except services.OfficeError as exc:
        return _refused(request, office, str(exc), officer_form=form)
    if not password:
        return _done(request, office, _("%(user)s ditambahkan.") % {"user": membership.user.get_username()})
    # The one-time password is shown in this response only (no redirect, nothing stored in clear;
    # staff pages are sent with Cache-Control: no-store).
    return _page(request, office, new_password=password, new_username=membership.user.get_username())


@login_required
@require_POST
def edit_member(request: HttpRequest, office_slug: str, pk: int) -> HttpResponse:
    office = get_office_for_user(request, office_slug, admin=True)
    membership = get_object_or_404(Membership.objects.select_related("user"), office=office, pk=pk)
    name = membership.user.get_username()
    try:
        if "remove" in request.POST:
            services.remove_officer(office, actor=request.user, membership=membership)
            return _done(request, office, _("%(user)s dikeluarkan dari staf kantor.") % {"user": name})
        form = RoleForm(request.POST, prefix=f"m{membership.pk}")
        if not form.is_valid():
            return _refused(request, office, _("Peran tidak dikenal."))
        services.change_role(office, actor=request.user, membership=membership, role=form.cleaned_data["role"])
    except services.OfficeError as exc:
        return _refused(request, office, str(exc))
    return _done(request, office, _("Peran %(user)s tersimpan.") % {"user": name})
