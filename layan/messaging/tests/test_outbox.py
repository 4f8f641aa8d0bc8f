"""The outbox worker: transitions, backoff, leases, fault injection, concurrent workers."""

import datetime as dt
import os
import random
import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

from layan.messaging.channels import SendError, Transport, register_transport
from layan.messaging.models import Channel, Message
from layan.messaging.outbox import TokenBucket, Worker, backoff_seconds, claim_batch
from layan.messaging.services import enqueue, get_or_create_urn, opt_out

from .helpers import ask, broadcast, create_test_channel


class FakeProvider:
    """A provider that, like real ones, accepts each idempotency key once."""

    def __init__(self, *, fail_rate: float = 0.0, seed: int = 7):
        self.random = random.Random(seed)
        self.fail_rate = fail_rate
        self.accepted: dict[str, int] = {}
        self.calls: list[str] = []
        self.lock = threading.Lock()

    def submit(self, key: str) -> str:
        with self.lock:
            self.calls.append(key)
            if self.random.random() < self.fail_rate:
                raise SendError("provider busy", permanent=False)
            self.accepted[key] = self.accepted.get(key, 0) + 1
            return f"prov-{key}"


PROVIDER = FakeProvider()


class FakeTransport(Transport):
    kind = "fake"

    def send(self, message):
        return PROVIDER.submit(str(message.uuid))


@pytest.fixture
def provider():
    global PROVIDER
    PROVIDER = FakeProvider()
    register_transport("test", FakeTransport)
    yield PROVIDER
    register_transport("test", None)


@pytest.fixture
def channel(personas):
    return create_test_channel(personas.office, tps=100000)


def queue(channel, office, n: int) -> list[Message]:
    urn = get_or_create_urn("tel:+6281234567890", channel=channel)
    return [enqueue(urn, f"Pesan {i}", office=office, channel=channel) for i in range(n)]


def drain_with_clock(worker: Worker, *, start=None, rounds: int = 500):
    """Run the worker, jumping the clock to the next due retry: backoff without waiting."""
    now = start or timezone.now()
    for _ in range(rounds):
        worker.run_once(now=now)
        pending = Message.objects.filter(status__in=["queued", "sending"], direction="out")
        if not pending.exists():
            return
        due = [m.next_attempt_at for m in pending.filter(status="queued")]
        leases = [m.claimed_until for m in pending.filter(status="sending")]
        now = max(now, min(due + leases)) + dt.timedelta(milliseconds=1)
    raise AssertionError("outbox did not drain")


def test_backoff_grows_and_is_capped():
    assert [backoff_seconds(n) for n in (1, 2, 3, 4)] == [30, 60, 120, 240]
    assert backoff_seconds(50) == 3600


def test_test_channel_delivers_immediately(channel, personas):
    [msg] = queue(channel, personas.office, 1)
    Worker().drain()
    msg.refresh_from_db()
    assert msg.status == Message.Status.DELIVERED
    assert msg.provider_ref == f"test-{msg.uuid}" and msg.attempts == 1 and msg.delivered_at


def test_temporary_error_requeues_with_backoff_then_fails_at_limit(channel, personas, settings):
    settings.LAYAN_OUTBOX_MAX_ATTEMPTS = 3

    class Down(Transport):
        kind = "down"

        def send(self, message):
            raise SendError("timeout", permanent=False)

    register_transport("test", Down)
    try:
        [msg] = queue(channel, personas.office, 1)
        now = timezone.now()
        Worker().run_once(now=now)
        msg.refresh_from_db()
        assert msg.status == Message.Status.QUEUED and msg.attempts == 1
        assert msg.next_attempt_at == now + dt.timedelta(seconds=30)
        assert Worker().run_once(now=now + dt.timedelta(seconds=29)) == 0  # not due yet
        Worker().run_once(now=now + dt.timedelta(seconds=30))
        msg.refresh_from_db()
        assert msg.attempts == 2 and msg.next_attempt_at == now + dt.timedelta(seconds=90)
        Worker().run_once(now=now + dt.timedelta(seconds=90))
        msg.refresh_from_db()
        assert msg.status == Message.Status.FAILED
        assert msg.failed_reason == Message.FailedReason.RETRIES and msg.error == "timeout"
    finally:
        register_transport("test", None)


def test_permanent_error_fails_at_once_and_retry_after_is_honoured(channel, personas):
    class Picky(Transport):
        kind = "picky"

        def send(self, message):
            if message.text.endswith("0"):
                raise SendError("nomor tidak valid", permanent=True)
            raise SendError("rate limited", permanent=False, retry_after=600)

    register_transport("test", Picky)
    try:
        bad, slow = queue(channel, personas.office, 2)
        now = timezone.now()
        Worker().run_once(now=now)
        bad.refresh_from_db()
        slow.refresh_from_db()
        assert bad.status == "failed" and bad.failed_reason == "permanent"
        assert slow.status == "queued" and slow.next_attempt_at == now + dt.timedelta(seconds=600)
    finally:
        register_transport("test", None)


