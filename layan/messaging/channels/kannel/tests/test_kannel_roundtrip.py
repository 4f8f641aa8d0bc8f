"""End to end with the real Kannel: fakesmsc (the phone network) -> bearerbox -> smsbox -> Layan's
webhook on pytest-django's live_server -> a reply in the outbox -> the outbox worker -> smsbox sendsms
-> bearerbox -> fakesmsc, which prints the MT. The kannel.conf comes from the channel's own generator.
"""

import queue
import shutil
import socket
import subprocess
import tempfile
import threading
import time
import urllib.request
from contextlib import ExitStack, closing
from io import StringIO
from pathlib import Path
from urllib.parse import unquote_plus, unquote_to_bytes

import pytest
from django.core.management import call_command

from layan.messaging.channels.kannel.config import render_kannel_conf
from layan.messaging.models import Message
from layan.messaging.services import create_channel

pytestmark = [pytest.mark.slow, pytest.mark.real_component("kannel")]

FAKESMSC = Path("/usr/lib/kannel/test/fakesmsc")
CITIZEN, SHORT_CODE = "+6281234567890", "1708"


def free_ports(count: int) -> list[int]:
    """Distinct free loopback ports (all sockets held open together, so none is handed out twice)."""
    with ExitStack() as stack:
        socks = [stack.enter_context(closing(socket.socket())) for _ in range(count)]
        for sock in socks:
            sock.bind(("127.0.0.1", 0))
        return [sock.getsockname()[1] for sock in socks]


def wait_for(check, *, timeout: float, what: str, logs: Path | None = None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(0.1)
    tail = ""
    if logs:
        tail = "\n".join(f"--- {p.name}\n{p.read_text(errors='replace')[-1500:]}" for p in sorted(logs.glob("*.log")))
    pytest.fail(f"timed out after {timeout} s waiting for {what}\n{tail}")


def listening(port: int) -> bool:
    with closing(socket.socket()) as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


class Processes:
    """Started programs and their scratch folder (kannel.conf, logs); stop() terminates the programs
    in reverse order, kills whatever hangs, and removes the folder. Failures quote the log tails."""

    def __init__(self):
        self.started: list[subprocess.Popen] = []
        self._tmp = tempfile.TemporaryDirectory(prefix="layan-kannel-")
        self.workdir = Path(self._tmp.name)

    def start(self, *args: str, **kwargs) -> subprocess.Popen:
        proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, **kwargs)
        self.started.append(proc)
        return proc

    def stop(self) -> None:
        for proc in reversed(self.started):
            if proc.poll() is None:
                proc.terminate()
        for proc in reversed(self.started):
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=5)
        self._tmp.cleanup()


def line_reader(stream) -> queue.Queue:
    """Collect a child's output lines in a thread, so waits can time out instead of blocking on read()."""
    lines: queue.Queue = queue.Queue()

    def pump():
        for line in stream:
            lines.put(line.rstrip("\n"))

    threading.Thread(target=pump, daemon=True).start()
    return lines


class Phone:
    """fakesmsc's view of the MTs. It logs each one (on stderr) as `Got message N: <from to text …>`, or
    for a part of a long SMS `<from to udh %05%00%03<ref><total><seq> data <url-encoded text>>`."""

    def __init__(self, lines: queue.Queue):
        self.lines = lines
        self.parts: dict[int, str] = {}
        self.total = 0
        self.route = ("", "")

    def receive(self) -> tuple[str, str, str] | None:
        """(from, to, text) once every part of the first MT has come, else None."""
        while True:
            try:
                line = self.lines.get_nowait()
            except queue.Empty:
                break
            if "Got message" in line:
                self._add(line.split(": <", 1)[1].removesuffix(">"))
        if self.total and len(self.parts) == self.total:
            return (*self.route, "".join(self.parts[seq] for seq in sorted(self.parts)))
        return None

    def _add(self, body: str) -> None:
        sender, receiver, kind, rest = body.split(" ", 3)
        self.route = (sender, receiver)
        seq = total = 1
        if kind == "udh":
            udh_field, rest = rest.split(" ", 1)
            udh = unquote_to_bytes(udh_field)
            if udh[1:3] == b"\x00\x03":  # IEI 0: 8-bit concatenation reference, total, sequence
                total, seq = udh[4], udh[5]
            kind, rest = rest.split(" ", 1)
        self.total = total
        self.parts[seq] = unquote_plus(rest) if kind == "data" else rest


