"""The printed SOP guidebook (buku panduan) and the per-service counter posters, as PDF.

Both are compiled with typst from the templates in `typst/`. Everything an officer typed reaches
the template as one JSON document in `sys.inputs.data` and is read there with `json(...)`: typst
treats those strings as plain text, so no escaping bug or markup injection is possible.

The guidebook is cached as a file per catalogue revision, which every publish bumps in its own
transaction: a file is served until the next publish and rebuilt on the first request after it.
"""

import datetime as dt
import functools
import io
import json
import os
import re
import tempfile
from pathlib import Path

import segno
import typst
from django.conf import settings
from django.utils import formats, translation
from django.utils.translation import gettext as _

from layan.offices.hours import format_spans, hour_runs
from layan.offices.models import Office

from . import links
from .models import Category, Service, ServiceVersion

TEMPLATE_DIR = Path(__file__).resolve().parent / "typst"
FONT_DIR = TEMPLATE_DIR / "fonts"
# The printed booklet is an official document in the national language whatever the reader's browser asks.
DOCUMENT_LANGUAGE = "id"


@functools.lru_cache(maxsize=4096)
def qr_svg(url: str) -> str:
    # Cached: choosing the best mask costs ~50 ms a code and a service's URL never changes.
    # Error level M survives a creased or sun-faded print; the 4-module quiet zone is kept.
    buffer = io.BytesIO()
    segno.make(url, error="m", micro=False).save(buffer, kind="svg", xmldecl=False, scale=4)
    return buffer.getvalue().decode()


def format_date(value: dt.datetime | None, office: Office) -> str:
    """'28 November 2026', in the office's own time zone."""
    if value is None:
        return ""
    return formats.date_format(value.astimezone(office.tz).date(), "j F Y")


# --- data for the templates --------------------------------------------------------------------


def _labels() -> dict[str, str]:
    return {
        "title": _("Buku Panduan Standar Pelayanan"),
        "subtitle": _("Persyaratan, prosedur, waktu, biaya dan produk setiap layanan"),
        "government": _("Pemerintah"),
        "province": _("Provinsi"),
        "edition": _("Edisi"),
        "contents": _("Daftar Isi"),
        "maklumat": _("Maklumat Pelayanan"),
        "page": _("Halaman"),
        "requirements": _("Persyaratan"),
        "requirements_hint": _("Centang setiap berkas yang sudah Anda siapkan sebelum datang ke loket."),
        "procedure": _("Prosedur"),
        "step_no": _("No."),
        "actor": _("Pelaksana"),
        "action": _("Kegiatan"),
        "duration": _("Waktu"),
        "time": _("Jangka waktu"),
        "fee": _("Biaya/tarif"),
        "output": _("Produk layanan"),
        "complaints": _("Penanganan pengaduan, saran dan masukan"),
        "legal_basis": _("Dasar hukum"),
        "version": _("Versi"),
        "published": _("terbit"),
        "code": _("kode layanan"),
        "scan": _("Pindai untuk persyaratan terbaru"),
        "scan_office": _("Semua layanan kantor ini"),
        "facilities_title": _("Sarana, Jam Layanan dan Saluran Informasi"),
        "facilities": _("Sarana dan fasilitas"),
        "hours": _("Jam layanan"),
        "contacts": _("Alamat dan saluran informasi"),
        "no_services": _("Belum ada layanan yang diterbitkan."),
        "free": _("GRATIS"),
        "free_note": _("tidak dipungut biaya"),
        "bring": _("Berkas yang perlu dibawa"),
        "ask": _("Tanya atau adukan layanan lewat"),
        "head_placeholder": "(................................................)",
    }


def _contacts(office: Office) -> list[dict[str, str]]:
    facebook = office.facebook_page
    if facebook and not facebook.startswith("http"):
        facebook = f"facebook.com/{facebook}"
    telegram = f"@{office.telegram_username.lstrip('@')}" if office.telegram_username else ""
    rows = [
        (_("Alamat"), office.address),
        (_("Telepon"), office.phone),
        (_("SMS"), office.sms_number),
        (_("WhatsApp"), office.whatsapp_number),
        (_("Facebook"), facebook),
        (_("Telegram"), telegram),
        (_("Email"), office.email),
        (_("Laman"), links.office_page_url(office.slug)),
    ]
    return [{"label": label, "value": value} for label, value in rows if value]


