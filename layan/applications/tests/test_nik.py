"""NIK structure checks: 16 digits, a known kecamatan, a real birth date (women: day + 40)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from layan.applications.nik import parse_nik, validate_nik

TODAY = dt.date(2026, 3, 6)


@pytest.fixture
def regions(personas):
    return personas


def refused(value: str) -> str:
    with pytest.raises(ValidationError) as exc:
        validate_nik(value, today=TODAY)
    message = " ".join(exc.value.messages)
    digits = "".join(ch for ch in value if ch.isdigit())
    if len(digits) >= 6:
        assert digits not in message  # the NIK is never repeated back
    return message


def test_a_mans_nik(regions):
    facts = parse_nik("1609101205900001", today=TODAY)
    assert facts.district_code == "16.09.10"
    assert facts.birth_date == dt.date(1990, 5, 12)
    assert not facts.is_female


def test_a_womans_nik_has_day_plus_40(regions):
    facts = parse_nik("1609105205900002", today=TODAY)
    assert facts.birth_date == dt.date(1990, 5, 12)
    assert facts.is_female


def test_spaces_dots_and_dashes_are_ignored(regions):
    assert validate_nik(" 1609 1012 0590 0001 ", today=TODAY) == "1609101205900001"
    assert validate_nik("1609.1012.0590.0001", today=TODAY) == "1609101205900001"


def test_the_century_is_the_latest_that_is_not_in_the_future(regions):
    assert parse_nik("1609100101100001", today=TODAY).birth_date == dt.date(2010, 1, 1)
    assert parse_nik("1609100101300001", today=TODAY).birth_date == dt.date(1930, 1, 1)
    assert parse_nik("1609100101260001", today=TODAY).birth_date == dt.date(2026, 1, 1)


def test_a_leap_day(regions):
    assert parse_nik("1609102902000001", today=TODAY).birth_date == dt.date(2000, 2, 29)
    assert "tanggal lahir" in refused("1609102902010001")


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("", "wajib diisi"),
        ("16091012059000", "16 angka (yang diisi 14 angka)"),
        ("160910120590000123", "16 angka"),
        ("16091012O5900001", "hanya berisi angka"),
        ("3171011205900001", "bukan kode kecamatan"),  # a Jakarta code the regions table does not hold
        ("1609103202900001", "tanggal lahir"),  # day 32
        ("1609107205900001", "tanggal lahir"),  # woman, day 72 - 40 = 32
        ("1609100013900001", "tanggal lahir"),  # month 13
        ("1609103102900001", "tanggal lahir"),  # 31 February
        ("1609104005900001", "tanggal lahir"),  # day 40: neither a man's nor a woman's
        ("1609100104260001", "belum lewat"),  # 1 April 2026, after TODAY
        ("1609101205900000", "0000"),
    ],
)
def test_invalid_niks_get_a_clear_indonesian_message(regions, value, words):
    assert words in refused(value)
