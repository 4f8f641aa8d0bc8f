"""The counter console (/staf/<office>/loket/…): an officer picks a counter for the day, then calls,
recalls, serves, transfers or skips tickets. One page per counter; htmx polls its panel and posts
the buttons, which also work as plain forms; keyboard shortcuts come from static/console.js.

Every change goes through queue.services; after a call, the tickets that came within
"3 nomor lagi" of their turn get their notification (notify.py) in the same transaction.
"""

import hashlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from layan.offices.access import get_office_for_user, user_can_write

from . import notify, ordering, queries, services
from .access import get_counter_for_user, get_ticket_for_counter
from .forms import PauseForm, TransferForm
from .models import Counter, CounterShift, QueueSettings, Ticket

# The panel polls this often; a poll that would show the same answers 204 (htmx keeps the page).
POLL_SECONDS = 5
WAITING_SHOWN = 50
RECENT_SHOWN = 8
# Keyboard shortcuts: the key, the action it presses (shown on the button, handled by console.js).
SHORTCUTS = {
    "panggil": "N",
    "ulang": "U",
    "mulai": "M",
    "selesai": "S",
    "tidak_hadir": "X",
    "jeda": "J",
}


@login_required
def counters(request: HttpRequest, office: str) -> HttpResponse:
    """Today's counters and who staffs them; picking one opens its console."""
    office_obj = get_office_for_user(request, office, write=request.method == "POST")
    if request.method == "POST":
        pk = _int(request.POST.get("counter"))
        counter = Counter.objects.filter(office=office_obj, is_active=True, pk=pk).first() if pk else None
        if counter is None:
            raise Http404(_("Loket tidak ditemukan"))
        services.shift_today(counter, user=request.user)
        return redirect("queue:console", office=office_obj.slug, number=counter.number)
    day = queries.today(office_obj)
    rows = list(Counter.objects.filter(office=office_obj, is_active=True).prefetch_related("lanes").order_by("number"))
    shifts: dict[int, list[CounterShift]] = {}
    for shift in CounterShift.objects.filter(counter__in=rows, date=day).select_related("user"):
        shifts.setdefault(shift.counter_id, []).append(shift)
    context = {
        "office": office_obj,
        "rows": [(c, shifts.get(c.pk, [])) for c in rows],
        "mine": next((c for c, s in shifts.items() if any(x.user_id == request.user.pk for x in s)), None),
        "can_write": user_can_write(request.user, office_obj),
    }
    return render(request, "queue/counters.html", context)


@login_required
def console(request: HttpRequest, office: str, number: int) -> HttpResponse:
    """One counter's console: its current ticket, the buttons, who waits in its lanes."""
    office_obj, counter = get_counter_for_user(request, office, number)
    context = _context(request, counter)
    polled = request.headers.get("HX-Request") and request.GET.get("panel")
    if polled and request.GET.get("v") == context["version"]:
        return HttpResponse(status=204)
    template = "queue/console.html#panel" if request.headers.get("HX-Request") else "queue/console.html"
    with timezone.override(office_obj.tz):
        return render(request, template, context)


@login_required
@require_POST
def act(request: HttpRequest, office: str, number: int, action: str) -> HttpResponse:
    """One button of the console. Refusals (nobody waiting, a ticket already taken by another
    counter) are shown on the console, never as an error page."""
    office_obj, counter = get_counter_for_user(request, office, number, write=True)
    if action not in ACTIONS:
        raise Http404(_("Tindakan tidak dikenal"))
    error = ""
    try:
        with transaction.atomic():
            done = ACTIONS[action](request, counter)
            if action in MOVES_THE_QUEUE:
                notify.notify_approaching(office_obj)
    except services.QueueError as exc:
        error = str(exc)
    else:
        if done:
            messages.success(request, done)
    if request.headers.get("HX-Request"):
        context = _context(request, counter) | {"error": error}
        with timezone.override(office_obj.tz):
            return render(request, "queue/console.html#panel", context, status=200)
    if error:
        messages.error(request, error)
    return redirect("queue:console", office=office_obj.slug, number=counter.number)


def _current(counter: Counter) -> Ticket | None:
    return (
        Ticket.objects.filter(counter=counter, status__in=[Ticket.Status.CALLED, Ticket.Status.SERVING])
        .select_related("lane", "priority", "service__current_version")
        .order_by("-called_at", "-id")
        .first()
    )


def _require_current(counter: Counter) -> Ticket:
    ticket = _current(counter)
    if ticket is None:
        raise services.QueueError(_("Belum ada nomor yang dipanggil di loket ini."))
    return ticket


def _call_next(request, counter):
    ticket = services.call_next(counter, actor=request.user)
    if ticket is None:
        raise services.QueueError(_("Tidak ada nomor yang menunggu di jalur loket ini."))
    return _("Nomor {number} dipanggil.").format(number=ticket.display)


