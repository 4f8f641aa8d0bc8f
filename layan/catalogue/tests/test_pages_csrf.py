"""Cached pages are the same for every visitor: no CSRF token, no cookie, and the language form still works."""

import gzip

from django.test import Client


def test_cached_pages_carry_no_token_and_set_no_cookie(demo_office):
    client = Client(enforce_csrf_checks=True)
    client.get("/kisam-tinggi/layanan/ktp-el/")
    response = client.get("/kisam-tinggi/layanan/ktp-el/")
    assert "csrfmiddlewaretoken" not in response.content.decode()
    assert "csrftoken" not in response.cookies
    assert client.post("/i18n/setlang/", {"language": "en", "next": "/kisam-tinggi/"}).status_code == 302
    assert ">Requirements</h2>" in client.get("/kisam-tinggi/layanan/ktp-el/").content.decode()


def test_cached_page_is_served_compressed_to_browsers_that_accept_it(demo_office):
    client = Client()
    plain = client.get("/kisam-tinggi/layanan/ktp-el/")
    zipped = client.get("/kisam-tinggi/layanan/ktp-el/", HTTP_ACCEPT_ENCODING="gzip, deflate")
    assert zipped["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in zipped["Vary"]
    assert gzip.decompress(zipped.content) == plain.content