def _opening_hours(office: Office) -> list[dict[str, str]]:
    """Consecutive days with the same hours share a line: 'Senin–Kamis  08.00–15.30 WIB'; closed
    days too ('Sabtu–Minggu  Tutup'), and a last line for public holidays."""
    rows = [
        {
            "days": run.days("–"),
            "hours": format_spans(run.spans) + f" {office.tz_abbreviation}" if run.spans else str(_("Tutup")),
        }
        for run in hour_runs(office.opening_hours.all(), closed_days=True)
    ]
    rows.append({"days": str(_("Hari libur")), "hours": str(_("Tutup (libur nasional dan cuti bersama)"))})
    return rows


def _office_data(office: Office) -> dict:
    regency = office.district.regency
    return {
        "name": office.name,
        "slug": office.slug,
        "district": office.district.name,
        "address": office.address,
        "regency": regency.name,
        "province": regency.province.name,
        # "Camat Kisam Tinggi": the title the head signs the maklumat with.
        "signer": f"{office.head_title} {office.district.name}",
        "head_name": office.head_name,
        "contacts": _contacts(office),
        "hours": _opening_hours(office),
        "url": links.office_page_url(office.slug),
        "placeholder_warning": placeholder_warning(office),
    }


def placeholder_warning(office: Office) -> str:
    """Printed across the top of every page while the office's contacts are still placeholders."""
    fields = office.placeholder_fields()
    if not fields:
        return ""
    return _("CONTOH, JANGAN DICETAK: %(fields)s kantor masih isian contoh; lengkapi profil kantor di Admin.") % {
        "fields": ", ".join(fields)
    }


def _current(service: Service) -> ServiceVersion:
    # Only services with a published version reach the PDFs (published_services, the poster view).
    assert service.current_version is not None, service.code
    return service.current_version


def _service_data(service: Service, office: Office, version: ServiceVersion | None = None) -> dict:
    version = version or _current(service)
    return {
        "code": service.code,
        "name": version.name,
        "summary": version.summary,
        "number": version.number,
        "published": format_date(version.published_at, office),
        "url": links.service_page_url(office.slug, service.code),
        "qr": qr_svg(links.service_page_url(office.slug, service.code)),
        "requirements": [
            {"document": r.document, "detail": r.form_display(), "condition": r.condition, "note": r.note}
            for r in version.requirements.all()
        ],
        "steps": [
            {
                "actor": s.actor,
                "action": s.action,
                "duration": f"{s.duration_minutes} {_('menit')}" if s.duration_minutes else "—",
            }
            for s in version.steps.all()
        ],
        "time": version.time_display(),
        "time_note": version.time_note,
        "fee": version.fee_display(),
        "fee_note": version.fee_note,
        "is_free": version.is_free,
        "output": version.output,
        "complaints": version.complaint_handling,
        "legal_basis": [str(item) for item in version.legal_basis],
    }


def published_services(office: Office) -> list[Service]:
    """The services the public sees, perizinan first, each category in the office's order."""
    services = (
        Service.objects.published()
        .filter(office=office)
        .select_related("current_version")
        .prefetch_related("current_version__requirements", "current_version__steps")
        .order_by("order", "code")
    )
    rank = {value: i for i, value in enumerate(Category.values)}
    return sorted(services, key=lambda s: rank.get(_current(s).category, len(rank)))


