"""Dialogue tests: an answer tells each citizen the requirements of their own case, with the form
and condition of each (demo catalogue of Kisam Tinggi, the 3-part SMS budget)."""

import pytest

from layan.messaging.gsm import is_gsm7, sms_parts

from .helpers import ask, create_test_channel

LINK = "/kisam-tinggi/layanan/"


@pytest.fixture
def channel(demo_office):
    return create_test_channel(demo_office)


def fits(reply: str) -> bool:
    return is_gsm7(reply) and sms_parts(reply) <= 3


def test_a_question_without_a_case_lists_every_requirement_with_its_form_and_condition(channel):
    [reply] = ask(channel, "syarat ktp")
    assert "fotokopi Kartu Keluarga" in reply
    assert "KTP-el lama (jika rusak/ganti data)" in reply
    assert "kepolisian (jika hilang)" in reply
    assert fits(reply) and reply.rstrip().endswith(LINK + "ktp-el/")


def test_ktp_hilang_asks_for_the_police_letter_and_not_the_old_ktp(channel):
    [reply] = ask(channel, "ktp hilang")
    assert "Syarat (hilang): 1.Surat keterangan kehilangan dari kepolisian" in reply
    assert "KTP-el lama" not in reply
    assert "fotokopi Kartu Keluarga" in reply and "Surat pengantar kepala desa" in reply
    assert "+1 syarat lain" in reply
    assert fits(reply) and reply.rstrip().endswith(LINK + "ktp-el/")


@pytest.mark.parametrize("text", ["ktp pertama", "bikin ktp baru umur 17", "anak sy mau bikin ktp pertama kali"])
def test_a_first_ktp_needs_neither_the_police_letter_nor_an_old_ktp(channel, text):
    [reply] = ask(channel, text)
    assert LINK + "ktp-el/" in reply
    assert "kepolisian" not in reply and "KTP-el lama" not in reply
    assert "Sudah berumur 17 tahun" in reply and "fotokopi Kartu Keluarga" in reply
    assert "+2 syarat lain" in reply and fits(reply)


def test_a_damaged_ktp_brings_the_old_one(channel):
    [reply] = ask(channel, "ktp sy rusak patah")
    assert "Syarat (rusak): 1.KTP-el lama (jika rusak/ganti data)" in reply
    assert "kepolisian" not in reply and fits(reply)


def test_kk_rusak_asks_for_the_damaged_kk_only(channel):
    [reply] = ask(channel, "kk rusak")
    assert LINK + "kartu-keluarga/" in reply
    assert "Syarat (rusak): 1.KK asli (untuk perubahan/jika rusak)" in reply
    assert "Buku nikah" not in reply and "pindah/datang" not in reply
    assert "+3 syarat lain" in reply and fits(reply)


def test_a_case_picked_from_choices_still_shapes_the_answer(channel):
    [choices] = ask(channel, "hilang")
    assert choices.splitlines()[1].startswith("1. Pelayanan KTP-el")
    [reply] = ask(channel, "1")
    assert "Syarat (hilang): 1.Surat keterangan kehilangan dari kepolisian" in reply
    assert "KTP-el lama" not in reply


def test_a_case_no_requirement_is_for_lists_everything_with_conditions(channel):
    [reply] = ask(channel, "akta kelahiran anak hilang")
    assert LINK + "pengantar-akta-kelahiran/" in reply
    assert "Syarat: 1." in reply and "(bila tidak ada surat lahir)" in reply
    assert "syarat lain" not in reply and fits(reply)
