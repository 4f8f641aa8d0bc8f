"""Template tags of the staff layout (templates/staff_base.html)."""

from django import template

from layan.offices.access import offices_for_user, user_can_write
from layan.offices.models import Office

register = template.Library()

SWITCHER_LIMIT = 20


@register.simple_tag
def switcher_offices(user) -> dict:
    """The offices the office switcher lists (one query): `more` when the chooser has the rest."""
    offices = list(offices_for_user(user).order_by("name").only("slug", "name")[: SWITCHER_LIMIT + 1])
    return {"offices": offices[:SWITCHER_LIMIT], "more": len(offices) > SWITCHER_LIMIT}


@register.simple_tag
def can_write(user, office: Office) -> bool:
    """May the user change this office's data? Staff pages show write buttons only then."""
    return user_can_write(user, office)
