"""Personal data on staff pages (UU 27/2022): one rule for NIK-like numbers, used by every page
through the `mask_nik` template filter (layan/offices/templatetags/privacy.py)."""

import re

# 16 digits, alone or written in groups ("1609 1234 5678 0001", "1609.1234.5678.0001"): a NIK or a
# KK number. No phone number has 16 digits (E.164 allows 15), so a phone is never caught by it.
NIK_LIKE = re.compile(r"(?<!\d)(?:\d[ .\-]?){15}\d(?!\d)")
HIDDEN = "•"


def _hide(match: re.Match[str]) -> str:
    digits = re.sub(r"\D", "", match.group(0))
    return digits[:4] + HIDDEN * 8 + digits[-4:]


def mask_nik(text: str) -> str:
    """Every NIK-like number in free text keeps its first and last four digits:
    'NIK saya 1609123456780001' -> 'NIK saya 1609••••••••0001'. Enough to tell two apart, not to use one."""
    return NIK_LIKE.sub(_hide, text)
