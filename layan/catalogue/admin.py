"""Staff edit drafts here (scoped to their offices); published versions are read-only."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from layan.offices.admin import OfficeScopedAdmin

from .models import Requirement, Service, ServiceVersion, Step
from .services import PublishError, publish_service_version, start_draft, update_service


class DraftInline(admin.TabularInline):
    """Rows of a version: editable while the version is a draft of an office the user may write to.

    Django's model permissions are not used for office staff; membership decides (see OfficeScopedAdmin).
    """

    extra = 0

    def _office_admin(self) -> OfficeScopedAdmin:
        return self.admin_site._registry[ServiceVersion]  # type: ignore[return-value]

    def has_view_permission(self, request, obj=None):
        return self._office_admin().has_view_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return obj is not None and obj.is_editable and self._office_admin()._can_write(request, obj)

    has_add_permission = has_change_permission
    has_delete_permission = has_change_permission


class RequirementInline(DraftInline):
    model = Requirement
    fields = ["order", "document", "form", "count", "condition", "upload_accepted", "note"]


class StepInline(DraftInline):
    model = Step
    fields = ["order", "actor", "action", "duration_minutes"]


@admin.register(ServiceVersion)
class ServiceVersionAdmin(OfficeScopedAdmin):
    list_display = ["name", "service", "number", "status", "published_at", "office"]
    list_filter = ["status", "category", "office"]
    search_fields = ["name", "service__code"]
    inlines = [RequirementInline, StepInline]
    readonly_fields = ["service", "office", "number", "status", "published_at", "published_by"]
    actions = ["publish"]
    fieldsets = [
        (None, {"fields": ["service", "office", "number", "status", "published_at", "published_by", "change_note"]}),
        (_("Layanan"), {"fields": ["name", "category", "summary", "keywords"]}),
        (
            _("Penyampaian pelayanan"),
            {
                "fields": [
                    ("time_value", "time_unit"),
                    "time_note",
                    ("fee_idr", "fee_note"),
                    "output",
                    "complaint_handling",
                    "legal_basis",
                ]
            },
        ),
        (
            _("Pengelolaan pelayanan"),
            {
                "fields": [
                    "facilities",
                    "competence",
                    "supervision",
                    ("staff_count", "staff_note"),
                    "guarantee",
                    "security",
                    "evaluation",
                ]
            },
        ),
    ]

    def has_add_permission(self, request):
        # Drafts are started from a service ("Buat draf baru"), never from nothing.
        return False

    def has_change_permission(self, request, obj=None):
        if obj is not None and not obj.is_editable:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and not obj.is_editable:
            return False
        return super().has_delete_permission(request, obj)

    @admin.action(description=_("Terbitkan draf yang dipilih"))
    def publish(self, request, queryset):
        for version in queryset.filter(status=ServiceVersion.Status.DRAFT):
            if not self._can_write(request, version):
                continue
            try:
                published = publish_service_version(version, user=request.user)
            except PublishError as exc:
                self.message_user(request, f"{version.name}: {exc}", messages.ERROR)
            else:
                self.message_user(request, f"{published.name}: versi {published.number} terbit.", messages.SUCCESS)


@admin.register(Service)
class ServiceAdmin(OfficeScopedAdmin):
    list_display = ["code", "__str__", "group", "current_version", "office", "is_active"]
    list_filter = ["office", "group", "is_active"]
    search_fields = ["code", "current_version__name"]
    readonly_fields = ["current_version"]
    actions = ["new_draft"]
    list_select_related = ["current_version", "office"]

    def save_model(self, request, obj, form, change):
        if not change:
            return super().save_model(request, obj, form, change)
        # Through the service, so hiding a service refreshes search, pages and the guidebook at once.
        update_service(obj, is_active=obj.is_active, order=obj.order, group=obj.group)

    @admin.action(description=_("Buat draf baru dari versi terbit"))
    def new_draft(self, request, queryset):
        for service in queryset:
            if not self._can_write(request, service):
                continue
            try:
                draft = start_draft(service)
            except PublishError as exc:
                self.message_user(request, f"{service.code}: {exc}", messages.ERROR)
            else:
                self.message_user(request, f"{service.code}: draf #{draft.pk} siap disunting.", messages.SUCCESS)
