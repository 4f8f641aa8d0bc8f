"""Queue statistics (/staf/<office>/antrian/statistik/) and their CSV export."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from layan.queue import services
from layan.queue.models import Ticket

from .helpers import create_counter, create_lane, create_queue

pytestmark = pytest.mark.django_db

# A Monday morning in Kisam Tinggi (WIB, UTC+7).
T0 = dt.datetime(2026, 11, 30, 1, 0, tzinfo=dt.UTC)


def minutes(n: float) -> dt.timedelta:
    return dt.timedelta(minutes=n)


def served(counter, lane, *, taken, wait, service, staff, of=None):
    """A ticket (for the service `of`) taken at `taken`, called `wait` minutes later, served for
    `service` minutes."""
    ticket = services.take_ticket(lane.office, lane=lane, service=of, source="kiosk", now=taken)
    services.call_ticket(counter, ticket, actor=staff, now=taken + minutes(wait))
    services.start_service(ticket, actor=staff, now=taken + minutes(wait))
    return services.finish_service(ticket, actor=staff, now=taken + minutes(wait + service))


@pytest.fixture
def day_of_work(personas):
    """Lane A (counter 1): two served (10 and 20 min wait; 4 and 6 min service) and one no-show.
    Lane B (counter 2): one served (5 min wait, 10 min service)."""
    service, lane_a, counter_1 = create_queue(personas.office)
    lane_b = create_lane(personas.office, "B", "Perizinan")
    counter_2 = create_counter(personas.office, 2, lane_b)
    staff = personas.staff
    served(counter_1, lane_a, taken=T0, wait=10, service=4, staff=staff, of=service)
    served(counter_1, lane_a, taken=T0 + minutes(30), wait=20, service=6, staff=staff, of=service)
    missing = services.take_ticket(personas.office, lane=lane_a, source="web", now=T0 + minutes(60))
    services.call_ticket(counter_1, missing, actor=staff, now=T0 + minutes(62))
    services.mark_no_show(missing, actor=staff, now=T0 + minutes(65))
    served(counter_2, lane_b, taken=T0 + minutes(120), wait=5, service=10, staff=staff)
    return personas


def stats_url(office, **query) -> str:
    url = reverse("queue:stats", args=[office.slug])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_outsiders_get_404(client, personas):
    client.force_login(personas.outsider)
    assert client.get(stats_url(personas.office)).status_code == 404
    assert client.get(reverse("queue:stats_csv", args=[personas.office.slug])).status_code == 404


def test_waiting_and_service_time_per_lane_counter_hour_and_day(client, day_of_work):
    client.force_login(day_of_work.viewer)  # reading statistics needs no write role
    page = client.get(stats_url(day_of_work.office, dari="2026-11-30", sampai="2026-11-30")).content.decode()
    assert "4 kunjungan" in page and "9,3 menit" in page and "6,7 menit" in page and "25%" in page
    # Lane A: waits 10, 20, 2 -> 10.7 min; service 4 and 6 -> 5 min; 1 no-show of 3 called.
    # All: waits 10, 20, 2, 5 -> 9.3 min; service 4, 6, 10 -> 6.7 min.
    assert "A · Kependudukan" in page and "10,7 menit" in page and "5,0 menit" in page and "1 (33%)" in page
    assert "B · Perizinan" in page and "10,0 menit" in page
    assert "Loket 1" in page and "Loket 2" in page
    assert "08.00–08.59" in page and "10.00–10.59" in page  # local hours (WIB) when the numbers were taken
    assert "30/11/2026" in page
    by_service = page.split("Kunjungan per layanan")[1]
    assert by_service.index("KTP-el") < by_service.index("(tanpa)")  # 2 visits, then the 2 without a service


def test_the_period_defaults_to_the_last_week_and_a_bad_one_is_said(client, day_of_work):
    client.force_login(day_of_work.staff)
    assert client.get(stats_url(day_of_work.office)).status_code == 200
    page = client.get(stats_url(day_of_work.office, dari="2026-12-01", sampai="2026-11-01")).content.decode()
    assert "Tanggal akhir sebelum tanggal awal." in page


def test_csv_has_indonesian_headers_one_line_a_visit_and_no_personal_data(client, day_of_work):
    office = day_of_work.office
    Ticket.objects.filter(source="web").update(urn=None)
    client.force_login(day_of_work.staff)
    response = client.get(reverse("queue:stats_csv", args=[office.slug]) + "?dari=2026-11-30&sampai=2026-11-30")
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="antrian-kisam-tinggi-20261130-20261130.csv"' in response["Content-Disposition"]
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert rows[0] == [
        "Tanggal",
        "Nomor",
        "Jalur",
        "Layanan",
        "Asal",
        "Prioritas",
        "Status",
        "Loket",
        "Diambil",
        "Dipanggil",
        "Mulai dilayani",
        "Selesai",
        "Waktu tunggu (menit)",
        "Waktu layanan (menit)",
    ]
    assert len(rows) == 5
    first = dict(zip(rows[0], rows[1], strict=True))
    assert first["Nomor"] == "A001" and first["Status"] == "Selesai" and first["Loket"] == "Loket 1"
    assert first["Layanan"] == "KTP-el" and first["Jalur"] == "Kependudukan"
    assert first["Diambil"] == "2026-11-30 08:00:00"  # the office's local time
    assert first["Waktu tunggu (menit)"] == "10.0" and first["Waktu layanan (menit)"] == "4.0"
    no_show = dict(zip(rows[0], rows[3], strict=True))
    assert no_show["Status"] == "Tidak hadir" and no_show["Asal"] == "Web" and no_show["Waktu layanan (menit)"] == ""


def test_a_transfer_is_one_visit(client, personas):
    _service, lane, counter = create_queue(personas.office)
    lane_b = create_lane(personas.office, "B", "Perizinan")
    ticket = services.take_ticket(personas.office, lane=lane, source="kiosk")
    services.shift_today(counter, user=personas.staff)
    services.call_next(counter, actor=personas.staff)
    services.transfer_ticket(ticket, lane=lane_b, actor=personas.staff)
    client.force_login(personas.staff)
    today = timezone.now().astimezone(personas.office.tz).date().isoformat()
    assert "1 kunjungan" in client.get(stats_url(personas.office, dari=today, sampai=today)).content.decode()