def guidebook_data(office: Office) -> dict:
    services = published_services(office)
    dates = [_current(s).published_at for s in services]
    latest = max((d for d in dates if d is not None), default=None)
    categories = []
    for value, label in Category.choices:
        members = [_service_data(s, office) for s in services if _current(s).category == value]
        if members:
            categories.append({"label": str(label), "services": members})
    return {
        "labels": _labels(),
        "office": _office_data(office),
        "edition": format_date(latest, office),
        "maklumat": office.maklumat
        or _(
            "Dengan ini kami menyatakan sanggup menyelenggarakan pelayanan sesuai standar pelayanan yang telah "
            "ditetapkan dan apabila tidak menepati janji ini, kami siap menerima sanksi sesuai peraturan "
            "perundang-undangan yang berlaku."
        ),
        "facilities": [{"name": f.name, "description": f.description} for f in office.facilities.all()],
        "office_qr": qr_svg(links.office_page_url(office.slug)),
        "categories": categories,
    }


def poster_data(service: Service, version: ServiceVersion | None = None) -> dict:
    office = service.office
    return {"labels": _labels(), "office": _office_data(office), "service": _service_data(service, office, version)}


# --- compiling ---------------------------------------------------------------------------------


def _compile(template: str, data: dict) -> bytes:
    # Only the fonts typst embeds (plus any shipped in typst/fonts), never the host's: the same
    # catalogue gives the same booklet on every server.
    return typst.compile(
        TEMPLATE_DIR / template,
        root=TEMPLATE_DIR,
        font_paths=[FONT_DIR] if FONT_DIR.is_dir() else [],
        ignore_system_fonts=True,
        sys_inputs={"data": json.dumps(data, ensure_ascii=False)},
    )


def render_guidebook(office: Office) -> bytes:
    """The whole buku panduan of `office` as an A4 PDF."""
    with translation.override(DOCUMENT_LANGUAGE):
        return _compile("guidebook.typ", guidebook_data(office))


def render_poster(service: Service, *, version: ServiceVersion | None = None) -> bytes:
    """One A4 page for the counter wall: what to bring, how long, how much, and a QR code.

    Of the service's current version, or of `version` (the SOP editor previews a draft with it)."""
    with translation.override(DOCUMENT_LANGUAGE):
        return _compile("poster.typ", poster_data(service, version))


# --- file cache --------------------------------------------------------------------------------


def _write_atomically(path: Path, content: bytes) -> None:
    """Readers see the old file or the whole new one, never half of it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(content)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _cached_pdf(directory: Path, name: str, older: re.Pattern, revision: int, render) -> Path:
    """`directory/name`, compiled by `render()` if missing; then files matching `older` whose
    revision (group 1) is lower are removed.

    Only strictly older revisions go: a request that read the office just before a publish must
    not delete the file the publish's first request has just written.
    """
    path = directory / name
    if path.exists():
        return path
    _write_atomically(path, render())
    for other in directory.iterdir():
        match = older.fullmatch(other.name)
        if match and int(match.group(1)) < revision:
            other.unlink(missing_ok=True)
    return path


def _current_revision(office: Office) -> int:
    # Read fresh: the caller's office may have been loaded before the last publish.
    return Office.objects.filter(pk=office.pk).values_list("catalogue_revision", flat=True).get()


def get_guidebook_pdf(office: Office) -> Path:
    """Path of the office's guidebook for its current catalogue revision, compiled if missing."""
    revision = _current_revision(office)
    return _cached_pdf(
        Path(settings.VAR_DIR) / "guidebooks",
        f"{office.slug}-r{revision}.pdf",
        re.compile(re.escape(office.slug) + r"-r(\d+)\.pdf"),
        revision,
        lambda: render_guidebook(office),
    )


def get_poster_pdf(service: Service) -> Path:
    """Path of the poster of the service's current version, compiled if missing.

    Keyed by the version id and the office's catalogue revision: a new version gives a new poster,
    and so does anything else that bumps the revision (the poster also shows office contacts).
    """
    revision = _current_revision(service.office)
    return _cached_pdf(
        Path(settings.VAR_DIR) / "posters" / service.office.slug,
        f"{service.code}-v{service.current_version_id}-r{revision}.pdf",
        re.compile(re.escape(service.code) + r"-v\d+-r(\d+)\.pdf"),
        revision,
        lambda: render_poster(service),
    )
