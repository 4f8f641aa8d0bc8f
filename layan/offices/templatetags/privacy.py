from django import template

from layan.offices import privacy

register = template.Library()


# is_safe: the filter only swaps digits for bullets, so it never makes safe text unsafe.
@register.filter(is_safe=True)
def mask_nik(value) -> str:
    """`{{ call.question|mask_nik }}`: NIK-like numbers in free text, masked (layan.offices.privacy)."""
    return privacy.mask_nik(str(value)) if value else value
