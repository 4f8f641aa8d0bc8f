"""Forms of the citizen pages (kiosk, web ticket, booking), of the counter console and of the queue rules page."""

from django import forms
from django.utils.translation import gettext_lazy as _

from layan.messaging.urns import URNError, normalize_phone

from .models import Counter, Lane, QueueSettings
from .services import RULE_FIELDS

MAX_REASON = 120


class PhoneField(forms.CharField):
    """An Indonesian phone number, normalised to E.164 ("0812-3456-7890" -> "+6281234567890")."""

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return ""
        try:
            return normalize_phone(value)
        except URNError as exc:
            raise forms.ValidationError(_("Nomor HP tidak valid. Contoh: 0812 3456 7890.")) from exc


class CheckInForm(forms.Form):
    code = forms.CharField(label=_("Kode janji temu"), max_length=20, strip=True)

    def clean_code(self) -> str:
        return "".join(ch for ch in self.cleaned_data["code"].upper() if ch.isalnum())


class WebTicketForm(forms.Form):
    """Optional number for the "3 nomor lagi" SMS; no name: the status page shows no personal data."""

    phone = PhoneField(
        label=_("Nomor HP (tidak wajib)"),
        required=False,
        max_length=20,
        help_text=_("Kami kirim SMS saat tinggal 3 nomor lagi sebelum giliran Anda."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
    )


class BookingForm(forms.Form):
    name = forms.CharField(label=_("Nama"), max_length=100, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    phone = PhoneField(
        label=_("Nomor HP"),
        max_length=20,
        help_text=_("Untuk pengingat sehari dan satu jam sebelum janji temu."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
    )


class TransferForm(forms.Form):
    lane = forms.ModelChoiceField(label=_("Ke jalur"), queryset=Lane.objects.none(), required=False)
    counter = forms.ModelChoiceField(label=_("Ke loket"), queryset=Counter.objects.none(), required=False)

    def __init__(self, *args, office, exclude_counter=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lane"].queryset = Lane.objects.filter(office=office, is_active=True).order_by("order", "code")
        counters = Counter.objects.filter(office=office, is_active=True).order_by("number")
        if exclude_counter is not None:
            counters = counters.exclude(pk=exclude_counter.pk)
        self.fields["counter"].queryset = counters

    def clean(self):
        data = super().clean()
        if bool(data.get("lane")) == bool(data.get("counter")):
            raise forms.ValidationError(_("Pilih satu tujuan: jalur lain atau loket lain."))
        return data


class PauseForm(forms.Form):
    reason = forms.CharField(label=_("Alasan jeda"), max_length=MAX_REASON, strip=True)


class QueueRulesForm(forms.ModelForm):
    """The office's queue rules; the model's own validation (and its clean) gives the errors."""

    class Meta:
        model = QueueSettings
        fields = RULE_FIELDS
        widgets = {
            "ordering": forms.RadioSelect,
            "priority_weight": forms.NumberInput(attrs={"step": "0.5", "min": "1"}),
        }
