"""Admin: applications for support, read-only (every write goes through services.py, so the
workflow, history and notifications cannot be bypassed). The NIK shows masked only."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from layan.messaging.urns import mask_phone
from layan.offices.admin import OfficeScopedAdmin
from layan.offices.privacy import mask_nik

from .models import Application, Attachment, RequirementCheck, StatusChange


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class RequirementCheckInline(ReadOnlyInline):
    model = RequirementCheck
    fields = ["document", "state", "note"]


class AttachmentInline(ReadOnlyInline):
    model = Attachment
    fields = ["original_name", "content_type", "size", "sha256", "created_at"]


class StatusChangeInline(ReadOnlyInline):
    model = StatusChange
    fields = ["created_at", "actor", "from_status", "to_status", "note"]


@admin.register(Application)
class ApplicationAdmin(OfficeScopedAdmin):
    list_display = ["code", "office", "service", "masked_nik", "status", "channel", "submitted_at", "due_at"]
    list_filter = ["status", "channel"]
    list_select_related = ["office", "service__current_version"]
    FIELDS = (
        "code",
        "office",
        "service",
        "version",
        "applicant_name",
        "masked_nik",
        "masked_phone",
        "village",
        "channel",
        "status",
        "status_note",
        "assignee",
        "notes",
        "submitted_at",
        "clock_started_at",
        "due_at",
        "closed_at",
    )
    fields = FIELDS
    readonly_fields = FIELDS
    inlines = [RequirementCheckInline, AttachmentInline, StatusChangeInline]

    @admin.display(description=_("kode lacak"), ordering="tracking_number")
    def code(self, obj: Application) -> str:
        return obj.tracking_code

    @admin.display(description=_("NIK"))
    def masked_nik(self, obj: Application) -> str:
        return mask_nik(obj.nik)

    @admin.display(description=_("nomor HP"))
    def masked_phone(self, obj: Application) -> str:
        return mask_phone(obj.phone) if obj.phone else ""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
