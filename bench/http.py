"""HTTP benchmark: Layan's SOP page and search API against a raw WSGI app, same server, same settings.

    make bench            (or: .venv/bin/python bench/http.py [--duration 10] [--connections 32])

Loads the demo into a throw-away SQLite database, serves it with granian exactly as `make run`
does, drives each URL with wrk on 127.0.0.1 and prints requests/s, p99 and the ratios to the raw
app. The search is driven with the citizen questions of the search quality sets, each request a
question never asked before (a number the search ignores is appended), so every request ranks;
one repeated question, answered from the caches, is shown beside it. Targets are printed as
PASS/FAIL; the exit status is 0 either way (benchmarks report, they don't gate), unless the
benchmark itself could not run.
"""

import os
import sys

# This file is called http.py: with bench/ first on sys.path it would shadow the stdlib `http`
# package (urllib, Django). Put the repository root there instead, which we need anyway.
sys.path[0] = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

import argparse  # noqa: E402
import re  # noqa: E402
import shutil  # noqa: E402
import signal  # noqa: E402
import socket  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
import urllib.parse  # noqa: E402
import urllib.request  # noqa: E402
from contextlib import contextmanager  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from pathlib import Path  # noqa: E402

import yaml  # noqa: E402

from layan.ops.serve import WEB_THREADS, WEB_WORKERS, granian_command  # noqa: E402

ROOT = Path(sys.path[0])
SOP_PATH = "/kisam-tinggi/layanan/ktp-el/"
SEARCH_PREFIX = "/api/v1/offices/kisam-tinggi/services?q="
REPEATED_SEARCH_PATH = SEARCH_PREFIX + "bikin%20ktp"
QUALITY_FILE = ROOT / "layan/catalogue/tests/search_quality.yaml"
# wrk script: each request a different question; `run` (the script argument) and the thread id
# keep the warm-up's and every thread's questions apart. Digits are not search terms, so
# "bikin ktp 1000000042" ranks like "bikin ktp" but is a new question to every cache.
VARIED_SEARCH_LUA = """
local queries = {%(queries)s}
local counter = 0
local threads = 0
function setup(thread)
  thread:set("id", threads)
  threads = threads + 1
end
function init(args)
  run = tonumber(args[1] or "0")
end
function request()
  counter = counter + 1
  local q = queries[(counter %% #queries) + 1]
  return wrk.format("GET", string.format("%%s%%s%%%%20%%d%%02d%%09d", "%(prefix)s", q, run + 1, id, counter))
end
"""
TARGETS = {"sop": 0.15, "search": 0.10}
SOP_P99_MS = 20.0


@dataclass
class Result:
    name: str
    rps: float
    p99_ms: float
    errors: str


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_ready(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise SystemExit(f"server did not answer 200 on {url} within {timeout:.0f} s")
        time.sleep(0.2)


@contextmanager
def serving(app: str, env: dict[str, str]):
    """granian on a free loopback port with Layan's worker/thread settings; yields the base URL."""
    port = free_port()
    proc = subprocess.Popen(
        granian_command(app, host="127.0.0.1", port=port), cwd=ROOT, env=env, start_new_session=True
    )
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def to_ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}[unit]


def varied_search_script(directory: str) -> str:
    """The wrk script sending the quality sets' questions, each with a new number."""
    data = yaml.safe_load(QUALITY_FILE.read_text(encoding="utf-8"))
    questions = dict.fromkeys(case["q"] for cases in data.values() for case in cases)
    quoted = ", ".join(f'"{urllib.parse.quote(q, safe="")}"' for q in questions)
    path = Path(directory) / "varied_search.lua"
    path.write_text(VARIED_SEARCH_LUA % {"queries": quoted, "prefix": SEARCH_PREFIX}, encoding="utf-8")
    return str(path)


def run_wrk(name: str, url: str, args: argparse.Namespace, script: str | None = None) -> Result:
    wait_ready(url)
    scripted = ["-s", script] if script else []
    # Warm up: let every worker thread open its DB connection and build its search index. A
    # script's warm-up run (argument 0) asks other questions than the measured run (argument 1).
    warm = ["wrk", "-t2", f"-c{args.connections}", "-d2s", *scripted, url, *(["--", "0"] if script else [])]
    subprocess.run(warm, check=True, capture_output=True)
    cmd = ["wrk", f"-t{args.threads}", f"-c{args.connections}", f"-d{args.duration}s", "--latency", *scripted, url]
    cmd += ["--", "1"] if script else []
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p99 = to_ms(re.search(r"^\s+99%\s+(\S+)", out, re.MULTILINE).group(1))
    errors = "; ".join(m.strip() for m in re.findall(r"^\s*(Non-2xx.*|Socket errors.*)$", out, re.MULTILINE))
    result = Result(name, rps, p99, errors)
    print(f"  {name:<8} {rps:>10.0f} req/s   p99 {p99:>7.2f} ms   {errors}", flush=True)
    return result


def prepare_demo(var_dir: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "LAYAN_SQLITE_PATH", "LAYAN_DEBUG")}
    env |= {"LAYAN_VAR_DIR": var_dir, "LAYAN_DEMO": "1", "DJANGO_SETTINGS_MODULE": "layan.settings"}
    manage = [sys.executable, "manage.py"]
    for step in (["migrate", "--noinput"], ["collectstatic", "--noinput"], ["load_demo", "--no-admin"]):
        subprocess.run(manage + step + ["--verbosity", "0"], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    return env


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=int(os.environ.get("BENCH_DURATION", "10")))
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        print("wrk is not installed: apt-get install wrk", file=sys.stderr)
        return 2

    var_dir = tempfile.mkdtemp(prefix="layan-bench-")
    try:
        print(
            f"Demo in {var_dir} (SQLite), granian {WEB_WORKERS} workers x {WEB_THREADS} threads, "
            f"wrk -t{args.threads} -c{args.connections} -d{args.duration}s, {os.cpu_count()} CPUs, "
            f"load average {os.getloadavg()[0]:.1f}",
            flush=True,
        )
        env = prepare_demo(var_dir)
        script = varied_search_script(var_dir)
        # One server at a time: on a small machine they would otherwise fight for the same cores.
        with serving("bench.rawapp:app", env) as base:
            raw = run_wrk("raw", base + "/", args)
        with serving("bench.djangohello:app", env) as base:
            hello = run_wrk("django", base + "/", args)
        with serving("layan.wsgi:application", env) as base:
            sop = run_wrk("sop", base + SOP_PATH, args)
            search = run_wrk("search", base, args, script)
            repeated = run_wrk("search1", base + REPEATED_SEARCH_PATH, args)
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)

    print()
    print(f"Django hello-world floor: {hello.rps / raw.rps:.2f} of raw")
    sop_ratio, search_ratio = sop.rps / raw.rps, search.rps / raw.rps
    sop_ok = sop_ratio >= TARGETS["sop"] and sop.p99_ms < SOP_P99_MS and not sop.errors
    search_ok = search_ratio >= TARGETS["search"] and not search.errors
    print(
        f"{verdict(sop_ok)}  SOP page   {sop_ratio:.2f} of raw (target >= {TARGETS['sop']}), "
        f"p99 {sop.p99_ms:.1f} ms (target < {SOP_P99_MS:.0f} ms)"
    )
    print(
        f"{verdict(search_ok)}  search API {search_ratio:.2f} of raw (target >= {TARGETS['search']}), "
        f"every request a new question; one repeated question: {repeated.rps / raw.rps:.2f} of raw"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
