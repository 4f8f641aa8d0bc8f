"""Admin for the queue's configuration (lanes, counters, priority groups, rules, appointment slots).

Tickets, calls and appointments are read-only here: they change through queue.services only."""

from django.contrib import admin

from layan.catalogue.models import Service
from layan.offices.access import writable_offices_for_user
from layan.offices.admin import OfficeScopedAdmin

from .models import (
    Appointment,
    AppointmentSlot,
    Call,
    Counter,
    Lane,
    LaneService,
    PriorityGroup,
    QueueSettings,
    Ticket,
)


class LaneServiceInline(admin.TabularInline):
    model = LaneService
    extra = 0
    fields = ["service"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "service":
            kwargs["queryset"] = Service.objects.filter(office__in=writable_offices_for_user(request.user))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Lane)
class LaneAdmin(OfficeScopedAdmin):
    list_display = ["code", "name", "office", "order", "is_active"]
    list_filter = ["is_active"]
    inlines = [LaneServiceInline]

    def save_formset(self, request, form, formset, change):
        # A lane's services belong to the lane's office (the tenant key on every row).
        for obj in formset.save(commit=False):
            obj.office_id = form.instance.office_id
            obj.save()
        for obj in formset.deleted_objects:
            obj.delete()


@admin.register(Counter)
class CounterAdmin(OfficeScopedAdmin):
    list_display = ["number", "name", "office", "is_active"]
    filter_horizontal = ["lanes"]


@admin.register(PriorityGroup)
class PriorityGroupAdmin(OfficeScopedAdmin):
    list_display = ["code", "name", "office", "is_active"]


@admin.register(QueueSettings)
class QueueSettingsAdmin(OfficeScopedAdmin):
    list_display = ["office", "ordering", "priority_every", "waiting_room_max", "pandemic_mode", "walk_in_quota"]


@admin.register(AppointmentSlot)
class AppointmentSlotAdmin(OfficeScopedAdmin):
    list_display = ["date", "start", "end", "service", "capacity", "booked", "office"]
    list_filter = ["date"]
    readonly_fields = ["booked"]


class ReadOnlyAdmin(OfficeScopedAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Ticket)
class TicketAdmin(ReadOnlyAdmin):
    list_display = ["day", "display", "lane", "status", "source", "priority", "counter", "created_at"]
    list_filter = ["status", "source", "day"]
    exclude = ["urn", "token"]


@admin.register(Call)
class CallAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "ticket", "counter", "kind"]


@admin.register(Appointment)
class AppointmentAdmin(ReadOnlyAdmin):
    list_display = ["code", "slot", "masked_phone", "status", "priority"]
    list_filter = ["status"]
    # The phone stays masked here; the name is needed to greet the citizen at the counter.
    exclude = ["phone", "urn"]


from . import board_admin  # noqa: E402, F401  (the clip and printer admins)
