"""The import contracts (.importlinter, run by `make imports`) cover every channel kind."""

import configparser
from pathlib import Path

from django.conf import settings

CONFIG = settings.BASE_DIR / ".importlinter"
CHANNELS = Path(__file__).resolve().parents[1] / "messaging" / "channels"


def test_every_channel_package_is_in_the_independence_contract():
    config = configparser.ConfigParser()
    config.read(CONFIG)
    listed = set(config["importlinter:contract:channels"]["modules"].split())
    packages = {f"layan.messaging.channels.{p.name}" for p in CHANNELS.iterdir() if (p / "__init__.py").exists()}
    assert listed == packages
