"""Load and chaos on PostgreSQL: citizens browse, search and write while PostgreSQL restarts and a worker dies.

    .venv/bin/python bench/chaos.py --database-url postgres://layan:layan-ci@127.0.0.1:5440/layan_chaos \\
        --restart-command "pg_ctlcluster 15 chaos restart"

Use a PostgreSQL cluster of its own: the database in the URL is dropped and created again, and the
restart command restarts the whole server (every other client of it loses its connections).

What it does:
- loads the Kisam Tinggi demo into the database and adds an Android SMS gateway channel (its send
  rate `--tps`, 100 by default: an aggregator's, not one phone's 10, so the outbox can keep up with
  200 citizens' SMS) whose gateway is a fake one on loopback (a thread of this process). Like the
  real app it keeps the message id Layan sends and answers 409 to an id it already has, so a resend
  is recognised and counted, never delivered twice;
- starts `manage.py serve` (granian and the background workers, as `make run` does);
- `--citizens` threads (200) for `--duration` seconds (300): each opens the office home, an SOP page or
  the search API with a varied citizen question, or sends an SMS through the signed Android webhook,
  with a pause of 0.5-1.5 s between requests. An SMS is resent until the webhook answers 2xx, as the
  phone does;
- at a third of the run, SIGKILLs the outbox worker (`sendmessages`); at half, runs the restart command
  and measures the seconds until the office home answers 200 again;
- afterwards waits (up to `--drain` s) until every reply has reached the gateway.

Prints requests, errors (inside and outside the restart window), p50/p99, SMS received, replies sent,
lost and duplicated, and the recovery time. Targets: 0 lost, 0 duplicated, 0 errors outside the restart
window, back within 10 s. The exit status is 0 either way (benchmarks report, they don't gate).
"""

import os
import sys

sys.path[0] = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

import argparse  # noqa: E402
import http.client  # noqa: E402
import json  # noqa: E402
import random  # noqa: E402
import shlex  # noqa: E402
import signal  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
import urllib.parse  # noqa: E402
import uuid  # noqa: E402
from collections import Counter  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(sys.path[0])
# Line by line, also into a file: worker processes must not inherit half a buffer.
sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]
SLUG = "kisam-tinggi"
WEBHOOK_SECRET = "chaos-bench-secret"
TARGET_RECOVERY_S = 10.0


@dataclass
class Gateway:
    """What the fake Android gateway saw: every POST by message id."""

    posts: Counter = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)


def start_gateway(gateway: Gateway) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 (http.server's name)
            body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"{}")
            message_id = str(body.get("id", ""))
            with gateway.lock:
                gateway.posts[message_id] += 1
                seen_before = gateway.posts[message_id] > 1
            self.send_response(409 if seen_before else 202)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(json.dumps({"id": message_id, "state": "Pending"}).encode())

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    return server


