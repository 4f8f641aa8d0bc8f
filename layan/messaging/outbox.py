"""The outbox worker: claim due rows, send them through their channel's transport, record the end.

Claiming is a conditional UPDATE that stamps a random claim token and a lease (`claimed_until`);
on PostgreSQL the candidate rows are picked with FOR UPDATE SKIP LOCKED so workers never wait on
each other. A row is only finished by the worker whose token it carries, so a worker that was
killed mid-batch loses its rows when the lease expires and another worker sends them, with the
same message uuid as the provider's idempotency key.
"""

import datetime as dt
import logging
import threading
import time
import uuid
from collections.abc import Callable

from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from . import conf, http
from .channels import SendError, Transport, UnknownChannelKind, get_transport_class
from .models import Channel, Message, Subscription

logger = logging.getLogger(__name__)

BACKOFF_BASE_SECONDS = 30
# A send starts only while the lease has at least the HTTP timeout plus this left.
SEND_MARGIN_SECONDS = 5.0
BACKOFF_MAX_SECONDS = 3600


def backoff_seconds(attempts: int) -> float:
    """Wait before the next try after `attempts` failed ones: 30 s, 60 s, 120 s, … capped at 1 h."""
    return float(min(BACKOFF_BASE_SECONDS * 2 ** max(attempts - 1, 0), BACKOFF_MAX_SECONDS))


def _due(now: dt.datetime) -> Q:
    return Q(status=Message.Status.QUEUED, next_attempt_at__lte=now) | Q(
        status=Message.Status.SENDING, claimed_until__lt=now
    )


def claim_batch(*, limit: int = 50, now: dt.datetime | None = None, lease_seconds: float | None = None):
    """Claim up to `limit` due outbound rows for this caller. Returns (token, messages)."""
    now = now or timezone.now()
    lease = dt.timedelta(seconds=lease_seconds if lease_seconds is not None else conf.outbox_lease_seconds())
    token = uuid.uuid4().hex
    due = Message.objects.filter(_due(now), direction=Message.Direction.OUT)
    outbound = Message.objects.filter(direction=Message.Direction.OUT)
    # Two look-ups, each walking its own partial index in order and stopping at `limit`: rows
    # whose worker died (lease expired) first, then queued rows by due time. One query with OR
    # sorts every due row (~270 ms a claim with 100,000 queued on PostgreSQL).
    expired = outbound.filter(status=Message.Status.SENDING, claimed_until__lt=now).order_by("claimed_until", "id")
    queued = outbound.filter(status=Message.Status.QUEUED, next_attempt_at__lte=now).order_by("next_attempt_at", "id")
    with transaction.atomic():
        ids: list[int] = []
        for rows in (expired, queued):
            candidates = rows.values_list("id", flat=True)
            if connection.features.has_select_for_update_skip_locked:
                candidates = candidates.select_for_update(skip_locked=True)
            ids += list(candidates[: limit - len(ids)])
            if len(ids) >= limit:
                break
        if not ids:
            return token, []
        # Conditional: a row another worker claimed meanwhile no longer matches `due`.
        due.filter(id__in=ids).update(status=Message.Status.SENDING, claim_token=token, claimed_until=now + lease)
    claimed = list(
        Message.objects.filter(claim_token=token, status=Message.Status.SENDING)
        .select_related("channel", "urn")
        .order_by("next_attempt_at", "id")
    )
    return token, claimed


def release(token: str, ids: list[int]) -> int:
    """Give claimed but unsent rows back to the queue (graceful shutdown)."""
    if not ids:
        return 0
    return Message.objects.filter(id__in=ids, claim_token=token, status=Message.Status.SENDING).update(
        status=Message.Status.QUEUED, claim_token=None, claimed_until=None
    )


class TokenBucket:
    """Per-channel rate limit (`channel.tps`) inside one worker process."""

    def __init__(self, rate: float, clock: Callable[[], float] = time.monotonic):
        self.rate = max(rate, 0.001)
        self.capacity = max(1.0, self.rate)
        self.tokens = self.capacity
        self.clock = clock
        self.updated = clock()

    def wait_time(self) -> float:
        """Seconds until one token is available (0 and the token is taken when there is one)."""
        now = self.clock()
        self.tokens = min(self.capacity, self.tokens + (now - self.updated) * self.rate)
        self.updated = now
        if self.tokens >= 1:
            self.tokens -= 1
            return 0.0
        return (1 - self.tokens) / self.rate


