"""Figures of the queue statistics page: '4,5 menit', '12%', '—' when there is nothing to measure."""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _

register = template.Library()


def _rounded(value: float, places: int) -> Decimal:
    # Half up, as people round (9.25 -> 9.3), not to even as round() does.
    return Decimal(str(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


@register.filter
def minutes(value: dt.timedelta | None) -> str:
    if value is None:
        return "—"
    return _("{m} menit").format(m=number_format(_rounded(value.total_seconds() / 60, 1), 1))


@register.filter
def percent(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{number_format(_rounded(value * 100, 0), 0)}%"
