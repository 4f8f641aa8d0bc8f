import pytest

from layan.queue.models import Counter, Lane, LaneService, PriorityGroup
from layan.queue.services import set_up_demo_queue, take_ticket
from testkit.personas import open_around_the_clock

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_lane_per_service_group_two_counters_and_the_priority_groups(demo_office):
    assert set_up_demo_queue(demo_office) == 5
    lanes = list(Lane.objects.filter(office=demo_office).values_list("code", "name"))
    assert lanes == [
        ("A", "Kependudukan"),
        ("B", "Surat keterangan dan rekomendasi"),
        ("C", "Tanah dan bangunan"),
        ("D", "Usaha dan izin"),
        ("E", "Informasi"),
    ]
    assert LaneService.objects.filter(office=demo_office).count() == demo_office.services.published().count()
    assert [c.name for c in Counter.objects.filter(office=demo_office)] == ["Loket 1", "Loket 2"]
    assert PriorityGroup.objects.filter(office=demo_office).count() == 3
    ktp = demo_office.services.get(code="ktp-el")
    open_around_the_clock(demo_office)  # the demo's own hours would refuse a ticket after closing
    assert take_ticket(demo_office, service=ktp, source="kiosk").display == "A001"


def test_an_office_that_has_lanes_is_left_as_it_is(demo_office):
    set_up_demo_queue(demo_office)
    Lane.objects.filter(office=demo_office, code="E").delete()
    assert set_up_demo_queue(demo_office) == 0
    assert Lane.objects.filter(office=demo_office).count() == 4
