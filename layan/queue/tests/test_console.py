"""The counter console (/staf/<office>/loket/…): picking a counter, call next, call a chosen
ticket, recall, no-show, start and finish, transfer, pause with a reason; htmx; personas."""

import pytest
from django.urls import reverse

from layan.queue import services
from layan.queue.models import Call, CounterShift, Ticket

from .helpers import create_counter, create_lane, create_priority, create_queue, set_rules

pytestmark = pytest.mark.django_db


def console_url(office, number=1) -> str:
    return reverse("queue:console", kwargs={"office": office.slug, "number": number})


def act_url(office, action, number=1) -> str:
    return reverse("queue:act", kwargs={"office": office.slug, "number": number, "action": action})


@pytest.fixture
def desk(client, personas):
    """Lane A with counter 1; the staff member is logged in and on duty at counter 1."""
    service, lane, counter = create_queue(personas.office)
    client.force_login(personas.staff)
    client.post(reverse("queue:counters", args=[personas.office.slug]), {"counter": counter.pk})
    return service, lane, counter


def take(office, lane, n=1, **kwargs) -> list[Ticket]:
    return [services.take_ticket(office, lane=lane, source="kiosk", **kwargs) for _ in range(n)]


def test_outsiders_get_404_and_anonymous_users_the_login(client, personas):
    create_queue(personas.office)
    client.force_login(personas.outsider)
    assert client.get(reverse("queue:counters", args=[personas.office.slug])).status_code == 404
    assert client.get(console_url(personas.office)).status_code == 404
    assert client.post(act_url(personas.office, "panggil")).status_code == 404
    client.logout()
    assert client.get(console_url(personas.office)).status_code == 302


def test_picking_a_counter_opens_todays_shift_and_the_console(client, personas):
    _service, _lane, counter = create_queue(personas.office)
    client.force_login(personas.staff)
    page = client.get(reverse("queue:counters", args=[personas.office.slug])).content.decode()
    assert "Loket 1" in page and "Bertugas di Loket 1" in page
    response = client.post(reverse("queue:counters", args=[personas.office.slug]), {"counter": counter.pk})
    assert response.status_code == 302 and response["Location"] == console_url(personas.office)
    assert CounterShift.objects.filter(counter=counter, user=personas.staff).count() == 1
    assert "Panggil berikutnya" in client.get(console_url(personas.office)).content.decode()


def test_the_navigation_bar_links_to_the_counters(client, personas):
    client.force_login(personas.staff)
    page = client.get(reverse("web:workspace", args=[personas.office.slug])).content.decode()
    assert f'href="{reverse("queue:counters", args=[personas.office.slug])}"' in page


def test_call_next_calls_the_first_ticket_and_the_board_gets_the_call(client, personas, desk):
    _service, lane, _counter = desk
    first, second = take(personas.office, lane, 2)
    response = client.post(act_url(personas.office, "panggil"))
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.status == "called" and first.counter.number == 1
    assert Call.objects.get().ticket == first
    page = client.get(console_url(personas.office)).content.decode()
    assert "A001" in page and "Nomor A001 dipanggil." in page
    assert "Panggil ulang" in page and "Tidak hadir" in page


def test_call_next_respects_the_priority_rule(client, personas, desk):
    _service, lane, _counter = desk
    # The rule itself is tested with the services; here: the console calls by it.
    set_rules(personas.office, ordering="every_n", priority_every=1)
    take(personas.office, lane, 2)
    priority = take(personas.office, lane, 1, priority=create_priority(personas.office))[0]
    # One priority ticket after every N=1 normal one: normal first, then the priority one.
    client.post(act_url(personas.office, "panggil"))
    client.post(act_url(personas.office, "selesai"))
    client.post(act_url(personas.office, "panggil"))
    priority.refresh_from_db()
    assert priority.status == "called"


def test_recall_calls_the_same_ticket_again(client, personas, desk):
    _service, lane, _counter = desk
    take(personas.office, lane, 1)
    client.post(act_url(personas.office, "panggil"))
    client.post(act_url(personas.office, "ulang"))
    assert list(Call.objects.order_by("id").values_list("kind", flat=True)) == ["call", "recall"]


def test_no_show_frees_the_counter_for_the_next_number(client, personas, desk):
    _service, lane, _counter = desk
    first, second = take(personas.office, lane, 2)
    client.post(act_url(personas.office, "panggil"))
    client.post(act_url(personas.office, "tidak-hadir"))
    first.refresh_from_db()
    assert first.status == "no_show"
    client.post(act_url(personas.office, "panggil"))
    second.refresh_from_db()
    assert second.status == "called"


