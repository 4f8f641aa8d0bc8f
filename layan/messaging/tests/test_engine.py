"""The conversation engine, as a citizen would write to it (demo catalogue of Kisam Tinggi)."""

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from layan.messaging.engine import Context, respond
from layan.messaging.engine.builtin import menu_text
from layan.messaging.gsm import is_gsm7, sms_parts
from layan.messaging.models import Message
from layan.messaging.services import get_or_create_urn

from .helpers import CITIZEN, ask, create_test_channel

LINK = "/kisam-tinggi/layanan/"


@pytest.fixture
def channel(demo_office):
    return create_test_channel(demo_office)


def test_syarat_ktp_lists_requirements_time_fee_and_link(channel):
    [reply] = ask(channel, "syarat bikin ktp")
    assert "Syarat: 1." in reply
    assert "Waktu:" in reply and "Biaya:" in reply
    assert reply.rstrip().endswith(LINK + "ktp-el/")
    assert is_gsm7(reply) and sms_parts(reply) <= 3


def test_colloquial_question_is_answered(channel):
    [reply] = ask(channel, "gmn ngurus akte kelahiran anak sy")
    assert LINK + "pengantar-akta-kelahiran/" in reply


@pytest.mark.parametrize(
    "text", ["SYARAT KTP", "syarat ktp", "#syarat#ktp", "Syarat.KTP", "  SYRAT   ktp ", "sarat ktp"]
)
def test_keyword_spelling_case_and_separators_are_tolerated(channel, text):
    [reply] = ask(channel, text)
    assert LINK + "ktp-el/" in reply


def test_unclear_question_offers_choices_and_number_answers(channel):
    [choices] = ask(channel, "surat")
    assert "Balas 1, 2 atau 3" in choices
    second = choices.splitlines()[2].split(". ", 1)[1]
    [answer] = ask(channel, "2")
    assert answer.startswith(second.removesuffix("..."))
    assert LINK in answer


def test_choice_expires(channel, settings):
    settings.LAYAN_CONVERSATION_TTL_SECONDS = 0
    ask(channel, "surat")
    [reply] = ask(channel, "2")
    assert LINK not in reply


def test_jam_says_whether_office_is_open(channel, demo_office):
    [reply] = ask(channel, "JAM")
    assert "Senin-Kamis 08.00-15.30" in reply
    expected = "BUKA" if demo_office.is_open_at() else "TUTUP"
    assert f"Sekarang {expected}" in reply
    [typo] = ask(channel, "jm")
    assert "Senin-Kamis" in typo


def test_jam_at_a_given_time(channel, demo_office):
    urn = get_or_create_urn(CITIZEN, channel=channel)
    monday_morning = dt.datetime(2025, 6, 2, 9, 0, tzinfo=demo_office.tz)
    ctx = Context(channel=channel, urn=urn, contact=urn.contact, text="jam", now=monday_morning)
    assert "Sekarang BUKA" in respond(ctx).replies[0].text
    sunday = dt.datetime(2025, 6, 1, 9, 0, tzinfo=demo_office.tz)
    ctx = Context(channel=channel, urn=urn, contact=urn.contact, text="jam", now=sunday)
    assert "Sekarang TUTUP" in respond(ctx).replies[0].text


def test_menu_fits_one_sms(channel):
    [reply] = ask(channel, "bantuan")
    assert sms_parts(reply) == 1
    assert "SYARAT" in reply and "STOP" in reply


def test_layanan_is_paged(channel):
    [first] = ask(channel, "LAYANAN")
    assert "LAYANAN 2" in first
    [second] = ask(channel, "layanan 2")
    assert "ktp-el" in first and "ktp-el" not in second
    assert sms_parts(first) <= 3


def test_alamat(channel, demo_office):
    [reply] = ask(channel, "lokasi")
    assert demo_office.name in reply


def test_unanswerable_text_goes_to_staff_with_polite_reply(channel):
    [reply] = ask(channel, "terima kasih banyak pak camat")
    assert "Petugas akan membalas" in reply
    inbound = Message.objects.get(direction=Message.Direction.IN)
    assert inbound.needs_reply


def test_a_weak_guess_offers_choices_and_also_reaches_the_staff(channel):
    [reply] = ask(channel, "halo saya mau protes jalan rusak")
    assert reply.startswith("Maksud Anda:") and "Petugas kami akan membalas" in reply
    assert sms_parts(reply) <= 3
    assert Message.objects.get(direction=Message.Direction.IN).needs_reply


def test_a_likely_but_unclear_question_offers_choices_only(channel):
    [reply] = ask(channel, "pagi pak, surat keterangan")
    assert reply.startswith("Maksud Anda:") and "Petugas" not in reply
    assert not Message.objects.get(direction=Message.Direction.IN).needs_reply


def test_empty_message_is_silence(channel):
    assert ask(channel, "   ") == []


@pytest.mark.django_db
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=3000))
def test_any_text_gets_replies_or_silence_never_an_error(demo_office, text):
    channel = create_test_channel(demo_office)
    urn = get_or_create_urn(CITIZEN, channel=channel)
    result = respond(Context(channel=channel, urn=urn, contact=urn.contact, text=text))
    for reply in result.replies:
        assert reply.text.strip()
        assert sms_parts(reply.text) <= 3


@pytest.mark.django_db
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    words=st.lists(st.sampled_from(["syarat", "ktp", "1", "2", "JAM", "#", ".", "layanan", "99", "stop", "é", "😀"]))
)
def test_keyword_soup_never_errors(demo_office, words):
    channel = create_test_channel(demo_office)
    urn = get_or_create_urn(CITIZEN, channel=channel)
    result = respond(Context(channel=channel, urn=urn, contact=urn.contact, text=" ".join(words)))
    for reply in result.replies:
        assert reply.text.strip()
        assert sms_parts(reply.text) <= 3


def test_menu_text_without_office_fits(channel):
    urn = get_or_create_urn(CITIZEN, channel=channel)
    assert sms_parts(menu_text(Context(channel=channel, urn=urn, contact=urn.contact, text=""))) == 1