def _call_ticket(request, counter):
    ticket = get_ticket_for_counter(counter, request.POST.get("ticket"))
    services.call_ticket(counter, ticket, actor=request.user)
    return _("Nomor {number} dipanggil.").format(number=ticket.display)


def _recall(request, counter):
    ticket = _require_current(counter)
    services.recall(ticket, actor=request.user)
    return _("Nomor {number} dipanggil ulang.").format(number=ticket.display)


def _no_show(request, counter):
    ticket = _require_current(counter)
    services.mark_no_show(ticket, actor=request.user)
    return _("Nomor {number} dicatat tidak hadir.").format(number=ticket.display)


def _start(request, counter):
    ticket = _require_current(counter)
    services.start_service(ticket, actor=request.user)
    return ""


def _finish(request, counter):
    ticket = _require_current(counter)
    services.finish_service(ticket, actor=request.user)
    return _("Nomor {number} selesai dilayani.").format(number=ticket.display)


def _transfer(request, counter):
    ticket = _require_current(counter)
    form = TransferForm(request.POST, office=counter.office, exclude_counter=counter)
    if not form.is_valid():
        raise services.QueueError(" ".join(e for errors in form.errors.values() for e in errors))
    lane, to_counter = form.cleaned_data["lane"], form.cleaned_data["counter"]
    services.transfer_ticket(ticket, lane=lane, counter=to_counter, actor=request.user)
    where = lane.name if lane is not None else to_counter.name
    return _("Nomor {number} dialihkan ke {where}.").format(number=ticket.display, where=where)


def _pause(request, counter):
    form = PauseForm(request.POST)
    if not form.is_valid():
        raise services.QueueError(_("Tulis alasan jeda, mis. istirahat atau rapat."))
    services.pause_counter(counter, reason=form.cleaned_data["reason"], actor=request.user)
    return _("Loket dijeda.")


def _resume(request, counter):
    services.resume_counter(counter, actor=request.user)
    return _("Loket dibuka kembali.")


# The actions after which tickets stand closer to their turn ("3 nomor lagi" may be due).
MOVES_THE_QUEUE = {"panggil", "panggil-nomor", "alihkan"}

ACTIONS = {
    "panggil": _call_next,
    "panggil-nomor": _call_ticket,
    "ulang": _recall,
    "tidak-hadir": _no_show,
    "mulai": _start,
    "selesai": _finish,
    "alihkan": _transfer,
    "jeda": _pause,
    "lanjut": _resume,
}


def _context(request: HttpRequest, counter: Counter) -> dict:
    office = counter.office
    now = timezone.now()
    day = queries.today(office, now)
    lanes = list(counter.lanes.filter(is_active=True).order_by("order", "code"))
    # A ticket transferred to another counter is that counter's to call.
    waiting_qs = Ticket.objects.filter(lane__in=lanes, day=day, status=Ticket.Status.WAITING).filter(
        Q(counter__isnull=True) | Q(counter=counter)
    )
    waiting = list(waiting_qs.select_related("lane", "priority").order_by("queue_at", "id")[:WAITING_SHOWN])
    waiting_count = len(waiting) if len(waiting) < WAITING_SHOWN else waiting_qs.count()
    rules = QueueSettings.for_office(office)
    nxt = ordering.next_candidate(counter, lanes, day, rules, now) if waiting else None
    shift = CounterShift.objects.filter(counter=counter, date=day, user_id=request.user.pk or 0).first()
    current = _current(counter)
    recent = list(
        Ticket.objects.filter(counter=counter, day=day, status__in=[Ticket.Status.DONE, Ticket.Status.NO_SHOW])
        .select_related("lane")
        .order_by("-finished_at", "-called_at", "-id")[:RECENT_SHOWN]
    )
    # The officer's own pause (theirs to lift); someone only looking sees anyone's pause here.
    paused = shift if shift is not None else CounterShift.objects.filter(counter=counter, date=day).first()
    paused = paused if paused is not None and paused.is_paused else None
    version = hashlib.sha256(
        repr(
            (
                [(t.pk, t.priority_id) for t in waiting],
                waiting_count,
                current and (current.pk, current.status),
                [t.pk for t in recent],
                paused and paused.paused_reason,
                shift and shift.pk,
                f"{now:%Y%m%d%H%M}",
            )
        ).encode()
    ).hexdigest()[:16]
    can_write = user_can_write(request.user, office)
    return {
        "office": office,
        "counter": counter,
        "lanes": lanes,
        "waiting": waiting,
        "waiting_count": waiting_count,
        "next_id": nxt.ticket_id if nxt else None,
        "current": current,
        "recent": recent,
        "shift": shift,
        "paused": paused,
        "can_act": can_write and shift is not None,
        "can_write": can_write,
        "transfer_form": TransferForm(office=office, exclude_counter=counter),
        "pause_form": PauseForm(),
        "keys": SHORTCUTS,
        "poll": POLL_SECONDS,
        "version": version,
        "now": now,
    }


def _int(value) -> int | None:
    return int(value) if value and str(value).isdigit() else None
