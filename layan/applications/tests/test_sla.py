"""Deadlines in working days and hours: weekends, national holidays, cuti bersama, the restart
after perlu_perbaikan, and the date as the citizen reads it.

The personas' office opens Monday-Thursday 08.00-15.30 and Friday 08.00-11.30 (WIB)."""

import datetime as dt
import zoneinfo

import pytest
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from layan.applications import sla
from layan.applications.models import Application
from layan.applications.services import change_status
from layan.offices.models import Holiday, OpeningHours
from layan.offices.services import seed_holidays
from testkit.personas import create_service

from .helpers import submit

WIB = zoneinfo.ZoneInfo("Asia/Jakarta")


def wib(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=WIB)


def due(office, start, value, unit="working_days"):
    return sla.compute_due(office, start, value=value, unit=unit)


def test_friday_afternoon_one_working_day_is_due_monday_at_closing(personas):
    assert due(personas.office, wib(2026, 3, 6, 14, 0), 1) == wib(2026, 3, 9, 15, 30)


def test_working_days_skip_the_weekend(personas):
    # Thursday: Friday is the first, Monday the second, Tuesday the third.
    assert due(personas.office, wib(2026, 3, 5, 10, 0), 3) == wib(2026, 3, 10, 15, 30)


def test_a_saturday_submission_counts_from_monday(personas):
    assert due(personas.office, wib(2026, 3, 7, 9, 0), 1) == wib(2026, 3, 9, 15, 30)


def test_before_opening_the_day_itself_counts(personas):
    assert due(personas.office, wib(2026, 3, 9, 7, 0), 1) == wib(2026, 3, 9, 15, 30)


def test_friday_closes_earlier_and_the_deadline_follows_it(personas):
    assert due(personas.office, wib(2026, 3, 5, 10, 0), 1) == wib(2026, 3, 6, 11, 30)


def test_a_national_holiday_is_skipped(personas):
    Holiday.objects.create(office=personas.office, date=dt.date(2026, 5, 1), name="Hari Buruh Internasional")
    # Thursday 30 April; Friday 1 May is a holiday: the first working day is Monday 4 May.
    assert due(personas.office, wib(2026, 4, 30, 10, 0), 1) == wib(2026, 5, 4, 15, 30)


def test_cuti_bersama_around_lebaran_is_skipped(personas):
    """Lebaran 2026 from the national calendar: 18 (cuti), 19 (Nyepi), 20 (cuti), 21-22 (weekend
    and Idul Fitri), 23-24 (cuti): a file handed in Tuesday 17 March is due Wednesday 25 March."""
    seed_holidays(personas.office, actor=None, year=2026)
    assert Holiday.objects.filter(office=personas.office, name__startswith="Cuti Bersama", date__month=3).count() == 4
    assert due(personas.office, wib(2026, 3, 17, 14, 0), 1) == wib(2026, 3, 25, 15, 30)


def test_a_cuti_bersama_entered_by_hand_counts_like_any_holiday(personas):
    Holiday.objects.create(office=personas.office, date=dt.date(2026, 3, 9), name="Cuti bersama kantor")
    assert due(personas.office, wib(2026, 3, 6, 14, 0), 1) == wib(2026, 3, 10, 15, 30)


def test_another_offices_holiday_does_not_count(personas):
    Holiday.objects.create(office=personas.other_office, date=dt.date(2026, 3, 9), name="Libur daerah")
    assert due(personas.office, wib(2026, 3, 6, 14, 0), 1) == wib(2026, 3, 9, 15, 30)


def test_a_closed_weekday_is_no_working_day(personas):
    OpeningHours.objects.filter(office=personas.office, weekday=0).delete()  # closed on Mondays
    assert due(personas.office, wib(2026, 3, 6, 14, 0), 1) == wib(2026, 3, 10, 15, 30)


def test_hours_count_only_while_the_office_is_open(personas):
    # Friday 10.00-11.30 is 1.5 hours; the other 1.5 on Monday from 08.00.
    assert due(personas.office, wib(2026, 3, 6, 10, 0), 3, "hours") == wib(2026, 3, 9, 9, 30)


