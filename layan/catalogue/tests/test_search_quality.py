"""Top-1 / top-3 accuracy of the catalogue search on citizens' own words (search_quality.yaml)."""

from pathlib import Path

import yaml

from layan.catalogue.search import search_services

QUALITY_FILE = Path(__file__).with_name("search_quality.yaml")


def load_quality_set() -> list[dict]:
    return yaml.safe_load(QUALITY_FILE.read_text(encoding="utf-8"))["queries"]


def test_search_finds_what_citizens_mean(demo_office):
    cases = load_quality_set()
    # The set itself: big enough, and every demo service (and nothing else) is expected somewhere.
    assert len(cases) >= 70
    assert {code for case in cases for code in case["expect"]} == set(
        demo_office.services.values_list("code", flat=True)
    )
    top1 = top3 = 0
    misses = []
    for case in cases:
        codes = [hit.code for hit in search_services(demo_office, case["q"], limit=3)]
        if codes[:1] and codes[0] in case["expect"]:
            top1 += 1
        else:
            misses.append(f"  {case['q']!r}: expected {case['expect']}, got {codes}")
        if set(codes) & set(case["expect"]):
            top3 += 1
    top1_rate, top3_rate = top1 / len(cases), top3 / len(cases)
    print(f"\nsearch quality on {len(cases)} queries: top-1 {top1_rate:.3f}, top-3 {top3_rate:.3f}")
    print("\n".join(misses))
    assert top1_rate >= 0.90
    assert top3_rate >= 0.97
