"""Admin: channels per office (scoped, saved through services), secrets masked; messages read-only
for support and never deleted."""

from django import forms
from django.contrib import admin
from django.db.models import Q
from django.utils.translation import gettext as _

from layan.offices.access import offices_for_user
from layan.offices.admin import OfficeScopedAdmin

from .channels import ConfigError, validate_config
from .models import Channel, InboundEvent, Message
from .services import MessagingError, check_channel, save_channel


class ChannelForm(forms.ModelForm):
    class Meta:
        model = Channel
        fields = ["name", "kind", "office", "regency", "address", "config", "tps", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # Never send secrets back to the browser; an unchanged mask keeps the stored value.
            self.initial["config"] = self.instance.masked_config()

    def clean_config(self):
        config = self.cleaned_data.get("config") or {}
        if not isinstance(config, dict):
            raise forms.ValidationError(_("Konfigurasi harus berupa objek JSON."))
        stored = self.instance.config if self.instance.pk else {}
        return {k: (stored.get(k, "") if v == "••••" else v) for k, v in config.items()}

    def clean(self):
        cleaned = super().clean()
        kind, config = cleaned.get("kind"), cleaned.get("config")
        if kind and config is not None and "config" not in self.errors:
            # The same schema add_channel checks: the kind's own declaration.
            try:
                validate_config(kind, config)
            except ConfigError as exc:
                self.add_error("config", str(exc))
        return cleaned

    def _post_clean(self):
        super()._post_clean()  # the instance now holds the form's values
        try:
            check_channel(self.instance)
        except MessagingError as exc:
            self.add_error(None, str(exc))


@admin.register(Channel)
class ChannelAdmin(OfficeScopedAdmin):
    form = ChannelForm
    list_display = ["name", "kind", "office", "regency", "address", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "address"]
    readonly_fields = ["uuid"]

    def get_queryset(self, request):
        qs = admin.ModelAdmin.get_queryset(self, request)
        if request.user.is_superuser:
            return qs
        return qs.filter(office__in=offices_for_user(request.user))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "regency" and not request.user.is_superuser:
            # Kabupaten-wide channels are set up by the operator.
            field.queryset = field.queryset.none()
        return field

    def _can_write(self, request, obj=None) -> bool:
        if obj is not None and obj.office_id is None:
            return request.user.is_superuser
        return super()._can_write(request, obj)

    def save_model(self, request, obj, form, change):
        save_channel(obj)


@admin.register(Message)
class MessageAdmin(OfficeScopedAdmin):
    list_display = ["uuid", "office", "channel", "direction", "status", "attempts", "created_at"]
    list_filter = ["direction", "status"]
    readonly_fields = [f.name for f in Message._meta.fields]
    fields = [
        "uuid",
        "office",
        "channel",
        "direction",
        "status",
        "attempts",
        "next_attempt_at",
        "provider_ref",
        "error",
        "failed_reason",
        "parts",
        "is_broadcast",
        "created_at",
        "sent_at",
        "delivered_at",
    ]

    def get_queryset(self, request):
        qs = admin.ModelAdmin.get_queryset(self, request).select_related("office", "channel")
        if request.user.is_superuser:
            return qs
        return qs.filter(Q(office__in=offices_for_user(request.user)))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        # The conversation log and the outbox are a record of what citizens were told.
        return False


@admin.register(InboundEvent)
class InboundEventAdmin(OfficeScopedAdmin):
    """Raw inbound events, read only: mostly to find webhook events that were not used
    (status malformed or unrouted, with why), e.g. a Page or number not yet added as a channel.
    The raw payload (phone numbers, texts) is shown to superusers only."""

    office_field = "channel__office"
    list_display = ["received_at", "channel", "status", "error", "provider_id"]
    list_filter = ["status"]
    fields = readonly_fields = ("channel", "status", "error", "provider_id", "received_at", "payload")

    def get_queryset(self, request):
        qs = admin.ModelAdmin.get_queryset(self, request).select_related("channel")
        if request.user.is_superuser:
            return qs
        return qs.filter(channel__office__in=offices_for_user(request.user))

    def get_fields(self, request, obj=None):
        return [f for f in self.readonly_fields if f != "payload" or request.user.is_superuser]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
