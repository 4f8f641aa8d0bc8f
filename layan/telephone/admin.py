"""Admin for the office's own prompt recordings (uploaded WAV converted by sox on save)."""

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from layan.offices.admin import OfficeScopedAdmin
from layan.offices.privacy import mask_nik

from . import prompts, services
from .models import CallLog, PromptRecording, VoiceMessage


class PromptRecordingAdminForm(forms.ModelForm):
    class Meta:
        model = PromptRecording
        fields = ["office", "key", "upload"]


@admin.register(PromptRecording)
class PromptRecordingAdmin(OfficeScopedAdmin):
    form = PromptRecordingAdminForm
    list_display = ["office", "key", "updated_at"]
    list_filter = ["key"]

    def save_model(self, request, obj, form, change):
        # Conversion happens in the service; the admin never saves the row itself.
        upload = form.cleaned_data["upload"]
        upload.seek(0)
        try:
            saved = services.save_prompt_recording(obj.office, key=obj.key, upload=upload)
        except prompts.PromptError as exc:
            messages.error(request, str(exc))
            return
        obj.pk = saved.pk


@admin.register(CallLog)
class CallLogAdmin(OfficeScopedAdmin):
    list_display = ["started_at", "office", "masked_caller", "answered_by", "sms_sent"]
    list_filter = ["answered_by", "sms_sent"]
    # The caller's number and a NIK typed into the note stay masked here too; the full number is on the
    # audited call-back screen of /staf/<office>/telepon/.
    exclude = ["caller", "question"]
    readonly_fields = [
        "office",
        "masked_caller",
        "masked_question",
        "started_at",
        "ended_at",
        "answered_by",
        "path",
        "driver",
    ]

    @admin.display(description=_("pertanyaan"))
    def masked_question(self, obj: CallLog) -> str:
        return mask_nik(obj.question)

    def has_add_permission(self, request):
        return False


@admin.register(VoiceMessage)
class VoiceMessageAdmin(OfficeScopedAdmin):
    list_display = ["created_at", "office", "masked_caller", "seconds", "handled_at"]
    exclude = ["caller", "audio"]
    readonly_fields = ["office", "call", "masked_caller", "seconds"]

    def has_add_permission(self, request):
        return False
