"""Reading the PDFs back the way a person would: their text, pages and QR codes."""

import re
import shutil
import subprocess

import pytest


def _need(program: str) -> str:
    path = shutil.which(program)
    if path is None:
        pytest.skip(f"{program} is not installed (apt-get install poppler-utils zbar-tools)")
    return path


def pdf_text(pdf: bytes, *, layout: bool = False) -> str:
    """The PDF's text with all whitespace collapsed, so wrapped lines still match.

    `layout` keeps each printed line together (table rows, label and value side by side);
    without it text is read column by column, which keeps wrapped paragraphs whole.
    """
    args = [_need("pdftotext"), *(["-layout"] if layout else []), "-", "-"]
    out = subprocess.run(args, input=pdf, capture_output=True, check=True).stdout
    return " ".join(out.decode().split())


def page_count(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page\b", pdf))


def qr_codes_on_page(pdf: bytes, page: int) -> list[str]:
    png = subprocess.run(
        [_need("pdftoppm"), "-r", "100", "-png", "-f", str(page), "-l", str(page), "-"],
        input=pdf,
        capture_output=True,
        check=True,
    ).stdout
    result = subprocess.run([_need("zbarimg"), "-q", "--raw", "-"], input=png, capture_output=True)
    return result.stdout.decode().split()
