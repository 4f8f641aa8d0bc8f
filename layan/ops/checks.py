"""`manage.py check --deploy`: the public address must reach citizens (the systemd web unit runs it
before starting granian; `manage.py serve` refuses in one line itself)."""

from django.conf import settings
from django.core.checks import Error, Tags, register

from .serve import public_address_problem


@register(Tags.security, deploy=True)
def public_address(app_configs, **kwargs) -> list[Error]:
    if settings.DEMO_MODE:
        return []
    problem = public_address_problem(settings.PUBLIC_BASE_URL)
    return [Error(problem, id="layan.E001")] if problem else []
