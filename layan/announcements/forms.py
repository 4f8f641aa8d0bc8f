from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Announcement


class AnnouncementForm(forms.ModelForm):
    link = forms.URLField(label=_("Tautan"), required=False, assume_scheme="https", max_length=200)
    publish_at = forms.DateTimeField(
        label=_("Jadwal terbit"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        help_text=_("Kosongkan untuk menerbitkan sekarang. Waktu setempat kantor."),
    )

    class Meta:
        model = Announcement
        fields = ["title", "body", "link", "publish_at", "to_facebook_page", "to_sms", "to_whatsapp", "to_telegram"]
        widgets = {"body": forms.Textarea(attrs={"rows": 8})}


class CorrectionForm(forms.ModelForm):
    """A public announcement's web copy: what a correction may change (never the channels, so
    nothing is broadcast again)."""

    link = forms.URLField(label=_("Tautan"), required=False, assume_scheme="https", max_length=200)

    class Meta:
        model = Announcement
        fields = ["title", "body", "link"]
        widgets = {"body": forms.Textarea(attrs={"rows": 8})}
