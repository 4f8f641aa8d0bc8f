"""Concatenated SMS for the Gammu outbox: split a text into parts with their UDH.

gammu-smsd sends each outbox part as it is; the phone joins the parts by the UDH
`05 00 03 <ref> <total> <seq>` (IEI 00, 8-bit reference). GSM-7 parts hold 153 septets, UCS-2 parts
67 UTF-16 units: the UDH takes the rest of the 140 octets.
"""

from dataclasses import dataclass

from layan.messaging.gsm import GSM7_EXTENDED, PART_GSM, PART_UCS2, SINGLE_GSM, SINGLE_UCS2, is_gsm7

from .models import Coding


@dataclass(frozen=True)
class Part:
    text: str
    udh: str  # hex, "" for a single SMS


def _cost(ch: str, gsm: bool) -> int:
    if gsm:
        return 2 if ch in GSM7_EXTENDED else 1
    return 2 if ord(ch) > 0xFFFF else 1  # a surrogate pair is never split


def _chunks(text: str, size: int, gsm: bool) -> list[str]:
    chunks: list[str] = []
    current: list[str] = []
    used = 0
    for ch in text:
        cost = _cost(ch, gsm)
        if used + cost > size:
            chunks.append("".join(current))
            current, used = [], 0
        current.append(ch)
        used += cost
    if current:
        chunks.append("".join(current))
    return chunks


def coding_for(text: str) -> str:
    return Coding.GSM7 if is_gsm7(text) else Coding.UCS2


def split_parts(text: str, *, reference: int) -> list[Part]:
    """One Part for a short text; otherwise parts with UDH sharing `reference` (0–255).

    Keep `reference` stable per message (derived from its uuid) so a resend is the same SMS.
    """
    gsm = is_gsm7(text)
    single, size = (SINGLE_GSM, PART_GSM) if gsm else (SINGLE_UCS2, PART_UCS2)
    if sum(_cost(ch, gsm) for ch in text) <= single:
        return [Part(text, "")]
    chunks = _chunks(text, size, gsm)
    if len(chunks) > 255:
        raise ValueError("text too long for one concatenated SMS")
    total = len(chunks)
    return [Part(chunk, f"050003{reference % 256:02X}{total:02X}{seq:02X}") for seq, chunk in enumerate(chunks, 1)]
