"""Admin for announcements, scoped to the user's offices. Publishing happens on the staff pages
(it runs the broadcast); here staff can read, fix a draft, and see each delivery."""

from django.contrib import admin

from layan.offices.admin import OfficeScopedAdmin

from .models import Announcement, AnnouncementDelivery
from .services import EDIT_FIELDS, create_announcement, update_announcement


class DeliveryInline(admin.TabularInline):
    model = AnnouncementDelivery
    extra = 0
    can_delete = False
    fields = ["kind", "channel", "status", "queued", "skipped_opted_out", "post_id", "error", "finished_at"]
    readonly_fields = ["kind", "channel", "status", "queued", "skipped_opted_out", "post_id", "error", "finished_at"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Announcement)
class AnnouncementAdmin(OfficeScopedAdmin):
    list_display = ["title", "office", "status", "publish_at", "published_at"]
    list_filter = ["status"]
    search_fields = ["title"]
    readonly_fields = ["status", "published_at", "created_by", "created_at"]
    fields = [
        "office",
        "title",
        "body",
        "link",
        "publish_at",
        ("to_facebook_page", "to_sms", "to_whatsapp", "to_telegram"),
        "status",
        "published_at",
        "created_by",
        "created_at",
    ]
    inlines = [DeliveryInline]

    def has_change_permission(self, request, obj=None):
        # Published text has already gone out by SMS: editing it here would rewrite history.
        if obj is not None and not obj.is_editable:
            return False
        return super().has_change_permission(request, obj)

    def get_readonly_fields(self, request, obj=None):
        # The service edits an announcement within its office.
        return [*self.readonly_fields, "office"] if obj is not None else self.readonly_fields

    def save_model(self, request, obj, form, change):
        fields = {name: getattr(obj, name) for name in EDIT_FIELDS}
        if change:
            saved = update_announcement(obj, **fields)
        else:
            saved = create_announcement(obj.office, user=request.user, **fields)
        # The admin goes on with `obj` (its log entry, the redirect): make it the stored row.
        obj.__dict__.update(saved.__dict__)
