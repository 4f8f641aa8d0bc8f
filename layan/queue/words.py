"""Numbers and letters as an Indonesian says them aloud, for the spoken queue call.

Rules (see ../shared/domain/SERVICE-DESK.md): "se-" stands for "satu" before puluh/belas/ratus/
ribu (sepuluh, sebelas, seratus, seribu); 12-19 are "<unit> belas"; then puluh, ratus, ribu, juta.
So 12 "dua belas", 110 "seratus sepuluh", 211 "dua ratus sebelas", 1000 "seribu", but 1,000,000
"satu juta" (there is no "sejuta" in a formal call).
"""

from __future__ import annotations

UNITS = ("nol", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan")

# Letters of a ticket prefix as they are read out ("A", "be", "ce", ... "zet"): spelled so that
# the synthesiser says the letter's name, not a sound, and so that a recorded clip has a word key.
LETTERS = {
    "A": "a",
    "B": "be",
    "C": "ce",
    "D": "de",
    "E": "e",
    "F": "ef",
    "G": "ge",
    "H": "ha",
    "I": "i",
    "J": "je",
    "K": "ka",
    "L": "el",
    "M": "em",
    "N": "en",
    "O": "o",
    "P": "pe",
    "Q": "ki",
    "R": "er",
    "S": "es",
    "T": "te",
    "U": "u",
    "V": "fe",
    "W": "we",
    "X": "eks",
    "Y": "ye",
    "Z": "zet",
}

MAX_NUMBER = 999_999_999


def _below_thousand(n: int) -> list[str]:
    """Words of 1..999 (nothing for 0)."""
    words: list[str] = []
    hundreds, rest = divmod(n, 100)
    if hundreds == 1:
        words.append("seratus")
    elif hundreds:
        words += [UNITS[hundreds], "ratus"]
    tens, units = divmod(rest, 10)
    if tens == 1:
        words.append({0: "sepuluh", 1: "sebelas"}.get(units) or f"{UNITS[units]} belas")
        return words
    if tens:
        words += [UNITS[tens], "puluh"]
    if units:
        words.append(UNITS[units])
    return words


def number_words(n: int) -> str:
    """`n` (0..999,999,999) in Indonesian words: 12 -> "dua belas", 1100 -> "seribu seratus"."""
    if not 0 <= n <= MAX_NUMBER:
        raise ValueError(f"{n} is outside 0..{MAX_NUMBER}")
    if n == 0:
        return UNITS[0]
    millions, rest = divmod(n, 1_000_000)
    thousands, rest = divmod(rest, 1000)
    words: list[str] = []
    if millions:
        words += [*_below_thousand(millions), "juta"]
    if thousands == 1:
        words.append("seribu")
    elif thousands:
        words += [*_below_thousand(thousands), "ribu"]
    words += _below_thousand(rest)
    return " ".join(words)


def letter_words(prefix: str) -> str:
    """A lane prefix read letter by letter: "A" -> "a", "BC" -> "be ce". Unknown characters are dropped."""
    return " ".join(LETTERS[ch] for ch in prefix.upper() if ch in LETTERS)
