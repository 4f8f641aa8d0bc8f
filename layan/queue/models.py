"""The counter queue (antrian): lanes, counters, priority groups, tickets, calls and appointments.

A `Ticket` is numbered per lane and per day ("A012") by `LaneDay`, one row per lane and day whose
`last_number` is advanced with a single UPDATE … RETURNING inside the ticket's own transaction, so
numbers never repeat and a rolled-back ticket leaves no gap. Its lifecycle:

    waiting ──call──▶ called ──start──▶ serving ──finish──▶ done
       │  ▲            │ │ ▲ recall           │
       │  └──(transfer: a new waiting ticket, same number, in the target lane; this one
       │      becomes `transferred`) from waiting, called or serving
       │               │ └──finish──────────▶ done
       │               └──no-show──▶ no_show
       └──cancel──▶ cancelled

Statuses `waiting` and `called` are "in the waiting room": the office's waiting-room maximum counts them.
An `Appointment` is booked into an `AppointmentSlot` (capacity per service, date and time); checking in
turns it into a ticket that takes the slot's turn (its `queue_at` is the slot's start):

    booked ──check in──▶ checked_in          booked ──cancel──▶ cancelled
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from layan.applications.models import Application
from layan.catalogue.models import Service
from layan.messaging.models import ContactURN
from layan.messaging.urns import mask_phone
from layan.offices.models import Office

lane_code_validator = RegexValidator(r"^[A-Z]$", _("Kode jalur berupa satu huruf besar (A–Z)."))


def new_token() -> str:
    # The ticket's status page is public: an unguessable token, never the sequential id.
    return secrets.token_urlsafe(12)


class Lane(models.Model):
    """A lane (jalur antrian) for a group of services, with its letter prefix: "A", "B" …"""

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="queue_lanes")
    code = models.CharField(_("kode huruf"), max_length=1, validators=[lane_code_validator])
    name = models.CharField(_("nama"), max_length=120)
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("jalur antrian")
        verbose_name_plural = _("jalur antrian")
        constraints = [models.UniqueConstraint(fields=["office", "code"], name="lane_unique_code")]

    def __str__(self) -> str:
        return f"{self.code} · {self.name}"


class LaneService(models.Model):
    """Each service of the catalogue is served in one lane."""

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="+")
    lane = models.ForeignKey(Lane, on_delete=models.CASCADE, related_name="lane_services", verbose_name=_("jalur"))
    service = models.OneToOneField(
        Service, on_delete=models.CASCADE, related_name="queue_lane", verbose_name=_("layanan")
    )

    class Meta:
        verbose_name = _("layanan pada jalur")
        verbose_name_plural = _("layanan pada jalur")

    def __str__(self) -> str:
        return f"{self.lane.code}: {self.service}"


class Counter(models.Model):
    """A counter (loket) that calls tickets from its lanes."""

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="queue_counters")
    number = models.PositiveSmallIntegerField(_("nomor"), validators=[MinValueValidator(1)])
    name = models.CharField(_("nama"), max_length=60, help_text=_("mis. “Loket 1”"))
    lanes = models.ManyToManyField(Lane, related_name="counters", verbose_name=_("jalur yang dilayani"))
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        ordering = ["number"]
        verbose_name = _("loket")
        verbose_name_plural = _("loket")
        constraints = [models.UniqueConstraint(fields=["office", "number"], name="counter_unique_number")]

    def __str__(self) -> str:
        return self.name


class CounterShift(models.Model):
    """Who staffs a counter on a day. `paused_reason` non-empty: the counter is paused (istirahat …)."""

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="+")
    counter = models.ForeignKey(Counter, on_delete=models.CASCADE, related_name="shifts")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="counter_shifts")
    date = models.DateField(_("tanggal"))
    started_at = models.DateTimeField(_("mulai"), auto_now_add=True)
    paused_reason = models.CharField(_("alasan jeda"), max_length=200, blank=True)
    paused_at = models.DateTimeField(_("jeda sejak"), null=True, blank=True)

    class Meta:
        ordering = ["-date", "counter"]
        verbose_name = _("jadwal loket")
        verbose_name_plural = _("jadwal loket")
        constraints = [
            models.UniqueConstraint(fields=["counter", "date", "user"], name="counter_shift_unique_user_day")
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.counter}: {self.user}"

    @property
    def is_paused(self) -> bool:
        return bool(self.paused_reason)


class PriorityGroup(models.Model):
    class Code(models.TextChoices):
        LANSIA = "lansia", _("Lansia")
        DISABILITAS = "disabilitas", _("Penyandang disabilitas")
        IBU_HAMIL = "ibu_hamil", _("Ibu hamil")

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="queue_priority_groups")
    code = models.CharField(_("kode"), max_length=20, choices=Code.choices)
    name = models.CharField(_("nama"), max_length=60)
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("kelompok prioritas")
        verbose_name_plural = _("kelompok prioritas")
        constraints = [models.UniqueConstraint(fields=["office", "code"], name="priority_group_unique_code")]

    def __str__(self) -> str:
        return self.name


class QueueSettings(models.Model):
    """One office's queue rules. An office without a row uses the defaults of `QueueSettings.for_office`."""

    class Ordering(models.TextChoices):
        EVERY_N = "every_n", _("Satu prioritas setiap N nomor biasa")
        WEIGHTED_WAIT = "weighted_wait", _("Waktu tunggu berbobot")

    office = models.OneToOneField(Office, on_delete=models.CASCADE, related_name="queue_settings")
    ordering = models.CharField(_("aturan urutan"), max_length=16, choices=Ordering.choices, default=Ordering.EVERY_N)
    priority_every = models.PositiveSmallIntegerField(
        _("N (satu prioritas setiap N nomor biasa)"), default=3, validators=[MinValueValidator(1)]
    )
    priority_weight = models.FloatField(
        _("bobot waktu tunggu prioritas"),
        default=2.0,
        validators=[MinValueValidator(1.0)],
        help_text=_("Dengan waktu tunggu berbobot: 2 berarti 5 menit menunggu dihitung 10 menit."),
    )
    waiting_room_max = models.PositiveIntegerField(
        _("kapasitas ruang tunggu"), null=True, blank=True, help_text=_("Kosong: tidak dibatasi.")
    )
    pandemic_mode = models.BooleanField(_("mode pandemi"), default=False)
    pandemic_room_max = models.PositiveIntegerField(
        _("kapasitas ruang tunggu saat mode pandemi"), null=True, blank=True
    )
    walk_in_quota = models.PositiveIntegerField(
        _("kuota antrian langsung per hari"),
        null=True,
        blank=True,
        help_text=_("Nomor tanpa janji temu per hari; kosong: tidak dibatasi."),
    )
    default_service_minutes = models.PositiveSmallIntegerField(
        _("perkiraan lama layanan (menit)"),
        default=5,
        validators=[MinValueValidator(1)],
        help_text=_("Dipakai untuk perkiraan waktu tunggu sampai ada data layanan yang cukup."),
    )

    class Meta:
        verbose_name = _("pengaturan antrian")
        verbose_name_plural = _("pengaturan antrian")

    def __str__(self) -> str:
        return str(self.office)

    def clean(self) -> None:
        if self.pandemic_mode and self.room_max is None:
            raise ValidationError(
                {"pandemic_room_max": _("Mode pandemi membatasi ruang tunggu: isi kapasitasnya saat mode pandemi.")}
            )

    @classmethod
    def for_office(cls, office: Office) -> QueueSettings:
        found = cls.objects.filter(office=office).first()
        return found if found is not None else cls(office=office)

    @property
    def room_max(self) -> int | None:
        """The waiting-room maximum in force now (the pandemic one while pandemic mode is on)."""
        if self.pandemic_mode and self.pandemic_room_max is not None:
            return self.pandemic_room_max
        return self.waiting_room_max


