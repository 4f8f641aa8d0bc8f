"""Webhook requests as the real providers send them."""

import hashlib
import hmac
import json


def post_signed(client, url: str, data: dict, *, secret: str, signature: str | None = None):
    """POST `data` to a Meta webhook as Meta would: JSON body signed with X-Hub-Signature-256.

    `signature=""` sends no signature header; any other string is sent as it is (a forged one).
    """
    body = json.dumps(data).encode()
    if signature is None:
        signature = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    headers = {"X-Hub-Signature-256": signature} if signature else {}
    return client.post(url, body, content_type="application/json", headers=headers)