def admin_status(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=2) as resp:  # noqa: S310 (loopback, http)
            return resp.read().decode("utf-8", errors="replace")
    except OSError:
        return ""


@pytest.fixture
def kannel_programs():
    missing = [name for name in ("bearerbox", "smsbox") if not shutil.which(name)]
    if not FAKESMSC.exists():
        missing.append(str(FAKESMSC))
    if missing:
        pytest.skip(f"Kannel not installed ({', '.join(missing)}): apt-get install kannel kannel-extras")
    processes = Processes()
    yield processes
    processes.stop()


def test_sms_through_real_kannel_is_answered_back_to_the_phone(
    transactional_db, live_server, demo_office, kannel_programs
):
    workdir = kannel_programs.workdir
    admin_port, smsbox_port, sendsms_port, smsc_port = free_ports(4)
    channel = create_channel(
        kind="kannel",
        name="SMS 1708",
        office=demo_office,
        config={
            "sendsms_url": f"http://127.0.0.1:{sendsms_port}/cgi-bin/sendsms",
            "username": "layan",
            "password": "sandi-kannel",
            "sender": SHORT_CODE,
            "webhook_secret": "token-rahasia",
            "callback_base_url": live_server.url,
        },
    )
    conf = workdir / "kannel.conf"
    conf.write_text(
        render_kannel_conf(
            channel,
            admin_port=admin_port,
            smsbox_port=smsbox_port,
            sendsms_port=sendsms_port,
            smsc_port=smsc_port,
            log_dir=str(workdir),
        )
    )
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    kannel_programs.start("bearerbox", str(conf), **quiet)
    # bearerbox's own status page says when it runs and when smsbox is attached (smsbox gives up if
    # bearerbox is not there yet; probing the fake SMSC port would count as the network connecting).
    status_url = f"http://127.0.0.1:{admin_port}/status.txt?password=sandi-kannel"
    wait_for(lambda: "Status: running" in admin_status(status_url), timeout=15, what="bearerbox", logs=workdir)
    kannel_programs.start("smsbox", str(conf), **quiet)
    wait_for(lambda: "smsbox:" in admin_status(status_url), timeout=15, what="smsbox to attach", logs=workdir)
    wait_for(lambda: listening(sendsms_port), timeout=15, what="smsbox's sendsms port", logs=workdir)

    # fakesmsc sends one MO, then stays connected and logs every MT it gets.
    fakesmsc = kannel_programs.start(
        str(FAKESMSC), "-H", "127.0.0.1", "-r", str(smsc_port), "-i", "0.5", "-m", "1",
        f"{CITIZEN} {SHORT_CODE} text SYARAT KTP",
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    phone = Phone(line_reader(fakesmsc.stdout))

    replies = Message.objects.filter(channel=channel, direction=Message.Direction.OUT)
    reply = wait_for(replies.first, timeout=20, what="the webhook to queue a reply", logs=workdir)
    inbound = Message.objects.get(channel=channel, direction=Message.Direction.IN)
    assert inbound.text == "SYARAT KTP" and inbound.urn.identity == f"tel:{CITIZEN}"
    assert reply.status == Message.Status.QUEUED

    call_command("sendmessages", "--once", stdout=StringIO())
    reply.refresh_from_db()
    assert reply.status in (Message.Status.SENT, Message.Status.DELIVERED), reply.error

    sender, receiver, text = wait_for(
        lambda: phone.receive(), timeout=15, what="fakesmsc to receive the whole MT", logs=workdir
    )
    assert (sender, receiver) == (SHORT_CODE, CITIZEN)
    assert "Kartu Keluarga" in text and "pengantar" in text, text
    assert text == reply.text  # all parts, in order, nothing lost to encoding

    # The fake SMSC acknowledges (dlr 8) and reports delivery (dlr 1) at once; both come to our dlr-url.
    delivered = wait_for(
        lambda: Message.objects.filter(pk=reply.pk, status=Message.Status.DELIVERED).first(),
        timeout=10,
        what="the delivery report",
        logs=workdir,
    )
    assert delivered.delivered_at is not None and delivered.provider_ref == str(reply.uuid)
