"""Public JSON API of the counter queue: take a ticket, read the display board."""

import datetime as dt
from typing import Literal

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.errors import HttpError

from layan.offices import ratelimit
from layan.offices.access import get_public_office
from layan.queue import queries
from layan.queue.intake import QUEUE_RATE
from layan.queue.models import Lane, LaneService, QueueSettings
from layan.queue.services import QueueError, QueueFull, take_ticket

from .schemas import ERROR_DOCS, SLUG_MAX_LENGTH, SLUG_PATTERN, ErrorResponse, ValidationErrorResponse, office_slug_path

router = Router(tags=["antrian"])


class TicketRequest(Schema):
    service: str = Field(
        ...,
        pattern=SLUG_PATTERN,
        max_length=SLUG_MAX_LENGTH,
        description="Kode layanan; nomor diambil di jalur antrian layanan itu.",
        examples=["ktp-el"],
    )
    priority: Literal["lansia", "disabilitas", "ibu_hamil"] | None = Field(
        None, description="Kelompok prioritas (dicek petugas di loket)."
    )
    source: Literal["api", "web", "kiosk"] = Field("api", description="Dari mana nomor diambil.")


class TicketLane(Schema):
    code: str = Field(..., examples=["A"])
    name: str


class TicketCreated(Schema):
    number: str = Field(..., examples=["A012"], description="Nomor antrian yang dipanggil dan tampil di layar.")
    lane: TicketLane
    position: int = Field(..., description="Urutan saat ini: 1 berarti dipanggil berikutnya.")
    ahead: int = Field(..., description="Nomor lain sebelum nomor ini (“3 nomor lagi”).")
    estimated_wait: int = Field(..., description="Perkiraan menunggu, dalam menit.")
    token: str = Field(..., description="Kunci halaman status nomor ini (jangan dibagikan).")
    day: dt.date


class QueueFullResponse(Schema):
    detail: str = Field(
        ..., examples=["Ruang tunggu sedang penuh (maksimal 20 orang). Silakan kembali sekitar pukul 10.45 WIB."]
    )
    come_back_at: dt.datetime | None = Field(None, description="Perkiraan waktu kembali (waktu setempat).")


class BoardCall(Schema):
    number: str = Field(..., examples=["A012"])
    lane: str
    counter: str = Field(..., examples=["Loket 2"])
    counter_number: int
    kind: Literal["call", "recall"]
    called_at: dt.datetime


class LaneWaiting(Schema):
    code: str
    name: str
    waiting: int


class QueueBoard(Schema):
    office: str
    updated_at: dt.datetime
    current: list[BoardCall] = Field(..., description="Panggilan terakhir tiap loket yang sedang melayani.")
    recent: list[BoardCall] = Field(..., description="Lima panggilan terakhir, terbaru dulu.")
    lanes: list[LaneWaiting]


TICKET_DOCS = {
    "responses": ERROR_DOCS["responses"]
    | {
        400: {"description": "Isi permintaan bukan JSON yang sah"},
        409: {
            "description": "Nomor tidak dapat dibuat sekarang: ruang tunggu penuh, kuota hari ini habis, "
            "atau layanan belum punya jalur antrian; `come_back_at` bila diketahui"
        },
        429: {"description": "Terlalu banyak nomor diambil dari alamat ini; coba lagi setelah `Retry-After` detik"},
    }
}


def _board_call(call: queries.BoardCall) -> dict:
    return {
        "number": call.number,
        "lane": call.lane,
        "counter": call.counter,
        "counter_number": call.counter_number,
        "kind": call.kind,
        "called_at": call.at,
    }


@router.post(
    "offices/{slug}/tickets",
    response={
        201: TicketCreated,
        400: ErrorResponse,
        404: ErrorResponse,
        409: QueueFullResponse,
        422: ValidationErrorResponse,
        429: ErrorResponse,
    },
    openapi_extra=TICKET_DOCS,
    operation_id="take_ticket",
    summary="Ambil nomor antrian",
    description=(
        "Nomor antrian baru di jalur antrian layanan, dengan urutan dan perkiraan waktu "
        "tunggu. Nomor berurutan per jalur per hari, tanpa nomor ganda atau terlewat."
    ),
)
def take_ticket_endpoint(request, payload: TicketRequest, slug: str = office_slug_path()):
    usage = ratelimit.hit_request(request, QUEUE_RATE)
    if usage.limited:
        return ratelimit.too_many_requests(request, usage)
    # The hot path: office, service, its lane and the office's rules in one query.
    service = queries.published_service(slug, payload.service)
    if service is None:
        get_public_office(slug)  # 404 "Kantor tidak ditemukan" first
        raise HttpError(404, _("Layanan tidak ditemukan"))
    office = service.office
    priority = None
    if payload.priority:
        priority = queries.priority_group(slug, payload.priority)
        if priority is None:
            raise HttpError(404, _("Kelompok prioritas tidak ditemukan di kantor ini"))
    try:
        rules = office.queue_settings
    except QueueSettings.DoesNotExist:
        rules = QueueSettings(office=office)
    try:
        lane = service.queue_lane.lane
    except LaneService.DoesNotExist:
        lane = None  # take_ticket says the service has no lane
    now = timezone.now()
    try:
        ticket = take_ticket(
            office, service=service, lane=lane, source=payload.source, priority=priority, rules=rules, now=now
        )
    except QueueFull as exc:
        return 409, {"detail": str(exc), "come_back_at": exc.come_back_at}
    except QueueError as exc:
        # The office's set-up, not the request: a service without a lane, an inactive lane.
        return 409, {"detail": str(exc), "come_back_at": None}
    position = queries.position(ticket, rules=rules, now=now) or 1
    return 201, {
        "number": ticket.display,
        "lane": {"code": ticket.lane.code, "name": ticket.lane.name},
        "position": position,
        "ahead": position - 1,
        "estimated_wait": queries.estimated_wait_minutes(
            ticket.lane, position - 1, rules=rules, day=ticket.day, now=now
        ),
        "token": ticket.token,
        "day": ticket.day,
    }


@router.get(
    "offices/{slug}/queue",
    response={200: QueueBoard, 404: ErrorResponse, 422: ValidationErrorResponse},
    openapi_extra=ERROR_DOCS,
    operation_id="get_queue_board",
    summary="Papan antrian",
    description="Yang tampil di layar ruang tunggu: panggilan tiap loket, lima panggilan terakhir, jumlah menunggu.",
)
def get_queue_board(request, slug: str = office_slug_path()):
    office = get_public_office(slug)
    now = timezone.now()
    state = queries.board_state(office, now=now)
    lanes = Lane.objects.filter(office=office, is_active=True).order_by("order", "code")
    return {
        "office": office.name,
        "updated_at": now,
        "current": [_board_call(c) for c in state.current],
        "recent": [_board_call(c) for c in state.recent],
        "lanes": [{"code": ln.code, "name": ln.name, "waiting": state.waiting.get(ln.code, 0)} for ln in lanes],
    }
