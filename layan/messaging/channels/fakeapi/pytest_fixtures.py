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


def post_signed(client, url: str, data: dict, *, secret: str, signature: str | None = None):
    """POST `data` to a Meta webhook as Meta would: JSON body signed with X-Hub-Signature-256.

    `signature=""` sends no signature header; any other string is sent as it is (a forged one).
    """
    import hashlib
    import hmac
    import json

    body = json.dumps(data).encode()
    if signature is None:
        signature = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    headers = {"X-Hub-Signature-256": signature} if signature else {}
    return client.post(url, body, content_type="application/json", headers=headers)
