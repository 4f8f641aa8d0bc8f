"""An office's week as runs of consecutive weekdays that share the same hours.

One rule for every place that tells a citizen when the office is open: the public page, the
printed guidebook, the SMS/chat answer to JAM, the phone line and the YAML export. Each of
them only words the runs its own way ("Senin–Kamis 08.00–15.30", "Senin sampai Kamis pukul …").
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from .models import Office, OpeningHours

Span = tuple[dt.time, dt.time]


@dataclass(frozen=True)
class HourRun:
    """Weekdays `first`..`last` (0 = Monday), each open during the same `spans` (none: closed)."""

    first: int
    last: int
    spans: tuple[Span, ...]

    @property
    def first_label(self) -> str:
        return str(OpeningHours.Weekday(self.first).label)

    @property
    def last_label(self) -> str:
        return str(OpeningHours.Weekday(self.last).label)

    def days(self, joiner: str) -> str:
        """'Senin' for one day, else the first and last day joined: 'Senin–Kamis'."""
        return self.first_label if self.first == self.last else f"{self.first_label}{joiner}{self.last_label}"


def hour_runs(hours: Iterable[OpeningHours], *, closed_days: bool = False) -> list[HourRun]:
    """Monday to Sunday as runs of consecutive days with equal spans, each day's spans by opening time.

    Closed days are left out unless `closed_days`, and always break a run: Monday and Wednesday
    with the same hours are two runs when Tuesday is closed.
    """
    by_day: dict[int, list[Span]] = {day: [] for day in OpeningHours.Weekday.values}
    for h in hours:
        by_day[h.weekday].append((h.opens, h.closes))
    runs: list[HourRun] = []
    for day in OpeningHours.Weekday.values:
        spans = tuple(sorted(by_day[day]))
        if runs and runs[-1].last == day - 1 and runs[-1].spans == spans:
            runs[-1] = HourRun(runs[-1].first, day, spans)
        else:
            runs.append(HourRun(day, day, spans))
    return [run for run in runs if closed_days or run.spans]


def format_spans(spans: Iterable[Span]) -> str:
    """'08.00–11.30, 13.30–16.00': the way every page words a day's hours."""
    return ", ".join(f"{o:%H.%M}–{c:%H.%M}" for o, c in spans)


@dataclass(frozen=True)
class DayStatus:
    """One local day of an office: its spans (none: closed), the holiday closing it, and, at the
    moment asked, the closing time of the span open then (None: closed at that moment)."""

    date: dt.date
    spans: tuple[Span, ...]
    holiday: str
    open_until: dt.time | None

    @property
    def times(self) -> str:
        return format_spans(self.spans)


def day_status(office: Office, now: dt.datetime | None = None) -> DayStatus:
    """Today's hours at `office` (its own time zone) and whether it is open at `now`.

    Reads `office.holidays.all()` and `office.opening_hours.all()`, so a prefetch makes it free;
    agrees with `Office.is_open_at` (a holiday closes the whole day).
    """
    local = office.local_now(now)
    today = local.date()
    holiday = next((h.name for h in office.holidays.all() if h.date == today), "")
    if holiday:
        return DayStatus(today, (), holiday, None)
    spans = tuple(sorted((h.opens, h.closes) for h in office.opening_hours.all() if h.weekday == local.weekday()))
    open_until = next((c for o, c in spans if o <= local.time() < c), None)
    return DayStatus(today, spans, "", open_until)
