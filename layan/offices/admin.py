"""Admin for offices, scoped: a staff user sees and edits only the offices they belong to."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .access import offices_for_user, user_is_office_admin, writable_offices_for_user
from .models import AuditEvent, Facility, Holiday, Membership, Office, OpeningHours
from .services import mark_office_changed


class OfficeScopedAdmin(admin.ModelAdmin):
    """Base for admins of office-owned rows: list, edit and choose only the user's offices."""

    office_field = "office"

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        return qs.filter(**{f"{self.office_field}__in": offices_for_user(request.user)})

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "office":
            kwargs["queryset"] = writable_offices_for_user(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def _can_write(self, request, obj=None) -> bool:
        if obj is None:
            return writable_offices_for_user(request.user).exists()
        office_id = getattr(obj, f"{self.office_field}_id")
        return writable_offices_for_user(request.user).filter(pk=office_id).exists()

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_staff and offices_for_user(request.user).exists()

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    def has_add_permission(self, request):
        return self._can_write(request)

    def has_change_permission(self, request, obj=None):
        return self._can_write(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._can_write(request, obj)


class OpeningHoursInline(admin.TabularInline):
    model = OpeningHours
    extra = 0


class FacilityInline(admin.TabularInline):
    model = Facility
    extra = 0


class HolidayInline(admin.TabularInline):
    model = Holiday
    extra = 0
    readonly_fields = ["source"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Office)
class OfficeAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "district", "timezone", "is_active"]
    search_fields = ["name", "slug"]
    autocomplete_fields = ["district"]
    inlines = [OpeningHoursInline, FacilityInline, HolidayInline, MembershipInline]
    fieldsets = [
        (None, {"fields": ["name", "slug", "district", "timezone", "is_active"]}),
        (
            _("Kontak"),
            {
                "fields": [
                    "address",
                    "phone",
                    "sms_number",
                    "whatsapp_number",
                    "email",
                    "facebook_page",
                    "telegram_username",
                ]
            },
        ),
        (_("Pimpinan dan maklumat"), {"fields": ["head_title", "head_name", "maklumat"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(pk__in=offices_for_user(request.user))

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Hours, facilities and contacts are printed in the guidebook and posters.
        mark_office_changed(form.instance)

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_staff and offices_for_user(request.user).exists()

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        # New offices are created from the regions table (manage.py create_office) by the operator.
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return writable_offices_for_user(request.user).exists()
        return user_is_office_admin(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(AuditEvent)
class AuditEventAdmin(OfficeScopedAdmin):
    """Read only: the audit trail is written by the services, never edited."""

    list_display = ["created_at", "office", "actor", "action", "target"]
    list_filter = ["action"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
