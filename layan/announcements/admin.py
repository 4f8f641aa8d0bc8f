"""Admin for announcements, scoped to the user's offices. Publishing happens on the staff pages
(it runs the broadcast); here staff can read, fix a draft, and see each delivery."""

from django.contrib import admin

from layan.offices.admin import OfficeScopedAdmin

from .models import Announcement, AnnouncementDelivery


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

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