def recreate_database(database_url: str) -> None:
    import psycopg

    parts = urllib.parse.urlsplit(database_url)
    name = parts.path.lstrip("/")
    admin_url = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def manage(env: dict, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    return done.stdout


def descendants(pid: int) -> list[int]:
    found, pending = [], [pid]
    while pending:
        current = pending.pop()
        try:
            children = [int(c) for c in Path(f"/proc/{current}/task/{current}/children").read_text().split()]
        except OSError:
            children = []
        found.extend(children)
        pending.extend(children)
    return found


def find_worker(serve_pid: int, name: str) -> int | None:
    for pid in descendants(serve_pid):
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if name.encode() in cmdline:
            return pid
    return None


@dataclass
class Sample:
    started: float
    ended: float
    kind: str
    ok: bool


class Citizens:
    def __init__(self, port: int, channel_uuid: str, queries: list[str], sop_codes: list[str], end_at: float):
        self.port = port
        self.webhook_path = f"/channels/android/{channel_uuid}/webhook/"
        self.queries = queries
        self.sop_codes = sop_codes
        self.end_at = end_at
        self.samples: list[Sample] = []
        self.accepted_sms: set[str] = set()
        self.lock = threading.Lock()

    def _request(self, conn_box: list, method: str, path: str, body: bytes | None = None, headers=None) -> int:
        for attempt in range(2):
            if conn_box[0] is None:
                conn_box[0] = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            try:
                conn_box[0].request(method, path, body=body, headers=headers or {})
                response = conn_box[0].getresponse()
                response.read()
                return response.status
            except (OSError, http.client.HTTPException):
                conn_box[0].close()
                conn_box[0] = None
                if attempt:
                    return 0
        return 0

    def _record(self, started: float, kind: str, status: int) -> None:
        with self.lock:
            self.samples.append(Sample(started, time.monotonic(), kind, 200 <= status < 300))

    def _send_sms(self, conn_box: list, rng: random.Random, phone: str) -> None:
        envelope_id = str(uuid.uuid4())
        text = rng.choice(["syarat ktp", "SYARAT KK", "jam buka", *self.queries])
        body = json.dumps(
            {"id": envelope_id, "event": "sms:received", "payload": {"phoneNumber": phone, "message": text}}
        ).encode()
        # Resent until accepted, as the phone does; each try is a request of its own in the figures.
        while time.monotonic() < self.end_at + 60:
            from layan.messaging.channels.android import signing

            timestamp = str(int(time.time()))
            headers = {
                "Content-Type": "application/json",
                "X-Signature": signing.sign(WEBHOOK_SECRET, body, timestamp),
                "X-Timestamp": timestamp,
            }
            started = time.monotonic()
            status = self._request(conn_box, "POST", self.webhook_path, body, headers)
            self._record(started, "sms webhook", status)
            if 200 <= status < 300:
                with self.lock:
                    self.accepted_sms.add(envelope_id)
                return
            time.sleep(1.0)

    def citizen(self, number: int) -> None:
        rng = random.Random(number)
        phone = f"+62812{number:07d}"
        conn_box: list = [None]
        while time.monotonic() < self.end_at:
            roll = rng.random()
            started = time.monotonic()
            if roll < 0.3:
                self._record(started, "office home", self._request(conn_box, "GET", f"/{SLUG}/"))
            elif roll < 0.5:
                code = rng.choice(self.sop_codes)
                self._record(started, "SOP page", self._request(conn_box, "GET", f"/{SLUG}/layanan/{code}/"))
            elif roll < 0.8:
                query = urllib.parse.quote(f"{rng.choice(self.queries)} {rng.randrange(10**6)}")
                path = f"/api/v1/offices/{SLUG}/services?q={query}"
                self._record(started, "search API", self._request(conn_box, "GET", path))
            else:
                self._send_sms(conn_box, rng, phone)
            time.sleep(rng.uniform(0.5, 1.5))


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))] if ordered else 0.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_CHAOS_DATABASE_URL", ""))
    parser.add_argument("--restart-command", default="pg_ctlcluster 15 chaos restart")
    parser.add_argument("--citizens", type=int, default=200)
    parser.add_argument("--duration", type=float, default=300.0)
    parser.add_argument("--drain", type=float, default=300.0, help="seconds to wait for the outbox to empty")
    parser.add_argument("--tps", type=float, default=100.0, help="the channel's send rate (messages/s)")
    args = parser.parse_args()
    if not args.database_url.startswith("postgres"):
        parser.error("--database-url postgres://… of a throw-away database on its own cluster is required")

    var_dir = tempfile.mkdtemp(prefix="layan-chaos-")
    env = {**os.environ, "DATABASE_URL": args.database_url, "LAYAN_VAR_DIR": var_dir, "LAYAN_DEMO": "1"}
    os.environ.update({k: env[k] for k in ("DATABASE_URL", "LAYAN_VAR_DIR", "LAYAN_DEMO")})
    os.environ["DJANGO_SETTINGS_MODULE"] = "layan.settings"
    recreate_database(args.database_url)
    gateway = Gateway()
    gateway_server = start_gateway(gateway)
    manage(env, "migrate", "--noinput", "--verbosity", "0")
    manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    manage(env, "load_demo")
    manage(
        env,
        "add_channel",
        "--office",
        SLUG,
        "--kind",
        "android",
        "--name",
        "SMS (bench)",
        "--tps",
        str(args.tps),
        "--config",
        f"base_url=http://127.0.0.1:{gateway_server.server_address[1]}",
        "username=sms",
        "password=bench",
        f"webhook_secret={WEBHOOK_SECRET}",
    )

    import django

    django.setup()
    from layan.catalogue.models import Service
    from layan.messaging.models import Channel, InboundEvent, Message

    channel = Channel.objects.get(kind="android")
    sop_codes = list(Service.objects.filter(office__slug=SLUG).values_list("code", flat=True))
    import yaml

    quality = yaml.safe_load((ROOT / "layan/catalogue/tests/search_quality.yaml").read_text(encoding="utf-8"))
    queries = [item["q"] for item in quality["queries"]]
    from django.db import connections

    connections.close_all()

    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    serve = subprocess.Popen(
        [sys.executable, "manage.py", "serve", "--host", "127.0.0.1", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=open(Path(var_dir) / "serve.log", "w"),  # noqa: SIM115 (kept open for the child)
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while True:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", f"/{SLUG}/")
            if conn.getresponse().status == 200:
                break
        except OSError:
            pass
        if time.monotonic() > deadline or serve.poll() is not None:
            print("serve did not start; see", Path(var_dir) / "serve.log")
            return 1
        time.sleep(0.3)
    print(
        f"PostgreSQL {args.database_url.rsplit('@', 1)[-1]}; {os.cpu_count()} cores; serve on 127.0.0.1:{port}; "
        f"{args.citizens} citizens for {args.duration:.0f} s; channel sends at most {args.tps:g} messages/s"
    )

    started = time.monotonic()
    citizens = Citizens(port, str(channel.uuid), queries, sop_codes, started + args.duration)
    threads = [threading.Thread(target=citizens.citizen, args=(n,), daemon=True) for n in range(args.citizens)]
    for thread in threads:
        thread.start()

    time.sleep(args.duration / 3)
    worker = find_worker(serve.pid, "sendmessages")
    killed_at = time.monotonic() - started
    if worker:
        os.kill(worker, signal.SIGKILL)
    print(f"chaos  t={killed_at:.0f} s: SIGKILL to the outbox worker (pid {worker})")

    time.sleep(max(0.0, started + args.duration / 2 - time.monotonic()))
    restart_at = time.monotonic()
    subprocess.run(shlex.split(args.restart_command), check=True, capture_output=True)
    back_at = None
    while time.monotonic() - restart_at < 120:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", f"/{SLUG}/cari?q=ktp+{random.randrange(10**6)}")
            if conn.getresponse().status == 200:
                back_at = time.monotonic()
                break
        except OSError:
            pass
        time.sleep(0.1)
    recovery = (back_at - restart_at) if back_at else float("inf")
    print(
        f"chaos  t={restart_at - started:.0f} s: {args.restart_command!r}; "
        f"the site answered again after {recovery:.1f} s"
    )

    join_deadline = started + args.duration + 90
    for thread in threads:
        thread.join(timeout=max(0.1, join_deadline - time.monotonic()))
    if serve.poll() is not None:
        print(f"chaos  `manage.py serve` itself exited with status {serve.returncode} (see {var_dir}/serve.log)")
    load_ended = time.monotonic()

    django.setup()
    expected = 0
    drain_deadline = time.monotonic() + args.drain
    while time.monotonic() < drain_deadline:
        expected = Message.objects.filter(channel=channel, direction="out").count()
        with gateway.lock:
            delivered = len([m for m in gateway.posts if m])
        if delivered >= expected and expected:
            break
        connections.close_all()
        time.sleep(1.0)
    drained_after = time.monotonic() - load_ended

    window = (restart_at, (back_at or restart_at) + 1.0)
    samples = citizens.samples
    outside_errors = [s for s in samples if not s.ok and (s.ended < window[0] or s.started > window[1])]
    inside_errors = [s for s in samples if not s.ok and s not in outside_errors]
    print(
        f"load   {len(samples):,} requests in {load_ended - started:.0f} s, {len(inside_errors)} errors inside the "
        f"restart window, {len(outside_errors)} outside it"
    )
    for kind in ("office home", "SOP page", "search API", "sms webhook"):
        ms = [(s.ended - s.started) * 1000 for s in samples if s.kind == kind and s.ok]
        print(f"       {kind:12} {len(ms):6,} ok, p50 {percentile(ms, 50):6.0f} ms, p99 {percentile(ms, 99):6.0f} ms")

    accepted = citizens.accepted_sms
    stored = InboundEvent.objects.filter(channel=channel, provider_id__in=list(accepted)).count()
    replies = Message.objects.filter(channel=channel, direction="out")
    reply_ids = {str(u) for u in replies.values_list("uuid", flat=True)}
    with gateway.lock:
        at_gateway = set(gateway.posts) - {""}
        resends = sum(count - 1 for count in gateway.posts.values() if count > 1)
    never_sent = reply_ids - at_gateway
    lost = (len(accepted) - stored) + len(never_sent)
    from django.db.models import Count

    # A citizen answered twice: more than one reply to one inbound message (e.g. a retried webhook
    # processed twice). Resends of one outbox row keep its id, which the gateway recognises.
    duplicated = sum(
        n - 1
        for n in Message.objects.filter(channel=channel, direction="in")
        .annotate(n=Count("replies"))
        .filter(n__gt=1)
        .values_list("n", flat=True)
    )
    statuses = Counter(replies.values_list("status", flat=True))
    print(
        f"sms    {len(accepted):,} received (2xx), {stored:,} stored; {len(reply_ids):,} replies queued, "
        f"{len(at_gateway & reply_ids):,} at the gateway after {drained_after:.0f} s of draining; "
        f"statuses {dict(statuses)}"
    )
    print(
        f"sms    lost {lost} (received but not stored, or queued and never sent); duplicated {duplicated} "
        f"(a second reply to one SMS); {resends} resend(s) of an outbox id after the kill, recognised by the "
        "gateway (409), so not a second SMS"
    )
    ok = lost == 0 and duplicated == 0 and not outside_errors and recovery <= TARGET_RECOVERY_S
    print(
        f"result {'PASS' if ok else 'FAIL'} (targets: 0 lost, 0 duplicated, 0 errors outside the restart window, "
        f"back within {TARGET_RECOVERY_S:.0f} s)"
    )

    os.killpg(serve.pid, signal.SIGTERM)
    try:
        serve.wait(15)
    except subprocess.TimeoutExpired:
        os.killpg(serve.pid, signal.SIGKILL)
    gateway_server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
