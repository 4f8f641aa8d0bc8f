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

from layan.api.schemas import DEMO_OFFICE_SLUG
from layan.catalogue.yaml_io import import_catalogue
from layan.offices.services import create_office
from layan.queue.services import set_up_demo_queue
from testkit.personas import create_regions

pytestmark = pytest.mark.django_db

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


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
    response = case.call_and_validate(headers={"Accept-Encoding": "identity"})
    answered.append(response.status_code)