def test_hours_started_outside_opening_hours_start_at_the_next_opening(personas):
    assert due(personas.office, wib(2026, 3, 7, 20, 0), 2, "hours") == wib(2026, 3, 9, 10, 0)
    assert due(personas.office, wib(2026, 3, 9, 6, 0), 2, "hours") == wib(2026, 3, 9, 10, 0)


def test_hours_skip_holidays_too(personas):
    Holiday.objects.create(office=personas.office, date=dt.date(2026, 3, 9), name="Cuti bersama")
    assert due(personas.office, wib(2026, 3, 6, 11, 0), 1, "hours") == wib(2026, 3, 10, 8, 30)


def test_hours_within_a_split_day(personas):
    OpeningHours.objects.filter(office=personas.office, weekday=1).delete()
    OpeningHours.objects.create(office=personas.office, weekday=1, opens=dt.time(8), closes=dt.time(12))
    OpeningHours.objects.create(office=personas.office, weekday=1, opens=dt.time(13), closes=dt.time(16))
    # Tuesday 11.00: one hour before the break, one after it.
    assert due(personas.office, wib(2026, 3, 10, 11, 0), 2, "hours") == wib(2026, 3, 10, 14, 0)


def test_minutes_like_hours(personas):
    assert due(personas.office, wib(2026, 3, 6, 11, 0), 45, "minutes") == wib(2026, 3, 9, 8, 15)


def test_an_office_without_hours_uses_monday_to_friday(personas):
    OpeningHours.objects.filter(office=personas.office).delete()
    assert due(personas.office, wib(2026, 3, 6, 14, 0), 1) == wib(2026, 3, 9, 16, 0)


def test_the_deadline_is_computed_in_the_offices_time_zone(personas):
    office = personas.office
    office.timezone = "Asia/Makassar"  # WITA, UTC+8: the same hours are an hour earlier in WIB
    office.save()
    assert due(office, wib(2026, 3, 6, 13, 0), 1) == wib(2026, 3, 9, 14, 30)


def test_submission_takes_the_service_time_of_the_published_version(personas):
    service = create_service(personas.office, "cepat", "Legalisasi", time_value=2, time_unit="hours")
    application = submit(personas.office, service, now=wib(2026, 3, 9, 9, 0))
    assert application.due_at == wib(2026, 3, 9, 11, 0)
    assert application.clock_started_at == wib(2026, 3, 9, 9, 0)


def test_perlu_perbaikan_stops_the_clock_and_the_return_restarts_it(personas):
    service = create_service(personas.office, "tiga-hari", "Rekomendasi", time_value=3)
    application = submit(personas.office, service, now=wib(2026, 3, 2, 10, 0))
    assert application.due_at == wib(2026, 3, 5, 15, 30)
    change_status(
        application, to="perlu_perbaikan", actor=personas.staff, note="Kurang", missing=["KK"], now=wib(2026, 3, 3, 9)
    )
    assert application.due_at is None
    assert not application.is_overdue(now=wib(2026, 3, 20, 9))
    # The citizen brings the KK on Monday 9 March: three working days again from then.
    change_status(application, to="diverifikasi", actor=personas.staff, now=wib(2026, 3, 9, 9, 0))
    application.refresh_from_db()
    assert application.clock_started_at == wib(2026, 3, 9, 9, 0)
    assert application.due_at == wib(2026, 3, 12, 15, 30)


def test_returning_to_diajukan_restarts_the_clock_as_well(personas):
    application = submit(personas.office, now=wib(2026, 3, 2, 10, 0))
    change_status(application, to="perlu_perbaikan", actor=None, note="Kurang", missing=["KK"], now=wib(2026, 3, 2, 11))
    change_status(application, to="diajukan", actor=None, now=wib(2026, 3, 6, 14, 0))
    assert application.due_at == wib(2026, 3, 9, 15, 30)


def test_other_changes_keep_the_deadline(personas):
    application = submit(personas.office, now=wib(2026, 3, 6, 14, 0))
    change_status(application, to="diverifikasi", actor=personas.staff, now=wib(2026, 3, 9, 8, 0))
    change_status(application, to="diproses", actor=personas.staff, now=wib(2026, 3, 9, 9, 0))
    assert application.due_at == wib(2026, 3, 9, 15, 30)


