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
from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Q, QuerySet
from django.db.models.functions import ExtractHour
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

WAIT = ExpressionWrapper(F("called_at") - F("created_at"), output_field=DurationField())
SERVICE = ExpressionWrapper(F("finished_at") - F("started_at"), output_field=DurationField())


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


def _aggregates() -> dict:
    # Service time is measured on every ticket served (a transferred one too: its counter served it).
    return {
        "tickets": Count("id"),
        "served": Count("id", filter=Q(status=Ticket.Status.DONE)),
        "no_show": Count("id", filter=Q(status=Ticket.Status.NO_SHOW)),
        "wait": Avg(WAIT, filter=Q(called_at__isnull=False)),
        "service": Avg(SERVICE, filter=Q(started_at__isnull=False, finished_at__isnull=False)),
    }


def _rows(qs, key: str, label) -> list[Row]:
    return [
        Row(label(r[key]), r["tickets"], r["served"], r["no_show"], r["wait"], r["service"])
        for r in qs.values(key).annotate(**_aggregates()).order_by(key)
    ]


def report(office: Office, start: dt.date, end: dt.date) -> Report:
    qs = visits(office, start, end)
    total = qs.aggregate(**_aggregates())
    lanes = dict(office.queue_lanes.values_list("pk", "name"))
    codes = dict(office.queue_lanes.values_list("pk", "code"))
    counters = dict(office.queue_counters.values_list("pk", "name"))
    names = {
        s.pk: (s.current_version.name if s.current_version else s.code)
        for s in Service.objects.filter(office=office).select_related("current_version")
    }
    none = _("(tanpa)")
    # A counter's rows: the tickets it called, including those transferred on from it.
    counter_qs = Ticket.objects.filter(office=office, day__gte=start, day__lte=end, counter__isnull=False)
    return Report(
        total=Row(_("Semua"), total["tickets"], total["served"], total["no_show"], total["wait"], total["service"]),
        by_lane=_rows(qs, "lane_id", lambda pk: f"{codes.get(pk, '?')} · {lanes.get(pk, '?')}"),
        by_counter=_rows(counter_qs, "counter_id", lambda pk: counters.get(pk, none)),
        by_hour=_rows(
            qs.annotate(hour=ExtractHour("created_at", tzinfo=office.tz)), "hour", lambda h: f"{h:02d}.00–{h:02d}.59"
        ),
        by_day=_rows(qs, "day", lambda d: d.strftime("%d/%m/%Y")),
        # The most visited first; the tickets taken for a lane without naming a service last.
        by_service=sorted(
            _rows(qs, "service_id", lambda pk: names.get(pk, none) if pk else none),
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

    tickets = (
        visits(office, start, end)
        .select_related("lane", "service__current_version", "priority", "counter")
        .order_by("day", "lane__code", "number")
    )
    for t in tickets.iterator(chunk_size=2000):
        wait = t.called_at - t.created_at if t.called_at else None
        service = t.finished_at - t.started_at if t.started_at and t.finished_at else None
        yield writer.writerow(
            [
                t.day.isoformat(),
                t.display,
                t.lane.name,
                (t.service.current_version.name if t.service and t.service.current_version else "")
                or (t.service.code if t.service else ""),
                t.get_source_display(),
                t.priority.name if t.priority else "",
                t.get_status_display(),
                t.counter.name if t.counter else "",
                local(t.created_at),
                local(t.called_at),
                local(t.started_at),
                local(t.finished_at),
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
