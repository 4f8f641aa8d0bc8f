"""Queue statistics in the workspace (/staf/<office>/antrian/statistik/): waiting and service time
per lane, counter, hour and day, the no-show rate and visits per service, over a chosen period;
and the tickets of that period as CSV with Indonesian headers (no personal data: no phone, no URN).

Waiting time is from taking the number (or checking in) to the first call; service time from the
start to the end of service. Transfers are counted once, as the visit they continue.
"""

import csv
import datetime as dt
from dataclasses import dataclass, field

from django import forms
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from layan.catalogue.models import Service
from layan.offices.access import get_office_for_user
from layan.offices.models import Office

from . import queries
from .models import Ticket

DEFAULT_DAYS = 7
MAX_DAYS = 366


class PeriodForm(forms.Form):
    dari = forms.DateField(label=gettext_lazy("Dari"), widget=forms.DateInput(attrs={"type": "date"}))
    sampai = forms.DateField(label=gettext_lazy("Sampai"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        start, end = data.get("dari"), data.get("sampai")
        if start and end:
            if end < start:
                raise forms.ValidationError(_("Tanggal akhir sebelum tanggal awal."))
            if (end - start).days >= MAX_DAYS:
                raise forms.ValidationError(_("Periode paling lama satu tahun."))
        return data


def period(request: HttpRequest, office: Office) -> tuple[PeriodForm, dt.date, dt.date]:
    """The period asked for (the last DEFAULT_DAYS days when none or a bad one)."""
    end = queries.today(office)
    start = end - dt.timedelta(days=DEFAULT_DAYS - 1)
    form = PeriodForm(request.GET or {"dari": start.isoformat(), "sampai": end.isoformat()})
    if form.is_valid():
        start, end = form.cleaned_data["dari"], form.cleaned_data["sampai"]
    return form, start, end


def visits(office: Office, start: dt.date, end: dt.date) -> QuerySet[Ticket]:
    """The tickets of the period, one per visit (a transfer's ticket continues its original)."""
    return Ticket.objects.filter(office=office, day__gte=start, day__lte=end, transferred_from__isnull=True)


@dataclass
class Row:
    label: str
    tickets: int = 0
    served: int = 0
    no_show: int = 0
    wait: dt.timedelta | None = None
    service: dt.timedelta | None = None

    @property
    def no_show_rate(self) -> float | None:
        called = self.served + self.no_show
        return self.no_show / called if called else None


@dataclass
class Report:
    total: Row
    by_lane: list[Row] = field(default_factory=list)
    by_counter: list[Row] = field(default_factory=list)
    by_hour: list[Row] = field(default_factory=list)
    by_day: list[Row] = field(default_factory=list)
    by_service: list[Row] = field(default_factory=list)


class _Sums:
    """Running totals of one group of tickets."""

    __slots__ = ("tickets", "served", "no_show", "wait", "waited", "service", "serviced")

    def __init__(self):
        self.tickets = self.served = self.no_show = self.waited = self.serviced = 0
        self.wait = self.service = 0.0

    def add(self, status: str, created, called, started, finished) -> None:
        self.tickets += 1
        self.served += status == Ticket.Status.DONE
        self.no_show += status == Ticket.Status.NO_SHOW
        if called is not None:
            self.wait += (called - created).total_seconds()
            self.waited += 1
        if started is not None and finished is not None:
            self.service += (finished - started).total_seconds()
            self.serviced += 1

    def row(self, label: str) -> Row:
        wait = dt.timedelta(seconds=self.wait / self.waited) if self.waited else None
        service = dt.timedelta(seconds=self.service / self.serviced) if self.serviced else None
        return Row(label, self.tickets, self.served, self.no_show, wait, service)


def report(office: Office, start: dt.date, end: dt.date) -> Report:
    """Every figure of the page in one pass over the period's tickets (one query): the same on
    SQLite and PostgreSQL, and on SQLite faster than grouping by duration expressions, which it
    evaluates row by row through Python functions, once per group (bench/queue_desk.py)."""
    rows = Ticket.objects.filter(office=office, day__gte=start, day__lte=end).values_list(
        "transferred_from_id", "lane_id", "counter_id", "service_id", "day", "status",
        "created_at", "called_at", "started_at", "finished_at",
    )  # fmt: skip
    total = _Sums()
    groups: dict[str, dict] = {name: {} for name in ("lane", "counter", "hour", "day", "service")}
    tz = office.tz
    for moved, lane, counter, service, day, status, *times in rows.iterator(chunk_size=5000):
        # A counter's rows: the tickets it called, including those it transferred on.
        if counter is not None:
            groups["counter"].setdefault(counter, _Sums()).add(status, *times)
        if moved is not None:
            continue  # a transfer continues its visit: counted once, as the original
        total.add(status, *times)
        hour = times[0].astimezone(tz).hour
        for name, key in (("lane", lane), ("hour", hour), ("day", day), ("service", service)):
            groups[name].setdefault(key, _Sums()).add(status, *times)
    lanes = {pk: f"{code} · {name}" for pk, code, name in office.queue_lanes.values_list("pk", "code", "name")}
    counters = dict(office.queue_counters.values_list("pk", "name"))
    names = {
        s.pk: (s.current_version.name if s.current_version else s.code)
        for s in Service.objects.filter(office=office, pk__in=[k for k in groups["service"] if k])
        .select_related("current_version")
    }  # fmt: skip
    none = _("(tanpa)")

    def rows_of(name: str, label) -> list[Row]:
        return [
            sums.row(label(key)) for key, sums in sorted(groups[name].items(), key=lambda kv: (kv[0] is None, kv[0]))
        ]

    return Report(
        total=total.row(_("Semua")),
        by_lane=sorted(rows_of("lane", lambda pk: lanes.get(pk, "?")), key=lambda r: r.label),
        by_counter=rows_of("counter", lambda pk: counters.get(pk, none)),
        by_hour=rows_of("hour", lambda h: f"{h:02d}.00–{h:02d}.59"),
        by_day=rows_of("day", lambda d: d.strftime("%d/%m/%Y")),
        # The most visited first; the tickets taken for a lane without naming a service last.
        by_service=sorted(
            rows_of("service", lambda pk: names.get(pk, none) if pk else none),
            key=lambda r: (r.label == none, -r.tickets, r.label),
        ),
    )


@login_required
def stats(request: HttpRequest, office: str) -> HttpResponse:
    office_obj = get_office_for_user(request, office)
    form, start, end = period(request, office_obj)
    context = {"office": office_obj, "form": form, "start": start, "end": end, "report": report(office_obj, start, end)}
    return render(request, "queue/stats.html", context)


CSV_HEADERS = [
    gettext_lazy("Tanggal"),
    gettext_lazy("Nomor"),
    gettext_lazy("Jalur"),
    gettext_lazy("Layanan"),
    gettext_lazy("Asal"),
    gettext_lazy("Prioritas"),
    gettext_lazy("Status"),
    gettext_lazy("Loket"),
    gettext_lazy("Diambil"),
    gettext_lazy("Dipanggil"),
    gettext_lazy("Mulai dilayani"),
    gettext_lazy("Selesai"),
    gettext_lazy("Waktu tunggu (menit)"),
    gettext_lazy("Waktu layanan (menit)"),
]


class _Echo:
    def write(self, value: str) -> str:
        return value


def _minutes(delta: dt.timedelta | None) -> str:
    return f"{delta.total_seconds() / 60:.1f}" if delta is not None else ""


def csv_rows(office: Office, start: dt.date, end: dt.date):
    """The CSV's lines: a byte-order mark for spreadsheet programs, the headers, one line a ticket."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow([str(h) for h in CSV_HEADERS])
    tz = office.tz

    def local(value: dt.datetime | None) -> str:
        return value.astimezone(tz).strftime("%Y-%m-%d %H:%M:%S") if value else ""

    sources, statuses = dict(Ticket.Source.choices), dict(Ticket.Status.choices)
    # Plain values, not model objects: a year's CSV is tens of thousands of lines.
    tickets = (
        visits(office, start, end)
        .order_by("day", "lane__code", "number")
        .values_list(
            "day", "display", "lane__name", "service__current_version__name", "service__code", "source",
            "priority__name", "status", "counter__name", "created_at", "called_at", "started_at", "finished_at",
        )
    )  # fmt: skip
    for day, display, lane, service_name, code, source, priority, status, counter, *times in tickets.iterator(
        chunk_size=2000
    ):
        created, called, started, finished = times
        wait = called - created if called and created else None
        service = finished - started if started and finished else None
        yield writer.writerow(
            [
                day.isoformat(),
                display,
                lane,
                service_name or code or "",
                sources.get(source, source),
                priority or "",
                statuses.get(status, status),
                counter or "",
                *(local(t) for t in times),
                _minutes(wait),
                _minutes(service),
            ]
        )


@login_required
def stats_csv(request: HttpRequest, office: str) -> StreamingHttpResponse:
    office_obj = get_office_for_user(request, office)
    _form, start, end = period(request, office_obj)
    response = StreamingHttpResponse(csv_rows(office_obj, start, end), content_type="text/csv; charset=utf-8")
    name = f"antrian-{office_obj.slug}-{start:%Y%m%d}-{end:%Y%m%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
