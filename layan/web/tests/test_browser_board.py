"""The display board in a real browser (Debian's chromium via Playwright): a call made at the
counter appears full screen and flashing, its chime and spoken call are fetched and played, a
recall plays it again; without a click the board offers the sound button. Screenshots go to
test-artifacts/."""

import re

import pytest
from playwright.sync_api import expect

from layan.queue.services import call_next, recall, take_ticket
from layan.queue.tests.helpers import create_queue
from testkit.fixtures import ARTIFACTS

pytestmark = [pytest.mark.slow, pytest.mark.real_component("chromium")]


def test_a_call_is_shown_flashing_and_spoken_and_a_recall_speaks_it_again(
    transactional_db, live_server, personas, browser
):
    office = personas.office
    service, _lane, counter = create_queue(office)
    take_ticket(office, service=service, source="kiosk")
    ARTIFACTS.mkdir(exist_ok=True)
    page = browser.new_page(viewport={"width": 1280, "height": 720}, locale="id-ID")
    sounds = []
    page.on("response", lambda r: sounds.append((r.url, r.status)) if "/antrian/suara/" in r.url else None)
    page.goto(f"{live_server.url}/{office.slug}/antrian/papan/")
    assert page.locator("#now-number").text_content() == "–"
    page.screenshot(path=ARTIFACTS / "board-idle.png")
    # The TV's first click allows sound (the button plays the chime).
    page.get_by_role("button", name="Aktifkan suara").click()
    expect(page.locator("body")).to_have_attribute("data-played", re.compile(r"/bel\.wav$"))

    ticket = call_next(counter, actor=personas.staff)
    overlay = page.locator("#overlay")
    overlay.wait_for(state="visible", timeout=5000)
    assert page.locator("#overlay-number").text_content() == "A001"
    assert page.locator("#overlay-counter").text_content() == "Loket 1"
    assert overlay.evaluate("el => getComputedStyle(el).animationName") == "flash"
    page.screenshot(path=ARTIFACTS / "board-call.png")
    expect(page.locator("body")).to_have_attribute("data-played", re.compile(r"/A001-1\.wav\?"), timeout=10000)
    assert page.locator("#now-number").text_content() == "A001"
    assert page.locator("#recent li").first.text_content().split() == ["A001", "Loket", "1"]

    overlay.wait_for(state="hidden", timeout=15000)
    heard = len([u for u, s in sounds if "A001-1.wav" in u and s == 200])
    page.locator("body").evaluate("el => el.removeAttribute('data-played')")
    recall(ticket, actor=personas.staff)
    overlay.wait_for(state="visible", timeout=5000)
    expect(page.locator("body")).to_have_attribute("data-played", re.compile(r"/A001-1\.wav\?"), timeout=10000)
    assert heard >= 1
    page.screenshot(path=ARTIFACTS / "board-recall.png")
