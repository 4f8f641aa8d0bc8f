"""End to end with the real gammu-smsd (dummy phone = a folder) on a real database file or PostgreSQL.

Runs Layan's own commands in subprocesses against a throw-away database (a SQLite file, or a
temporary PostgreSQL database when DATABASE_URL is set), because gammu-smsd must open the same
database as Layan: pytest-django's in-memory SQLite is invisible to another process.
"""

import json
import os
import shutil
import signal
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

ROOT = Path(__file__).resolve().parents[5]
pytestmark = [pytest.mark.slow, pytest.mark.real_component("gammu-smsd")]


def smsbackup_deliver(number: str, text: str) -> str:
    """An incoming SMS in Gammu's smsbackup format; `PDU = Deliver` (Submit files are read but not stored)."""
    return (
        "[SMSBackup000]\n"
        'SMSC = "+6281100000"\n'
        "State = UnRead\n"
        f'Number = "{number}"\n'
        "Coding = Default\n"
        f"Text00 = {text.encode('utf-16-be').hex().upper()}\n"
        "Folder = 1\n"
        f"Length = {len(text)}\n"
        "Class = -1\n"
        "PDU = Deliver\n"
    )


@pytest.fixture
def database_env(tmp_path):
    """Environment for subprocesses pointing at a fresh database, dropped afterwards."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTEST_CURRENT_TEST", "PYTEST_ADDOPTS")}
    env.update(LAYAN_DEMO="1", LAYAN_VAR_DIR=str(tmp_path / "var"), DJANGO_SETTINGS_MODULE="layan.settings")
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        yield env
        return
    import psycopg

    name = f"layan_gammu_{uuid.uuid4().hex[:8]}"
    admin = urlunsplit(urlsplit(url)._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    env["DATABASE_URL"] = urlunsplit(urlsplit(url)._replace(path=f"/{name}"))
    try:
        yield env
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def manage(env, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def shell(env, code: str) -> str:
    return manage(env, "shell", "--no-imports", "-c", code).strip()


SETUP = """
from django.conf import settings
from layan.catalogue.yaml_io import import_catalogue
from layan.messaging.services import create_channel
from layan.offices.services import create_office
from testkit.personas import create_regions

create_regions()
office = create_office("16.09.10", slug="kisam-tinggi")
import_catalogue(office, (settings.DATA_DIR / "catalogue" / "kisam-tinggi.yaml").read_text(encoding="utf-8"))
create_channel(kind="gammu", name="Modem", office=office, config={"phone_id": "kt1"})
"""

ROUND_TRIP = """
import json, time
from layan.messaging.channels.gammu.models import GammuInbox, GammuSentItem
from layan.messaging.channels.gammu.poller import poll_channel
from layan.messaging.models import Channel, Message
from layan.messaging.outbox import Worker

def wait_for(check, timeout=30):
    deadline = time.monotonic() + timeout
    while not check() and time.monotonic() < deadline:
        time.sleep(0.2)

channel = Channel.objects.get(kind="gammu")
wait_for(GammuInbox.objects.exists)
poll_channel(channel)
Worker().drain()
wait_for(GammuSentItem.objects.exists)
poll_channel(channel)
reply = Message.objects.filter(direction="out").first()
print(json.dumps({
    "inbox": list(GammuInbox.objects.values_list("text_decoded", flat=True)),
    "sentitems": list(GammuSentItem.objects.values_list("status", flat=True)),
    "status": reply and reply.status, "urn": reply and reply.urn.identity, "text": reply and reply.text,
}))
"""


def test_sms_in_through_gammu_smsd_is_answered_and_sent(tmp_path, database_env):
    if not shutil.which("gammu-smsd"):
        pytest.skip("gammu-smsd is not installed (apt-get install gammu gammu-smsd libdbd-sqlite3)")
    env = database_env
    phone = tmp_path / "phone"
    (phone / "sms" / "1").mkdir(parents=True)
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "load_demo", "--no-admin")
    manage(
        env, "add_channel", "--office", "kisam-tinggi", "--kind", "gammu", "--name", "Modem", "--config", "phone_id=kt1"
    )
    smsdrc = tmp_path / "smsdrc"
    log = tmp_path / "smsd.log"
    smsdrc.write_text(
        manage(env, "gammu_config", "--office", "kisam-tinggi", "--dummy", str(phone), "--fast", "--log-file", str(log))
    )
    smsd = subprocess.Popen(["gammu-smsd", "-c", str(smsdrc)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        (phone / "sms" / "1" / "1").write_text(smsbackup_deliver("+6281234567890", "SYARAT KTP"))
        # One process plays `gammu_poll` and `sendmessages`, so the test waits on smsd, not on Python start-up.
        out = shell(env, ROUND_TRIP)
        assert out.startswith("{"), out + log.read_text()[-2000:]
        result = json.loads(out)
        assert result["inbox"] == ["SYARAT KTP"]
        assert result["sentitems"] and set(result["sentitems"]) <= {"SendingOK", "SendingOKNoReport"}
        assert result["status"] == "sent" and result["urn"] == "tel:+6281234567890"
        assert "KTP" in result["text"].upper()
    finally:
        smsd.send_signal(signal.SIGTERM)
        smsd.wait(timeout=10)
