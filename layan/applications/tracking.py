"""Tracking codes: a random 40-bit number, written two ways.

    code    "K7M-2QX-9PC"      8 Crockford base32 symbols (5 bits each) + 1 check symbol, in
                               threes so it can be read aloud and noted down
    digits  "01234567890123"   13 decimal digits + 1 check digit, for the telephone keypad

`parse` reads either form back, tolerant of what people do to codes: lower case, spaces, dashes,
I or L for 1 and O for 0 (Crockford's own reading rules).

Why this check symbol: Crockford's optional check symbol is the value mod 37, which needs five
extra symbols (* ~ $ = U). They cannot be typed on a phone keypad, are read aloud differently by
everyone, and are exactly what a citizen copies wrong. Ours stays inside the 32 symbols: each
data symbol is a number in the field GF(32) (polynomial x^5 + x^2 + 1), multiplied by its own
weight α^1 … α^8, and the check symbol is the sum (weight α^0 = 1), so the weighted sum of all
nine symbols is zero. In a field a non-zero error times a non-zero weight is never zero, and two
different weights never cancel, so the check catches every single wrong symbol and every swap of
two symbols (adjacent or not). A plain mod-32 sum could not: 32 is not prime, so some errors
vanish in it. About 1 in 32 random garbles still pass: it is a typo check, not a secret.

The digits form uses the Damm algorithm (a totally anti-symmetric quasigroup of order 10): it
catches every single wrong digit and every swap of two adjacent digits, with one plain digit.
"""

import re
import secrets

BITS = 40
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford: no I, L, O, U
DATA_SYMBOLS = BITS // 5  # 8
CODE_LENGTH = DATA_SYMBOLS + 1  # 9 with the check symbol
DIGITS = len(str(2**BITS - 1))  # 13
DIGITS_LENGTH = DIGITS + 1  # 14 with the check digit

_VALUE = {ch: i for i, ch in enumerate(ALPHABET)}
# Crockford's reading rules: I and L are read as 1, O as 0.
_VALUE.update({"I": 1, "L": 1, "O": 0})
_SEPARATORS = re.compile(r"[\s\-_.]+")

# GF(32) from the primitive polynomial x^5 + x^2 + 1: exponent and logarithm tables.
_EXP: list[int] = []
_LOG = [0] * 32
_a = 1
for _i in range(31):
    _EXP.append(_a)
    _LOG[_a] = _i
    _a <<= 1
    if _a & 0b100000:
        _a ^= 0b100101
_WEIGHTS = [_EXP[i + 1] for i in range(DATA_SYMBOLS)]


def _gf_mul(a: int, b: int) -> int:
    if a == 0 or b == 0:
        return 0
    return _EXP[(_LOG[a] + _LOG[b]) % 31]


def _check_symbol(values: list[int]) -> int:
    total = 0
    for weight, value in zip(_WEIGHTS, values, strict=True):
        total ^= _gf_mul(weight, value)  # addition in GF(2^5) is XOR
    return total


# Damm's table (H. M. Damm, 2004): row = interim digit, column = next digit.
_DAMM = (
    (0, 3, 1, 7, 5, 9, 8, 6, 4, 2),
    (7, 0, 9, 2, 1, 5, 4, 8, 6, 3),
    (4, 2, 0, 6, 8, 7, 1, 3, 5, 9),
    (1, 7, 5, 0, 9, 8, 3, 4, 2, 6),
    (6, 1, 2, 3, 0, 4, 5, 9, 7, 8),
    (3, 6, 7, 4, 2, 0, 9, 5, 8, 1),
    (5, 8, 6, 9, 7, 2, 0, 1, 3, 4),
    (8, 9, 4, 5, 3, 6, 2, 0, 1, 7),
    (9, 4, 3, 8, 6, 1, 7, 2, 0, 5),
    (2, 5, 8, 1, 4, 3, 6, 7, 9, 0),
)


def damm_digit(digits: str) -> str:
    interim = 0
    for ch in digits:
        interim = _DAMM[interim][int(ch)]
    return str(interim)


class TrackingCodeError(ValueError):
    """A code that is not one; the message is for the citizen (Indonesian)."""


def generate() -> int:
    """A fresh random tracking number (the caller retries on the rare collision)."""
    return secrets.randbits(BITS)


def _check_range(number: int) -> None:
    if not 0 <= number < 2**BITS:
        raise ValueError(f"tracking number out of range: {number}")


def encode(number: int) -> str:
    """'K7M-2QX-9PC': the number in base32 with its check symbol, in threes."""
    _check_range(number)
    values = [(number >> (5 * (DATA_SYMBOLS - 1 - i))) & 31 for i in range(DATA_SYMBOLS)]
    values.append(_check_symbol(values))
    raw = "".join(ALPHABET[v] for v in values)
    return "-".join(raw[i : i + 3] for i in range(0, CODE_LENGTH, 3))


def compact(code: str) -> str:
    """'K7M2QX9PC': the code without separators (for an SMS command, a URL)."""
    return code.replace("-", "")


def encode_digits(number: int) -> str:
    """The keypad form: 13 digits, zero-padded, and Damm's check digit."""
    _check_range(number)
    digits = f"{number:0{DIGITS}d}"
    return digits + damm_digit(digits)


def group_digits(digits: str) -> str:
    """'0123 4567 8901 23': the keypad form as it is printed and read out."""
    return " ".join(digits[i : i + 4] for i in range(0, len(digits), 4))


def normalize(text: str) -> str:
    return _SEPARATORS.sub("", (text or "").strip()).upper()


def parse(text: str) -> int:
    """The tracking number in `text`, either form; raises TrackingCodeError (Indonesian message)."""
    raw = normalize(text)
    if len(raw) == DIGITS_LENGTH and raw.isdigit():
        if damm_digit(raw[:-1]) != raw[-1]:
            raise TrackingCodeError("Nomor lacak salah ketik: periksa lagi angkanya.")
        return int(raw[:-1])
    if len(raw) != CODE_LENGTH:
        raise TrackingCodeError(
            f"Kode lacak terdiri dari {CODE_LENGTH} huruf/angka (mis. K7M-2QX-9PC) "
            f"atau {DIGITS_LENGTH} angka; periksa lagi."
        )
    try:
        values = [_VALUE[ch] for ch in raw]
    except KeyError:
        raise TrackingCodeError("Kode lacak berisi huruf yang tidak dipakai; periksa lagi.") from None
    if _check_symbol(values[:-1]) != values[-1]:
        raise TrackingCodeError("Kode lacak salah ketik: periksa lagi huruf dan angkanya.")
    number = 0
    for value in values[:-1]:
        number = (number << 5) | value
    return number


def try_parse(text: str) -> int | None:
    """`parse`, or None for anything that is not a valid code."""
    try:
        return parse(text)
    except TrackingCodeError:
        return None