class LaneDay(models.Model):
    """The numbering counter of one lane on one day; see the module docstring."""

    lane = models.ForeignKey(Lane, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["lane", "day"], name="lane_day_unique")]

    def __str__(self) -> str:
        return f"{self.lane_id} {self.day}: {self.last_number}"


class OfficeDay(models.Model):
    """One office's day: the walk-in tickets taken so far. Its row is also the lock that serialises
    ticket taking while a waiting-room maximum or a walk-in quota is set, so neither is exceeded."""

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    walk_ins = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["office", "day"], name="office_day_unique")]

    def __str__(self) -> str:
        return f"{self.office_id} {self.day}: {self.walk_ins}"


class TicketQuerySet(models.QuerySet["Ticket"]):
    def in_room(self) -> TicketQuerySet:
        return self.filter(status__in=Ticket.IN_ROOM)

    def waiting(self) -> TicketQuerySet:
        return self.filter(status=Ticket.Status.WAITING)


class Ticket(models.Model):
    class Source(models.TextChoices):
        KIOSK = "kiosk", _("Kios")
        WEB = "web", _("Web")
        SMS = "sms", _("SMS")
        WHATSAPP = "whatsapp", _("WhatsApp")
        TELEGRAM = "telegram", _("Telegram")
        FACEBOOK = "facebook", _("Facebook")
        COUNTER = "counter", _("Loket")
        APPOINTMENT = "appointment", _("Janji temu")
        API = "api", _("API")

    class Status(models.TextChoices):
        WAITING = "waiting", _("Menunggu")
        CALLED = "called", _("Dipanggil")
        SERVING = "serving", _("Dilayani")
        DONE = "done", _("Selesai")
        NO_SHOW = "no_show", _("Tidak hadir")
        TRANSFERRED = "transferred", _("Dialihkan")
        CANCELLED = "cancelled", _("Dibatalkan")

    IN_ROOM = (Status.WAITING, Status.CALLED)

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="queue_tickets")
    lane = models.ForeignKey(Lane, on_delete=models.PROTECT, related_name="tickets", verbose_name=_("jalur"))
    day = models.DateField(_("tanggal"))
    number = models.PositiveIntegerField(_("nomor"))
    display = models.CharField(_("nomor antrian"), max_length=8)
    source = models.CharField(_("asal"), max_length=12, choices=Source.choices)
    priority = models.ForeignKey(
        PriorityGroup, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("prioritas")
    )
    service = models.ForeignKey(
        Service, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("layanan")
    )
    urn = models.ForeignKey(ContactURN, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.WAITING)
    # Only this counter may call it (a transfer to a counter); set to the calling counter once called.
    counter = models.ForeignKey(
        Counter, on_delete=models.SET_NULL, null=True, blank=True, related_name="tickets", verbose_name=_("loket")
    )
    appointment = models.ForeignKey(
        "Appointment", on_delete=models.SET_NULL, null=True, blank=True, related_name="tickets"
    )
    transferred_from = models.OneToOneField(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="transferred_to"
    )
    # Its turn: when it was taken, or the slot's start for an appointment, or the original ticket's
    # turn after a transfer. Tickets are called in this order (within the ordering rule).
    queue_at = models.DateTimeField(_("giliran"))
    created_at = models.DateTimeField(_("diambil"))
    called_at = models.DateTimeField(_("dipanggil"), null=True, blank=True)
    started_at = models.DateTimeField(_("mulai dilayani"), null=True, blank=True)
    finished_at = models.DateTimeField(_("selesai"), null=True, blank=True)
    token = models.CharField(max_length=24, unique=True, default=new_token, editable=False)
    # Set with the "3 nomor lagi" message's outbox row (notify.py): the citizen is told once.
    approach_notified_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = TicketQuerySet.as_manager()

    class Meta:
        ordering = ["day", "lane", "number"]
        verbose_name = _("nomor antrian")
        verbose_name_plural = _("nomor antrian")
        constraints = [
            # Issued numbers only: a transfer's ticket repeats the number it came with.
            models.UniqueConstraint(
                fields=["lane", "day", "number"],
                condition=models.Q(transferred_from__isnull=True),
                name="ticket_unique_number",
            )
        ]
        indexes = [
            models.Index(fields=["lane", "status", "queue_at"], name="ticket_lane_status_turn"),
            models.Index(fields=["office", "day", "status"], name="ticket_office_day_status"),
            # The ordering rule's "normal calls since the last priority one" (the lane's latest calls).
            models.Index(fields=["lane", "day", "-called_at"], name="ticket_lane_day_calls"),
            # The estimate's sample, read for every ticket taken: the lane's latest finished tickets.
            models.Index(
                fields=["lane", "-finished_at"], condition=models.Q(status="done"), name="ticket_lane_finished"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.display}"

    @property
    def is_priority(self) -> bool:
        return self.priority_id is not None


class Call(models.Model):
    """A ticket called to a counter (or called again): the board's last calls and the spoken call."""

    class Kind(models.TextChoices):
        CALL = "call", _("Panggil")
        RECALL = "recall", _("Panggil ulang")

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="+")
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="calls")
    counter = models.ForeignKey(Counter, on_delete=models.CASCADE, related_name="calls")
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.CALL)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(_("waktu"))

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["office", "-created_at"], name="call_office_recent")]
        verbose_name = _("panggilan")
        verbose_name_plural = _("panggilan")

    def __str__(self) -> str:
        return f"{self.created_at:%H:%M:%S} {self.ticket.display} → {self.counter}"


