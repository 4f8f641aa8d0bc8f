"""Fixtures for every test, registered as a pytest plugin by the repository's conftest.py."""

import shutil
from pathlib import Path

import pytest
from django.db import connections

from testkit.personas import Personas, create_personas

CHROMIUM = "/usr/bin/chromium"
# Without the background-networking flags chromium keeps trying this closed network.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
# Screenshots and PDFs the browser tests leave for a person to look at (not committed).
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


@pytest.fixture(autouse=True)
def _fresh_caches():
    """Primary keys are reused after each test's rollback: never serve a page cached by another test.

    The search index and the engine's memory are keyed by (office, revision, created_at); the demo
    office below comes back with the same key in every test, so they are emptied too.
    """
    from django.core.cache import cache

    from layan.catalogue import search
    from layan.messaging.engine import memo

    cache.clear()
    search._indexes.clear()
    memo._entries.clear()
    yield


@pytest.fixture(autouse=True)
def _site_language():
    """Each test starts in the site's language: a request with the English cookie activates English
    in the thread (the language middleware), which would otherwise leak into the next test."""
    from django.conf import settings
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):
        yield


@pytest.fixture
def personas(db) -> Personas:
    return create_personas()


@pytest.fixture(scope="session")
def _demo_rows(django_db_setup, django_db_blocker) -> list:
    """The rows the Kisam Tinggi demo adds, built once per session and rolled back at once.

    Importing the YAML costs ~50 queries and the parsing; copying the rows back costs one
    INSERT per table. Each test then gets the same rows (same primary keys) in its own
    transaction, or committed for transactional_db and live_server tests, whose flush removes them.
    """
    from django.apps import apps
    from django.conf import settings
    from django.db import transaction

    from layan.catalogue.yaml_io import import_catalogue
    from layan.offices.services import create_office
    from testkit.personas import create_regions

    models = [m for m in apps.get_models(include_auto_created=True) if m._meta.managed and not m._meta.proxy]
    rows = []
    with django_db_blocker.unblock(), transaction.atomic():
        before = {m: set(m._base_manager.values_list("pk", flat=True)) for m in models}
        create_regions()
        office = create_office("16.09.10", slug="kisam-tinggi")
        import_catalogue(office, (settings.DATA_DIR / "catalogue" / "kisam-tinggi.yaml").read_text(encoding="utf-8"))
        for model in models:
            fields = [f.attname for f in model._meta.concrete_fields]
            pk = model._meta.pk.attname
            added = [r for r in model._base_manager.values(*fields) if r[pk] not in before[model]]
            if added:
                rows.append((model, added))
        transaction.set_rollback(True)
    return rows


@pytest.fixture
def demo_office(db, _demo_rows):
    """The full Kisam Tinggi demo (regions for OKU Selatan only, office, 24 services)."""
    from django.db import transaction

    from layan.offices.models import Office

    # Foreign keys are deferred to the end of the transaction (SQLite and PostgreSQL alike), so
    # the order of the tables and the service <-> current version cycle do not matter.
    with transaction.atomic():
        for model, added in _demo_rows:
            model._base_manager.bulk_create([model(**values) for values in added])
    return Office.objects.get(slug="kisam-tinggi")


@pytest.fixture
def fake_api(settings):
    """A started FakeAPI with the cloud channels' base URLs pointed at it."""
    from testkit.fakeapi import FakeAPI

    with FakeAPI() as api:
        settings.LAYAN_META_GRAPH_URL = api.url
        settings.LAYAN_TELEGRAM_API_URL = api.url
        yield api


@pytest.fixture
def browser(monkeypatch):
    """Debian's chromium through Playwright. Skips where chromium is missing; such tests are marked
    real_component("chromium"), so CI fails the skip."""
    if not shutil.which(CHROMIUM):
        pytest.skip(f"{CHROMIUM} is missing: apt-get install -y chromium")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the test itself does no DB work meanwhile.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
        # While Playwright's loop runs in this thread, asgiref keeps Django's connections in the
        # loop's context, apart from the thread's own: the connection the test opened here would
        # outlive it, and PostgreSQL would refuse to drop the test database at the end of the run.
        connections.close_all()
