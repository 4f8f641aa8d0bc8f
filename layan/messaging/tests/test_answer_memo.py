"""Engine answers are remembered per catalogue revision: fast, and never stale after a change."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from layan.catalogue.services import publish_service_version, start_draft, update_service
from layan.offices.models import OpeningHours
from layan.offices.services import mark_office_changed
from testkit.personas import create_service

from .helpers import ask, create_test_channel


@pytest.fixture
def ktp(personas):
    return create_service(
        personas.office, "ktp-el", "Pelayanan KTP-el", keywords=["ktp"], requirements=["Kartu Keluarga"]
    )


@pytest.fixture
def channel(personas, ktp):
    # Held for the whole test like a long-running modem poller holds its channel.
    return create_test_channel(personas.office)


# The same text from the same number within seconds is one message: each question has its own id.


def test_published_version_changes_sms_answer_at_once(channel, ktp):
    [before] = ask(channel, "syarat ktp", provider_id="q1")
    assert "Kartu Keluarga" in before

    draft = start_draft(ktp)
    draft.requirements.update(document="Surat pengantar RT/RW")
    draft.fee_idr = 15000
    draft.save()
    publish_service_version(draft)

    [after] = ask(channel, "syarat ktp", provider_id="p1")
    assert "Surat pengantar RT/RW" in after and "Kartu Keluarga" not in after
    assert "Rp15.000" in after


def test_hidden_service_is_no_longer_answered(channel, ktp):
    [answer] = ask(channel, "syarat ktp", provider_id="p2")
    assert "/layanan/ktp-el/" in answer
    update_service(ktp, is_active=False)
    [after] = ask(channel, "syarat ktp", provider_id="p3")
    assert "/layanan/ktp-el/" not in after
    assert "Petugas" in after


def test_new_opening_hours_change_jam_answer_at_once(channel, personas):
    [before] = ask(channel, "JAM", provider_id="p4")
    OpeningHours.objects.filter(office=personas.office).update(opens=dt.time(7, 30))
    mark_office_changed(personas.office)
    [after] = ask(channel, "JAM", provider_id="p5")
    assert "08.00-" in before and "07.30-" not in before
    assert "07.30-" in after


def test_repeated_question_reads_no_catalogue_table(channel):
    ask(channel, "syarat ktp", provider_id="p6")
    with CaptureQueriesContext(connection) as queries:
        [again] = ask(channel, "syarat ktp", urn="tel:+6281299990000", provider_id="q2")
    assert "/layanan/ktp-el/" in again
    read = [q["sql"] for q in queries.captured_queries if '"catalogue_' in q["sql"]]
    assert read == []
