import configparser

from django.core.management import call_command

from layan.messaging.channels.gammu.smsdrc import render_smsdrc
from layan.messaging.services import create_channel


def parse(text: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser()
    parser.optionxform = str
    parser.read_string(text)
    return parser


def test_sqlite_database_is_given_as_directory_and_file():
    rc = parse(
        render_smsdrc(
            phone_id="kt1", database={"ENGINE": "django.db.backends.sqlite3", "NAME": "/srv/layan/var/layan.sqlite3"}
        )
    )
    assert rc["smsd"]["Driver"] == "sqlite3" and rc["smsd"]["SQL"] == "sqlite"
    assert rc["smsd"]["DBDir"] == "/srv/layan/var/" and rc["smsd"]["Database"] == "layan.sqlite3"
    assert rc["smsd"]["PhoneID"] == "kt1"
    assert rc["gammu"]["device"] == "/dev/ttyUSB0"
    assert rc["tables"]["inbox"] == "gammu_inbox"


def test_postgresql_uses_the_native_driver_with_host_and_port():
    database = {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "layan",
        "USER": "layan",
        "PASSWORD": "rahasia",
        "HOST": "db.local",
        "PORT": 5433,
    }
    rc = parse(render_smsdrc(phone_id="kt1", database=database, dummy_dir="/tmp/phone"))
    assert rc["smsd"]["Driver"] == "native_pgsql"
    assert rc["smsd"]["Host"] == "db.local:5433" and rc["smsd"]["Database"] == "layan"
    assert rc["gammu"]["model"] == "dummy" and rc["gammu"]["device"] == "/tmp/phone/"


def test_command_prints_the_config_of_the_office_channel(personas, capsys):
    create_channel(kind="gammu", name="Modem", office=personas.office, config={"phone_id": "kisam1"})
    call_command("gammu_config", "--office", "kisam-tinggi", "--device", "/dev/ttyACM0")
    rc = parse(capsys.readouterr().out)
    assert rc["smsd"]["PhoneID"] == "kisam1" and rc["gammu"]["device"] == "/dev/ttyACM0"


def test_command_explains_a_missing_channel(personas):
    import pytest
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="belum punya kanal Gammu"):
        call_command("gammu_config", "--office", "kisam-tinggi")
