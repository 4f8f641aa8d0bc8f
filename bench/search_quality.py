"""Search quality and ranking speed on the demo catalogue, query by query (a tuning aid, not a test).

    LAYAN_DEMO=1 .venv/bin/python manage.py load_demo      # once
    LAYAN_DEMO=1 .venv/bin/python bench/search_quality.py [-v] [extra query …]

Prints, for each set of layan/catalogue/tests/search_quality.yaml (batches 1 and 2, which the
search was tuned on, and the held-out set, which it must not be tuned on), top-1/top-3 accuracy,
the queries that are not top-1, and how many get a clear match (right or wrong). Then the time
to rank one query: every call of the timed rounds skips the remembered answers (each index keeps
the hits of the questions it has answered), so the figure is the ranking itself. The typo
corrections an index remembers stay warm after the first round, as in a running process.
"""

import os
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# bench/ holds http.py, which would shadow the stdlib `http`: the repository root goes first instead.
sys.path[0] = str(ROOT)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "layan.settings")

import django  # noqa: E402

django.setup()

import yaml  # noqa: E402

from layan.catalogue import search  # noqa: E402
from layan.catalogue.search import clear_match, search_services  # noqa: E402
from layan.offices.models import Office  # noqa: E402

ROUNDS = 10


def load_sets() -> dict[str, list[dict]]:
    data = yaml.safe_load((ROOT / "layan/catalogue/tests/search_quality.yaml").read_text(encoding="utf-8"))
    return {
        "batch 1 (tuned on)": [case for case in data["queries"] if case.get("batch", 1) == 1],
        "batch 2 (tuned on)": [case for case in data["queries"] if case.get("batch") == 2],
        "held out": data["held_out"],
        "held out 2 (never tuned on)": yaml.safe_load(
            (ROOT / "layan/catalogue/tests/search_held_out_2.yaml").read_text(encoding="utf-8")
        )["queries"],
    }


def report_quality(office: Office, name: str, cases: list[dict], verbose: bool) -> None:
    top1 = top3 = clear_right = clear_wrong = 0
    print(f"== {name}")
    for case in cases:
        hits = search_services(office, case["q"], limit=3)
        codes = [h.code for h in hits]
        clear = clear_match(hits)
        ok1 = bool(codes) and codes[0] in case["expect"]
        top1 += ok1
        top3 += bool(set(codes) & set(case["expect"]))
        if clear:
            clear_right += clear.code in case["expect"]
            clear_wrong += clear.code not in case["expect"]
        if verbose or not ok1:
            mark = "ok " if ok1 else "MISS"
            shown = ", ".join(f"{h.code} {h.score:.2f}" for h in hits)
            print(f"{mark} {'C' if clear else ' '} {case['q']!r} -> {shown}  (expect {case['expect']})")
    n = len(cases)
    if all(case["expect"] for case in cases):  # extra queries on the command line have none
        print(f"{n} queries: top-1 {top1}/{n} = {top1 / n:.3f}, top-3 {top3}/{n} = {top3 / n:.3f}")
        print(f"clear matches: {clear_right} right, {clear_wrong} wrong\n")


def time_ranking(office: Office, queries: list[str]) -> None:
    index = search._index_for(office)  # built above; the bench clears its answers per call
    rounds = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        for query in queries:
            index.answers.clear()
            search_services(office, query)
        rounds.append((time.perf_counter() - started) / len(queries))
    rounds.sort()
    print(
        f"ranking one query, remembered answers skipped: {rounds[0] * 1e6:.0f} µs best round, "
        f"{rounds[len(rounds) // 2] * 1e6:.0f} µs median ({ROUNDS} rounds of {len(queries)} distinct queries)"
    )
    for query in queries:
        search_services(office, query)
    started = time.perf_counter()
    for query in queries:
        search_services(office, query)
    print(f"a remembered answer, for comparison: {(time.perf_counter() - started) / len(queries) * 1e6:.1f} µs")
    print(f"conditions: Python {platform.python_version()}, {os.cpu_count()} CPUs, one thread, index warm")


def main(argv: list[str]) -> None:
    verbose = "-v" in argv
    extra = [a for a in argv if a != "-v"]
    office = Office.objects.get(slug="kisam-tinggi")
    if extra:
        report_quality(office, "extra queries", [{"q": q, "expect": []} for q in extra], verbose=True)
        return
    sets = load_sets()
    for name, cases in sets.items():
        report_quality(office, name, cases, verbose)
    time_ranking(office, list(dict.fromkeys(case["q"] for cases in sets.values() for case in cases)))


if __name__ == "__main__":
    main(sys.argv[1:])
