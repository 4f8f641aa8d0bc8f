"""The public site's own pages: the office list and an office's home."""

import datetime as dt

# Kisam Tinggi is open Monday–Thursday 08.00–15.30 WIB (UTC+7).
MONDAY_10_WIB = dt.datetime(2026, 11, 30, 3, 0, tzinfo=dt.UTC)
SUNDAY_10_WIB = dt.datetime(2026, 11, 29, 3, 0, tzinfo=dt.UTC)


def at(monkeypatch, moment: dt.datetime) -> None:
    monkeypatch.setattr("django.utils.timezone.now", lambda: moment)


def text_of(response) -> str:
    return response.content.decode()


def test_office_home_shows_hours_open_badge_facilities_and_services(client, demo_office, monkeypatch):
    at(monkeypatch, MONDAY_10_WIB)
    page = text_of(client.get("/kisam-tinggi/"))

    assert "Buka sekarang" in page
    assert "Senin–Kamis" in page and "08.00–15.30" in page and "Jumat" in page and "08.00–11.30" in page
    assert "Waktu setempat (WIB)" in page
    assert "Area bermain anak" in page and "Area merokok terpisah" in page and "Ruang tunggu bertema hijau" in page
    assert "Loket pelayanan terpadu" in page and "Buku panduan SOP" in page
    # Services listed in the groups citizens think in, in their order, each service under its own.
    headings = ["Kependudukan", "Surat keterangan dan rekomendasi", "Tanah dan bangunan", "Usaha dan izin", "Informasi"]
    positions = [page.index(f"<h3>{h}</h3>") for h in headings]
    assert positions == sorted(positions)
    assert positions[0] < page.index("/layanan/ktp-el/") < positions[1] < page.index("/layanan/sktm/") < positions[2]
    assert positions[2] < page.index("/layanan/sporadik-tanah/") < positions[3] < page.index("/layanan/iumk/")
    assert "Layanan lain" not in page and "<h3>Perizinan</h3>" not in page
    assert 'href="/kisam-tinggi/layanan/ktp-el/"' in page
    assert 'href="/kisam-tinggi/panduan.pdf"' in page
    assert 'action="/kisam-tinggi/cari"' in page


def test_office_home_badge_follows_the_clock_despite_the_cache(client, demo_office, monkeypatch):
    at(monkeypatch, MONDAY_10_WIB)
    assert "Buka sekarang" in text_of(client.get("/kisam-tinggi/"))
    at(monkeypatch, SUNDAY_10_WIB)
    page = text_of(client.get("/kisam-tinggi/"))
    assert "Buka sekarang" not in page
    assert 'class="badge closed"' in page


def test_office_home_links_contact_channels_that_are_set(client, demo_office):
    page = text_of(client.get("/kisam-tinggi/"))
    assert 'href="tel:(0735)000000"' not in page
    assert 'href="tel:0735000000"' in page
    assert 'href="sms:+6281200001608"' in page
    assert 'href="https://wa.me/6281200001608"' in page
    assert 'href="https://www.facebook.com/kecamatan.kisamtinggi.demo"' in page
    assert "t.me/" not in page  # the demo office has no Telegram account


def test_office_home_is_cached_in_three_queries(client, demo_office, django_assert_max_num_queries):
    client.get("/kisam-tinggi/")
    with django_assert_max_num_queries(3):
        assert client.get("/kisam-tinggi/").status_code == 200


def test_only_office_redirects_straight_to_it(client, demo_office):
    response = client.get("/")
    assert response.status_code == 302
    assert response.url == "/kisam-tinggi/"


def test_several_offices_are_listed_by_kabupaten(client, personas):
    response = client.get("/")
    page = text_of(response)
    assert response.status_code == 200
    assert "<h2" in page and "Kabupaten Ogan Komering Ulu Selatan" in page
    assert 'href="/kisam-tinggi/"' in page and 'href="/muaradua-kisam/"' in page


def test_inactive_office_is_hidden(client, personas):
    personas.other_office.is_active = False
    personas.other_office.save()
    assert client.get("/muaradua-kisam/").status_code == 404
    assert client.get("/").url == "/kisam-tinggi/"