class Worker:
    """Drains the outbox. `stop()` (from a signal handler) lets the current message finish."""

    def __init__(self, *, batch_size: int = 50, sleep: Callable[[float], None] = time.sleep):
        self.batch_size = batch_size
        self.sleep = sleep
        self.stopping = threading.Event()
        self._transports: dict[int, Transport] = {}
        self._buckets: dict[int, TokenBucket] = {}
        self.sent = 0
        self.failed = 0
        self.retried = 0

    def stop(self) -> None:
        self.stopping.set()

    def run_once(self, *, now: dt.datetime | None = None) -> int:
        """Claim one batch and process it; returns how many rows were claimed."""
        token, batch = claim_batch(limit=self.batch_size, now=now)
        for i, message in enumerate(batch):
            if self.stopping.is_set():
                release(token, [m.id for m in batch[i:]])
                break
            self.process(message, token, now=now)
        return len(batch)

    def drain(self) -> None:
        """Process until nothing is due (or stop() was called)."""
        while not self.stopping.is_set() and self.run_once():
            pass

    def run_forever(self, *, poll_seconds: float = 1.0) -> None:
        while not self.stopping.is_set():
            if not self.run_once():
                self.stopping.wait(poll_seconds)

    def process(self, message: Message, token: str, *, now: dt.datetime | None = None) -> None:
        channel = message.channel
        if not channel.is_active:
            self._fail(message, token, "Kanal tidak aktif.", Message.FailedReason.NO_CHANNEL, now=now)
            return
        if message.is_broadcast and _stopped(message):
            # Opted out after the broadcast was queued: after a refusal nothing more may be sent
            # (Permenkominfo 01/2009 art. 19). Replies to the citizen's own questions still go.
            self._fail(message, token, "Warga sudah berhenti berlangganan.", Message.FailedReason.STOPPED, now=now)
            return
        try:
            transport = self._transport(channel)
        except UnknownChannelKind:
            self._retry_or_fail(message, token, SendError(f"no transport for {channel.kind}", permanent=False), now)
            return
        self._throttle(channel)
        if now is None and message.claimed_until and not self._lease_covers_a_send(message):
            # The lease ran out, or would run out before the transport's timeout: another worker
            # could take the row over mid-send and send it again, which a transport that cannot
            # deduplicate (Kannel) delivers as a second SMS. Given back (a no-op if another
            # worker owns it already) and sent with a fresh lease.
            release(token, [message.id])
            return
        try:
            ref = transport.send(message)
        except SendError as exc:
            self._retry_or_fail(message, token, exc, now)
            return
        except Exception as exc:
            logger.exception("transport %s crashed", channel.kind)
            self._retry_or_fail(message, token, SendError(type(exc).__name__, permanent=False), now)
            return
        # Accepted: marked sent with its provider ref at once, one autocommitted statement before
        # anything else, so a crash from here on no longer makes the row look unsent.
        done = now or timezone.now()
        status = Message.Status.DELIVERED if transport.delivers_immediately else Message.Status.SENT
        Message.objects.filter(pk=message.pk, claim_token=token, status=Message.Status.SENDING).update(
            status=status,
            provider_ref=str(ref or "")[:200],
            sent_at=done,
            delivered_at=done if transport.delivers_immediately else None,
            attempts=F("attempts") + 1,
            error="",
            claim_token=None,
            claimed_until=None,
        )
        self.sent += 1

    @staticmethod
    def _lease_covers_a_send(message: Message) -> bool:
        assert message.claimed_until is not None
        left = (message.claimed_until - timezone.now()).total_seconds()
        # With a lease configured shorter than that (tests, benches), half of it.
        return left >= min(http.DEFAULT_TIMEOUT + SEND_MARGIN_SECONDS, conf.outbox_lease_seconds() / 2)

    def _transport(self, channel: Channel) -> Transport:
        transport = self._transports.get(channel.pk)
        if transport is None:
            transport = self._transports[channel.pk] = get_transport_class(channel.kind)(channel)
        return transport

    def _throttle(self, channel: Channel) -> None:
        bucket = self._buckets.get(channel.pk)
        if bucket is None:
            bucket = self._buckets[channel.pk] = TokenBucket(channel.tps)
        while (wait := bucket.wait_time()) > 0:
            self.sleep(wait)

    def _retry_or_fail(self, message: Message, token: str, exc: SendError, now: dt.datetime | None) -> None:
        attempts = message.attempts + 1
        error = str(exc)[:500]
        if exc.permanent:
            self._fail(message, token, error, Message.FailedReason.PERMANENT, attempts=attempts, now=now)
            return
        if attempts >= conf.outbox_max_attempts():
            self._fail(message, token, error, Message.FailedReason.RETRIES, attempts=attempts, now=now)
            return
        delay = max(backoff_seconds(attempts), exc.retry_after or 0)
        Message.objects.filter(pk=message.pk, claim_token=token, status=Message.Status.SENDING).update(
            status=Message.Status.QUEUED,
            attempts=attempts,
            error=error,
            next_attempt_at=(now or timezone.now()) + dt.timedelta(seconds=delay),
            claim_token=None,
            claimed_until=None,
        )
        self.retried += 1

    def _fail(self, message, token, error, reason, *, attempts=None, now=None) -> None:
        Message.objects.filter(pk=message.pk, claim_token=token, status=Message.Status.SENDING).update(
            status=Message.Status.FAILED,
            failed_reason=reason,
            error=error,
            attempts=attempts if attempts is not None else message.attempts,
            claim_token=None,
            claimed_until=None,
        )
        self.failed += 1


def _stopped(message: Message) -> bool:
    """The citizen opted out of the broadcasting office after the row was queued."""
    if message.office_id is None:
        return False
    return Subscription.objects.filter(
        office_id=message.office_id, urn_id=message.urn_id, opted_out_at__isnull=False
    ).exists()