class AppointmentSlot(models.Model):
    """A bookable period for one service on one date; `booked` never exceeds `capacity`."""

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="appointment_slots")
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="+", verbose_name=_("layanan"))
    date = models.DateField(_("tanggal"))
    start = models.TimeField(_("mulai"))
    end = models.TimeField(_("selesai"))
    capacity = models.PositiveSmallIntegerField(_("kapasitas"), default=1)
    booked = models.PositiveSmallIntegerField(_("terisi"), default=0, editable=False)

    class Meta:
        ordering = ["date", "start", "service"]
        verbose_name = _("slot janji temu")
        verbose_name_plural = _("slot janji temu")
        constraints = [
            models.CheckConstraint(condition=models.Q(end__gt=models.F("start")), name="slot_end_after_start"),
            models.CheckConstraint(condition=models.Q(booked__lte=models.F("capacity")), name="slot_within_capacity"),
            models.UniqueConstraint(fields=["service", "date", "start"], name="slot_unique_start"),
        ]
        indexes = [models.Index(fields=["office", "date"], name="slot_office_date")]

    def __str__(self) -> str:
        return f"{self.date} {self.start:%H:%M}–{self.end:%H:%M} {self.service}"

    @property
    def available(self) -> int:
        return max(self.capacity - self.booked, 0)

    def starts_at(self) -> dt.datetime:
        return dt.datetime.combine(self.date, self.start, tzinfo=self.office.tz)

    def ends_at(self) -> dt.datetime:
        return dt.datetime.combine(self.date, self.end, tzinfo=self.office.tz)


