"""Small create_* helpers for the queue's tests."""

from django.test import Client

from layan.offices.models import Office
from layan.queue.models import Counter, Lane, LaneService, PriorityGroup, QueueSettings
from testkit.personas import create_service, open_around_the_clock


def create_lane(office: Office, code: str = "A", name: str = "", *, services=()) -> Lane:
    """A lane; its office then takes tickets around the clock (the tests run on the real clock)."""
    open_around_the_clock(office)
    lane = Lane.objects.create(office=office, code=code, name=name or f"Jalur {code}")
    for service in services:
        LaneService.objects.create(office=office, lane=lane, service=service)
    return lane


def create_counter(office: Office, number: int, *lanes: Lane) -> Counter:
    counter = Counter.objects.create(office=office, number=number, name=f"Loket {number}")
    counter.lanes.set(lanes)
    return counter


def create_priority(office: Office, code: str = "lansia") -> PriorityGroup:
    return PriorityGroup.objects.create(office=office, code=code, name=PriorityGroup.Code(code).label)


def set_rules(office: Office, **fields) -> QueueSettings:
    rules, _ = QueueSettings.objects.update_or_create(office=office, defaults=fields)
    return rules


def create_queue(office: Office):
    """One service in lane A, served by counter 1: (service, lane, counter)."""
    service = create_service(office, "ktp", "KTP-el")
    lane = create_lane(office, "A", "Kependudukan", services=[service])
    return service, lane, create_counter(office, 1, lane)


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client
