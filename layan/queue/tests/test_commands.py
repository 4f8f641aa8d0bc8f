"""ANTRI, JANJI and HADIR as a citizen writes them by SMS or chat (demo catalogue of Kisam Tinggi)."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from layan.messaging.models import Message
from layan.messaging.tests.helpers import CITIZEN, ask, create_test_channel, receive_one, replies_to
from layan.offices.models import OpeningHours
from layan.queue import services
from layan.queue.models import Appointment, AppointmentSlot, Ticket

from .helpers import create_counter, create_lane, create_priority, set_rules

STATUS_PATH = "/kisam-tinggi/antrian/nomor/"


@pytest.fixture
def desk(demo_office):
    """Lane A (KTP-el, KK) and lane B (the rest), counter 1 serves both; a test SMS channel."""
    ktp = demo_office.services.get(code="ktp-el")
    lane_a = create_lane(demo_office, "A", "Kependudukan", services=[ktp])
    lane_b = create_lane(demo_office, "B", "Umum")
    create_counter(demo_office, 1, lane_a, lane_b)
    return create_test_channel(demo_office)


def test_antri_and_a_lane_letter_takes_a_number(desk):
    [reply] = ask(desk, "ANTRI A")
    ticket = Ticket.objects.get()
    assert ticket.display == "A001" and ticket.source == "sms" and ticket.urn.identity == CITIZEN
    assert "Nomor antrian Anda A001 (Kependudukan)" in reply and "Anda berikutnya" in reply
    assert STATUS_PATH + ticket.token + "/" in reply


def test_antri_and_a_service_name_takes_a_number_in_its_lane(desk):
    [reply] = ask(desk, "antri ktp")
    ticket = Ticket.objects.get()
    assert ticket.lane.code == "A" and ticket.service.code == "ktp-el"
    assert "A001" in reply


def test_the_reply_says_how_many_numbers_before_and_the_wait(desk, demo_office):
    lane = demo_office.queue_lanes.get(code="A")
    for _ in range(2):
        services.take_ticket(demo_office, lane=lane, source="kiosk")
    [reply] = ask(desk, "ANTRI A")
    assert "A003" in reply and "2 nomor sebelum Anda, perkiraan 10 menit" in reply


def test_a_second_antri_gives_the_number_already_held(desk):
    ask(desk, "ANTRI A")
    [reply] = ask(desk, "ANTRI B")
    assert "Anda sudah memegang nomor A001" in reply
    assert Ticket.objects.count() == 1


def test_antri_alone_or_with_an_unknown_lane_explains_the_lanes(desk):
    [reply] = ask(desk, "ANTRI")
    assert "ANTRI dan huruf jalur: A=Kependudukan, B=Umum" in reply
    [reply] = ask(desk, "antri z")
    assert "A=Kependudukan" in reply
    assert not Ticket.objects.exists()


def test_a_long_sentence_starting_with_antri_takes_no_number(desk):
    [reply] = ask(desk, "antri ktp di kantor camat buka jam berapa ya")
    assert "huruf jalur" in reply and not Ticket.objects.exists()


@pytest.mark.parametrize("text", ["antar ktp", "antara ktp"])
def test_words_close_to_antri_take_no_number(desk, text):
    ask(desk, text)
    assert not Ticket.objects.exists()


def test_a_priority_group_can_be_named(desk, demo_office):
    create_priority(demo_office, "ibu_hamil")
    ask(desk, "ANTRI A ibu hamil")
    assert Ticket.objects.get().priority.code == "ibu_hamil"


def test_a_full_waiting_room_says_when_to_come_back_and_takes_no_number(desk, demo_office):
    set_rules(demo_office, waiting_room_max=1)
    services.take_ticket(demo_office, lane=demo_office.queue_lanes.get(code="A"), source="kiosk")
    [reply] = ask(desk, "ANTRI A")
    # (In the last minutes before midnight the place frees up tomorrow: "kembali pada <day>".)
    assert "Ruang tunggu sedang penuh" in reply and re.search(r"kembali (sekitar pukul|pada) ", reply)
    assert Ticket.objects.count() == 1


def test_a_retried_webhook_takes_no_second_number(desk):
    ask(desk, "ANTRI A", provider_id="sms-1")
    assert receive_one(desk, urn=CITIZEN, text="ANTRI A", provider_id="sms-1") is None
    assert Ticket.objects.count() == 1


def test_a_whatsapp_number_is_marked_as_such(desk):
    ask(desk, "ANTRI A", urn="whatsapp:6281234567891")
    assert Ticket.objects.get().source == "whatsapp"


def _slot(office, service, *, hours=24) -> AppointmentSlot:
    # Starts on the hour (at the latest 23.00), so it always ends after it starts, even near midnight.
    start = timezone.now().astimezone(office.tz).replace(minute=0, second=0, microsecond=0) + dt.timedelta(hours=hours)
    return AppointmentSlot.objects.create(
        office=office, service=service, date=start.date(), start=start.time(), end=dt.time(23, 59), capacity=1
    )


def test_janji_books_the_earliest_free_slot_and_hadir_checks_in(desk, demo_office):
    ktp = demo_office.services.get(code="ktp-el")
    _slot(demo_office, ktp, hours=48)  # made first: the earliest slot is booked, not the oldest
    soon = _slot(demo_office, ktp, hours=1)
    [reply] = ask(desk, "JANJI ktp")
    appointment = Appointment.objects.get()
    assert appointment.slot == soon and appointment.urn.identity == CITIZEN and appointment.source == "sms"
    assert f"Kode {appointment.code}" in reply and f"HADIR {appointment.code}" in reply
    [reply] = ask(desk, f"hadir {appointment.code.lower()}")
    ticket = Ticket.objects.get()
    assert ticket.appointment == appointment and ticket.source == "appointment"
    assert ticket.display in reply
    [again] = ask(desk, f"HADIR {appointment.code}")
    assert "sudah check-in" in again


def test_janji_without_free_slots_or_service_says_what_to_do(desk):
    [reply] = ask(desk, "JANJI ktp")
    assert "penuh" in reply
    [reply] = ask(desk, "JANJI")
    assert "/kisam-tinggi/antrian/janji/" in reply
    assert not Appointment.objects.exists()


def test_hadir_with_an_unknown_code(desk):
    [reply] = ask(desk, "HADIR ZZZZZZ")
    assert "tidak ditemukan" in reply
    assert not Ticket.objects.exists()


def test_the_commands_answer_within_two_sms_parts(desk):
    for text in ("ANTRI A", "ANTRI"):
        event = receive_one(desk, urn="tel:+6281299990000", text=text)
        assert all(m.parts <= 2 for m in Message.objects.filter(in_reply_to__event=event))
        assert replies_to(event)


def test_janji_is_rate_limited_per_sender(desk, demo_office, settings):
    settings.LAYAN_RATE_LIMITS = settings.LAYAN_RATE_LIMITS | {"queue": "1/h"}
    ktp = demo_office.services.get(code="ktp-el")
    slot = _slot(demo_office, ktp, hours=48)
    slot.capacity = 5
    slot.save()
    ask(desk, "JANJI ktp")
    [reply] = ask(desk, "booking ktp")
    assert "Terlalu banyak permintaan" in reply
    assert Appointment.objects.count() == 1


def test_antri_batal_gives_the_number_up(desk):
    [reply] = ask(desk, "ANTRI BATAL", provider_id="m1")
    assert "tidak memegang nomor" in reply
    ask(desk, "ANTRI A", provider_id="m2")
    [reply] = ask(desk, "antri batal", provider_id="m3")
    assert "Nomor antrian A001 dibatalkan." in reply
    assert Ticket.objects.get().status == "cancelled"
    [reply] = ask(desk, "ANTRI A", provider_id="m4")
    assert "A002" in reply  # a new number may be taken again


@pytest.mark.parametrize("code", ["8RXAAA", "HESEC2", "63EZZ2"])
def test_hadir_reads_the_code_as_typed_not_as_words(desk, demo_office, code):
    ktp = demo_office.services.get(code="ktp-el")
    slot = _slot(demo_office, ktp, hours=1)
    appointment = services.book_appointment(slot, name="Siti", phone="081234567890")
    Appointment.objects.filter(pk=appointment.pk).update(code=code)
    [reply] = ask(desk, f"hadir {code.lower()}")
    assert Ticket.objects.get().appointment == appointment
    assert Ticket.objects.get().display in reply


def test_antri_after_closing_says_when_numbers_are_given_again(desk, demo_office):
    tomorrow = demo_office.local_now().date() + dt.timedelta(days=1)
    demo_office.opening_hours.all().delete()
    OpeningHours.objects.create(office=demo_office, weekday=tomorrow.weekday(), opens=dt.time(8), closes=dt.time(12))
    [reply] = ask(desk, "ANTRI A")
    assert reply.startswith("Loket antrian hari ini sudah tutup. Nomor antrian bisa diambil lagi ")
    assert "pukul 08.00 WIB" in reply
    assert not Ticket.objects.exists()
