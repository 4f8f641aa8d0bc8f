"""The board's spoken call: the first call of a new number (espeak-ng, its phrase written to the
cache) and a repeated one (phrases read from the cache), p50/p95, in-process and through the audio URL.

    .venv/bin/python bench/queue_speech.py [--numbers 100]

Uses a throw-away SQLite database and LAYAN_VAR_DIR under /tmp, so the audio cache starts empty.
- function: queue.speech.call_audio() for `--numbers` numbers never spoken before (A001 …), then the
  same numbers again (both phrases from the cache, joined to one WAV);
- http: GET /<office>/antrian/suara/<number>-<counter>.wav through Django's whole middleware stack
  (the test client: no HTTP server) for calls made with queue.services.call_next, first and again;
  the response body is read whole, as the board's browser does.
Targets (issue 12): first spoken call < 1 s, cached ones < 50 ms.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_FIRST_MS = 1000
TARGET_CACHED_MS = 50


def setup(var_dir: str) -> None:
    for name in ("DATABASE_URL", "LAYAN_SQLITE_PATH", "LAYAN_DEBUG"):
        os.environ.pop(name, None)
    os.environ |= {"LAYAN_VAR_DIR": var_dir, "LAYAN_DEMO": "1", "DJANGO_SETTINGS_MODULE": "layan.settings"}
    # This directory holds bench/http.py, which would shadow the standard library's http package.
    sys.path[:] = [str(ROOT)] + [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", "--noinput", verbosity=0)


def figures(label: str, times: list[float], target: float) -> None:
    p50 = statistics.median(times)
    p95 = statistics.quantiles(times, n=20)[-1] if len(times) >= 20 else max(times)
    verdict = "PASS" if p95 < target else "FAIL"
    print(
        f"{label:<24} n={len(times):<4} p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  max {max(times):7.1f} ms  "
        f"(target p95 < {target} ms) {verdict}"
    )


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--numbers", type=int, default=100)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="layan-bench-speech-") as var_dir:
        setup(var_dir)
        from django.test import Client

        from layan.queue import speech
        from layan.queue.services import call_next, finish_service, take_ticket
        from layan.queue.tests.helpers import create_queue
        from testkit.personas import create_personas

        print(
            f"conditions: SQLite (WAL) in {var_dir}, empty audio cache, espeak-ng -v {speech.VOICE} "
            f"-s {speech.SPEED_WPM}, {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}"
        )
        speech.chime()  # made once per installation, not per call
        numbers = [f"A{n:03d}" for n in range(1, args.numbers + 1)]
        first = [timed(lambda d=d: speech.call_audio(d, 2)) for d in numbers]
        again = [timed(lambda d=d: speech.call_audio(d, 2)) for d in numbers]
        figures("function, first call", first, TARGET_FIRST_MS)
        figures("function, cached", again, TARGET_CACHED_MS)

        personas = create_personas()
        office = personas.office
        service, lane, counter = create_queue(office)
        # Lane B: numbers the function part above has not put in the cache.
        from layan.queue.models import LaneService
        from layan.queue.tests.helpers import create_lane

        lane_b = create_lane(office, "B", "Umum")
        LaneService.objects.filter(lane=lane).update(lane=lane_b)
        counter.lanes.set([lane_b])
        client = Client(HTTP_HOST="127.0.0.1")
        urls = []
        for _ in numbers:
            take_ticket(office, service=service, source="kiosk")
            ticket = call_next(counter, actor=personas.staff)
            urls.append(f"/{office.slug}/antrian/suara/{ticket.display}-{counter.number}.wav")
            finish_service(ticket, actor=personas.staff)

        def fetch(url: str) -> None:
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            assert len(response.content) > 10_000

        first_http = [timed(lambda u=u: fetch(u)) for u in urls]
        again_http = [timed(lambda u=u: fetch(u)) for u in urls]
        figures("http, first call", first_http, TARGET_FIRST_MS)
        figures("http, cached", again_http, TARGET_CACHED_MS)
        stats = speech.CACHE_STATS
        print(f"phrase cache lookups: {stats['misses']} misses, {stats['hits']} hits")
    return 0


if __name__ == "__main__":
    sys.exit(main())
