"""The citizen's path on the public pages: where and when, English mode, canonical URLs, the API index."""

import datetime as dt

import pytest
from django.core.cache import cache

from layan.offices.models import Holiday

# Kisam Tinggi is open Monday–Thursday 08.00–15.30 and Friday 08.00–11.30 WIB (UTC+7).
MONDAY_10_WIB = dt.datetime(2026, 11, 30, 3, 0, tzinfo=dt.UTC)
FRIDAY_10_WIB = dt.datetime(2026, 12, 4, 3, 0, tzinfo=dt.UTC)
SUNDAY_10_WIB = dt.datetime(2026, 11, 29, 3, 0, tzinfo=dt.UTC)
SOP = "/kisam-tinggi/layanan/ktp-el/"


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def at(monkeypatch, moment: dt.datetime) -> None:
    monkeypatch.setattr("django.utils.timezone.now", lambda: moment)


def text_of(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def english(client) -> None:
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})


def test_sop_page_says_where_and_when_with_todays_hours_and_contacts(client, demo_office, monkeypatch):
    at(monkeypatch, MONDAY_10_WIB)
    page = text_of(client.get(SOP))
    where = page[page.index('id="tempat-waktu"') : page.index('id="pengaduan"')]
    assert "Kantor Camat Kisam Tinggi" in where
    assert "Buka hari ini 08.00–15.30" in where and "(WIB)" in where
    assert 'href="tel:0735000000"' in where and 'href="https://wa.me/6281200001608"' in where
    assert 'href="sms:+6281200001608"' in where


def test_sop_page_shows_fridays_shorter_hours_and_tutup_on_holidays_and_sundays(client, demo_office, monkeypatch):
    at(monkeypatch, FRIDAY_10_WIB)
    assert "Buka hari ini 08.00–11.30" in text_of(client.get(SOP))
    at(monkeypatch, SUNDAY_10_WIB)
    assert "Tutup hari ini" in text_of(client.get(SOP))
    Holiday.objects.create(office=demo_office, date=dt.date(2026, 11, 30), name="Cuti bersama")
    at(monkeypatch, MONDAY_10_WIB)
    page = text_of(client.get(SOP))
    assert "Tutup hari ini (libur: " in page and "Cuti bersama" in page
    assert "Buka hari ini" not in page


def test_complaints_section_gives_real_contacts_and_no_layan_website(client, demo_office):
    page = text_of(client.get(SOP))
    complaints = page[page.index('id="pengaduan"') :]
    complaints = complaints[: complaints.index("</section>")]
    assert "laman Layan" not in complaints
    assert 'href="tel:0735000000"' in complaints and 'href="https://wa.me/6281200001608"' in complaints


def test_open_now_badge_says_until_when(client, demo_office, monkeypatch):
    at(monkeypatch, MONDAY_10_WIB)
    assert "Buka sekarang, sampai 15.30" in text_of(client.get("/kisam-tinggi/"))
    at(monkeypatch, FRIDAY_10_WIB)
    page = text_of(client.get("/kisam-tinggi/"))
    assert "Buka sekarang, sampai 11.30" in page and "Buka hari ini 08.00–11.30" in page


def test_office_home_puts_hours_contacts_and_news_before_the_services(client, demo_office):
    page = text_of(client.get("/kisam-tinggi/"))
    assert page.index('id="jam"') < page.index('id="kontak"') < page.index('id="layanan"')
    assert "{#" not in page and "comment %}" not in page


def test_english_mode_marks_indonesian_content_and_gets_plurals_right(client, demo_office):
    english(client)
    page = text_of(client.get(SOP))
    assert '<html lang="en">' in page
    assert '<h1 lang="id">' in page
    assert '<span lang="id">Kartu Keluarga</span>' in page  # a requirement's text
    assert '<ul lang="id">' in page  # the legal basis
    assert "1 working day<" in page and "1 working days" not in page
    home = text_of(client.get("/kisam-tinggi/"))
    assert f'href="{SOP}" lang="id">' in home
    assert "1 working day " in home or "1 working day<" in home
    assert "3 working days" in home
    assert "1 working days" not in home


def test_indonesian_mode_keeps_one_form(client, demo_office):
    home = text_of(client.get("/kisam-tinggi/"))
    assert "1 hari kerja" in home and "3 hari kerja" in home


