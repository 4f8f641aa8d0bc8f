"""The display board (papan antrian) for a TV in the waiting room, on the office LAN.

It shows the current call of each counter, the last five calls, and between calls the office's
announcements and hours; a new call fills the screen, flashes (for deaf visitors) and is spoken
(chime + "Nomor antrian A dua belas, silakan menuju loket dua", made on the server by
queue.speech). It lives here, not in queue, because it combines the queue with announcements
and the office's hours.

Live updates by short polling of a small JSON endpoint, every POLL_MS. Long polling or
server-sent events would each hold one of granian's few blocking threads per TV for as long as
it waits; a poll holds one for a couple of milliseconds: two indexed queries (the office by
slug, the newest call id) when nothing changed. The board sends the id of the newest call it
has seen; only when it differs does the answer carry the new calls and the whole state. A new
call is on screen within POLL_MS plus one round trip (bench/queue_board.py measures it).
"""

from __future__ import annotations

import datetime as dt
import re

from django.db.models import prefetch_related_objects
from django.db.models.query import Prefetch
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from layan.announcements.queries import latest_for as latest_announcements_for
from layan.offices.access import get_public_office
from layan.offices.hours import format_spans, hour_runs
from layan.offices.http import public_page
from layan.offices.models import Holiday, Office
from layan.queue import queries, slips, speech
from layan.queue.models import Call

POLL_MS = 400
# ?suara=bel: the chime alone (an office that finds the voice too much); ?suara=mati: silent.
SOUND_MODES = ("suara", "bel", "mati")
# The board asks for the whole state this often even without a new call: a finished ticket
# leaves its counter, an announcement is published, the hours line changes at midnight.
FULL_REFRESH_MS = 20_000
NEW_CALLS_MAX = 5
AUDIO_NAME = re.compile(r"^(?P<display>[A-Z]{1,3}\d{1,6})-(?P<counter>\d{1,3})$")
# A call's audio depends only on its URL (the clip revision is in it): browsers may keep it.
AUDIO_MAX_AGE = 7 * 24 * 3600
# The audio of a call can be fetched for this long after it was made (a board that was off for the weekend).
AUDIO_CALL_DAYS = dt.timedelta(days=4)


def latest_call_id(office: Office) -> int:
    row = Call.objects.filter(office=office).order_by("-created_at", "-id").values_list("id", flat=True).first()
    return row or 0


def audio_url(office: Office, display: str, counter_number: int, revision: str) -> str:
    name = f"{display}-{counter_number}"
    return reverse("web:board_audio", kwargs={"office_slug": office.slug, "name": name}) + f"?r={revision}"


def _hours_lines(office: Office) -> list[str]:
    lines = []
    for run in hour_runs(office.opening_hours.all(), closed_days=False):
        lines.append(f"{run.days('–')} {format_spans(run.spans)}")
    return lines


def _call_row(call: queries.BoardCall) -> dict:
    return {"number": call.number, "counter": call.counter, "counter_number": call.counter_number, "kind": call.kind}


def board_data(office: Office, *, seen: int | None, full: bool = False, now: dt.datetime | None = None) -> dict:
    """The board's JSON: `v` (newest call id); with the state and the calls newer than `seen`
    when `seen` is not the newest or `full` is asked (`seen` None: the first load, which
    announces nothing)."""
    now = now or timezone.now()
    latest = latest_call_id(office)
    if seen == latest and not full:
        return {"v": latest}
    revision = slips.clips_revision(office)
    new_calls = []
    if seen is not None:
        for call in (
            Call.objects.filter(office=office, id__gt=seen, id__lte=latest)
            .select_related("ticket", "counter")
            .order_by("-id")[:NEW_CALLS_MAX]
        ):
            spoken = speech.spoken_call(call.ticket.display, call.counter.number)
            new_calls.append(
                {
                    "id": call.id,
                    "number": call.ticket.display,
                    "counter": call.counter.name,
                    "kind": call.kind,
                    "text": spoken.text,
                    "audio": audio_url(office, call.ticket.display, call.counter.number, revision),
                }
            )
        new_calls.reverse()  # spoken in the order they were made
    state = queries.board_state(office, now=now)
    today = office.local_now(now).date()
    nearby = Holiday.objects.filter(date__range=(today - dt.timedelta(days=1), today + dt.timedelta(days=1)))
    prefetch_related_objects([office], "opening_hours", Prefetch("holidays", queryset=nearby))
    holiday = next((h.name for h in office.holidays.all() if h.date == today), "")
    return {
        "v": latest,
        "calls": new_calls,
        "current": [_call_row(c) for c in state.current],
        "recent": [_call_row(c) for c in state.recent],
        "waiting": state.waiting,
        "news": [row["title"] for row in latest_announcements_for(office)],
        "hours": ([_("Hari ini libur: %(name)s") % {"name": holiday}] if holiday else []) + _hours_lines(office),
    }


@public_page
def board(request: HttpRequest, office_slug: str) -> HttpResponse:
    office = get_public_office(office_slug)
    data = board_data(office, seen=None)
    context = {
        "office": office,
        "data": data,
        "poll_ms": POLL_MS,
        "full_refresh_ms": FULL_REFRESH_MS,
        "json_url": reverse("web:board_json", kwargs={"office_slug": office.slug}),
        "chime_url": reverse("web:board_audio", kwargs={"office_slug": office.slug, "name": "bel"}),
        "sound": request.GET.get("suara") if request.GET.get("suara") in SOUND_MODES else "suara",
    }
    return render(request, "web/board.html", context)


@public_page
def board_json(request: HttpRequest, office_slug: str) -> JsonResponse:
    office = get_public_office(office_slug)
    raw = request.GET.get("v", "")
    seen = int(raw) if raw.isdigit() and len(raw) < 19 else None
    response = JsonResponse(board_data(office, seen=seen, full=request.GET.get("full") == "1"))
    response["Cache-Control"] = "no-store"
    return response


@public_page
def board_audio(request: HttpRequest, office_slug: str, name: str) -> HttpResponse:
    """The WAV of one call (chime + speech), or the chime alone ("bel"); made on first request."""
    office = get_public_office(office_slug)
    if name == "bel":
        audio = speech.chime().read_bytes()
    else:
        match = AUDIO_NAME.match(name)
        if match is None:
            raise Http404
        display, counter = match["display"], int(match["counter"])
        # Only calls that were made: the cache cannot be filled with every possible number.
        since = timezone.now() - AUDIO_CALL_DAYS
        calls = Call.objects.filter(office=office, created_at__gte=since)
        if not calls.filter(ticket__display=display, counter__number=counter).exists():
            raise Http404
        try:
            audio = speech.call_audio(display, counter, clips=slips.office_clips(office))
        except speech.SpeechError as exc:
            # The board then shows the call without sound; the reason is for the office's log.
            raise Http404(str(exc)) from exc
    response = HttpResponse(audio, content_type="audio/wav")
    response["Cache-Control"] = f"public, max-age={AUDIO_MAX_AGE}"
    return response
