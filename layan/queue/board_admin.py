"""Admin for the board's recorded words and the ticket printers (registered from admin.py)."""

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from layan.offices.admin import OfficeScopedAdmin

from . import services, speech
from .devices import CallClip, TicketPrinter


class CallClipAdminForm(forms.ModelForm):
    audio = forms.FileField(label=_("rekaman (WAV, MP3 atau OGG)"))

    class Meta:
        model = CallClip
        fields = ["office", "word", "audio"]


@admin.register(CallClip)
class CallClipAdmin(OfficeScopedAdmin):
    form = CallClipAdminForm
    list_display = ["office", "word", "updated_at"]
    list_filter = ["word"]

    def save_model(self, request, obj, form, change):
        # Conversion happens in the service; the admin never saves the row itself.
        upload = form.cleaned_data["audio"]
        upload.seek(0)
        try:
            saved = services.save_call_clip(obj.office, word=obj.word, upload=upload)
        except (speech.SpeechError, services.QueueError) as exc:
            messages.error(request, str(exc))
            return
        obj.pk = saved.pk


@admin.register(TicketPrinter)
class TicketPrinterAdmin(OfficeScopedAdmin):
    list_display = ["office", "kiosk", "kind", "profile", "host", "is_active"]
    list_filter = ["kind", "is_active"]
