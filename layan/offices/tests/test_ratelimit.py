"""Rate limits shared by every channel: a client past the limit gets an Indonesian 429 (page or
JSON) with Retry-After until the window ends; other clients and other senders are not affected."""

import time

import pytest
from django.core.cache import caches
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from layan.offices import ratelimit
from layan.ops import ratecache

pytestmark = [pytest.mark.django_db, pytest.mark.urls("layan.offices.tests.ratelimit_urls")]

CITIZEN = "192.0.2.10"  # documentation addresses (RFC 5737)
NEIGHBOUR = "192.0.2.11"


@pytest.fixture(autouse=True)
def three_per_minute(settings):
    settings.LAYAN_RATE_LIMITS = {"tracking": "3/m", "apply": "1/h"}
    caches["ratelimit"].clear()


def test_the_fourth_lookup_in_a_minute_is_refused_with_an_indonesian_page(client):
    answers = [client.get("/lacak/", REMOTE_ADDR=CITIZEN) for _ in range(4)]
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    refused = answers[-1]
    assert "Terlalu banyak permintaan" in refused.content.decode()
    assert "Coba lagi dalam 1 menit" in refused.content.decode()
    assert 1 <= int(refused["Retry-After"]) <= 60


def test_another_address_keeps_its_own_budget(client):
    for _ in range(4):
        client.get("/lacak/", REMOTE_ADDR=CITIZEN)
    assert client.get("/lacak/", REMOTE_ADDR=NEIGHBOUR).status_code == 200


def test_api_clients_get_json(client):
    answers = [client.get("/api/v1/lacak/", REMOTE_ADDR=CITIZEN) for _ in range(4)]
    assert answers[-1].status_code == 429
    assert answers[-1]["Content-Type"] == "application/json"
    assert answers[-1].json()["detail"].startswith("Terlalu banyak permintaan. Coba lagi dalam")
    assert "Retry-After" in answers[-1]


def test_a_page_client_asking_for_json_gets_json(client):
    for _ in range(3):
        client.get("/lacak/", REMOTE_ADDR=CITIZEN)
    refused = client.get("/lacak/", REMOTE_ADDR=CITIZEN, headers={"Accept": "application/json"})
    assert refused.status_code == 429 and "detail" in refused.json()


def test_the_budget_comes_back_when_the_window_ends(client, monkeypatch):
    for _ in range(4):
        client.get("/lacak/", REMOTE_ADDR=CITIZEN)
    later_s = time.time() + 61
    later = timezone.now() + timezone.timedelta(seconds=61)
    monkeypatch.setattr("django_ratelimit.core.time.time", lambda: later_s)
    monkeypatch.setattr(ratecache.timezone, "now", lambda: later)
    assert client.get("/lacak/", REMOTE_ADDR=CITIZEN).status_code == 200


def test_behind_the_tls_proxy_the_address_the_proxy_saw_counts(client, settings):
    settings.BEHIND_TLS_PROXY = True
    proxy = "127.0.0.1"
    for _ in range(3):
        client.get("/lacak/", REMOTE_ADDR=proxy, headers={"X-Forwarded-For": CITIZEN})
    assert client.get("/lacak/", REMOTE_ADDR=proxy, headers={"X-Forwarded-For": CITIZEN}).status_code == 429
    # A forged first entry proves nothing: the last one (added by our proxy) is the client.
    forged = {"X-Forwarded-For": f"203.0.113.9, {CITIZEN}"}
    assert client.get("/lacak/", REMOTE_ADDR=proxy, headers=forged).status_code == 429
    assert client.get("/lacak/", REMOTE_ADDR=proxy, headers={"X-Forwarded-For": NEIGHBOUR}).status_code == 200


def test_senders_without_a_request_are_counted_by_their_own_key():
    usages = [ratelimit.hit(ratelimit.TRACKING, "urn:1") for _ in range(4)]
    assert [u.limited for u in usages] == [False, False, False, True]
    assert usages[-1].count == 4 and usages[-1].limit == 3
    assert usages[-1].retry_minutes == 1
    assert not ratelimit.hit(ratelimit.TRACKING, "urn:2").limited
    # Groups are counted apart: looking up does not use the budget for applying.
    assert not ratelimit.hit(ratelimit.APPLY, "urn:1").limited
    assert ratelimit.hit(ratelimit.APPLY, "urn:1").limited


def test_no_address_or_number_is_stored_in_the_counters():
    ratelimit.hit(ratelimit.TRACKING, "tel:+6281234567890")
    from layan.ops.models import RateCounter

    [row] = RateCounter.objects.all()
    assert "6281234567890" not in row.key


def test_limits_can_be_switched_off(client, settings):
    settings.RATELIMIT_ENABLE = False
    assert all(client.get("/lacak/", REMOTE_ADDR=CITIZEN).status_code == 200 for _ in range(5))
    assert not ratelimit.hit(ratelimit.TRACKING, "urn:1").limited


def test_an_unknown_group_is_a_configuration_error():
    with pytest.raises(ImproperlyConfigured):
        ratelimit.hit("nothing-configured", "urn:1")


def test_the_limited_sentence_fits_one_sms():
    from layan.messaging.gsm import sms_parts

    usage = ratelimit.Usage(count=99, limit=3, retry_after=3600)
    assert sms_parts(ratelimit.limited_message(usage)) == 1
    assert "60 menit" in ratelimit.limited_message(usage)
