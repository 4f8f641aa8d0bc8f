"""Documents a citizen attaches to an application: PDF, JPEG or PNG, judged by their content.

The file name and the browser's declared type are never trusted: a renamed program, a page of HTML
that calls itself a PDF or a photo with a ZIP glued to its end are all refused or neutralised here.

- Images are decoded and re-encoded with Pillow. What is stored is the new file, so nothing but the
  pixels survives: no EXIF (the phone's GPS position, its serial number), no comments, no bytes
  appended after the image.
- A PDF cannot be re-encoded without a PDF library; it must start with a real header at byte 0 and
  end with a real trailer (`startxref` … `%%EOF`), with no ZIP directory near its end and none of the
  active-content names a scanned document never has (JavaScript, launch actions, embedded files).
  That is a first filter, not a sandbox: the download view also sends `Content-Security-Policy:
  sandbox` so a browser opening the file runs nothing in the site's origin.
- Stored names are random (`<32 hex>.<ext>`) under settings.LAYAN_UPLOAD_DIR, a private directory
  (0700, files 0600) outside static and media, reachable only through the permission-checked view.

The size limit is settings.LAYAN_UPLOAD_MAX_BYTES (5 MB by default).
"""

import hashlib
import io
import os
import re
import secrets
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from django import forms
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image, ImageOps, UnidentifiedImageError

from .services import add_attachment

PDF, JPEG, PNG = "application/pdf", "image/jpeg", "image/png"
EXTENSIONS = {PDF: "pdf", JPEG: "jpg", PNG: "png"}
ACCEPT = ",".join([".pdf", ".jpg", ".jpeg", ".png", PDF, JPEG, PNG])  # the picker's hint, nothing more
# A sheet of A4 photographed at 600 dpi is ~35 million pixels; more is a decompression bomb, not a document.
MAX_PIXELS = 40_000_000
JPEG_QUALITY = 90  # a re-encoded KTP stays legible
STORED_NAME = re.compile(r"^[0-9a-f]{32}\.(?:pdf|jpg|png)$")
ORIGINAL_NAME_MAX = 100

_PDF_HEADER = re.compile(rb"^%PDF-[12]\.\d")
# Names that make a PDF do something when opened; a scan or an exported letter has none of them.
_PDF_ACTIVE = re.compile(rb"/(?:JavaScript|Launch|EmbeddedFiles?|RichMedia|XFA)(?![A-Za-z0-9])")
# A ZIP reader looks for its end-of-central-directory record in the last 64 KiB + 22 bytes.
_ZIP_EOCD, _ZIP_TAIL = b"PK\x05\x06", 65_557
_TRAILING = b" \t\r\n\x00\x0c"


class UploadRejected(ValidationError):
    """The file is not one we accept; the message tells the citizen why, in Indonesian."""


@dataclass(frozen=True)
class CleanUpload:
    """An accepted document, ready to store: `content` is what will be written (re-encoded for images)."""

    content: bytes
    content_type: str
    original_name: str

    @property
    def extension(self) -> str:
        return EXTENSIONS[self.content_type]

    @property
    def size(self) -> int:
        return len(self.content)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


def max_upload_bytes() -> int:
    return int(settings.LAYAN_UPLOAD_MAX_BYTES)


def sniff(head: bytes) -> str | None:
    """The type the first bytes announce (PDF, JPEG or PNG), or None for anything else."""
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    return None


def safe_original_name(name: str) -> str:
    """The citizen's file name for display only: its last path component, printable, at most 100 chars.
    It never becomes part of a path on disk ("../../etc/passwd" -> "passwd")."""
    name = unicodedata.normalize("NFC", str(name or ""))
    name = re.split(r"[/\\]", name)[-1]
    name = "".join(c for c in name if unicodedata.category(c)[0] not in "CZ" or c == " ").strip(" .")
    return name[-ORIGINAL_NAME_MAX:] or "berkas"


def clean_upload(file: IO[bytes], *, name: str = "", size: int | None = None) -> CleanUpload:
    """Accept `file` as a PDF, JPEG or PNG document or raise UploadRejected with a message for the citizen."""
    limit = max_upload_bytes()
    too_big = UploadRejected(
        _("Berkas terlalu besar: paling besar %(limit)s.") % {"limit": _human_size(limit)}, code="too_big"
    )
    if size is not None and size > limit:
        raise too_big
    data = file.read(limit + 1)  # never trust the declared size alone
    if len(data) > limit:
        raise too_big
    if not data:
        raise UploadRejected(_("Berkas kosong."), code="empty")
    kind = sniff(data[:16])
    if kind is None:
        raise UploadRejected(_("Hanya berkas PDF, JPG atau PNG yang diterima."), code="type")
    original = safe_original_name(name or getattr(file, "name", ""))
    if kind == PDF:
        _check_pdf(data)
        return CleanUpload(content=data, content_type=PDF, original_name=original)
    return CleanUpload(content=_reencode(data, kind), content_type=kind, original_name=original)


