"""GSM-7 text: keep SMS in the 7-bit alphabet (160/153 characters a part instead of 70/67).

Any character outside GSM 03.38 switches the whole message to UCS-2, so outgoing text is
sanitised first: smart quotes, dashes and ellipses become ASCII.
"""

import functools

from .conf import sms_max_parts

GSM7_BASIC = (
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
# Extension table characters cost two septets (escape + char).
GSM7_EXTENDED = "^{}\\[~]|€\f"
_BASIC = set(GSM7_BASIC)
_EXTENDED = set(GSM7_EXTENDED)
_GSM7 = frozenset(GSM7_BASIC + GSM7_EXTENDED)

REPLACEMENTS = {
    "\u2018": "'",
    "\u2019": "'",
    "\u201a": "'",
    "\u201b": "'",
    "\u2032": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u201e": '"',
    "\u2033": '"',
    "\u00ab": '"',
    "\u00bb": '"',
    "\u2013": "-",
    "\u2014": "-",
    "\u2012": "-",
    "\u2212": "-",
    "\u2010": "-",
    "\u2011": "-",
    "\u2026": "...",
    "\u00a0": " ",
    "\u2007": " ",
    "\u202f": " ",
    "\u2009": " ",
    "\u200b": "",
    "\u2022": "-",
    "\u00b7": "-",
    "\t": " ",
    "\u00e1": "a",
    "\u00e2": "a",
    "\u00ea": "e",
    "\u00eb": "e",
    "\u00ed": "i",
    "\u00ee": "i",
    "\u00f3": "o",
    "\u00f4": "o",
    "\u00fa": "u",
    "\u00fb": "u",
    "\u00e7": "c",
    "\u2192": "->",
    "\u00d7": "x",
    "\u2116": "No.",
}

SINGLE_GSM, PART_GSM = 160, 153
SINGLE_UCS2, PART_UCS2 = 70, 67


# The same, as a table for str.translate: every reply goes through these, and a character-by-
# character loop in Python cost more than composing the reply.
_TRANSLATION = str.maketrans(REPLACEMENTS)


def to_gsm7(text: str) -> str:
    """Replace common non-GSM punctuation with ASCII; other characters are kept (they force UCS-2)."""
    return text.translate(_TRANSLATION)


def is_gsm7(text: str) -> bool:
    return _GSM7.issuperset(text)


def _length(text: str, gsm: bool) -> int:
    if gsm:
        return len(text) + sum(text.count(ch) for ch in GSM7_EXTENDED)
    # UCS-2 counts UTF-16 code units: an emoji outside the BMP is two.
    return len(text.encode("utf-16-le")) // 2


def sms_parts(text: str) -> int:
    """How many SMS parts `text` costs (0 for empty text)."""
    if not text:
        return 0
    gsm = is_gsm7(text)
    single, part = (SINGLE_GSM, PART_GSM) if gsm else (SINGLE_UCS2, PART_UCS2)
    length = _length(text, gsm)
    if length <= single:
        return 1
    return -(-length // part)


def split_sms(text: str, max_parts: int | None = None) -> list[str]:
    """Split `text` into SMS-sized parts at spaces (never mid-word unless a word is longer than a
    part). Beyond `max_parts` (default LAYAN_SMS_MAX_PARTS) the tail is cut at a word and the
    last part ends with '...'."""
    limit = max_parts if max_parts is not None else sms_max_parts()
    if not text:
        return []
    gsm = is_gsm7(text)
    single, part = (SINGLE_GSM, PART_GSM) if gsm else (SINGLE_UCS2, PART_UCS2)
    if _length(text, gsm) <= single:
        return [text]
    parts: list[str] = []
    rest = text
    while rest:
        if len(parts) == limit:
            break
        if _length(rest, gsm) <= part:
            parts.append(rest)
            rest = ""
            break
        cut = _fit(rest, part, gsm)
        parts.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest and parts:
        parts[-1] = _with_ellipsis(parts[-1], part, gsm)
    return [p for p in parts if p]


def fit_sms(text: str, max_parts: int | None = None) -> str:
    """`text` shortened at a word boundary so that it costs at most `max_parts` parts."""
    limit = max_parts if max_parts is not None else sms_max_parts()
    if sms_parts(text) <= limit:
        return text
    gsm = is_gsm7(text)
    budget = (PART_GSM if gsm else PART_UCS2) * limit
    cut = _fit(text, budget - 3, gsm)
    return text[:cut].rstrip() + "..."


@functools.lru_cache(maxsize=2048)
def sms_form(text: str, max_parts: int) -> tuple[str, int]:
    """`text` as it goes out by SMS (GSM-7 where possible, fitted to `max_parts`) and its part
    count. Remembered: the same answers go to many citizens."""
    text = fit_sms(to_gsm7(text), max_parts)
    return text, max(1, sms_parts(text))


def _fit(text: str, budget: int, gsm: bool) -> int:
    """Index to cut `text` so the head fits `budget`, preferring the last whitespace."""
    used = 0
    end = 0
    for i, ch in enumerate(text):
        cost = _length(ch, gsm)
        if used + cost > budget:
            break
        used += cost
        end = i + 1
    if end >= len(text):
        return end
    space = max(text.rfind(" ", 0, end + 1), text.rfind("\n", 0, end + 1))
    return space if space > 0 else max(end, 1)


def _with_ellipsis(part_text: str, budget: int, gsm: bool) -> str:
    cut = _fit(part_text, budget - 3, gsm) if _length(part_text, gsm) + 3 > budget else len(part_text)
    return part_text[:cut].rstrip() + "..."
