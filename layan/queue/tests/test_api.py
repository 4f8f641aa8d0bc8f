import re

import pytest

from layan.queue.services import call_next
from testkit.personas import create_service

from .helpers import create_counter, create_lane, create_priority, set_rules

pytestmark = pytest.mark.django_db


@pytest.fixture
def queue(personas):
    service = create_service(personas.office, "ktp-el", "KTP-el")
    lane = create_lane(personas.office, "A", "Kependudukan", services=[service])
    return service, lane, create_counter(personas.office, 1, lane)


def take(client, slug="kisam-tinggi", **body):
    return client.post(f"/api/v1/offices/{slug}/tickets", body, content_type="application/json")


def test_taking_a_ticket_answers_number_lane_position_and_wait(client, queue):
    first = take(client, service="ktp-el")
    second = take(client, service="ktp-el")
    assert first.status_code == 201
    assert first.json()["number"] == "A001" and first.json()["position"] == 1
    body = second.json()
    assert body["number"] == "A002"
    assert body["lane"] == {"code": "A", "name": "Kependudukan"}
    assert body["position"] == 2 and body["ahead"] == 1
    assert body["estimated_wait"] == 5  # the office default of 5 minutes a citizen, one counter


def test_a_full_waiting_room_is_a_409_saying_when_to_come_back(client, queue, personas):
    set_rules(personas.office, waiting_room_max=1, pandemic_mode=False)
    assert take(client, service="ktp-el").status_code == 201
    refused = take(client, service="ktp-el")
    assert refused.status_code == 409
    # ("kembali pada <day> pukul …" instead in the last minutes before midnight, on the real clock.)
    detail = refused.json()["detail"]
    assert re.match(r"Ruang tunggu sedang penuh \(maksimal 1 orang\)\. Silakan kembali (sekitar|pada) ", detail)
    assert refused.json()["come_back_at"]


def test_unknown_office_service_or_priority_are_indonesian_4xx(client, queue):
    assert take(client, slug="tidak-ada", service="ktp-el").json() == {"detail": "Kantor tidak ditemukan"}
    assert take(client, service="tidak-ada").status_code == 404
    assert take(client, service="ktp-el", priority="lansia").json() == {
        "detail": "Kelompok prioritas tidak ditemukan di kantor ini"
    }
    invalid = take(client, service="ktp el")
    assert invalid.status_code == 422 and "service" in invalid.json()["detail"]


def test_a_priority_ticket_goes_before_the_normal_ones_waiting(client, queue, personas):
    create_priority(personas.office, "lansia")
    set_rules(personas.office, priority_every=3)
    take(client, service="ktp-el")
    answer = take(client, service="ktp-el", priority="lansia")
    # Nobody called yet: the priority ticket waits for N = 3 normal calls, or fewer normal tickets.
    assert answer.status_code == 201 and answer.json()["position"] == 2


def test_a_service_without_a_lane_is_a_409(client, queue, personas):
    create_service(personas.office, "sktm", "SKTM")
    answer = take(client, service="sktm")
    assert answer.status_code == 409
    assert answer.json()["detail"] == "Layanan ini belum punya jalur antrian. Silakan tanyakan ke petugas."


def test_the_board_shows_the_call_of_each_counter_and_who_waits(client, queue, personas):
    take(client, service="ktp-el")
    take(client, service="ktp-el")
    call_next(queue[2], actor=personas.staff)
    board = client.get("/api/v1/offices/kisam-tinggi/queue").json()
    assert [(c["number"], c["counter"]) for c in board["current"]] == [("A001", "Loket 1")]
    assert [c["number"] for c in board["recent"]] == ["A001"]
    assert board["lanes"] == [{"code": "A", "name": "Kependudukan", "waiting": 1}]
    assert client.get("/api/v1/offices/tidak-ada/queue").status_code == 404


def test_a_body_that_is_not_json_is_an_indonesian_400(client, queue):
    answer = client.post("/api/v1/offices/kisam-tinggi/tickets", "{service", content_type="application/json")
    assert answer.status_code == 400
    assert answer.json() == {"detail": "Isi permintaan bukan JSON yang sah."}


def test_too_many_tickets_from_one_address_are_refused_in_indonesian(client, queue, settings):
    settings.LAYAN_RATE_LIMITS = {**settings.LAYAN_RATE_LIMITS, "queue": "2/h"}
    answers = [take(client, service="ktp-el") for _ in range(3)]
    assert [a.status_code for a in answers] == [201, 201, 429]
    assert answers[-1].json()["detail"].startswith("Terlalu banyak permintaan.")
    assert answers[-1]["Retry-After"]