def test_start_and_finish_record_the_service_time(client, personas, desk):
    _service, lane, _counter = desk
    [ticket] = take(personas.office, lane, 1)
    client.post(act_url(personas.office, "panggil"))
    client.post(act_url(personas.office, "mulai"))
    ticket.refresh_from_db()
    assert ticket.status == "serving" and ticket.started_at is not None
    assert "Mulai layani" not in client.get(console_url(personas.office)).content.decode()
    client.post(act_url(personas.office, "selesai"))
    ticket.refresh_from_db()
    assert ticket.status == "done" and ticket.finished_at is not None
    assert "Belum ada nomor di loket ini." in client.get(console_url(personas.office)).content.decode()


def test_calling_a_chosen_ticket_out_of_order(client, personas, desk):
    _service, lane, _counter = desk
    first, second, third = take(personas.office, lane, 3)
    client.post(act_url(personas.office, "panggil-nomor"), {"ticket": third.pk})
    third.refresh_from_db()
    first.refresh_from_db()
    assert third.status == "called" and first.status == "waiting"


def test_a_ticket_of_another_office_cannot_be_called(client, personas, desk):
    _s, other_lane, _c = create_queue(personas.other_office)
    [foreign] = take(personas.other_office, other_lane, 1)
    assert client.post(act_url(personas.office, "panggil-nomor"), {"ticket": foreign.pk}).status_code == 404
    assert client.post(act_url(personas.office, "panggil-nomor"), {"ticket": "x"}).status_code == 404
    foreign.refresh_from_db()
    assert foreign.status == "waiting"


def test_transfer_to_another_lane_keeps_the_number_and_frees_the_counter(client, personas, desk):
    _service, lane, counter = desk
    lane_b = create_lane(personas.office, "B", "Perizinan")
    create_counter(personas.office, 2, lane_b)
    [ticket] = take(personas.office, lane, 1)
    client.post(act_url(personas.office, "panggil"))
    client.post(act_url(personas.office, "alihkan"), {"lane": lane_b.pk})
    ticket.refresh_from_db()
    moved = Ticket.objects.get(transferred_from=ticket)
    assert ticket.status == "transferred"
    assert moved.lane == lane_b and moved.display == "A001" and moved.status == "waiting"
    assert "Belum ada nomor di loket ini." in client.get(console_url(personas.office)).content.decode()


def test_transfer_to_a_counter(client, personas, desk):
    _service, lane, _counter = desk
    counter_2 = create_counter(personas.office, 2, lane)
    [ticket] = take(personas.office, lane, 1)
    client.post(act_url(personas.office, "panggil"))
    client.post(act_url(personas.office, "alihkan"), {"counter": counter_2.pk})
    moved = Ticket.objects.get(transferred_from=ticket)
    assert moved.counter == counter_2 and moved.status == "waiting"


