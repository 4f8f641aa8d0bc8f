"""Forms of the letter settings screens (office admin)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from layan.applications.uploads import DocumentField
from layan.offices.models import Membership

from .models import NIP_VALIDATOR, LetterSettings, LetterTemplate, Signer


class LetterSettingsForm(forms.ModelForm):
    logo_file = DocumentField(label=_("Logo (PNG atau JPG)"))
    remove_logo = forms.BooleanField(label=_("Hapus logo"), required=False)

    class Meta:
        model = LetterSettings
        fields = ["unit_code", "number_pattern"]


class SignerForm(forms.ModelForm):
    membership = forms.ModelChoiceField(queryset=Membership.objects.none(), label=_("Staf"))
    # Written as printed ("1980 0202 200501 2 002"); stored as its 18 digits.
    nip = forms.CharField(label=_("NIP"), max_length=30)

    class Meta:
        model = Signer
        fields = ["membership", "full_name", "title", "nip", "is_active"]

    def __init__(self, *args, office, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["membership"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Membership.objects.filter(office=office).select_related("user").order_by("user__username")
        field.label_from_instance = lambda m: m.user.get_full_name() or m.user.get_username()

    def clean_nip(self) -> str:
        nip = "".join(self.cleaned_data["nip"].split())
        NIP_VALIDATOR(nip)
        return nip

    def validate_unique(self):
        # One signer row per member: saving again for the same member changes it (services.set_signer).
        pass


class LetterTemplateForm(forms.ModelForm):
    class Meta:
        model = LetterTemplate
        fields = ["classification", "number_pattern", "subject", "attachment", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 10})}
