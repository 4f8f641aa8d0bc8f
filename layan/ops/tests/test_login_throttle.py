"""Login throttling: a few wrong passwords lock that account and that address for a while, with
an Indonesian message; other accounts from other addresses log in as before."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings

from testkit.personas import PASSWORD

ATTACKER = "192.0.2.10"  # documentation addresses (RFC 5737): only strings in REMOTE_ADDR here
OFFICER = "192.0.2.20"
ELSEWHERE = "198.51.100.7"


@pytest.fixture(autouse=True)
def throttled(settings):
    settings.AXES_ENABLED = True


def login(client, username: str, password: str, address: str, **headers):
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": username, "password": password},
        REMOTE_ADDR=address,
        headers=headers,
    )


def fail_until_locked(client, username: str, address: str):
    responses = [login(client, username, "salah-tebak", address) for _ in range(settings.AXES_FAILURE_LIMIT)]
    assert [r.status_code for r in responses[:-1]] == [200] * (settings.AXES_FAILURE_LIMIT - 1)
    return responses[-1]


def assert_locked(response) -> None:
    assert response.status_code == 429
    text = response.content.decode()
    assert "Terlalu banyak percobaan masuk" in text
    assert "dikunci sementara" in text
    assert "Coba lagi dalam 15 menit" in text
    assert "_auth_user_id" not in response.client.session


def test_wrong_passwords_lock_the_account_and_the_address(client, personas):
    assert_locked(fail_until_locked(client, personas.staff.username, ATTACKER))
    # The right password is refused too while the lock lasts...
    assert_locked(login(client, personas.staff.username, PASSWORD, ATTACKER))
    # ...for that account from any address, and for any account from that address.
    assert_locked(login(client, personas.staff.username, PASSWORD, ELSEWHERE))
    assert_locked(login(client, personas.viewer.username, PASSWORD, ATTACKER))


def test_another_account_from_another_address_logs_in(client, personas):
    fail_until_locked(client, personas.staff.username, ATTACKER)
    response = login(client, personas.viewer.username, PASSWORD, OFFICER)
    assert response.status_code == 302
    assert response.client.session["_auth_user_id"] == str(personas.viewer.pk)


def test_the_lock_ends_when_the_window_has_passed(client, personas):
    fail_until_locked(client, personas.staff.username, ATTACKER)
    # Let the cool-off pass: every failure is now older than the window.
    for attempt in AccessAttempt.objects.all():
        attempt.attempt_time -= settings.AXES_COOLOFF_TIME + timedelta(seconds=1)
        attempt.save()
    response = login(client, personas.staff.username, PASSWORD, ATTACKER)
    assert response.status_code == 302
    assert response.client.session["_auth_user_id"] == str(personas.staff.pk)


def test_behind_the_proxy_the_forwarded_address_counts(client, personas, settings):
    """Every request reaches the app from the proxy's own address: the lock must follow the
    visitor's address that the proxy adds, not lock everyone out at once."""
    settings.BEHIND_TLS_PROXY = True
    proxy = "127.0.0.1"
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = client.post(
            "/admin/login/",
            {"username": "tidak-ada", "password": "salah"},
            REMOTE_ADDR=proxy,
            headers={"X-Forwarded-For": f"203.0.113.9, {ATTACKER}"},  # the first entry is the client's claim
        )
    assert_locked(response)
    response = login(client, personas.viewer.username, PASSWORD, proxy, **{"X-Forwarded-For": OFFICER})
    assert response.status_code == 302


def test_the_lock_is_explained_in_english_to_who_chose_english(client, personas):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = fail_until_locked(client, personas.staff.username, ATTACKER)
    assert response.status_code == 429
    assert "Try again in 15 minutes." in response.content.decode()
