"""End to end in a real browser (Debian's chromium via Playwright): a citizen finds the KTP
service by typing in the office's search box, opens it and prints the requirements checklist.
Screenshots go to test-artifacts/ for a human to look at."""

import os

import pytest
from django.core.cache import cache

from testkit.fixtures import ARTIFACTS

pytestmark = [pytest.mark.slow, pytest.mark.real_component("chromium")]


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()


def test_citizen_finds_ktp_and_prints_the_checklist(transactional_db, live_server, demo_office, browser):
    ARTIFACTS.mkdir(exist_ok=True)
    page = browser.new_page(viewport={"width": 390, "height": 844}, locale="id-ID")
    outside = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(live_server.url) else None)

    page.goto(f"{live_server.url}/{demo_office.slug}/")
    assert page.locator("h1").inner_text() == demo_office.name
    page.screenshot(path=ARTIFACTS / "office-home-mobile.png", full_page=True)

    page.get_by_label("Cari layanan").press_sequentially("bikin ktp", delay=40)
    result = page.locator("#hasil-cari a", has_text="KTP-el")
    result.wait_for(timeout=5000)
    assert page.url.endswith(f"/{demo_office.slug}/")  # htmx updated the page in place
    page.screenshot(path=ARTIFACTS / "search-live-results.png")

    result.click()
    page.wait_for_url(f"**/{demo_office.slug}/layanan/ktp-el/")
    assert page.get_by_role("heading", level=2, name="Persyaratan").is_visible()
    assert page.get_by_role("button", name="Cetak daftar").is_visible()  # revealed by the small script
    page.get_by_label("Kartu Keluarga").check()
    page.screenshot(path=ARTIFACTS / "sop-ktp-mobile.png", full_page=True)

    page.emulate_media(media="print")
    assert page.locator("#persyaratan ul.check").is_visible()
    assert page.locator("#persyaratan li").count() == 5
    assert not page.locator("header.site nav").is_visible()
    assert not page.locator("footer.site").is_visible()
    assert not page.get_by_role("button", name="Cetak daftar").is_visible()
    page.screenshot(path=ARTIFACTS / "sop-ktp-print.png", full_page=True)
    pdf = page.pdf(format="A4") if os.environ.get("LAYAN_SAVE_PRINT_PDF") else b""
    if pdf:
        (ARTIFACTS / "sop-ktp-print.pdf").write_bytes(pdf)

    page.emulate_media(media="screen")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/{demo_office.slug}/")
    page.screenshot(path=ARTIFACTS / "office-home-desktop.png", full_page=True)
    assert outside == []  # no third-party requests
