import datetime as dt

import pytest

from layan.offices.models import Holiday

pytestmark = pytest.mark.django_db


def at(y, m, d, hh, mm, tz="Asia/Jakarta"):
    import zoneinfo

    return dt.datetime(y, m, d, hh, mm, tzinfo=zoneinfo.ZoneInfo(tz))


def test_open_on_monday_morning_in_office_time_zone(personas):
    # 2026-11-30 is a Monday.
    assert personas.office.is_open_at(at(2026, 11, 30, 9, 0))
    # 01:30 UTC is 08:30 WIB: open, even though it is night in UTC terms.
    assert personas.office.is_open_at(dt.datetime(2026, 11, 30, 1, 30, tzinfo=dt.UTC))


def test_closed_after_friday_prayer_cutoff_and_on_weekend(personas):
    assert not personas.office.is_open_at(at(2026, 12, 4, 13, 0))  # Friday afternoon
    assert not personas.office.is_open_at(at(2026, 12, 5, 9, 0))  # Saturday


def test_wita_office_closes_an_hour_earlier_in_wib_terms(personas):
    office = personas.office
    office.timezone = "Asia/Makassar"
    office.save()
    # 15:00 WIB is 16:00 WITA: after the 15:30 close.
    assert not office.is_open_at(at(2026, 11, 30, 15, 0))
    assert office.tz_abbreviation == "WITA"


def test_holiday_closes_the_office(personas):
    Holiday.objects.create(office=personas.office, date=dt.date(2026, 12, 25), name="Natal")
    assert not personas.office.is_open_at(at(2026, 12, 25, 9, 0))
