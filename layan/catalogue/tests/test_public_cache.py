"""The public cache middleware answers exactly what the views answered, and never a stale page."""

import json

import pytest
from django.test import Client

from layan.catalogue.services import publish_service_version, start_draft

SOP = "/kisam-tinggi/layanan/ktp-el/"
SEARCH = "/api/v1/offices/kisam-tinggi/services?q=bikin+ktp"


def test_second_visit_is_served_from_the_cache_with_the_same_body_and_headers(
    demo_office, django_assert_max_num_queries
):
    client = Client()
    first = client.get(SOP)
    with django_assert_max_num_queries(1):
        second = client.get(SOP)
    assert second.content == first.content
    assert second["Content-Language"] == "id"
    assert second["X-Frame-Options"] == "DENY"
    assert "Cookie" in second["Vary"]


def test_api_search_hit_is_the_same_json_and_costs_one_query(demo_office, django_assert_max_num_queries):
    client = Client()
    first = client.get(SEARCH)
    with django_assert_max_num_queries(1):
        second = client.get(SEARCH)
    assert second.status_code == 200 and second["Content-Type"].startswith("application/json")
    assert json.loads(second.content) == json.loads(first.content)
    assert json.loads(second.content)["items"][0]["code"] == "ktp-el"


def test_publishing_shows_at_once_on_the_page_and_in_the_api(demo_office):
    client = Client()
    client.get(SOP), client.get(SEARCH)
    service = demo_office.services.get(code="ktp-el")
    draft = start_draft(service)
    draft.name = "KTP elektronik (baru)"
    draft.save()
    publish_service_version(draft)
    assert "KTP elektronik (baru)" in client.get(SOP).content.decode()
    assert json.loads(client.get(SEARCH).content)["items"][0]["name"] == "KTP elektronik (baru)"


def test_language_is_part_of_the_key(demo_office):
    client = Client()
    client.get(SOP)
    english_phone = Client(HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    # A browser set to English still gets Bahasa Indonesia until the visitor uses the switch.
    assert ">Persyaratan</h2>" in english_phone.get(SOP).content.decode()
    english_phone.post("/i18n/setlang/", {"language": "en", "next": SOP})
    english = english_phone.get(SOP)
    assert english["Content-Language"] == "en" and ">Requirements</h2>" in english.content.decode()


@pytest.mark.parametrize("query", ["?q=" + "x" * 201, "?limit=0&q=ktp", "?limit=abc&q=ktp", "?q=ktp&q=kk"])
def test_odd_api_parameters_still_get_the_apis_own_answer(demo_office, query):
    client = Client()
    client.get("/api/v1/offices/kisam-tinggi/services" + query.split("&")[0])
    response = client.get("/api/v1/offices/kisam-tinggi/services" + query)
    assert response.status_code in (200, 422)
    if "limit=" in query or "x" * 201 in query:
        assert response.status_code == 422
        assert "detail" in json.loads(response.content)


def test_unknown_office_or_service_is_still_a_friendly_404(demo_office):
    client = Client()
    assert client.get("/kisam-tinggi/layanan/tidak-ada/").status_code == 404
    assert client.get("/tidak-ada/layanan/ktp-el/").status_code == 404
    assert client.get("/api/v1/offices/tidak-ada/services?q=ktp").status_code == 404
