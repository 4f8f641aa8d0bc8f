"""An office's week as runs of consecutive weekdays that share the same hours.

One rule for every place that tells a citizen when the office is open: the public page, the
printed guidebook, the SMS/chat answer to JAM, the phone line and the YAML export. Each of
them only words the runs its own way ("Senin–Kamis 08.00–15.30", "Senin sampai Kamis pukul …").
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from .models import OpeningHours

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
