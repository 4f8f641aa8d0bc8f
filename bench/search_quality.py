"""Search quality and speed on the demo catalogue, query by query (a tuning aid, not a test).

    LAYAN_DEMO=1 .venv/bin/python manage.py load_demo      # once
    LAYAN_DEMO=1 .venv/bin/python bench/search_quality.py [-v] [extra query …]

Prints top-1/top-3 accuracy on layan/catalogue/tests/search_quality.yaml, the misses, how many
queries get a clear match (right or wrong), and the mean time of a warm search.
"""

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "layan.settings")

import django  # noqa: E402

django.setup()

import yaml  # noqa: E402

from layan.catalogue.search import clear_match, search_services  # noqa: E402
from layan.offices.models import Office  # noqa: E402


def main(argv: list[str]) -> None:
    verbose = "-v" in argv
    extra = [a for a in argv if a != "-v"]
    office = Office.objects.get(slug="kisam-tinggi")
    cases = yaml.safe_load((ROOT / "layan/catalogue/tests/search_quality.yaml").read_text())["queries"]
    if extra:
        cases = [{"q": q, "expect": []} for q in extra]
        verbose = True
    top1 = top3 = clear_right = clear_wrong = 0
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
    print(f"\n{n} queries: top-1 {top1 / n:.3f}, top-3 {top3 / n:.3f}")
    print(f"clear matches: {clear_right} right, {clear_wrong} wrong")

    # The best of several rounds: the machine's other load only ever adds time.
    rounds = []
    for _ in range(10):
        started = time.perf_counter()
        for case in cases:
            search_services(office, case["q"])
        rounds.append((time.perf_counter() - started) / n)
    print(f"warm search: {min(rounds) * 1e6:.0f} µs per query (best round), {sorted(rounds)[5] * 1e6:.0f} µs median")


if __name__ == "__main__":
    main(sys.argv[1:])
