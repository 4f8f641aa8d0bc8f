import datetime as dt
import zoneinfo

import pytest
from django.utils import timezone

from layan.catalogue.services import start_draft
from layan.offices.models import Holiday, Office
from testkit.personas import create_office, create_regions, create_service

WIB = zoneinfo.ZoneInfo("Asia/Jakarta")
# A Monday: the test personas' offices open 08:00–15:30 Monday to Thursday.
MONDAY = dt.date(2025, 3, 3)


def freeze(monkeypatch, moment: dt.datetime) -> None:
    monkeypatch.setattr(timezone, "now", lambda: moment)


def test_office_list_shows_active_offices_with_their_region(client, personas):
    personas.other_office.is_active = False
    personas.other_office.save()

    body = client.get("/api/v1/offices").json()

    assert body["count"] == 1
    [office] = body["items"]
    assert office["slug"] == "kisam-tinggi"
    assert office["name"] == "Kecamatan Kisam Tinggi"
    assert office["district"] == {"code": "16.09.10", "name": "Kisam Tinggi"}
    assert office["regency"]["code"] == "16.09"
    assert office["province"] == {"code": "16", "name": "Sumatera Selatan"}
    assert (office["timezone"], office["timezone_abbreviation"]) == ("Asia/Jakarta", "WIB")
    assert office["url"].endswith("/kisam-tinggi/")


def test_office_list_is_paginated_by_limit_and_offset(client, personas):
    first = client.get("/api/v1/offices?limit=1").json()
    second = client.get("/api/v1/offices?limit=1&offset=1").json()

    assert first["count"] == second["count"] == 2
    assert len(first["items"]) == len(second["items"]) == 1
    assert first["items"][0]["slug"] != second["items"][0]["slug"]


def test_office_list_limit_above_100_is_refused_in_indonesian(client, personas):
    response = client.get("/api/v1/offices?limit=101")

    assert response.status_code == 422
    assert response.json()["detail"] == "Parameter 'limit' paling besar 100."


def test_office_list_costs_the_same_queries_for_many_offices(client, db, django_assert_max_num_queries):
    a, _ = create_regions()
    for i in range(15):
        office = create_office(a, f"kantor-{i}")
        Holiday.objects.create(office=office, date=timezone.localdate(), name="Libur")

    with django_assert_max_num_queries(5):
        body = client.get("/api/v1/offices").json()

    assert body["count"] == 15
    assert not any(o["is_open_now"] for o in body["items"])


def test_is_open_now_follows_each_office_own_time_zone(client, personas, monkeypatch):
    eastern = personas.other_office
    eastern.timezone = "Asia/Makassar"
    eastern.save()
    # 07:30 WIB is 08:30 WITA: only the WITA office has opened.
    freeze(monkeypatch, dt.datetime.combine(MONDAY, dt.time(7, 30), tzinfo=WIB))

    items = {o["slug"]: o for o in client.get("/api/v1/offices").json()["items"]}

    assert items["kisam-tinggi"]["is_open_now"] is False
    assert items["muaradua-kisam"]["is_open_now"] is True
    assert items["muaradua-kisam"]["timezone_abbreviation"] == "WITA"


def test_office_is_closed_on_its_holidays(client, personas, monkeypatch):
    freeze(monkeypatch, dt.datetime.combine(MONDAY, dt.time(9), tzinfo=WIB))
    assert client.get("/api/v1/offices/kisam-tinggi").json()["is_open_now"] is True

    Holiday.objects.create(office=personas.office, date=MONDAY, name="Cuti bersama")

    assert client.get("/api/v1/offices/kisam-tinggi").json()["is_open_now"] is False


def test_office_detail_has_hours_contacts_and_facilities(client, demo_office):
    body = client.get("/api/v1/offices/kisam-tinggi").json()

    days = [(h["weekday"], h["day"], h["opens"], h["closes"]) for h in body["opening_hours"]]
    assert days[0] == (0, "Senin", "08:00", "15:30")
    assert days[-1] == (4, "Jumat", "08:00", "11:30")
    assert len(days) == 5
    assert body["contact"]["whatsapp"] == demo_office.whatsapp_number
    assert body["contact"]["email"] is None  # empty in the demo: null, not ""
    assert "area-bermain-anak" in [f["code"] for f in body["facilities"]]
    assert body["address"] == demo_office.address
    assert body["timezone_abbreviation"] == "WIB"
    assert body["guidebook_url"].endswith("/kisam-tinggi/panduan.pdf")


def test_office_service_count_leaves_out_drafts_and_inactive_services(client, demo_office):
    assert client.get("/api/v1/offices/kisam-tinggi").json()["service_count"] == 24

    create_service(demo_office, "draf-baru", publish=False)
    retired = demo_office.services.get(code="ktp-el")
    retired.is_active = False
    retired.save()
    start_draft(demo_office.services.get(code="kartu-keluarga"))  # a draft of a published service

    assert client.get("/api/v1/offices/kisam-tinggi").json()["service_count"] == 23


@pytest.mark.parametrize("slug", ["tidak-ada", "muaradua-kisam-lama"])
def test_unknown_office_is_404_in_indonesian(client, personas, slug):
    response = client.get(f"/api/v1/offices/{slug}")

    assert response.status_code == 404
    assert response.json() == {"detail": "Kantor tidak ditemukan"}


def test_inactive_office_is_404(client, personas):
    Office.objects.filter(pk=personas.other_office.pk).update(is_active=False)

    assert client.get("/api/v1/offices/muaradua-kisam").status_code == 404
    assert client.get("/api/v1/offices/muaradua-kisam/services").status_code == 404
