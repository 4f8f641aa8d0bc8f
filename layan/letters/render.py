"""A letter as PDF, compiled with typst from typst/letter.typ, the way the catalogue compiles its
guidebook: all content reaches the template as one JSON document in `sys.inputs.data`, so no text
typed by an officer or a citizen can become typst markup.

`LetterContent` holds what is printed; services.py builds it from the application and the template.
"""

import base64
import datetime as dt
import io
import json
import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import typst
from django.utils import formats, translation
from django.utils.translation import gettext as _
from PIL import Image

from layan.catalogue import links
from layan.catalogue.guidebook import FONT_DIR, qr_svg
from layan.offices.models import Office

TEMPLATE_DIR = Path(__file__).resolve().parent / "typst"
# An official letter is in the national language whatever the officer's browser asks.
DOCUMENT_LANGUAGE = "id"
FACTS_PLACEHOLDER = "{data_pemohon}"
LOGO_TYPES = {b"\x89PNG\r\n\x1a\n": "image/png", b"\xff\xd8\xff": "image/jpeg"}


def default_body() -> str:
    """The body of a service without a template of its own (and the starting point of one)."""
    return _(
        "Yang bertanda tangan di bawah ini, {jabatan}, menerangkan dengan sebenarnya bahwa:\n\n"
        "{data_pemohon}\n\n"
        "telah mengajukan permohonan {layanan} dengan nomor permohonan {kode_permohonan} pada tanggal "
        "{tanggal_permohonan}, dan berkas persyaratannya telah diperiksa serta dinyatakan lengkap.\n\n"
        "Demikian surat ini dibuat dengan sebenarnya untuk dipergunakan sebagaimana mestinya."
    )


class _Blank(dict):
    """Unknown placeholders stay as written, so a typo shows on the preview instead of failing."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def fill(text: str, values: Mapping[str, str]) -> str:
    try:
        return string.Formatter().vformat(text, (), _Blank(values))
    except (ValueError, IndexError, AttributeError):
        return text


def body_blocks(body: str, values: Mapping[str, str], facts: list[tuple[str, str]]) -> list[dict]:
    """The body's paragraphs (separated by blank lines) with the placeholders filled; a paragraph that is
    only {data_pemohon} becomes the table of the applicant's data."""
    blocks: list[dict] = []
    for paragraph in (p.strip() for p in body.replace("\r\n", "\n").split("\n\n")):
        if not paragraph:
            continue
        if paragraph == FACTS_PLACEHOLDER:
            blocks.append({"kind": "facts", "rows": [{"label": k, "value": v} for k, v in facts]})
        else:
            blocks.append({"kind": "text", "text": " ".join(fill(paragraph, values).split())})
    return blocks


@dataclass
class LetterContent:
    office: Office
    number: str
    date: dt.date
    subject: str
    body: list[dict]
    signer_name: str
    signer_title: str
    signer_nip: str
    attachment: str = "-"
    # Set once signed: the QR and the footer then point at the verification page.
    verify_url: str = ""
    draft: bool = True
    logo: bytes = field(default=b"", repr=False)


def format_date(value: dt.date) -> str:
    with translation.override(DOCUMENT_LANGUAGE):
        return formats.date_format(value, "j F Y")


def _office_data(office: Office, logo: str) -> dict:
    district = office.district
    regency = district.regency
    contacts = [
        f"{label} {value}"
        for label, value in ((_("Telepon"), office.phone), (_("Email"), office.email))
        if value and not value.strip().endswith("000000")
    ]
    contacts.append(links.office_page_url(office.slug).split("://", 1)[-1])
    return {
        "government": _("Pemerintah %(regency)s") % {"regency": regency.name},
        "name": office.name,
        "district": district.name,
        "address": office.address,
        "contacts": " · ".join(contacts),
        "logo": logo,
    }


def letter_data(content: LetterContent, logo: str = "") -> dict:
    office = content.office
    with translation.override(DOCUMENT_LANGUAGE):
        labels = {
            "number": _("Nomor"),
            "attachment": _("Lampiran"),
            "subject": _("Perihal"),
            "nip": _("NIP"),
            "draft": _("DRAF"),
            "scan": _("Pindai untuk memeriksa keaslian"),
            "signed_electronically": _("Ditandatangani secara elektronik"),
        }
        verify_note = (
            _(
                "Surat ini ditandatangani secara elektronik dengan kunci kantor %(office)s. Periksa keasliannya "
                "dengan memindai kode QR atau membuka %(url)s"
            )
            % {"office": office.name, "url": content.verify_url}
            if content.verify_url
            else _("DRAF: belum ditandatangani, belum sah dan belum dapat diverifikasi.")
        )
        return {
            "labels": labels,
            "office": _office_data(office, logo),
            "letter": {
                "number": content.number,
                "attachment": content.attachment or "-",
                "subject": content.subject,
                "place_date": f"{office.district.name}, {format_date(content.date)}",
                "body": content.body,
            },
            "signer": {"name": content.signer_name, "title": content.signer_title, "nip": content.signer_nip},
            "draft": content.draft,
            "signed": not content.draft,
            "qr": qr_svg(content.verify_url) if content.verify_url else "",
            "verify_note": verify_note,
        }


def _fonts() -> list[Path]:
    return [FONT_DIR] if FONT_DIR.is_dir() else []


def logo_svg(logo: bytes) -> str:
    """The office's PNG/JPEG logo wrapped in an SVG (a data: URI), so it reaches typst inside the JSON
    data like every other input; '' for anything that is not a PNG or JPEG image."""
    mime = next((m for magic, m in LOGO_TYPES.items() if logo.startswith(magic)), "")
    if not mime:
        return ""
    try:
        with Image.open(io.BytesIO(logo)) as image:
            width, height = image.size
    except (OSError, ValueError):
        return ""
    encoded = base64.b64encode(logo).decode("ascii")
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}">'
        f'<image width="{width}" height="{height}" xlink:href="data:{mime};base64,{encoded}"/></svg>'
    )


def render_letter(content: LetterContent) -> bytes:
    """The letter as an A4 PDF (unsigned: signing appends its block to these bytes)."""
    data = letter_data(content, logo_svg(content.logo) if content.logo else "")
    return typst.compile(
        TEMPLATE_DIR / "letter.typ",
        root=TEMPLATE_DIR,
        font_paths=_fonts(),
        ignore_system_fonts=True,
        sys_inputs={"data": json.dumps(data, ensure_ascii=False)},
    )
