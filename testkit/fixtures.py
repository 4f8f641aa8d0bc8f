"""Fixtures for every test, registered as a pytest plugin by the repository's conftest.py."""

import pytest

from testkit.personas import Personas, create_personas


@pytest.fixture(autouse=True)
def _fresh_caches():
    """Primary keys are reused after each test's rollback: never serve a page cached by another test."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture
def personas(db) -> Personas:
    return create_personas()


@pytest.fixture
def demo_office(db):
    """The full Kisam Tinggi demo (regions for OKU Selatan only, office, 24 services)."""
    from django.conf import settings

    from layan.catalogue.yaml_io import import_catalogue
    from layan.offices.services import create_office
    from testkit.personas import create_regions

    create_regions()
    office = create_office("16.09.10", slug="kisam-tinggi")
    import_catalogue(office, (settings.DATA_DIR / "catalogue" / "kisam-tinggi.yaml").read_text(encoding="utf-8"))
    office.refresh_from_db()
    return office


@pytest.fixture
def fake_api(settings):
    """A started FakeAPI with the cloud channels' base URLs pointed at it."""
    from testkit.fakeapi import FakeAPI

    with FakeAPI() as api:
        settings.LAYAN_META_GRAPH_URL = api.url
        settings.LAYAN_TELEGRAM_API_URL = api.url
        yield api
