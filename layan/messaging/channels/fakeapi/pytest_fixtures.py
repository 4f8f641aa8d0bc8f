"""`fake_api`: a started FakeAPI with the cloud channels' base URLs pointed at it.

Import it into a tests package's conftest.py: `from layan.messaging.channels.fakeapi.pytest_fixtures import fake_api`.
"""

import pytest

from .server import FakeAPI


@pytest.fixture
def fake_api(settings):
    with FakeAPI() as api:
        settings.LAYAN_META_GRAPH_URL = api.url
        settings.LAYAN_TELEGRAM_API_URL = api.url
        yield api
