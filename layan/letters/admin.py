"""Admin for letters, scoped to the user's offices. Signing and revoking happen on the staff pages
(services.py); here an office sets its letterhead, templates and signers."""

from django.contrib import admin

from layan.offices.admin import OfficeScopedAdmin

from .models import LetterSettings, LetterTemplate, NumberSequence, Signer, SigningKey


@admin.register(LetterSettings)
class LetterSettingsAdmin(OfficeScopedAdmin):
    list_display = ["office", "unit_code", "number_pattern"]


@admin.register(LetterTemplate)
class LetterTemplateAdmin(OfficeScopedAdmin):
    list_display = ["service", "office", "classification", "subject"]


@admin.register(NumberSequence)
class NumberSequenceAdmin(OfficeScopedAdmin):
    list_display = ["office", "year", "last"]
    readonly_fields = ["office", "year", "last"]

    def has_add_permission(self, request):
        return False


@admin.register(SigningKey)
class SigningKeyAdmin(OfficeScopedAdmin):
    list_display = ["office", "fingerprint", "created_at"]
    readonly_fields = ["office", "fingerprint", "public_key", "created_at"]

    def has_add_permission(self, request):
        return False


@admin.register(Signer)
class SignerAdmin(admin.ModelAdmin):
    list_display = ["full_name", "title", "membership", "is_active"]
