"""Page weight on a weak connection: every SOP page at most 15 KB gzipped, a first load
(HTML + CSS + JS) at most 50 KB gzipped. Run with -s to see the figures."""

import gzip

import pytest
from django.conf import settings
from django.core.cache import cache

SOP_LIMIT = 15 * 1024
FIRST_LOAD_LIMIT = 50 * 1024


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()


def gz(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6))


def static_size(name: str) -> int:
    return gz((settings.BASE_DIR / "static" / name).read_bytes())


def test_largest_sop_page_and_first_loads_stay_light(client, demo_office):
    sop_sizes = {}
    for service in demo_office.services.all():
        response = client.get(f"/{demo_office.slug}/layanan/{service.code}/")
        assert response.status_code == 200
        sop_sizes[service.code] = gz(response.content)
    largest = max(sop_sizes, key=sop_sizes.__getitem__)
    home = client.get(f"/{demo_office.slug}/")
    home_html = gz(home.content)
    css, js = static_size("layan.css"), static_size("htmx.min.js")
    # Only pages with the live search box load htmx; the SOP page loads none.
    assert "htmx.min.js" in home.content.decode()
    sop_loads_js = "htmx.min.js" in client.get(f"/{demo_office.slug}/layanan/{largest}/").content.decode()
    sop_first_load = sop_sizes[largest] + css + (js if sop_loads_js else 0)
    home_first_load = home_html + css + js

    print(
        f"\ngzipped bytes: largest SOP page ({largest}) {sop_sizes[largest]}, office home {home_html}, "
        f"layan.css {css}, htmx.min.js {js}; first load: SOP {sop_first_load}, office home {home_first_load}"
    )
    assert sop_sizes[largest] <= SOP_LIMIT
    assert sop_first_load <= FIRST_LOAD_LIMIT
    assert home_first_load <= FIRST_LOAD_LIMIT
