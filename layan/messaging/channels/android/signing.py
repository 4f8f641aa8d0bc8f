"""Webhook signatures of "SMS Gateway for Android": X-Signature = hex HMAC-SHA256(key, raw body + X-Timestamp)."""

import hashlib
import hmac
import time

REPLAY_WINDOW_SECONDS = 300


def sign(key: str, body: bytes, timestamp: str) -> str:
    return hmac.new(key.encode(), body + timestamp.encode(), hashlib.sha256).hexdigest()


def verify(key: str, body: bytes, *, signature: str, timestamp: str, now: float | None = None) -> bool:
    """True when the signature matches and the timestamp is within the replay window."""
    if not key or not signature or not timestamp:
        return False
    try:
        sent_at = int(timestamp)
    except ValueError:
        return False
    now = time.time() if now is None else now
    if abs(now - sent_at) > REPLAY_WINDOW_SECONDS:
        return False
    return hmac.compare_digest(sign(key, body, timestamp), signature.strip().lower())
