"""A fake Meta Graph API and Telegram Bot API on 127.0.0.1 for tests, staging and demos.

    with FakeAPI() as api:                      # or the `fake_api` pytest fixture
        settings.LAYAN_META_GRAPH_URL = api.url
        api.script("/me/messages", 400, {"error": {"code": 613, "message": "rate"}})
        ...
        api.requests[-1].json

Answers every endpoint the chat channels call with a plausible success body, unless a scripted
response for that path is waiting. Every request is recorded.
"""

from .server import FakeAPI, Recorded
from .webhooks import post_signed

__all__ = ["FakeAPI", "Recorded", "post_signed"]