def _check_pdf(data: bytes) -> None:
    broken = UploadRejected(_("Berkas PDF rusak atau bukan PDF yang sah."), code="pdf")
    if not _PDF_HEADER.match(data):
        raise broken
    body = data.rstrip(_TRAILING)
    if not body.endswith(b"%%EOF") or b"startxref" not in body[-1024:]:
        raise broken
    if _ZIP_EOCD in data[-_ZIP_TAIL:]:
        raise broken
    if _PDF_ACTIVE.search(data):
        raise UploadRejected(
            _("PDF berisi skrip atau berkas sisipan dan tidak diterima. Unggah hasil pindai atau foto dokumen."),
            code="pdf_active",
        )


def _reencode(data: bytes, kind: str) -> bytes:
    """Decode the image and write a new one with nothing but its pixels (orientation applied first)."""
    broken = UploadRejected(_("Gambar rusak atau tidak dapat dibaca."), code="image")
    try:
        with Image.open(io.BytesIO(data), formats=["JPEG" if kind == JPEG else "PNG"]) as image:
            if image.width * image.height > MAX_PIXELS:
                raise UploadRejected(_("Gambar terlalu besar (terlalu banyak piksel)."), code="pixels")
            image.load()
            picture = ImageOps.exif_transpose(image)
    except UploadRejected:
        raise
    except (OSError, SyntaxError, ValueError, UnidentifiedImageError, Image.DecompressionBombError) as exc:
        raise broken from exc
    picture.info = {}  # EXIF, ICC, comments, PNG text chunks: none is written back
    out = io.BytesIO()
    if kind == JPEG:
        if picture.mode not in ("L", "RGB"):
            picture = picture.convert("RGB")
        picture.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True)
    else:
        if picture.mode not in ("1", "L", "LA", "P", "RGB", "RGBA"):
            picture = picture.convert("RGBA")
        picture.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _human_size(limit: int) -> str:
    if limit >= 1024 * 1024:
        return f"{limit / (1024 * 1024):g} MB".replace(".", ",")
    return f"{limit // 1024} KB"


# --- Storage ---------------------------------------------------------------------------------------


def upload_root() -> Path:
    """settings.LAYAN_UPLOAD_DIR, created 0700; refused when it would sit inside a served directory."""
    root = Path(settings.LAYAN_UPLOAD_DIR).resolve()
    served = [settings.STATIC_ROOT, *settings.STATICFILES_DIRS]
    for public in served:
        public = Path(public).resolve()
        if root == public or public in root.parents:
            raise ImproperlyConfigured(f"LAYAN_UPLOAD_DIR ({root}) must not be inside a static directory ({public}).")
    root.mkdir(mode=0o700, parents=True, exist_ok=True)
    return root


def stored_path(stored_name: str) -> Path:
    """Where a stored document lives; only names this module made are accepted."""
    if not STORED_NAME.match(stored_name):
        raise ValueError("not a stored upload name")
    return upload_root() / stored_name[:2] / stored_name


def store_upload(upload: CleanUpload) -> str:
    """Write the document under a new random name (0600) and return that name."""
    while True:
        stored_name = f"{secrets.token_hex(16)}.{upload.extension}"
        path = stored_path(stored_name)
        path.parent.mkdir(mode=0o700, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # 128 random bits: practically never
            continue
        with os.fdopen(fd, "wb") as f:
            f.write(upload.content)
        return stored_name


def open_stored(stored_name: str) -> IO[bytes]:
    return stored_path(stored_name).open("rb")


def remove_stored(stored_name: str) -> None:
    """Delete a stored document (e.g. its application's transaction was rolled back); missing is fine."""
    stored_path(stored_name).unlink(missing_ok=True)


def save_attachment(application, upload: CleanUpload, *, requirement_check=None, uploaded_by=None):
    """Store `upload` and record it as an Attachment of `application` (services.add_attachment).
    The file is removed again when the record cannot be written. Called inside the caller's
    transaction; a rollback after this returns leaves an orphan file (never served, no row names it)."""
    stored_name = store_upload(upload)
    try:
        return add_attachment(
            application,
            stored_name=stored_name,
            content_type=upload.content_type,
            size=upload.size,
            sha256=upload.sha256,
            original_name=upload.original_name,
            uploaded_by=uploaded_by,
            requirement_check=requirement_check,
        )
    except BaseException:
        remove_stored(stored_name)
        raise


# --- Form field ------------------------------------------------------------------------------------


class DocumentField(forms.FileField):
    """A file input whose cleaned value is a CleanUpload (or None when left empty)."""

    default_error_messages = {"invalid": gettext_lazy("Berkas tidak terbaca. Coba unggah lagi.")}

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("accept", ACCEPT)

    def clean(self, data, initial=None):
        file = super().clean(data, initial)
        if not file:
            return None
        file.seek(0)
        return clean_upload(file, name=file.name, size=file.size)
