"""Catalogue pages: SOP page (current and earlier versions), search, 404, language (office pages: layan/web)."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.test import Client

from layan.catalogue.models import ServiceVersion
from layan.catalogue.services import publish_service_version, start_draft


@pytest.fixture(autouse=True)
def empty_cache():
    # Primary keys are reused after each test's rollback, so cached pages must not outlive a test.
    cache.clear()
    yield
    cache.clear()


def republish(service, **changes) -> ServiceVersion:
    draft = start_draft(service)
    for field, value in changes.items():
        setattr(draft, field, value)
    draft.save()
    return publish_service_version(draft)


def text_of(response) -> str:
    return response.content.decode()


def test_sop_page_shows_requirements_before_steps_with_fee_and_version(client, demo_office):
    service = demo_office.services.get(code="ktp-el")
    ServiceVersion.objects.filter(pk=service.current_version_id).update(
        published_at=dt.datetime(2026, 8, 17, 2, 0, tzinfo=dt.UTC)
    )
    page = text_of(client.get("/kisam-tinggi/layanan/ktp-el/"))

    assert page.index("Persyaratan") < page.index("Surat pengantar kepala desa") < page.index("Prosedur")
    assert page.index("Prosedur") < page.index("Perekaman biometrik")
    assert 'type="checkbox"' in page
    assert "Surat keterangan kehilangan dari kepolisian" in page and "jika hilang" in page
    assert 'Kartu Keluarga</span> <span class="detail">(fotokopi)</span>' in page
    assert "Gratis" in page
    assert "1 hari kerja" in page
    assert "Versi 1, terbit 17 Agustus 2026" in page
    assert "Permendagri 108/2019" in page
    assert 'href="/kisam-tinggi/layanan/ktp-el/poster.pdf"' in page


def test_sop_page_is_served_from_cache_in_one_query(client, demo_office, django_assert_max_num_queries):
    # The first render also reads the office's opening hours and today's holiday (where and when).
    with django_assert_max_num_queries(8):
        client.get("/kisam-tinggi/layanan/ktp-el/")
    with django_assert_max_num_queries(1):
        assert client.get("/kisam-tinggi/layanan/ktp-el/").status_code == 200


def test_old_version_stays_readable_with_a_notice(client, demo_office):
    service = demo_office.services.get(code="ktp-el")
    old_name = service.current_version.name
    republish(service, name="Pelayanan KTP-el terpadu")

    old = client.get("/kisam-tinggi/layanan/ktp-el/versi/1/")
    assert old.status_code == 200
    page = text_of(old)
    assert old_name in page
    assert "Versi lama." in page
    assert 'href="/kisam-tinggi/layanan/ktp-el/"' in page and "versi 2" in page

    current = text_of(client.get("/kisam-tinggi/layanan/ktp-el/"))
    assert "Versi lama." not in current
    assert 'href="/kisam-tinggi/layanan/ktp-el/versi/1/"' in current

    assert client.get("/kisam-tinggi/layanan/ktp-el/versi/2/").url == "/kisam-tinggi/layanan/ktp-el/"
    assert client.get("/kisam-tinggi/layanan/ktp-el/versi/7/").status_code == 404


def test_a_draft_is_never_public(client, demo_office):
    service = demo_office.services.get(code="ktp-el")
    draft = start_draft(service)
    draft.name = "Draf rahasia KTP"
    draft.save()
    assert "Draf rahasia KTP" not in text_of(client.get("/kisam-tinggi/layanan/ktp-el/"))
    assert "Draf rahasia KTP" not in text_of(client.get("/kisam-tinggi/"))


def test_publishing_shows_at_once_on_sop_page_and_office_home(client, demo_office):
    service = demo_office.services.get(code="ktp-el")
    client.get("/kisam-tinggi/")
    client.get("/kisam-tinggi/layanan/ktp-el/")

    republish(service, name="Perekaman dan cetak KTP-el")

    sop = text_of(client.get("/kisam-tinggi/layanan/ktp-el/"))
    assert '<h1 lang="id">Perekaman dan cetak KTP-el</h1>' in sop
    assert "Versi 2, terbit" in sop
    assert "Perekaman dan cetak KTP-el" in text_of(client.get("/kisam-tinggi/"))


def test_unknown_office_gets_an_indonesian_404(client, demo_office):
    response = client.get("/kecamatan-entah/")
    assert response.status_code == 404
    page = text_of(response)
    assert "Halaman tidak ditemukan" in page
    assert 'href="/"' in page


def test_unknown_service_gets_a_404_with_the_office_search_box(client, demo_office):
    response = client.get("/kisam-tinggi/layanan/layanan-entah/")
    assert response.status_code == 404
    page = text_of(response)
    assert "Maaf, layanan yang Anda cari tidak ada di Kecamatan Kisam Tinggi" in page
    assert 'action="/kisam-tinggi/cari"' in page


def test_search_finds_ktp_for_bikin_ktp(client, demo_office):
    response = client.get("/kisam-tinggi/cari", {"q": "bikin ktp"})
    page = text_of(response)
    assert response.status_code == 200
    assert "<html" in page
    assert 'href="/kisam-tinggi/layanan/ktp-el/"' in page
    assert 'value="bikin ktp"' in page


def test_search_for_htmx_returns_only_the_results_fragment(client, demo_office):
    response = client.get("/kisam-tinggi/cari", {"q": "bikin ktp"}, headers={"HX-Request": "true"})
    page = text_of(response)
    assert 'href="/kisam-tinggi/layanan/ktp-el/"' in page
    assert "<html" not in page and "<form" not in page
    assert "HX-Request" in response["Vary"]


def test_search_lists_only_relevant_services_each_with_time_and_fee(client, demo_office):
    page = text_of(client.get("/kisam-tinggi/cari", {"q": "surat pindah"}))
    assert "2 layanan cocok dengan “surat pindah”" in page
    assert "/layanan/pindah-keluar/" in page and "/layanan/pindah-datang/" in page
    assert "/layanan/sktm/" not in page
    assert 'Surat Keterangan Pindah (SKPWNI) keluar</a> <span class="meta">7 hari kerja · Gratis</span>' in page

    page = text_of(client.get("/kisam-tinggi/cari", {"q": "akte kelahiran anak"}))
    assert "/layanan/pengantar-akta-kelahiran/" in page
    assert "/layanan/ajb-ppat-sementara/" not in page


def test_search_that_finds_nothing_says_so(client, demo_office):
    page = text_of(client.get("/kisam-tinggi/cari", {"q": "zzqx"}))
    assert "Tidak ada layanan yang cocok dengan “zzqx”" in page


def test_search_page_without_query_shows_the_form(client, demo_office):
    page = text_of(client.get("/kisam-tinggi/cari"))
    assert '<input type="search" id="q" name="q"' in page
    assert "cocok" not in page


def test_english_switch_changes_headings(demo_office):
    # The language form is in cached HTML shared by every visitor: it must work without a
    # per-visitor CSRF token (the view is exempt), even for a client that enforces CSRF.
    client = Client(enforce_csrf_checks=True)
    page = text_of(client.get("/kisam-tinggi/layanan/ktp-el/"))
    assert '<html lang="id">' in page and ">Persyaratan</h2>" in page
    assert "csrfmiddlewaretoken" not in page

    response = client.post("/i18n/setlang/", {"language": "en", "next": "/kisam-tinggi/layanan/ktp-el/"})
    assert response.status_code == 302

    english = text_of(client.get("/kisam-tinggi/layanan/ktp-el/"))
    assert '<html lang="en">' in english
    assert ">Requirements</h2>" in english and ">Procedure</h2>" in english
    assert "Free (no charge)" in english
    assert "Bahasa Indonesia" in english  # the way back
