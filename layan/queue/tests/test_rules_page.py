"""The office's queue rules in the workspace (/staf/<office>/antrian/aturan/)."""

import pytest
from django.test import Client
from django.urls import reverse

from layan.offices.models import AuditEvent
from layan.queue.models import QueueSettings
from layan.queue.services import QueueFull, take_ticket

from .helpers import create_queue, logged_in, set_rules

pytestmark = pytest.mark.django_db

RULES = {
    "ordering": "every_n",
    "priority_every": "3",
    "priority_weight": "2",
    "waiting_room_max": "",
    "pandemic_room_max": "",
    "walk_in_quota": "",
    "default_service_minutes": "5",
}


def url(office):
    return reverse("queue:rules", kwargs={"office": office.slug})


def test_an_admin_turns_on_pandemic_mode_and_the_next_ticket_obeys_it(personas):
    office = personas.office
    service, _lane, _counter = create_queue(office)
    client = logged_in(personas.admin)
    page = client.get(url(office))
    assert page.status_code == 200
    assert "Simpan aturan" in page.content.decode()
    response = client.post(url(office), RULES | {"pandemic_mode": "on", "pandemic_room_max": "1"}, follow=True)
    assert response.redirect_chain == [(url(office), 302)]
    assert "Aturan antrian disimpan" in response.content.decode()
    rules = QueueSettings.objects.get(office=office)
    assert (rules.pandemic_mode, rules.pandemic_room_max, rules.room_max) == (True, 1, 1)
    take_ticket(office, service=service, source="kiosk")
    with pytest.raises(QueueFull, match=r"^Mode pandemi: ruang tunggu dibatasi 1 orang dan sedang penuh\."):
        take_ticket(office, service=service, source="kiosk")


def test_the_ordering_rule_and_its_numbers_are_saved(personas):
    office = personas.office
    set_rules(office, priority_every=3)
    client = logged_in(personas.admin)
    changed = RULES | {"ordering": "weighted_wait", "priority_weight": "1.5", "walk_in_quota": "80"}
    assert client.post(url(office), changed).status_code == 302
    rules = QueueSettings.objects.get(office=office)
    assert (rules.ordering, rules.priority_weight, rules.walk_in_quota) == ("weighted_wait", 1.5, 80)


def test_a_change_of_rules_is_in_the_offices_history_with_who_made_it(personas):
    office = personas.office
    set_rules(office, priority_every=3)
    client = logged_in(personas.admin)
    assert client.post(url(office), RULES | {"pandemic_mode": "on", "pandemic_room_max": "10"}).status_code == 302
    assert client.post(url(office), RULES | {"pandemic_mode": "on", "pandemic_room_max": "10"}).status_code == 302
    [event] = AuditEvent.objects.filter(office=office, action=AuditEvent.Action.SET_QUEUE_RULES)
    assert event.actor == personas.admin  # the second, unchanged save wrote nothing
    assert event.target == "mode pandemi, kapasitas ruang tunggu saat mode pandemi"
    history = client.get(reverse("web:profile", kwargs={"office_slug": office.slug})).content.decode()
    assert "Mengubah aturan antrian" in history and "mode pandemi" in history


def test_refused_values_are_explained_in_indonesian_and_nothing_changes(personas):
    office = personas.office
    set_rules(office, priority_every=4)
    client = logged_in(personas.admin)
    response = client.post(url(office), RULES | {"priority_every": "0", "default_service_minutes": "abc"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Pastikan nilai ini lebih besar dari atau sama dengan 1." in html
    assert "Masukkan keseluruhan angka bilangan." in html  # Django's own Indonesian for a non-number
    # Pandemic mode with no capacity at all would limit nothing.
    response = client.post(url(office), RULES | {"pandemic_mode": "on"})
    assert response.status_code == 400
    assert "isi kapasitasnya saat mode pandemi" in response.content.decode()
    rules = QueueSettings.objects.get(office=office)
    assert (rules.priority_every, rules.pandemic_mode) == (4, False)


def test_staff_read_the_rules_only_admins_change_them_and_outsiders_get_404(personas):
    office = personas.office
    set_rules(office, waiting_room_max=25)
    page = logged_in(personas.staff).get(url(office))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Hanya admin kantor yang dapat mengubah aturan ini." in html
    assert 'value="25"' in html and "disabled" in html and "Simpan aturan" not in html
    assert logged_in(personas.staff).post(url(office), RULES).status_code == 403
    assert logged_in(personas.outsider).get(url(office)).status_code == 404
    assert Client().get(url(office)).status_code == 302  # to the login page
    assert QueueSettings.objects.get(office=office).waiting_room_max == 25
