"""In a real browser (Debian's chromium via Playwright), on a tablet: an officer signs in, lands on
the workspace, sees the waiting conversation, opens the inbox from the navigation bar,
takes the conversation and signs out."""

import pytest

from layan.messaging.tests.helpers import ask, create_test_channel
from testkit.personas import PASSWORD

pytestmark = [pytest.mark.slow, pytest.mark.real_component("chromium")]


@pytest.fixture
def page(browser):
    return browser.new_page(viewport={"width": 1024, "height": 768}, locale="id-ID")


def test_officer_logs_in_lands_on_the_workspace_and_opens_the_inbox(transactional_db, live_server, personas, page):
    ask(create_test_channel(personas.office), "apakah besok kantor buka pak")
    slug = personas.office.slug
    page.goto(f"{live_server.url}/staf/masuk/")
    page.get_by_label("Nama pengguna").fill(personas.staff.username)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(f"**/staf/{slug}/")
    assert page.locator("h1").inner_text() == "Perlu ditindaklanjuti"
    assert page.locator("#messaging-waiting").get_by_text("+62812•••••890").is_visible()

    page.get_by_role("navigation", name="Menu petugas").get_by_role("link", name="Pesan").click()
    page.wait_for_url(f"**/staf/{slug}/pesan/")
    assert page.get_by_text("+62812•••••890").first.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 1024  # no sideways scrolling on a tablet
    assert page.locator("#inbox-list").get_attribute("aria-live") == "polite"
    page.get_by_role("button", name="Ambil").click()
    page.wait_for_url(f"**/staf/{slug}/pesan/")
    assert page.get_by_text(f"{personas.staff.username} (Anda)").is_visible()

    page.get_by_role("button", name="Keluar").click()
    page.wait_for_url("**/staf/masuk/")
    page.goto(f"{live_server.url}/staf/{slug}/")
    assert "/staf/masuk/" in page.url
