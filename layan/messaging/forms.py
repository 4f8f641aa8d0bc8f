from django import forms
from django.utils.translation import gettext_lazy as _


class ReplyForm(forms.Form):
    text = forms.CharField(
        label=_("Balasan"),
        max_length=1000,
        error_messages={"required": _("Balasan wajib diisi.")},
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 1000}),
    )


class SimulatorForm(forms.Form):
    text = forms.CharField(label=_("Pesan warga"), max_length=500, error_messages={"required": _("Pesan wajib diisi.")})
