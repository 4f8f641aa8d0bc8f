"""The rate-limit counter cache: add/incr semantics django-ratelimit relies on, windows that end,
and increments that are never lost when several processes count at once."""

import datetime as dt
import os
import threading

import pytest
from django.core.cache import caches
from django.db import connection, connections
from django.utils import timezone

from layan.ops import ratecache
from layan.ops.models import RateCounter

pytestmark = pytest.mark.django_db


@pytest.fixture
def counters():
    cache = caches["ratelimit"]
    cache.clear()
    return cache


def test_add_then_incr_counts_and_a_live_key_is_not_added_twice(counters):
    assert counters.add("k", 1, 60) is True
    assert counters.add("k", 1, 60) is False
    assert counters.incr("k") == 2
    assert counters.incr("k", 3) == 5
    assert counters.get("k") == 5
    assert counters.get("other", 0) == 0


def test_incr_of_a_missing_key_raises_value_error_as_memcached_does(counters):
    with pytest.raises(ValueError):
        counters.incr("missing")


def test_an_ended_window_starts_again_from_the_new_value(counters, monkeypatch):
    counters.add("k", 1, 60)
    counters.incr("k")
    later = timezone.now() + dt.timedelta(seconds=61)
    monkeypatch.setattr(ratecache.timezone, "now", lambda: later)
    assert counters.get("k") is None
    with pytest.raises(ValueError):
        counters.incr("k")
    assert counters.add("k", 1, 60) is True
    assert counters.get("k") == 1


def test_set_touch_delete_and_clear(counters):
    counters.set("a", 7, 60)
    counters.set("a", 8, 60)
    assert counters.get("a") == 8
    assert counters.touch("a", 120) is True
    assert counters.touch("nope", 120) is False
    assert counters.delete("a") is True
    assert counters.delete("a") is False
    counters.set("b", 1, None)
    counters.clear()
    assert RateCounter.objects.count() == 0


def test_only_integers_are_stored(counters):
    with pytest.raises(TypeError):
        counters.set("a", "text", 60)
    with pytest.raises(TypeError):
        counters.add("a", True, 60)


def test_ended_windows_are_swept(counters, monkeypatch):
    for n in range(ratecache.SWEEP_EVERY):
        counters.add(f"old{n}", 1, 1)
    later = timezone.now() + dt.timedelta(seconds=5)
    monkeypatch.setattr(ratecache.timezone, "now", lambda: later)
    for n in range(ratecache.SWEEP_EVERY):
        counters.add(f"new{n}", 1, 60)
    assert not RateCounter.objects.filter(key__contains="old").exists()
    assert RateCounter.objects.filter(key__contains="new").count() == ratecache.SWEEP_EVERY


@pytest.mark.slow
@pytest.mark.real_component("postgresql")
@pytest.mark.django_db(transaction=True)
def test_concurrent_increments_from_many_connections_are_never_lost():
    """Eight connections (as eight web processes would) count 50 attempts each on one key."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL) for concurrent connections")
    counters = caches["ratelimit"]
    counters.clear()
    counters.add("shared", 0, 600)
    seen: list[int] = []
    errors: list[Exception] = []
    start = threading.Barrier(8)

    def count():
        try:
            start.wait()
            for _ in range(50):
                # add first, as django-ratelimit does on every attempt
                if not counters.add("shared", 1, 600):
                    seen.append(counters.incr("shared"))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=count) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert counters.get("shared") == 400
    assert sorted(seen) == list(range(1, 401))  # every increment saw its own, distinct count
    assert os.environ.get("DATABASE_URL")
    counters.clear()
