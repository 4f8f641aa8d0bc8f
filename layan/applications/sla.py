"""Service-level deadlines from the SOP's service time (ServiceVersion.time_value/time_unit).

Working days are the days the office opens (a weekday with opening hours) that are not one of
its holidays (offices.Holiday: libur nasional, cuti bersama, office closures). The rule:

- N working days: due at closing time of the N-th working day after the day the clock started;
  a clock started before opening time on a working day counts that day as the first.
  (Submitted Friday afternoon, 1 hari kerja: due Monday at closing time.)
- N hours (or minutes): counted only while the office is open, from the moment the clock started.

Everything is computed in the office's own time zone. The clock restarts when a file comes back
from perlu_perbaikan (services.change_status calls `compute_due` again).
"""

import datetime as dt
from collections.abc import Iterable

from django.utils import formats, translation
from django.utils.translation import gettext as _

from layan.catalogue.models import ServiceVersion
from layan.offices.models import Holiday, Office, OpeningHours

Span = tuple[dt.time, dt.time]
TimeUnit = ServiceVersion.TimeUnit
# An office that has not entered its hours yet: Monday to Friday, 08.00-16.00.
DEFAULT_WEEK: dict[int, list[Span]] = {day: [(dt.time(8), dt.time(16))] for day in range(5)}
# No service time is longer than this; beyond it the office has no working day at all.
HORIZON_DAYS = 3 * 366


class Calendar:
    """An office's working calendar: its weekly hours and its holidays from a date on."""

    def __init__(self, hours: Iterable[OpeningHours], holidays: Iterable[dt.date], tz: dt.tzinfo):
        week: dict[int, list[Span]] = {}
        for h in hours:
            week.setdefault(h.weekday, []).append((h.opens, h.closes))
        self.week = {day: sorted(spans) for day, spans in (week or DEFAULT_WEEK).items()}
        self.holidays = frozenset(holidays)
        self.tz = tz

    @classmethod
    def for_office(cls, office: Office, start: dt.date) -> "Calendar":
        holidays = Holiday.objects.filter(office=office, date__gte=start).values_list("date", flat=True)
        return cls(office.opening_hours.all(), holidays, office.tz)

    def spans(self, day: dt.date) -> list[Span]:
        """The day's opening spans; none on a weekend, a closed weekday or a holiday."""
        if day in self.holidays:
            return []
        return self.week.get(day.weekday(), [])

    def is_working_day(self, day: dt.date) -> bool:
        return bool(self.spans(day))

    def at(self, day: dt.date, time: dt.time) -> dt.datetime:
        return dt.datetime.combine(day, time, tzinfo=self.tz)

    def add_working_days(self, start: dt.datetime, days: int) -> dt.datetime:
        """Raises ValueError when no working day comes within the horizon (an office closed every day)."""
        local = start.astimezone(self.tz)
        day = local.date()
        spans = self.spans(day)
        # Before opening: today is a whole working day. Value 0: today if still open.
        counted = 1 if spans and local.time() < spans[0][0] else 0
        if days == 0 and spans and local.time() < spans[-1][1]:
            return self.at(day, spans[-1][1])
        if counted >= days > 0:
            return self.at(day, spans[-1][1])
        for _i in range(HORIZON_DAYS + 7 * days):
            day += dt.timedelta(days=1)
            spans = self.spans(day)
            if spans:
                counted += 1
                if counted >= days:
                    return self.at(day, spans[-1][1])
        raise ValueError("no working day within the horizon")

    def next_opening(self, after: dt.datetime, *, within_days: int = HORIZON_DAYS) -> dt.datetime | None:
        """The first opening of a span after `after`; None when none comes within `within_days`."""
        local = after.astimezone(self.tz)
        for offset in range(within_days + 1):
            day = local.date() + dt.timedelta(days=offset)
            for opens, _closes in self.spans(day):
                opening = self.at(day, opens)
                if opening > local:
                    return opening
        return None

    def add_open_time(self, start: dt.datetime, amount: dt.timedelta) -> dt.datetime:
        local = start.astimezone(self.tz)
        day = local.date()
        remaining = amount
        for _i in range(HORIZON_DAYS + 7 * int(amount.total_seconds() // 3600)):
            for opens, closes in self.spans(day):
                begin, end = max(self.at(day, opens), local), self.at(day, closes)
                if begin >= end:
                    continue
                if end - begin >= remaining:
                    return begin + remaining
                remaining -= end - begin
            day += dt.timedelta(days=1)
        raise ValueError("no opening hours within the horizon")


def compute_due(office: Office, start: dt.datetime, *, value: int, unit: str) -> dt.datetime:
    """When work started at `start` with a service time of `value` `unit` is due.

    An office whose calendar has no open day for years (every day entered as a holiday) gets
    calendar days or plain hours instead: a submission is never refused for it."""
    calendar = Calendar.for_office(office, start.astimezone(office.tz).date())
    amounts: dict[str, dt.timedelta] = {
        TimeUnit.WORKING_DAYS: dt.timedelta(days=value),
        TimeUnit.HOURS: dt.timedelta(hours=value),
        TimeUnit.MINUTES: dt.timedelta(minutes=value),
    }
    if unit not in amounts:
        raise ValueError(f"unknown time unit {unit!r}")
    try:
        if unit == TimeUnit.WORKING_DAYS:
            return calendar.add_working_days(start, value)
        return calendar.add_open_time(start, amounts[unit])
    except ValueError:
        return start + amounts[unit]


def due_for_version(office: Office, version: ServiceVersion, start: dt.datetime) -> dt.datetime:
    return compute_due(office, start, value=version.time_value, unit=version.time_unit)


def format_deadline(office: Office, due: dt.datetime, *, with_time: bool = False) -> str:
    """'Senin, 9 Maret 2026' (and ' pukul 14.00 WIB' for a deadline in hours), in the active
    language; Indonesian unless the reader chose English."""
    local = due.astimezone(office.tz)
    text = formats.date_format(local.date(), "l, j F Y")
    if with_time:
        text += " " + _("pukul %(time)s %(tz)s") % {"time": f"{local:%H.%M}", "tz": office.tz_abbreviation}
    return text


def deadline_text(office: Office, due: dt.datetime, *, with_time: bool = False) -> str:
    """'perkiraan selesai Senin, 9 Maret 2026': the deadline as the citizen reads it."""
    return _("perkiraan selesai %(date)s") % {"date": format_deadline(office, due, with_time=with_time)}


def deadline_text_id(office: Office, due: dt.datetime, *, with_time: bool = False) -> str:
    """`deadline_text` in Indonesian whatever the active language (SMS, receipts)."""
    with translation.override("id"):
        return deadline_text(office, due, with_time=with_time)
