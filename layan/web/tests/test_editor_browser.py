"""The SOP editor in a real browser (Debian's chromium via Playwright): an officer logs in, edits
a requirement of the KTP service, adds one with htmx (no reload, cursor in the new row), previews
the draft, publishes it with a note and sees the public page, the poster and the SMS answer change.
Screenshots go to test-artifacts/ for a human to look at."""

import pytest

from layan.catalogue.tests.pdf_helpers import pdf_text
from layan.offices.models import Membership
from testkit.fixtures import ARTIFACTS
from testkit.personas import PASSWORD, create_user

pytestmark = [pytest.mark.slow, pytest.mark.real_component("chromium")]


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_officer_edits_previews_and_publishes(transactional_db, live_server, demo_office, browser):
    ARTIFACTS.mkdir(exist_ok=True)
    create_user("petugas", demo_office, Membership.Role.STAFF)
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="id-ID")
    outside = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(live_server.url) else None)
    base = f"{live_server.url}/staf/{demo_office.slug}/layanan/"

    page.goto(base)
    page.locator("#id_username").fill("petugas")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#id_password").press("Enter")
    page.wait_for_url(base)
    assert page.get_by_role("link", name="Layanan (SOP)", exact=True).get_attribute("aria-current") == "page"
    assert no_sideways_scroll(page)
    page.get_by_role("link", name="Pelayanan KTP-el", exact=False).click()
    page.wait_for_url(f"{base}ktp-el/")
    assert no_sideways_scroll(page)

    # Edit the third requirement and save: a draft is made, the page swapped in place.
    page.locator("#id_req-2-document").fill("KTP-el lama yang rusak")
    page.get_by_role("button", name="Simpan draf").first.click()
    page.get_by_role("status").filter(has_text="Draf disimpan").wait_for(timeout=5000)
    assert page.get_by_role("heading", name="Perubahan dibanding versi terbit").is_visible()

    # Add a requirement: a new blank row with the cursor in it, without a page load.
    rows = page.locator("#persyaratan li.row").count()
    page.evaluate("window.__same_page = true")
    page.get_by_role("button", name="Tambah persyaratan").click()
    page.locator(f"#id_req-{rows}-document").wait_for(timeout=5000)
    assert page.evaluate("window.__same_page === true")
    # The focus moves once htmx has settled the swap, a moment after the row appears: wait for it.
    page.locator(f"#id_req-{rows}-document:focus").wait_for(timeout=5000)
    assert page.evaluate("document.activeElement.id") == f"id_req-{rows}-document"
    page.keyboard.type("Pas foto 3x4")
    page.get_by_role("button", name="Simpan draf").first.click()
    page.get_by_role("status").filter(has_text="Draf disimpan").wait_for(timeout=5000)
    assert no_sideways_scroll(page)
    assert "KTP-el lama yang rusak" in page.locator("pre.sms").inner_text()

    # Move it up from the keyboard: the focus stays in the moved row.
    page.get_by_role("button", name=f"Naik persyaratan {rows + 1}").focus()
    page.keyboard.press("Enter")
    page.locator(f"#id_req-{rows - 1}-document:focus").wait_for(timeout=5000)
    assert page.locator(f"#id_req-{rows - 1}-document").input_value() == "Pas foto 3x4"
    assert page.evaluate("window.__same_page === true")
    page.screenshot(path=ARTIFACTS / "editor-ktp-draft.png", full_page=True)

    # The preview is the public SOP page of the draft.
    page.get_by_role("link", name="Halaman SOP seperti dilihat warga").click()
    assert page.get_by_text("Pratinjau draf.").is_visible()
    assert page.locator("#persyaratan").get_by_text("KTP-el lama yang rusak").is_visible()
    assert page.locator("#persyaratan").get_by_text("Pas foto 3x4").is_visible()
    page.get_by_role("link", name="Kembali ke penyunting").click()

    # Publish with a note.
    page.get_by_label("Catatan perubahan").fill("KTP rusak diperjelas, pas foto ditambah")
    page.get_by_role("button", name="Terbitkan", exact=True).click()
    page.get_by_role("status").filter(has_text="Versi baru diterbitkan").wait_for(timeout=5000)
    assert page.locator("#riwayat").get_by_text("KTP rusak diperjelas, pas foto ditambah").is_visible()

    public = f"{live_server.url}/{demo_office.slug}/layanan/ktp-el/"
    page.goto(public)
    assert page.locator("#persyaratan").get_by_text("KTP-el lama yang rusak").is_visible()
    assert page.locator("#persyaratan").get_by_text("Pas foto 3x4").is_visible()
    poster = page.request.get(f"{public}poster.pdf")
    assert "Pas foto 3x4" in pdf_text(poster.body())

    # And the SMS answer, asked in the staff simulator.
    page.goto(f"{live_server.url}/staf/{demo_office.slug}/simulator/")
    page.get_by_label("Pesan warga").fill("SYARAT ktp")
    page.get_by_label("Pesan warga").press("Enter")
    page.locator(".thread li.out", has_text="KTP-el lama yang rusak").wait_for(timeout=5000)
    assert outside == []