def test_inactive_channel_fails_message(channel, personas):
    [msg] = queue(channel, personas.office, 1)
    Channel.objects.filter(pk=channel.pk).update(is_active=False)
    Worker().drain()
    msg.refresh_from_db()
    assert msg.status == "failed" and msg.failed_reason == "no_channel"


def test_abandoned_claim_is_taken_over_after_lease(channel, personas, provider):
    msgs = queue(channel, personas.office, 5)
    now = timezone.now()
    _token, batch = claim_batch(limit=3, now=now, lease_seconds=60)  # this worker then dies
    assert len(batch) == 3
    Worker().run_once(now=now + dt.timedelta(seconds=1))
    assert len(provider.accepted) == 2  # the live rows only; the claimed ones are leased
    Worker().run_once(now=now + dt.timedelta(seconds=61))
    assert set(provider.accepted) == {str(m.uuid) for m in msgs}


def test_a_send_is_not_started_when_the_lease_would_run_out_during_it(channel, personas, provider):
    # Another worker could take the row over mid-send and send it again: a second SMS on Kannel.
    [msg] = queue(channel, personas.office, 1)
    token, [claimed] = claim_batch(limit=1, lease_seconds=3)  # 3 s left < the 10 s HTTP timeout
    Worker().process(claimed, token)
    msg.refresh_from_db()
    assert provider.calls == [] and msg.status == "queued" and msg.claim_token is None
    Worker().run_once()  # claimed again with a whole lease: sent
    msg.refresh_from_db()
    assert msg.status == "sent" and provider.accepted == {str(msg.uuid): 1}


def test_stop_releases_unsent_rows(channel, personas, provider):
    queue(channel, personas.office, 4)
    worker = Worker(batch_size=4)

    class StopAfterFirst(Transport):
        kind = "stopper"

        def send(self, message):
            worker.stop()  # SIGTERM arrives while the first message is being sent
            return PROVIDER.submit(str(message.uuid))

    register_transport("test", StopAfterFirst)
    worker.run_once()
    statuses = sorted(Message.objects.values_list("status", flat=True))
    assert statuses == ["queued", "queued", "queued", "sent"]
    assert not Message.objects.filter(claim_token__isnull=False).exists()


def test_faults_and_a_killed_worker_deliver_every_message_exactly_once(channel, personas, provider, settings):
    settings.LAYAN_OUTBOX_MAX_ATTEMPTS = 30
    provider.fail_rate = 0.3
    msgs = queue(channel, personas.office, 120)
    start = timezone.now()
    claim_batch(limit=25, now=start)  # a worker claims a batch and is killed
    drain_with_clock(Worker(batch_size=10), start=start)
    uuids = {str(m.uuid) for m in msgs}
    assert set(provider.accepted) == uuids
    assert all(count == 1 for count in provider.accepted.values())
    assert Message.objects.filter(status="sent").count() == 120
    assert len(provider.calls) > 120  # failures really happened and were retried


def test_token_bucket_limits_rate():
    t = [0.0]
    bucket = TokenBucket(2, clock=lambda: t[0])
    assert bucket.wait_time() == 0 and bucket.wait_time() == 0
    assert bucket.wait_time() == pytest.approx(0.5)
    t[0] = 0.5
    assert bucket.wait_time() == 0


@pytest.mark.slow
@pytest.mark.real_component("postgresql")
@pytest.mark.django_db(transaction=True)
def test_concurrent_workers_never_send_a_message_twice(personas, provider):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL) for concurrent SKIP LOCKED workers")
    channel = create_test_channel(personas.office, tps=100000)
    msgs = queue(channel, personas.office, 400)
    errors = []

    def work():
        try:
            worker = Worker(batch_size=7)
            worker.drain()
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert len(provider.calls) == len(msgs)  # raw sends, not deduplicated by the provider
    assert set(provider.calls) == {str(m.uuid) for m in msgs}
    assert os.environ.get("DATABASE_URL")


def test_opting_out_after_a_broadcast_was_queued_stops_it_but_not_replies(channel, personas):
    ask(channel, "JAM", urn="tel:+6281299990000")  # writing to the office subscribes to its broadcasts
    citizen = get_or_create_urn("tel:+6281299990000")
    [queued] = broadcast(personas.office, "Pelayanan KTP keliling hari Sabtu.", channel=channel)
    reply = enqueue(citizen, "Syarat KTP: …", office=personas.office, channel=channel)
    opt_out("tel:+6281299990000", source="sms", channel=channel)
    Worker().drain()
    queued.refresh_from_db()
    reply.refresh_from_db()
    assert queued.status == "failed" and queued.failed_reason == "stopped"
    assert reply.status == "delivered"
