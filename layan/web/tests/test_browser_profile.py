"""In a real browser (Debian's chromium via Playwright): the office admin opens the office profile,
adds an officer (who can then sign in with the one-time password), adds a holiday for today and
sees the public office home say "Tutup" instead of "Buka sekarang", and the JAM answer say so."""

import datetime as dt

import pytest
from django.utils import timezone

from layan.offices.models import Holiday, Membership
from testkit.personas import PASSWORD

# A Monday, 09:00 WIB: the personas' office is open then, unless it is a holiday.
MONDAY_MORNING = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))

pytestmark = [pytest.mark.slow, pytest.mark.real_component("chromium")]


def sign_in(page, base: str, username: str, password: str) -> None:
    page.goto(f"{base}/staf/masuk/")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(password)
    page.get_by_role("button", name="Masuk").click()


def test_admin_adds_an_officer_and_a_holiday_and_the_office_shows_tutup(
    transactional_db, live_server, personas, browser, monkeypatch
):
    # The live server runs in a thread of this process: its clock is frozen on an open Monday too.
    monkeypatch.setattr(timezone, "now", lambda: MONDAY_MORNING)
    slug, base = personas.office.slug, live_server.url
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="id-ID")
    page.goto(f"{base}/{slug}/")
    assert page.get_by_text("Buka sekarang").is_visible()

    sign_in(page, base, personas.admin.username, PASSWORD)
    page.wait_for_url(f"**/staf/{slug}/")
    page.get_by_role("navigation", name="Menu petugas").get_by_role("link", name="Profil kantor").click()
    page.wait_for_url(f"**/staf/{slug}/profil/")
    assert page.locator("h1").inner_text() == "Profil kantor"

    staff = page.locator("#staf")
    staff.get_by_label("Nama pengguna").fill("rina")
    staff.get_by_label("Nama lengkap").fill("Rina Marlina")
    page.locator("#staf-baru-role").select_option("staff")
    staff.get_by_role("button", name="Tambah petugas").click()
    password = page.locator("#sandi-baru").inner_text()
    assert len(password) >= 12
    assert Membership.objects.filter(office=personas.office, user__username="rina", role="staff").exists()

    holidays = page.locator("#libur")
    holidays.get_by_label("Tanggal").fill("2026-03-02")
    holidays.get_by_label("Keterangan").fill("HUT Kabupaten OKU Selatan")
    holidays.get_by_role("button", name="Tambah hari libur").click()
    page.wait_for_url(f"**/staf/{slug}/profil/")
    assert page.get_by_role("status").filter(has_text="Hari libur ditambahkan").is_visible()
    assert page.locator("#libur table").get_by_text("HUT Kabupaten OKU Selatan").count() == 1
    assert page.locator("#riwayat").get_by_text("Menambah hari libur").is_visible()
    assert page.locator("#riwayat").get_by_text("Menambah staf").is_visible()
    assert Holiday.objects.filter(office=personas.office, date=MONDAY_MORNING.date()).exists()
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280  # no sideways scrolling

    page.goto(f"{base}/{slug}/")
    assert page.locator(".badge.closed").inner_text() == "Tutup"
    assert page.get_by_text("Buka sekarang").count() == 0

    # The JAM answer says so too (asked in the staff simulator, as a citizen would by SMS).
    page.goto(f"{base}/staf/{slug}/simulator/")
    page.get_by_label("Pesan warga").fill("JAM")
    page.get_by_role("button", name="Kirim").click()
    reply = page.locator(".thread li.out").first
    reply.wait_for(timeout=5000)
    assert "Hari ini libur (HUT Kabupaten OKU Selatan): TUTUP" in reply.inner_text()

    # The new officer signs in with the one-time password and reads the profile.
    page.context.clear_cookies()
    sign_in(page, base, "rina", password)
    page.wait_for_url(f"**/staf/{slug}/")
    page.goto(f"{base}/staf/{slug}/profil/")
    assert page.get_by_text("Hanya admin kantor yang dapat mengubah profil ini").is_visible()
