import pytest
from num2words import num2words

from layan.queue.words import letter_words, number_words


def test_every_number_from_1_to_999_reads_as_num2words_says_it():
    wrong = {n: number_words(n) for n in range(1, 1000) if number_words(n) != num2words(n, lang="id")}
    assert wrong == {}


@pytest.mark.parametrize("n", [1000, 1001, 1010, 1011, 1100, 1999, 2000, 2011, 10_000, 11_000, 12_345, 99_999])
def test_thousands_read_as_num2words_says_them(n):
    assert number_words(n) == num2words(n, lang="id")


@pytest.mark.parametrize(
    ("n", "words"),
    [
        (0, "nol"),
        (10, "sepuluh"),
        (11, "sebelas"),
        (12, "dua belas"),
        (21, "dua puluh satu"),
        (100, "seratus"),
        (110, "seratus sepuluh"),
        (111, "seratus sebelas"),
        (211, "dua ratus sebelas"),
        (1000, "seribu"),
        (1_000_000, "satu juta"),
        (2_001_000, "dua juta seribu"),
    ],
)
def test_the_rules_of_the_domain_notes(n, words):
    assert number_words(n) == words


@pytest.mark.parametrize("n", [-1, 1_000_000_000])
def test_numbers_out_of_range_are_refused(n):
    with pytest.raises(ValueError):
        number_words(n)


def test_letters_are_read_by_their_indonesian_names():
    assert letter_words("A") == "a"
    assert letter_words("b") == "be"
    assert letter_words("CX") == "ce eks"
    assert letter_words("Q-") == "ki"