def test_due_today_and_overdue_flags(personas):
    application = submit(personas.office, now=wib(2026, 3, 6, 14, 0))  # due Monday 15.30
    assert not application.is_due_today(now=wib(2026, 3, 6, 15, 0))
    assert application.is_due_today(now=wib(2026, 3, 9, 8, 0))
    assert not application.is_overdue(now=wib(2026, 3, 9, 15, 29))
    assert application.is_overdue(now=wib(2026, 3, 9, 15, 31))
    assert not application.is_due_today(now=wib(2026, 3, 9, 15, 31))
    assert list(Application.objects.overdue(wib(2026, 3, 9, 15, 31))) == [application]
    assert list(Application.objects.overdue(wib(2026, 3, 9, 15, 29))) == []


def test_a_finished_file_is_never_overdue(personas):
    application = submit(personas.office, now=wib(2026, 3, 6, 14, 0))
    for to in ["diverifikasi", "diproses", "selesai"]:
        change_status(application, to=to, actor=personas.staff, now=wib(2026, 3, 10, 9))
    assert not application.is_overdue(now=wib(2026, 3, 30))
    assert list(Application.objects.overdue(wib(2026, 3, 30))) == []


def test_the_citizen_reads_the_deadline_in_indonesian(personas):
    with translation.override("id"):
        assert sla.deadline_text(personas.office, wib(2026, 3, 9, 15, 30)) == "perkiraan selesai Senin, 9 Maret 2026"
    with translation.override("en"):
        text = sla.deadline_text_id(personas.office, wib(2026, 3, 9, 15, 30))
    assert text == "perkiraan selesai Senin, 9 Maret 2026"


def test_an_hours_deadline_says_the_time(personas):
    with translation.override("id"):
        text = sla.deadline_text(personas.office, wib(2026, 3, 9, 10, 0), with_time=True)
    assert text == "perkiraan selesai Senin, 9 Maret 2026 pukul 10.00 WIB"


@pytest.mark.parametrize("value", [1, 5, 20])
def test_a_deadline_is_always_at_a_moment_the_office_is_open_or_closes(personas, value):
    deadline = due(personas.office, wib(2026, 3, 4, 12, 0), value)
    local = deadline.astimezone(WIB)
    assert local.weekday() < 5
    assert local.time() in (dt.time(15, 30), dt.time(11, 30))


def test_an_office_closed_for_years_still_gets_a_deadline(personas):
    start = wib(2026, 3, 6, 14, 0)
    Holiday.objects.bulk_create(
        Holiday(office=personas.office, date=start.date() + dt.timedelta(days=i), name="Tutup") for i in range(1200)
    )
    assert due(personas.office, start, 2) == start + dt.timedelta(days=2)
    assert due(personas.office, start, 3, "hours") == start + dt.timedelta(hours=3)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    # Hypothesis wants naive bounds; the time zone is put on below.
    start=st.datetimes(min_value=dt.datetime(2026, 1, 1), max_value=dt.datetime(2027, 12, 31)),  # noqa: DTZ001
    value=st.integers(min_value=1, max_value=30),
    unit=st.sampled_from(["working_days", "hours", "minutes"]),
)
def test_deadlines_never_come_before_the_start_and_grow_with_the_service_time(personas, start, value, unit):
    start = start.replace(tzinfo=WIB)
    calendar = sla.Calendar(personas.office.opening_hours.all(), [dt.date(2026, 3, 9), dt.date(2027, 3, 9)], WIB)
    add = (
        calendar.add_working_days
        if unit == "working_days"
        else lambda s, n: calendar.add_open_time(s, dt.timedelta(**{unit: n}))
    )
    first, second = add(start, value), add(start, value + 1)
    assert start <= first < second
    local = second.astimezone(WIB)
    assert calendar.is_working_day(local.date())
    assert any(opens <= local.time() <= closes for opens, closes in calendar.spans(local.date()))
