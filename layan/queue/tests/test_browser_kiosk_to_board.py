"""Issue 12's browser test, in Debian's chromium through Playwright: a citizen takes a number at the
kiosk, an officer on duty at counter 1 calls it from the console with the keyboard, the display
board shows it flashing and plays the spoken call, and the citizen's status page says where to go.
A recall from the console plays it again. Screenshots go to test-artifacts/."""

import re

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from layan.queue.models import Call, Ticket
from testkit.fixtures import ARTIFACTS

from .helpers import create_queue

pytestmark = [pytest.mark.slow, pytest.mark.real_component("chromium")]


def test_kiosk_ticket_console_call_board_shows_and_speaks_it(transactional_db, live_server, personas, browser):
    office = personas.office
    create_queue(office)
    ARTIFACTS.mkdir(exist_ok=True)
    base = live_server.url

    # The board on the TV, sound allowed by its first click.
    board = browser.new_page(viewport={"width": 1280, "height": 720}, locale="id-ID")
    sounds: list[str] = []
    board.on("response", lambda r: sounds.append(r.url) if "/antrian/suara/" in r.url and r.status == 200 else None)
    board.goto(f"{base}/{office.slug}/antrian/papan/")
    board.get_by_role("button", name="Aktifkan suara").click()

    # The kiosk: one touch on the service.
    kiosk = browser.new_page(viewport={"width": 1080, "height": 1920}, has_touch=True, locale="id-ID")
    kiosk.goto(f"{base}/{office.slug}/antrian/kiosk/")
    kiosk.get_by_role("button", name="KTP-el").tap()
    expect(kiosk.locator(".ticket .number")).to_have_text("A001")
    assert "Anda berikutnya" in kiosk.locator(".ticket").inner_text()
    kiosk.screenshot(path=ARTIFACTS / "kiosk-ticket.png")
    ticket = Ticket.objects.get()
    status_page = browser.new_page(viewport={"width": 390, "height": 844})
    status_page.goto(f"{base}/{office.slug}/antrian/nomor/{ticket.token}/")
    assert "Anda berikutnya" in status_page.locator("#status-panel").inner_text()

    # The officer picks counter 1 and calls the next number with the N key.
    client = Client()
    client.force_login(personas.staff)
    staff = browser.new_context(viewport={"width": 1280, "height": 900})
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    staff.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": base}])
    console = staff.new_page()
    console.goto(f"{base}/staf/{office.slug}/loket/")
    console.get_by_role("button", name="Bertugas di Loket 1").click()
    expect(console.get_by_role("button", name=re.compile("Panggil berikutnya"))).to_be_enabled()
    expect(console.locator("html")).to_have_attribute("data-shortcuts", "on")
    console.keyboard.press("n")
    expect(console.locator(".current .number")).to_have_text("A001")
    console.screenshot(path=ARTIFACTS / "console-called.png")
    assert Call.objects.filter(ticket=ticket, kind="call").count() == 1

    # The board: full screen, flashing, spoken.
    overlay = board.locator("#overlay")
    overlay.wait_for(state="visible", timeout=5000)
    assert board.locator("#overlay-number").text_content() == "A001"
    assert board.locator("#overlay-counter").text_content() == "Loket 1"
    expect(board.locator("body")).to_have_attribute("data-played", re.compile(r"/A001-1\.wav\?"), timeout=10000)
    assert any("A001-1.wav" in url for url in sounds)
    board.screenshot(path=ARTIFACTS / "board-kiosk-call.png")

    # The citizen's phone follows (htmx polls the panel).
    expect(status_page.locator("#status-panel")).to_contain_text("Dipanggil — silakan menuju Loket 1", timeout=20000)

    # A recall from the console (the U key) plays it again on the board.
    overlay.wait_for(state="hidden", timeout=15000)
    board.locator("body").evaluate("el => el.removeAttribute('data-played')")
    console.keyboard.press("u")
    overlay.wait_for(state="visible", timeout=5000)
    expect(board.locator("body")).to_have_attribute("data-played", re.compile(r"/A001-1\.wav\?"), timeout=10000)
    assert Call.objects.filter(ticket=ticket, kind="recall").count() == 1

    # Served: start (M) and finish (S); the console is free for the next number.
    console.keyboard.press("m")
    expect(console.locator(".current")).to_contain_text("Dilayani")
    console.keyboard.press("s")
    expect(console.locator(".current")).to_contain_text("Belum ada nomor di loket ini.")
    ticket.refresh_from_db()
    assert ticket.status == "done"
    staff.close()
