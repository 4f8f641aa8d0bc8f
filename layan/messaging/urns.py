"""URNs, RapidPro style: `scheme:path`, with Indonesian phone numbers normalised to E.164."""

import functools
import re

import phonenumbers

from layan.offices.privacy import HIDDEN

from .channels import urn_schemes

DEFAULT_REGION = "ID"


# A WhatsApp business-scoped user id (BSUID): an ISO 3166 country code, a dot, up to 128
# letters and digits ("US.13491208655302741918"; "US.ENT.…" for a parent BSUID). Users who
# adopt a WhatsApp username may come with only this, no phone number. It is kept as it came.
_BSUID = re.compile(r"[A-Z]{2}(\.ENT)?\.[A-Za-z0-9]{1,128}")


class URNError(ValueError):
    pass


def is_bsuid(value: str) -> bool:
    return bool(_BSUID.fullmatch(value or ""))


def normalize_phone(number: str, region: str = DEFAULT_REGION) -> str:
    """'0812-3456-7890', '62812…', '+62 812 …' -> '+628123456789'; URNError if it is not a number."""
    return _normalize_phone(number if isinstance(number, str) else str(number or ""), region)


# Citizens write again and again from the same numbers: parsing one costs more than answering it.
@functools.lru_cache(maxsize=8192)
def _normalize_phone(number: str, region: str) -> str:
    raw = number.strip()
    digits = "".join(ch for ch in raw if ch.isdigit())
    if not digits:
        raise URNError("Nomor telepon kosong atau tidak valid.")
    # "62812…" without the plus is common in gateway payloads; phonenumbers would read it as local.
    candidate = raw if raw.startswith("+") else ("+" + digits if digits.startswith("62") else digits)
    try:
        parsed = phonenumbers.parse(candidate, region)
    except phonenumbers.NumberParseException as exc:
        raise URNError("Nomor telepon tidak valid.") from exc
    if not phonenumbers.is_possible_number(parsed):
        raise URNError("Nomor telepon tidak valid.")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def tel_urn(number: str) -> str:
    return "tel:" + normalize_phone(number)


def parse_urn(urn: str) -> tuple[str, str]:
    """'tel:+62…' -> ('tel', '+62…'); a bare phone number is read as tel. Normalises tel paths."""
    text = (urn or "").strip()
    scheme, sep, path = text.partition(":")
    if not sep:
        return "tel", normalize_phone(text)
    scheme = scheme.lower()
    if scheme not in urn_schemes():
        raise URNError(f"Skema URN tidak dikenal: {scheme!r}.")
    path = path.strip()
    if scheme == "tel":
        path = normalize_phone(path)
    elif scheme == "whatsapp" and not is_bsuid(path):
        # A phone number (wa_id): digits only. A BSUID is a URN of its own, not its digits.
        path = "".join(ch for ch in path if ch.isdigit())
    if not path:
        raise URNError("URN tanpa alamat.")
    return scheme, path


def normalize_urn(urn: str) -> str:
    scheme, path = parse_urn(urn)
    return f"{scheme}:{path}"


def mask_phone(number: str) -> str:
    """The one phone mask for lists (the staff inbox, the call log): '+6281234567890' ->
    '+62812•••••890', enough to recognise a citizen, not to dial them."""
    if len(number) <= 9:
        return HIDDEN * len(number)
    return number[:6] + HIDDEN * (len(number) - 9) + number[-3:]


def mask_urn(identity: str) -> str:
    """For lists: a phone as `mask_phone` does ('tel:+6281234567890' -> '+62812•••••890'); other
    schemes keep the ends only."""
    scheme, _, path = identity.partition(":")
    if scheme == "tel":
        return mask_phone(path)
    if len(path) <= 4:
        return f"{scheme}:{HIDDEN * 4}"
    return f"{scheme}:{path[:2]}{HIDDEN * 4}{path[-2:]}"
