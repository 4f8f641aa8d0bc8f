import pytest
from django.core.management import call_command
from django.urls import reverse

from layan.messaging.models import Channel
from testkit.personas import PASSWORD, create_service


@pytest.fixture
def office(personas):
    create_service(personas.office, "ktp-el", "Pelayanan KTP-el", keywords=["ktp"])
    return personas.office


def test_staff_chat_with_engine_in_browser_without_js(client, personas, office):
    client.login(username=personas.staff.username, password=PASSWORD)
    url = reverse("messaging:simulator", args=[office.slug])
    assert client.get(url).status_code == 200
    response = client.post(url, {"text": "syarat ktp"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "syarat ktp" in html and "/kisam-tinggi/layanan/ktp-el/" in html
    assert "<html" in html


def test_htmx_post_returns_only_the_chat_fragment(client, personas, office):
    client.login(username=personas.staff.username, password=PASSWORD)
    url = reverse("messaging:simulator", args=[office.slug])
    response = client.post(url, {"text": "JAM"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert 'id="chat"' in html and "<html" not in html
    assert "Senin" in html


def test_simulate_command_prints_replies(office, capsys):
    call_command("simulate", "--office", office.slug, "--urn", "tel:+6281234567890", "syarat", "ktp")
    out = capsys.readouterr().out
    assert "Syarat: 1." in out and "/kisam-tinggi/layanan/ktp-el/" in out
    assert "SMS" in out


def test_add_channel_never_prints_secrets(office, capsys):
    call_command(
        "add_channel",
        "--office",
        office.slug,
        "--kind",
        "android",
        "--name",
        "HP loket",
        "--config",
        "base_url=http://127.0.0.1:9/",
        "username=sms",
        "password=rahasia-sekali",
        "webhook_secret=kunci-webhook",
    )
    out = capsys.readouterr().out
    assert "rahasia-sekali" not in out and "••••" in out
    channel = Channel.objects.get(kind="android")
    assert channel.config["password"] == "rahasia-sekali"
