"""The cached pages and the language form's CSRF token, with set_language protected or exempt."""

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language

from layan.catalogue import page_cache

# A project that exempts set_language from CSRF (this module doubles as its URLconf).
urlpatterns = [
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
    path("", include("layan.catalogue.urls")),
]


@pytest.fixture(autouse=True)
def fresh():
    cache.clear()
    page_cache.language_form_needs_csrf.cache_clear()
    yield
    cache.clear()
    page_cache.language_form_needs_csrf.cache_clear()


def test_each_visitor_gets_a_working_token_from_the_cached_page(demo_office):
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first.get("/kisam-tinggi/layanan/ktp-el/")
    page = second.get("/kisam-tinggi/layanan/ktp-el/")  # served from the cache
    assert page_cache.CSRF_PLACEHOLDER not in page.content.decode()
    token = page.content.decode().split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    response = second.post("/i18n/setlang/", {"language": "en", "csrfmiddlewaretoken": token})
    assert response.status_code == 302


def test_with_set_language_exempt_pages_carry_no_token_and_set_no_cookie(settings, demo_office):
    settings.ROOT_URLCONF = __name__
    client = Client(enforce_csrf_checks=True)
    client.get("/kisam-tinggi/layanan/ktp-el/")
    response = client.get("/kisam-tinggi/layanan/ktp-el/")
    assert "csrfmiddlewaretoken" not in response.content.decode()
    assert "csrftoken" not in response.cookies
    assert client.post("/i18n/setlang/", {"language": "en", "next": "/kisam-tinggi/"}).status_code == 302
    assert ">Requirements</h2>" in client.get("/kisam-tinggi/layanan/ktp-el/").content.decode()
