"""Tracking codes: round trips, the forms people type, and typos caught by the check symbol."""

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from layan.applications import tracking
from layan.applications.models import Application
from layan.applications.queries import find_by_tracking
from layan.applications.tracking import ALPHABET, TrackingCodeError

from .helpers import submit

NUMBERS = st.integers(min_value=0, max_value=2**40 - 1)
SAMPLES = [0, 1, 31, 2**20 + 12345, 987654321012, 2**40 - 1]


@given(NUMBERS)
def test_code_round_trip(number):
    code = tracking.encode(number)
    assert tracking.parse(code) == number


@given(NUMBERS)
def test_digits_round_trip(number):
    digits = tracking.encode_digits(number)
    assert len(digits) == 14 and digits.isdigit()
    assert tracking.parse(digits) == number
    assert tracking.parse(tracking.group_digits(digits)) == number


@given(NUMBERS)
def test_code_is_nine_symbols_in_threes_from_the_32_symbol_alphabet(number):
    code = tracking.encode(number)
    groups = code.split("-")
    assert [len(g) for g in groups] == [3, 3, 3]
    assert set("".join(groups)) <= set(ALPHABET)
    assert not set("ILOU") & set(code)


def test_at_least_40_random_bits():
    assert tracking.BITS >= 40
    seen = {tracking.generate() for _ in range(2000)}
    assert len(seen) == 2000
    assert max(seen) >= 2**39  # the top bit is used


@pytest.mark.parametrize("number", SAMPLES)
def test_parse_forgives_case_spaces_dashes_and_look_alikes(number):
    code = tracking.encode(number)
    compact = code.replace("-", "")
    variants = [
        code.lower(),
        compact,
        " ".join(compact),
        compact[:3] + " - " + compact[3:6] + "." + compact[6:],
        compact.replace("1", "I").replace("0", "O"),
        compact.replace("1", "l").replace("0", "o"),
        compact.replace("1", "L"),
    ]
    for variant in variants:
        assert tracking.parse(variant) == number, variant


@pytest.mark.parametrize("number", SAMPLES)
def test_every_single_wrong_symbol_is_caught(number):
    compact = tracking.encode(number).replace("-", "")
    for position, wrong in itertools.product(range(len(compact)), ALPHABET):
        if wrong == compact[position]:
            continue
        typo = compact[:position] + wrong + compact[position + 1 :]
        with pytest.raises(TrackingCodeError, match="salah ketik"):
            tracking.parse(typo)


@pytest.mark.parametrize("number", SAMPLES)
def test_every_swap_of_two_symbols_is_caught(number):
    compact = tracking.encode(number).replace("-", "")
    for i, j in itertools.combinations(range(len(compact)), 2):
        if compact[i] == compact[j]:
            continue
        swapped = list(compact)
        swapped[i], swapped[j] = swapped[j], swapped[i]
        with pytest.raises(TrackingCodeError):
            tracking.parse("".join(swapped))


@pytest.mark.parametrize("number", SAMPLES)
def test_keypad_digit_typos_and_adjacent_swaps_are_caught(number):
    digits = tracking.encode_digits(number)
    for position, wrong in itertools.product(range(len(digits)), "0123456789"):
        if wrong != digits[position]:
            with pytest.raises(TrackingCodeError):
                tracking.parse(digits[:position] + wrong + digits[position + 1 :])
    for i in range(len(digits) - 1):
        if digits[i] != digits[i + 1]:
            swapped = digits[:i] + digits[i + 1] + digits[i] + digits[i + 2 :]
            with pytest.raises(TrackingCodeError):
                tracking.parse(swapped)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "terdiri dari 9"),
        ("K7M-2QX", "terdiri dari 9"),
        ("K7M-2QX-9PCA", "terdiri dari 9"),
        ("K7M-2QX-9PU", "tidak dipakai"),
        ("K7M-2QX-9P*", "tidak dipakai"),
        ("12345", "terdiri dari 9"),
    ],
)
def test_what_is_not_a_code_gets_an_indonesian_message(text, message):
    with pytest.raises(TrackingCodeError, match=message):
        tracking.parse(text)
    assert tracking.try_parse(text) is None


def test_the_application_shows_both_forms(personas):
    application = submit(personas.office)
    assert tracking.parse(application.tracking_code) == application.tracking_number
    assert tracking.parse(application.tracking_digits) == application.tracking_number
    assert str(application).startswith(application.tracking_code)


def test_find_by_tracking_reads_either_form_typed_loosely(personas):
    application = submit(personas.office)
    code = application.tracking_code
    assert find_by_tracking(code) == application
    assert find_by_tracking(code.lower().replace("-", " ")) == application
    assert find_by_tracking(application.tracking_digits) == application
    assert find_by_tracking(code, office=personas.office) == application
    assert find_by_tracking(code, office=personas.other_office) is None


def test_find_by_tracking_is_none_for_a_typo_or_an_unknown_code(personas):
    application = submit(personas.office)
    compact = application.tracking_code.replace("-", "")
    wrong = ALPHABET[(ALPHABET.index(compact[0]) + 1) % 32] + compact[1:]
    assert find_by_tracking(wrong) is None
    assert find_by_tracking("nonsense") is None
    unknown = (application.tracking_number + 1) % 2**40
    assert find_by_tracking(tracking.encode(unknown)) is None


def test_find_by_tracking_is_one_query(personas, django_assert_num_queries):
    application = submit(personas.office)
    with django_assert_num_queries(1):
        found = find_by_tracking(application.tracking_code)
        assert found.office.slug == "kisam-tinggi" and found.version.name


def test_a_collision_is_retried_with_a_new_number(personas, monkeypatch):
    first = submit(personas.office)
    numbers = iter([first.tracking_number, first.tracking_number, 123456789])
    monkeypatch.setattr(tracking, "generate", lambda: next(numbers))
    second = submit(personas.office, applicant_name="Budi")
    assert second.tracking_number == 123456789
    assert Application.objects.count() == 2
    assert second.checks.count() == 2 and second.status_changes.count() == 1
