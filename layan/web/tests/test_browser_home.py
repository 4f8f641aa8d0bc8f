"""The office home in a real browser (Debian's chromium via Playwright): on a phone, hours,
open-now, contacts and the latest announcement come before the long list of services; on a wide
screen they sit in the right column. Screenshots go to test-artifacts/ for a human to look at."""

import pytest
from django.core.cache import cache

from testkit.fixtures import ARTIFACTS

pytestmark = [pytest.mark.slow, pytest.mark.real_component("chromium")]


def top(page, selector: str) -> float:
    box = page.locator(selector).bounding_box()
    assert box is not None, selector
    return box["y"]


def test_phone_shows_hours_contacts_and_news_before_the_services(transactional_db, live_server, demo_office, browser):
    from layan.announcements.services import create_announcement, publish_now

    cache.clear()
    publish_now(create_announcement(demo_office, title="Pelayanan KTP keliling", body="Di Desa Balayan."))
    ARTIFACTS.mkdir(exist_ok=True)
    page = browser.new_page(viewport={"width": 390, "height": 844}, locale="id-ID")
    page.goto(f"{live_server.url}/{demo_office.slug}/")
    page.screenshot(path=ARTIFACTS / "office-home-phone.png", full_page=True)

    assert top(page, "#jam") < top(page, "#kontak") < top(page, ".latest-announcements") < top(page, "#layanan")
    # Within the second screen of a phone, not 2,788 px down below 24 services.
    assert top(page, "#kontak") < 2 * 844
    assert page.get_by_role("link", name="Pelayanan KTP keliling").is_visible()

    wide = browser.new_page(viewport={"width": 1280, "height": 900}, locale="id-ID")
    wide.goto(f"{live_server.url}/{demo_office.slug}/")
    wide.screenshot(path=ARTIFACTS / "office-home-wide.png", full_page=True)
    services, hours = wide.locator("#layanan").bounding_box(), wide.locator("#jam").bounding_box()
    assert services and hours and hours["x"] > services["x"] + services["width"]  # the right column
    assert abs(hours["y"] - services["y"]) < 50  # side by side, both at the top


def test_ticked_requirements_survive_a_reload_and_print_needs_javascript(
    transactional_db, live_server, demo_office, browser
):
    cache.clear()
    sop = f"{live_server.url}/{demo_office.slug}/layanan/ktp-el/"
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(sop)
    page.get_by_label("Kartu Keluarga").check()
    page.reload()
    assert page.get_by_label("Kartu Keluarga").is_checked()
    assert not page.get_by_label("Surat pengantar kepala desa").is_checked()
    page.get_by_label("Kartu Keluarga").uncheck()
    page.reload()
    assert not page.get_by_label("Kartu Keluarga").is_checked()

    without_js = browser.new_context(java_script_enabled=False).new_page()
    without_js.goto(sop)
    assert without_js.locator("[data-print]").count() == 1
    assert not without_js.get_by_role("button", name="Cetak daftar").is_visible()