def test_print_button_is_hidden_until_javascript_shows_it(client, demo_office):
    page = text_of(client.get(SOP))
    assert '<button type="button" class="button" data-print hidden>' in page
    assert '<script src="/static/print.js" defer></script>' in page
    assert 'data-checklist="kisam-tinggi/ktp-el/1"' in page


@pytest.mark.parametrize(
    "path, canonical",
    [
        ("/Kisam-Tinggi/", "/kisam-tinggi/"),
        ("/kisam-tinggi/layanan/KTP-EL/", "/kisam-tinggi/layanan/ktp-el/"),
        ("/KISAM-TINGGI/layanan/Ktp-El/", "/kisam-tinggi/layanan/ktp-el/"),
        ("/Kisam-Tinggi/cari?q=KTP", "/kisam-tinggi/cari?q=KTP"),
        ("/Kisam-Tinggi/pengumuman/", "/kisam-tinggi/pengumuman/"),
    ],
)
def test_slugs_are_case_insensitive_and_redirect_to_the_canonical_url(client, demo_office, path, canonical):
    response = client.get(path)
    assert response.status_code == 301
    assert response["Location"] == canonical
    assert client.get(canonical).status_code == 200


def test_an_unknown_slug_in_capitals_still_ends_in_404(client, demo_office):
    response = client.get("/Tidak-Ada/", follow=True)
    assert response.status_code == 404


def test_api_root_is_a_json_index(client, demo_office):
    response = client.get("/api/v1/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    index = response.json()
    links = index["links"]
    assert links["openapi"].endswith("/api/v1/openapi.json") and links["docs"].endswith("/api/v1/docs")
    assert client.get(links["openapi"]).status_code == 200
    assert client.get(links["offices"]).json()["items"][0]["slug"] == "kisam-tinggi"
    assert client.post("/api/v1/").status_code == 405


def test_english_mode_marks_announcements_as_indonesian(client, demo_office):
    from layan.announcements.services import create_announcement, publish_now

    news = publish_now(create_announcement(demo_office, title="Pelayanan KTP keliling", body="Perekaman di desa."))
    english(client)
    assert f'href="/kisam-tinggi/pengumuman/{news.pk}/" lang="id">Pelayanan KTP keliling' in text_of(
        client.get("/kisam-tinggi/")
    )
    detail = text_of(client.get(f"/kisam-tinggi/pengumuman/{news.pk}/"))
    assert '<h1 lang="id">Pelayanan KTP keliling</h1>' in detail
    assert '<div lang="id"><p>Perekaman di desa.</p>' in detail
    listing = text_of(client.get("/kisam-tinggi/pengumuman/"))
    assert '<p lang="id">Perekaman di desa.</p>' in listing


def test_editor_preview_shows_where_and_when_like_the_public_page(client, demo_office, monkeypatch):
    from layan.catalogue.services import start_draft
    from testkit.personas import create_user

    at(monkeypatch, MONDAY_10_WIB)
    start_draft(demo_office.services.get(code="ktp-el"))
    client.force_login(create_user("petugas-pratinjau", demo_office))
    page = text_of(client.get("/staf/kisam-tinggi/layanan/ktp-el/pratinjau/"))
    assert "Buka hari ini 08.00–15.30" in page and 'href="https://wa.me/6281200001608"' in page


def test_english_search_results_mark_service_names_as_indonesian(client, demo_office):
    english(client)
    page = text_of(client.get("/kisam-tinggi/cari", {"q": "ktp"}))
    assert f'<a href="{SOP}" lang="id">' in page


def test_office_home_says_todays_hours_of_the_new_day_even_when_closed_on_both(client, demo_office, monkeypatch):
    at(monkeypatch, dt.datetime(2026, 12, 4, 16, 58, tzinfo=dt.UTC))  # Friday 23.58 WIB: closed
    assert "Buka hari ini 08.00–11.30" in text_of(client.get("/kisam-tinggi/"))
    at(monkeypatch, dt.datetime(2026, 12, 4, 17, 2, tzinfo=dt.UTC))  # Saturday 00.02 WIB: closed too
    assert "Tutup hari ini" in text_of(client.get("/kisam-tinggi/"))
