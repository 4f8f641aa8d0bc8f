import pytest
from django.core.management import call_command

from layan.messaging.channels import get_channel_type
from layan.messaging.models import Channel


@pytest.mark.parametrize(
    ("kind", "config"),
    [
        ("facebook", {"page_id": "1001", "page_token": "s-page", "app_secret": "s-app", "verify_token": "s-verify"}),
        (
            "whatsapp",
            {"phone_number_id": "1065", "access_token": "s-access", "app_secret": "s-app", "verify_token": "s-v"},
        ),
        ("telegram", {"bot_token": "1:s-bot", "secret_token": "s-secret"}),
    ],
)
def test_add_channel_creates_a_cloud_channel_without_printing_its_secrets(demo_office, capsys, kind, config):
    call_command(
        "add_channel",
        "--office",
        demo_office.slug,
        "--kind",
        kind,
        "--name",
        f"Kanal {kind}",
        "--config",
        *[f"{k}={v}" for k, v in config.items()],
    )
    out = capsys.readouterr().out
    channel = Channel.objects.get(kind=kind)
    assert channel.office == demo_office and channel.config == config
    declared = get_channel_type(kind)
    for key in declared.secret_keys:
        assert channel.is_secret_key(key) and config[key] not in out
