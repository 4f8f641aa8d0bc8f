"""Property-based fuzzing of the whole API from its own OpenAPI document (schemathesis).

Every operation gets generated requests, valid and invalid, against the Kisam Tinggi demo;
each answer must not be a 5xx and must match the documented status codes and schemas.
The explicit phase sends the parameters' documented examples (kisam-tinggi, ktp-el, 1), so
the 200 answers of every path are checked too, not only 404s for random slugs.
"""

from collections.abc import Iterator

import pytest
import schemathesis
from django.conf import settings
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from layan.api.schemas import DEMO_OFFICE_SLUG, DEMO_SERVICE_CODE, DEMO_TRACKING_NUMBER
from layan.applications.models import Application
from layan.applications.tests.helpers import submit
from layan.catalogue.yaml_io import import_catalogue
from layan.offices.models import Membership
from layan.offices.services import create_office
from layan.offices.tokens import create_api_token
from layan.queue.services import set_up_demo_queue
from testkit.personas import create_regions, create_user, open_around_the_clock

pytestmark = pytest.mark.django_db

# Operations whose schema-valid input may still be refused with the documented 422: a NIK's
# region and birth date, a phone number and the desa are checked by the service, not the schema.
CHECKED_BY_SERVICE = {("POST", "/api/v1/offices/{slug}/applications")}

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


def _demo_application_and_token(office) -> str:
    """The application the tracking examples name, and a staff admin's API token (the staff
    operations' cases carry it, so they are checked beyond 401)."""
    application = submit(office, office.services.get(code=DEMO_SERVICE_CODE))
    Application.objects.filter(pk=application.pk).update(tracking_number=DEMO_TRACKING_NUMBER)
    membership = create_user("api-admin", office, role=Membership.Role.ADMIN).memberships.get()
    return create_api_token(membership, name="fuzz")[1]


@pytest.fixture(scope="module")
def demo_catalogue(django_db_setup, django_db_blocker):
    """The demo loaded once for every operation's examples; rolled back after the module.

    Schemathesis calls the WSGI app itself, not django.test.Client, so Django's end-of-request
    handler would close the connection that holds this transaction (PostgreSQL then fails every
    later request); Client disconnects it the same way.
    """
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    with django_db_blocker.unblock(), transaction.atomic():
        create_regions()
        office = create_office("16.09.10", slug=DEMO_OFFICE_SLUG)
        import_catalogue(office, (settings.DATA_DIR / "catalogue" / "kisam-tinggi.yaml").read_text(encoding="utf-8"))
        set_up_demo_queue(office)
        open_around_the_clock(office)  # a ticket example must get its 201 at any hour
        office.api_token = _demo_application_and_token(office)  # type: ignore[attr-defined]
        yield office
        transaction.set_rollback(True)
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def answered() -> Iterator[list[int]]:
    """The status codes one operation's generated cases got; at least one must be a 2xx.

    Hypothesis runs every case of an operation inside one test call, so this function-scoped
    fixture spans them all, and its check runs once the last case is done (a failure there is
    reported as an error of that operation's test). Without real slugs and codes (the explicit
    phase sends the documented examples: kisam-tinggi, ktp-el, 1) the fuzz test would only ever
    see 404s and never check a 200 answer against its schema.
    """
    statuses: list[int] = []
    yield statuses
    assert any(200 <= s < 300 for s in statuses), (
        f"no case answered 2xx (got {sorted(set(statuses))}): the documented examples miss"
    )


@schema.parametrize()
@hypothesis_settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_never_fails_and_matches_its_schema(case, demo_catalogue, answered):
    # The in-process WSGI client does not gunzip; GZipMiddleware is exercised by the HTTP benchmarks.
    headers = {"Accept-Encoding": "identity"}
    if "Authorization" in (case.headers or {}):
        # The staff operations' generated token becomes a real one, so they are checked beyond
        # 401; a case that leaves the header out on purpose (negative testing) keeps it out.
        headers["Authorization"] = f"Bearer {demo_catalogue.api_token}"
    excluded = [positive_data_acceptance] if (case.method.upper(), case.path) in CHECKED_BY_SERVICE else []
    response = case.call_and_validate(headers=headers, excluded_checks=excluded)
    answered.append(response.status_code)