def test_a_transfer_needs_exactly_one_target(client, personas, desk):
    _service, lane, _counter = desk
    take(personas.office, lane, 1)
    client.post(act_url(personas.office, "panggil"))
    response = client.post(act_url(personas.office, "alihkan"), {}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "Pilih satu tujuan" in response.content.decode()
    assert Ticket.objects.get().status == "called"


def test_pause_needs_a_reason_stops_calls_and_resume_opens_again(client, personas, desk):
    _service, lane, counter = desk
    take(personas.office, lane, 1)
    response = client.post(act_url(personas.office, "jeda"), {"reason": ""}, HTTP_HX_REQUEST="true")
    assert "Tulis alasan jeda" in response.content.decode()
    client.post(act_url(personas.office, "jeda"), {"reason": "Istirahat siang"})
    page = client.get(console_url(personas.office)).content.decode()
    assert "Loket dijeda: Istirahat siang" in page and "Panggil berikutnya" not in page
    refused = client.post(act_url(personas.office, "panggil"), HTTP_HX_REQUEST="true")
    assert "sedang jeda" in refused.content.decode()
    assert Ticket.objects.get().status == "waiting"
    client.post(act_url(personas.office, "lanjut"))
    client.post(act_url(personas.office, "panggil"))
    assert Ticket.objects.get().status == "called"


def test_nobody_waiting_is_said_on_the_console_not_as_an_error_page(client, personas, desk):
    response = client.post(act_url(personas.office, "panggil"), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "Tidak ada nomor yang menunggu" in response.content.decode()


def test_htmx_gets_the_panel_and_an_unchanged_poll_gets_204(client, personas, desk):
    _service, lane, _counter = desk
    take(personas.office, lane, 1)
    panel = client.get(console_url(personas.office), {"panel": 1}, HTTP_HX_REQUEST="true")
    page = panel.content.decode()
    assert panel.status_code == 200 and "<html" not in page and 'id="console-panel"' in page
    version = page.split('id="console-version" name="v" value="')[1].split('"')[0]
    same = client.get(console_url(personas.office), {"panel": 1, "v": version}, HTTP_HX_REQUEST="true")
    if same.status_code == 200:  # the clock passed a minute (the waiting times shown) between the polls
        version = same.content.decode().split('id="console-version" name="v" value="')[1].split('"')[0]
        same = client.get(console_url(personas.office), {"panel": 1, "v": version}, HTTP_HX_REQUEST="true")
    assert same.status_code == 204
    take(personas.office, lane, 1)
    changed = client.get(console_url(personas.office), {"panel": 1, "v": version}, HTTP_HX_REQUEST="true")
    assert changed.status_code == 200 and "A002" in changed.content.decode()


def test_the_buttons_show_their_keyboard_shortcuts(client, personas, desk):
    _service, lane, _counter = desk
    take(personas.office, lane, 1)
    page = client.get(console_url(personas.office)).content.decode()
    assert 'data-key="N"' in page and "<kbd>N</kbd>" in page
    assert "console.js" in page
    client.post(act_url(personas.office, "panggil"))
    page = client.get(console_url(personas.office)).content.decode()
    for key in "UMSX":
        assert f'data-key="{key}"' in page


def test_a_viewer_sees_the_queue_but_no_buttons_and_cannot_act(client, personas):
    _service, lane, _counter = create_queue(personas.office)
    take(personas.office, lane, 1)
    client.force_login(personas.viewer)
    page = client.get(console_url(personas.office)).content.decode()
    assert "A001" in page and "Peran Anda hanya boleh melihat." in page
    assert "Panggil berikutnya" not in page and "Bertugas di" not in page
    assert client.post(act_url(personas.office, "panggil")).status_code == 403
    assert client.post(reverse("queue:counters", args=[personas.office.slug]), {"counter": 1}).status_code == 403
    assert Ticket.objects.get().status == "waiting"


def test_an_officer_not_on_duty_here_is_offered_the_counter_first(client, personas):
    _service, lane, _counter = create_queue(personas.office)
    take(personas.office, lane, 1)
    client.force_login(personas.admin)
    page = client.get(console_url(personas.office)).content.decode()
    assert "Anda belum bertugas di loket ini hari ini." in page
    assert "Panggil berikutnya" not in page


def test_an_unknown_action_or_counter_is_404(client, personas, desk):
    assert client.post(act_url(personas.office, "hapus")).status_code == 404
    assert client.get(console_url(personas.office, 9)).status_code == 404


def test_the_console_in_english(client, personas, desk, settings):
    _service, lane, _counter = desk
    take(personas.office, lane, 1)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(console_url(personas.office)).content.decode()
    assert "Call next" in page and "Keyboard shortcuts" in page and "Waiting (1)" in page


def test_the_console_and_status_pages_cost_the_same_queries_for_3_or_33_waiting(client, personas, desk):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _service, lane, _counter = desk
    priority = create_priority(personas.office)
    tickets = take(personas.office, lane, 2) + take(personas.office, lane, 1, priority=priority)

    def cost(url):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    status = reverse("queue:status", args=[personas.office.slug, tickets[-1].token])
    few = (cost(console_url(personas.office)), cost(status))
    take(personas.office, lane, 27)
    take(personas.office, lane, 3, priority=priority)
    assert (cost(console_url(personas.office)), cost(status)) == few


def test_a_colleagues_pause_does_not_block_another_officer_on_the_same_counter(client, personas, desk):
    _service, lane, counter = desk
    take(personas.office, lane, 1)
    services.pause_counter(counter, actor=personas.admin, reason="Rapat")
    page = client.get(console_url(personas.office)).content.decode()
    assert "Loket dijeda" not in page and "Panggil berikutnya" in page
    client.post(act_url(personas.office, "panggil"))
    assert Ticket.objects.get().status == "called"


def test_the_waiting_count_is_the_whole_queue_when_the_list_is_cut(client, personas, desk):
    _service, lane, _counter = desk
    take(personas.office, lane, 55)
    page = client.get(console_url(personas.office)).content.decode()
    assert "Menunggu (55)" in page and "A050" in page and "A051" not in page
