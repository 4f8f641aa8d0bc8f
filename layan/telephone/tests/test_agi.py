"""FastAGI driver against a fake Asterisk speaking the AGI protocol over real TCP on 127.0.0.1."""

import asyncio
import socket
import threading
import time
import wave
from pathlib import Path

import pytest

from layan.applications.tests.helpers import submit
from layan.telephone.drivers.agi import make_application
from layan.telephone.models import CallLog


@pytest.fixture
def agi_server(demo_office):
    loop = asyncio.new_event_loop()
    app = make_application(demo_office, loop)
    server = loop.run_until_complete(asyncio.start_server(app.handler, "127.0.0.1", 0))
    port = server.sockets[0].getsockname()[1]
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    yield port
    loop.call_soon_threadsafe(server.close)
    loop.call_soon_threadsafe(loop.stop)
    thread.join(5)


class FakeAsterisk:
    """Sends agi_* headers, then answers each command like Asterisk would, typing `keys`."""

    def __init__(self, port: int, keys: list[str], caller: str = "081234567890"):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        self.reader = self.sock.makefile("r", encoding="utf-8", newline="\n")
        self.keys = list(keys)
        self.commands: list[str] = []
        headers = {
            "agi_network": "yes",
            "agi_network_script": "ivr",
            "agi_request": f"agi://127.0.0.1:{port}/ivr",
            "agi_channel": "PJSIP/trunk-00000001",
            "agi_language": "id",
            "agi_type": "PJSIP",
            "agi_callerid": caller,
            "agi_calleridname": "unknown",
            "agi_context": "from-trunk",
            "agi_extension": "s",
            "agi_priority": "1",
        }
        self.sock.sendall(("".join(f"{k}: {v}\n" for k, v in headers.items()) + "\n").encode())

    def reply(self, line: str) -> None:
        self.sock.sendall((line + "\n").encode())

    def run(self) -> list[str]:
        while True:
            line = self.reader.readline().strip()
            if not line:
                break
            self.commands.append(line)
            verb = line.split()[0:2]
            if verb[0] in ("GET", "STREAM"):
                audio = Path(line.split()[2] + ".wav")
                with wave.open(str(audio), "rb") as w:  # Asterisk would play this file
                    assert (w.getframerate(), w.getnchannels(), w.getsampwidth()) == (8000, 1, 2)
            if line.startswith("GET DATA"):
                key = self.keys.pop(0) if self.keys else ""
                self.reply(f"200 result={key}" if key else "200 result= (timeout)")
            elif line.startswith("STREAM FILE"):
                self.reply("200 result=0 endpos=8000")
            elif line == "HANGUP":
                self.reply("200 result=1")
                break
            else:
                self.reply("200 result=0")
        self.sock.close()
        return self.commands


def wait_for_end(timeout: float = 10) -> CallLog:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        call = CallLog.objects.filter(ended_at__isnull=False).first()
        if call:
            return call
        time.sleep(0.05)
    raise AssertionError("the call was not logged")


@pytest.mark.django_db(transaction=True)
def test_menu_1_service_answer_and_menu_3_hours(agi_server, fake_tts):
    # 1 requirements, 1 first service, 0 back to menu, 3 hours, then silence until goodbye.
    commands = FakeAsterisk(agi_server, ["1", "1", "0", "3"]).run()
    assert commands[0] == "ANSWER"
    assert commands[1].startswith("GET DATA ") and commands[1].endswith(" 6000 1")
    assert commands[-2].startswith("STREAM FILE ") and commands[-1] == "HANGUP"
    call = wait_for_end()
    first = call.office.services.order_by("order", "code").first()
    assert call.caller == "+6281234567890" and call.driver == "agi"
    assert call.path[:5] == ["menu", "syarat", f"syarat:{first.code}", "menu", "jam"]
    assert call.path[-1] == "selesai"
    assert call.service == first
    spoken = " ".join(fake_tts)
    assert f"Tekan 1 untuk {first.current_version.name}" in spoken
    assert "Tekan 9 untuk layanan berikutnya" in spoken  # 24 demo services: paged
    assert "Jam layanan: Senin sampai Kamis" in spoken


@pytest.mark.django_db(transaction=True)
def test_menu_2_speaks_the_status_of_the_tracking_digits(agi_server, fake_tts, demo_office):
    application = submit(demo_office, demo_office.services.get(code="ktp-el"))
    commands = FakeAsterisk(agi_server, ["2", application.tracking_digits, "2", "042", "*"]).run()
    code_prompt = commands[2]
    assert code_prompt.startswith("GET DATA ") and code_prompt.endswith(" 12000 16")
    call = wait_for_end()
    assert call.path[call.path.index("status") + 1] == "status:ditemukan"
    assert "status:ditolak" in call.path  # 042 is no tracking number
    spoken = " ".join(fake_tts)
    assert f"Status permohonan {' '.join(application.tracking_digits)}: Pelayanan KTP-el" in spoken
    assert "Diajukan. perkiraan selesai" in spoken
    assert "Nomor 0 4 2 salah ketik" in spoken
    assert application.applicant_name not in spoken and application.nik not in spoken


@pytest.mark.django_db(transaction=True)
def test_caller_hanging_up_is_logged(agi_server, fake_tts):
    fake = FakeAsterisk(agi_server, [])
    fake.reader.readline()  # ANSWER
    fake.reply("200 result=0")
    fake.reader.readline()  # GET DATA of the menu
    fake.reply("HANGUP")
    fake.sock.close()
    call = wait_for_end()
    assert call.path[-1] == "ditutup-penelepon"