def new_appointment_code() -> str:
    # Short enough to type at the kiosk or send by SMS; no 0/O, 1/I/L.
    alphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
    return "".join(secrets.choice(alphabet) for _ in range(6))


class Appointment(models.Model):
    class Status(models.TextChoices):
        BOOKED = "booked", _("Terjadwal")
        CHECKED_IN = "checked_in", _("Sudah hadir")
        CANCELLED = "cancelled", _("Dibatalkan")

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="appointments")
    slot = models.ForeignKey(AppointmentSlot, on_delete=models.PROTECT, related_name="appointments")
    name = models.CharField(_("nama"), max_length=120)
    phone = models.CharField(_("telepon"), max_length=32, blank=True)
    urn = models.ForeignKey(ContactURN, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    priority = models.ForeignKey(
        PriorityGroup, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("prioritas")
    )
    code = models.CharField(_("kode janji temu"), max_length=8, default=new_appointment_code, editable=False)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.BOOKED)
    source = models.CharField(_("asal"), max_length=12, choices=Ticket.Source.choices, default=Ticket.Source.WEB)
    # A pickup appointment: the citizen comes to collect what the application produced.
    application = models.ForeignKey(
        Application,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="pickup_appointments",
        verbose_name=_("permohonan"),
    )
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now)
    checked_in_at = models.DateTimeField(_("hadir"), null=True, blank=True)
    # Set by the reminder job in the same transaction as the outbox row: a reminder goes once.
    reminded_day_before_at = models.DateTimeField(null=True, blank=True, editable=False)
    reminded_hour_before_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["slot__date", "slot__start", "id"]
        verbose_name = _("janji temu")
        verbose_name_plural = _("janji temu")
        constraints = [models.UniqueConstraint(fields=["office", "code"], name="appointment_unique_code")]
        indexes = [models.Index(fields=["status", "slot"], name="appointment_status_slot")]

    def __str__(self) -> str:
        return f"{self.code} {self.slot}"

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone) if self.phone else ""


# The board's recorded clips and the ticket printers (layan/queue/devices.py).
from .devices import CallClip, TicketPrinter  # noqa: E402, F401
