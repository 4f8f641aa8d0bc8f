"""The display board: its page, the JSON it polls, and the audio of the calls it plays."""

import pytest
from django.test import Client

from layan.queue import speech
from layan.queue.services import call_next, finish_service, recall, take_ticket
from layan.queue.tests.helpers import create_counter, create_queue

pytestmark = pytest.mark.django_db


@pytest.fixture
def queue(personas):
    service, lane, counter = create_queue(personas.office)
    return service, lane, counter


def board_json(office, v=None, **extra):
    params = {} if v is None else {"v": v}
    params.update(extra)
    response = Client().get(f"/{office.slug}/antrian/papan.json", params)
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    return response.json()


def test_the_board_page_shows_the_current_and_last_calls(personas, queue):
    service, _lane, counter = queue
    for _ in range(3):
        take_ticket(personas.office, service=service, source="kiosk")
    first = call_next(counter, actor=personas.staff)
    finish_service(first, actor=personas.staff)
    call_next(counter, actor=personas.staff)
    response = Client().get(f"/{personas.office.slug}/antrian/papan/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="now-number">A002<' in html
    assert "Loket 1" in html and "Panggilan terakhir" in html
    assert "board" in html and ".js" in html
    assert "http://" not in html and "https://" not in html  # nothing loaded from another host


def test_the_poll_is_tiny_while_nothing_happens_and_carries_new_calls_once(
    personas, queue, django_assert_max_num_queries
):
    service, _lane, counter = queue
    office = personas.office
    first = board_json(office)
    assert first["v"] == 0 and first["calls"] == [] and first["current"] == []
    with django_assert_max_num_queries(2):
        assert board_json(office, v=0) == {"v": 0}

    take_ticket(office, service=service, source="kiosk")
    ticket = call_next(counter, actor=personas.staff)
    data = board_json(office, v=0)
    assert data["v"] > 0
    (call,) = data["calls"]
    assert call["number"] == "A001" and call["counter"] == "Loket 1" and call["kind"] == "call"
    assert call["text"] == "Nomor antrian a satu, silakan menuju loket satu"
    assert call["audio"].startswith(f"/{office.slug}/antrian/suara/A001-1.wav?r=")
    assert data["current"] == [{"number": "A001", "counter": "Loket 1", "counter_number": 1, "kind": "call"}]
    assert board_json(office, v=data["v"]) == {"v": data["v"]}

    # A recall from the console is a new call: the board speaks it again.
    recall(ticket, actor=personas.staff)
    again = board_json(office, v=data["v"])
    assert [c["kind"] for c in again["calls"]] == ["recall"]


def test_a_full_refresh_gives_the_state_without_repeating_calls(personas, queue):
    service, _lane, counter = queue
    take_ticket(personas.office, service=service, source="kiosk")
    ticket = call_next(counter, actor=personas.staff)
    v = board_json(personas.office)["v"]
    finish_service(ticket, actor=personas.staff)
    data = board_json(personas.office, v=v, full="1")
    assert data["calls"] == [] and data["current"] == []
    assert data["recent"][0]["number"] == "A001"


def test_calls_made_between_two_polls_are_all_announced_oldest_first(personas, queue):
    service, lane, counter = queue
    other = create_counter(personas.office, 2, lane)
    take_ticket(personas.office, service=service, source="kiosk")
    take_ticket(personas.office, service=service, source="kiosk")
    v = board_json(personas.office)["v"]
    call_next(counter, actor=personas.staff)
    call_next(other, actor=personas.staff)
    data = board_json(personas.office, v=v)
    assert [(c["number"], c["counter"]) for c in data["calls"]] == [("A001", "Loket 1"), ("A002", "Loket 2")]


def test_between_calls_the_board_has_the_offices_hours(personas, queue):
    from layan.offices.models import OpeningHours

    personas.office.opening_hours.all().delete()
    OpeningHours.objects.create(office=personas.office, weekday=0, opens="08:00", closes="11:30")
    OpeningHours.objects.create(office=personas.office, weekday=1, opens="08:00", closes="11:30")
    OpeningHours.objects.create(office=personas.office, weekday=4, opens="08:00", closes="11:00")
    assert board_json(personas.office)["hours"] == ["Senin–Selasa 08.00–11.30", "Jumat 08.00–11.00"]


def test_a_bad_version_is_a_first_load_not_an_error(personas, queue):
    assert board_json(personas.office, v="abc")["calls"] == []
    assert board_json(personas.office, v="9" * 40)["calls"] == []


def test_an_unknown_office_has_no_board(personas):
    assert Client().get("/tidak-ada/antrian/papan/").status_code == 404
    assert Client().get("/tidak-ada/antrian/papan.json").status_code == 404


def test_audio_only_for_calls_that_were_made(personas, queue):
    client = Client()
    assert client.get(f"/{personas.office.slug}/antrian/suara/A001-1.wav").status_code == 404
    assert client.get(f"/{personas.office.slug}/antrian/suara/..%2Fetc-1.wav").status_code == 404
    assert client.get(f"/{personas.office.slug}/antrian/suara/bel.wav").status_code == 200


@pytest.mark.slow
@pytest.mark.real_component("espeak-ng")
def test_the_board_plays_the_chime_and_the_spoken_call(personas, queue):
    if not speech.tools_available():
        pytest.skip("espeak-ng or sox is not installed")
    service, _lane, counter = queue
    take_ticket(personas.office, service=service, source="kiosk")
    call_next(counter, actor=personas.staff)
    (call,) = board_json(personas.office, v=0)["calls"]
    response = Client().get(call["audio"])
    assert response.status_code == 200
    assert response["Content-Type"] == "audio/wav"
    assert "max-age" in response["Cache-Control"]
    body = response.content
    assert body[:4] == b"RIFF" and body[8:12] == b"WAVE"
    assert len(body) > speech.RATE * 2 * 3  # chime + a few seconds of speech


def test_the_board_in_english_for_a_visitor_who_chose_it(personas, queue):
    client = Client()
    client.cookies["django_language"] = "en"
    html = client.get(f"/{personas.office.slug}/antrian/papan/").content.decode()
    assert "Now serving" in html and "Latest calls" in html and "Turn on sound" in html


def test_the_board_says_how_many_wait_per_lane_and_can_be_chime_only(personas, queue):
    service, _lane, _counter = queue
    take_ticket(personas.office, service=service, source="kiosk")
    take_ticket(personas.office, service=service, source="kiosk")
    assert board_json(personas.office)["waiting"] == {"A": 2}
    page = Client().get(f"/{personas.office.slug}/antrian/papan/").content.decode()
    assert "Menunggu: A 2" in page and 'data-sound="suara"' in page
    chime_only = Client().get(f"/{personas.office.slug}/antrian/papan/?suara=bel").content.decode()
    assert 'data-sound="bel"' in chime_only
    silent = Client().get(f"/{personas.office.slug}/antrian/papan/?suara=mati").content.decode()
    assert 'data-sound="mati"' in silent and "Aktifkan suara" not in silent
    odd = Client().get(f"/{personas.office.slug}/antrian/papan/?suara=<x>").content.decode()
    assert 'data-sound="suara"' in odd
