"""One rule for an office's week (`hour_runs`), worded by each place a citizen reads or hears it.

The renderers live in higher layers (catalogue, messaging, the phone line); their words are
checked here side by side so that a change to the rule shows in all of them at once.
"""

import datetime as dt

import pytest

from layan.catalogue import guidebook, yaml_io
from layan.messaging.engine.builtin import _hours_text
from layan.offices.hours import HourRun, hour_runs
from layan.offices.models import Office, OpeningHours
from layan.telephone.lookup import spoken_hours
from layan.web import views
from testkit.personas import create_service

T = dt.time
DEMO_WEEK = [(d, T(8), T(15, 30)) for d in range(4)] + [(4, T(8), T(11, 30))]
# Tuesday closed: Monday and Wednesday share their hours but are not one run.
GAP_WEEK = [(0, T(8), T(15)), (2, T(8), T(15)), (3, T(8), T(15)), (6, T(9), T(10))]
# A lunch break: two spans a day.
SPLIT_WEEK = [(d, T(8), T(12)) for d in range(5)] + [(d, T(13), T(15)) for d in range(5)] + [(5, T(8), T(12))]


def _office_with(personas, week) -> Office:
    office = personas.office
    OpeningHours.objects.filter(office=office).delete()
    OpeningHours.objects.bulk_create(OpeningHours(office=office, weekday=d, opens=o, closes=c) for d, o, c in week)
    return Office.objects.get(pk=office.pk)


def test_runs_join_consecutive_days_with_equal_spans(personas):
    office = _office_with(personas, SPLIT_WEEK)
    assert hour_runs(office.opening_hours.all()) == [
        HourRun(0, 4, ((T(8), T(12)), (T(13), T(15)))),
        HourRun(5, 5, ((T(8), T(12)),)),
    ]


def test_a_closed_day_breaks_a_run_and_shows_only_when_asked(personas):
    office = _office_with(personas, GAP_WEEK)
    assert [(r.first, r.last) for r in hour_runs(office.opening_hours.all())] == [(0, 0), (2, 3), (6, 6)]
    runs = hour_runs(office.opening_hours.all(), closed_days=True)
    assert [(r.first, r.last, bool(r.spans)) for r in runs] == [
        (0, 0, True),
        (1, 1, False),
        (2, 3, True),
        (4, 5, False),
        (6, 6, True),
    ]


def test_every_renderer_words_the_demo_week_as_before(personas):
    office = _office_with(personas, DEMO_WEEK)
    assert [(r.days, r.times) for r in views.opening_hours_rows(office.opening_hours.all())] == [
        ("Senin–Kamis", "08.00–15.30"),
        ("Jumat", "08.00–11.30"),
        ("Sabtu–Minggu", "Tutup"),
    ]
    # The guidebook lists the closed days and the public holidays too.
    assert guidebook._opening_hours(office) == [
        {"days": "Senin–Kamis", "hours": "08.00–15.30 WIB"},
        {"days": "Jumat", "hours": "08.00–11.30 WIB"},
        {"days": "Sabtu–Minggu", "hours": "Tutup"},
        {"days": "Hari libur", "hours": "Tutup (libur nasional dan cuti bersama)"},
    ]
    assert yaml_io._format_hours(office) == [
        {"days": "Senin-Kamis", "open": "08:00", "close": "15:30"},
        {"days": "Jumat", "open": "08:00", "close": "11:30"},
    ]
    assert "Senin-Kamis 08.00-15.30, Jumat 08.00-11.30 WIB. Sekarang BUKA." in _hours_text(office, True)
    assert spoken_hours(office) == ("Senin sampai Kamis pukul 08.00 sampai 15.30", "Jumat pukul 08.00 sampai 11.30")


def test_sms_answer_no_longer_claims_a_closed_day_is_open(personas):
    office = _office_with(personas, GAP_WEEK)
    # It used to join rows, not days: "Senin-Kamis 08.00-15.00" with Tuesday closed.
    assert "Senin 08.00-15.00, Rabu-Kamis 08.00-15.00, Minggu 09.00-10.00 WIB" in _hours_text(office, False)
    assert spoken_hours(office) == (
        "Senin pukul 08.00 sampai 15.00",
        "Rabu sampai Kamis pukul 08.00 sampai 15.00",
        "Minggu pukul 09.00 sampai 10.00",
    )


def test_days_with_a_lunch_break_are_one_run_everywhere(personas):
    office = _office_with(personas, SPLIT_WEEK)
    assert "Senin-Jumat 08.00-12.00/13.00-15.00, Sabtu 08.00-12.00 WIB" in _hours_text(office, True)
    assert guidebook._opening_hours(office)[0] == {"days": "Senin–Jumat", "hours": "08.00–12.00, 13.00–15.00 WIB"}
    assert spoken_hours(office)[0] == "Senin sampai Jumat pukul 08.00 sampai 12.00 dan 13.00 sampai 15.00"


@pytest.mark.parametrize("week", [DEMO_WEEK, GAP_WEEK, SPLIT_WEEK])
def test_exported_hours_import_back_to_the_same_week(personas, week):
    office = _office_with(personas, week)
    create_service(office, "ktp")
    office_data, _services = yaml_io.parse_catalogue(yaml_io.export_catalogue(office))
    assert office_data is not None
    assert sorted(office_data["opening_hours"]) == sorted(week)
