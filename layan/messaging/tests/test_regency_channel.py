"""Kabupaten-wide channel: the citizen names the kecamatan, or is asked once; it is remembered."""

import pytest

from layan.messaging.models import ContactURN
from layan.messaging.services import create_channel
from layan.offices.models import Office
from layan.regions.models import Regency
from testkit.personas import create_office, create_service

from .helpers import CITIZEN, ask, subscription_state


@pytest.fixture
def regency_channel(demo_office):
    regency = Regency.objects.get(code="16.09")
    from layan.regions.models import District

    other = create_office(District.objects.get(code="16.09.11"), "muaradua-kisam", "Kecamatan Muaradua Kisam")
    create_service(other, "ktp-el", "KTP elektronik Muaradua", keywords=["ktp"])
    return create_channel(kind="test", name="SMS Kabupaten", regency=regency)


def test_kecamatan_prefix_answers_for_that_office(regency_channel):
    [reply] = ask(regency_channel, "KISAM SYARAT KTP")
    assert "/kisam-tinggi/layanan/ktp-el/" in reply
    [reply] = ask(regency_channel, "muaradua kisam syarat ktp")
    assert "/muaradua-kisam/layanan/ktp-el/" in reply


def test_asked_once_then_remembered(regency_channel):
    [question] = ask(regency_channel, "syarat ktp")
    assert question.startswith("Balas nama kecamatan Anda")
    assert "Kisam Tinggi" in question and "Muaradua Kisam" in question
    [answer] = ask(regency_channel, "kisam tinggi")
    assert "/kisam-tinggi/layanan/ktp-el/" in answer
    [later] = ask(regency_channel, "syarat kk")
    assert "/kisam-tinggi/layanan/kartu-keluarga/" in later
    assert ContactURN.objects.get().contact.office.slug == "kisam-tinggi"


def test_stop_works_before_the_office_is_known(regency_channel):
    [reply] = ask(regency_channel, "STOP")
    assert "MULAI" in reply
    for office in Office.objects.all():
        assert subscription_state(CITIZEN, office) == "none"  # never subscribed: nothing to send


def test_stop_on_the_kabupaten_number_stops_every_office_behind_it_and_mulai_restarts_them(regency_channel):
    ask(regency_channel, "KISAM SYARAT KTP")
    ask(regency_channel, "muaradua kisam syarat ktp")
    offices = list(Office.objects.order_by("slug"))
    assert len(offices) == 2
    assert [subscription_state(CITIZEN, office) for office in offices] == ["subscribed", "subscribed"]
    ask(regency_channel, "STOP")
    assert [subscription_state(CITIZEN, office) for office in offices] == ["opted out", "opted out"]
    ask(regency_channel, "MULAI")
    assert [subscription_state(CITIZEN, office) for office in offices] == ["subscribed", "subscribed"]
