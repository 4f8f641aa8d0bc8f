"""The workspace-home panel: open applications per status, overdue first."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from layan.applications.attention import open_applications
from layan.applications.services import change_status
from testkit.personas import PASSWORD

from .helpers import submit


def test_the_panel_counts_each_open_status_and_the_overdue(personas, django_assert_num_queries):
    long_ago = timezone.now() - dt.timedelta(days=30)
    late = submit(personas.office, now=long_ago)
    submit(personas.office)
    fixing = submit(personas.office)
    change_status(fixing, to="perlu_perbaikan", actor=personas.staff, note="Kurang", missing=["KK"])
    done = submit(personas.office)
    change_status(done, to="ditolak", actor=personas.staff, note="Ganda")
    with django_assert_num_queries(1):
        panel = open_applications(personas.office)
    assert panel.count == 3
    labels = [item.label for item in panel.items]
    assert labels == ["Terlambat: 1", "Diajukan: 2", "Perlu perbaikan: 1"]
    assert panel.items[0].since == late.due_at
    queue = reverse("applications:queue", args=[personas.office.slug])
    assert [item.url for item in panel.items] == [queue, queue + "?status=diajukan", queue + "?status=perlu_perbaikan"]


def test_the_panel_is_empty_without_open_applications(personas):
    panel = open_applications(personas.office)
    assert (panel.count, panel.items) == (0, [])
    assert panel.empty_text


def test_the_workspace_home_shows_the_panel(client, personas):
    submit(personas.office)
    assert client.login(username=personas.staff.username, password=PASSWORD)
    html = client.get(reverse("web:workspace", args=[personas.office.slug])).content.decode()
    assert 'id="applications-open"' in html and "Diajukan: 1" in html
    assert (
        client.get(reverse("applications:queue", args=[personas.office.slug]) + "?status=diajukan").status_code == 200
    )


def test_the_panel_speaks_english_when_asked(client, personas):
    submit(personas.office)
    assert client.login(username=personas.staff.username, password=PASSWORD)
    client.cookies["django_language"] = "en"
    html = client.get(reverse("web:workspace", args=[personas.office.slug])).content.decode()
    assert "Open applications" in html and "Submitted: 1" in html
