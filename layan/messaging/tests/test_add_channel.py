"""add_channel and the admin's Channel form check the config against the kind's own schema."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from layan.messaging.models import Channel


@pytest.mark.django_db
def test_a_gammu_channel_without_phone_id_is_refused_naming_the_field(personas):
    with pytest.raises(CommandError) as err:
        call_command("add_channel", "--office", personas.office.slug, "--kind", "gammu", "--name", "Modem")
    assert str(err.value) == "Konfigurasi kanal gammu ditolak: phone_id wajib diisi."
    with pytest.raises(CommandError, match="phone_id tidak boleh kosong"):
        call_command(
            "add_channel",
            "--office",
            personas.office.slug,
            "--kind",
            "gammu",
            "--name",
            "Modem",
            "--config",
            "phone_id=",
        )
    assert not Channel.objects.exists()
    call_command(
        "add_channel",
        "--office",
        personas.office.slug,
        "--kind",
        "gammu",
        "--name",
        "Modem",
        "--config",
        "phone_id=kt1",
    )
    assert Channel.objects.get().config == {"phone_id": "kt1"}


@pytest.mark.django_db
def test_an_unknown_kind_is_refused_in_indonesian_with_the_choices(personas):
    with pytest.raises(CommandError) as err:
        call_command("add_channel", "--office", personas.office.slug, "--kind", "merpati", "--name", "x")
    assert str(err.value).startswith("Jenis kanal tidak dikenal: merpati. Pilihan: gammu, kannel")


def test_help_lists_every_kind_with_its_label(capsys):
    with pytest.raises(SystemExit):
        call_command("add_channel", "--help")
    out = " ".join(capsys.readouterr().out.split())
    for text in ("gammu: SMS (modem GSM, Gammu)", "telegram: Telegram (bot)", "test: Uji / simulator"):
        assert text in out


@pytest.mark.django_db
def test_admin_form_refuses_a_config_the_schema_refuses(client, django_user_model, personas):
    root = django_user_model.objects.create_superuser("akar", password="sandi-uji-123")
    client.force_login(root)
    url = reverse("admin:messaging_channel_add")
    data = {
        "name": "Modem",
        "kind": "gammu",
        "office": personas.office.pk,
        "config": "{}",
        "tps": "10",
        "is_active": "on",
    }
    response = client.post(url, data)
    assert response.status_code == 200 and "phone_id wajib diisi" in response.content.decode()
    assert not Channel.objects.exists()
    response = client.post(url, data | {"config": '{"phone_id": "kt1"}'})
    assert response.status_code == 302 and Channel.objects.get().config == {"phone_id": "kt1"}
