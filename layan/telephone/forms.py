from django import forms
from django.utils.translation import gettext_lazy as _

from layan.catalogue.models import Service
from layan.offices.models import Office


class StaffCallForm(forms.Form):
    caller = forms.CharField(label=_("Nomor penelepon"), max_length=32)
    question = forms.CharField(label=_("Pertanyaan"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    service = forms.ModelChoiceField(label=_("Layanan"), queryset=Service.objects.none(), required=False)

    def __init__(self, *args, office: Office, **kwargs):
        super().__init__(*args, **kwargs)
        services_field: forms.ModelChoiceField = self.fields["service"]  # type: ignore[assignment]
        services_field.queryset = office.services.published().select_related("current_version")

    def clean_caller(self) -> str:
        value = self.cleaned_data["caller"].strip()
        digits = [ch for ch in value if ch.isdigit()]
        if len(digits) < 8:
            raise forms.ValidationError(_("Nomor telepon tidak valid."))
        return value


class PromptRecordingForm(forms.Form):
    upload = forms.FileField(label=_("Berkas WAV"))
