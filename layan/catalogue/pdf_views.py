"""The printed guidebook and the counter posters, served from their file cache."""

from collections.abc import Callable
from pathlib import Path

from django.http import FileResponse, Http404, HttpRequest

from layan.offices.access import get_public_office

from .guidebook import get_guidebook_pdf, get_poster_pdf
from .models import Service


def _pdf_response(cached: Callable[[], Path], filename: str) -> FileResponse:
    try:
        fh = cached().open("rb")
    except FileNotFoundError:
        # Two publishes in quick succession: the second one's first request removed our file.
        fh = cached().open("rb")
    # Inline: a citizen's phone opens it in the viewer; "save" still offers the readable name.
    return FileResponse(fh, content_type="application/pdf", filename=filename, as_attachment=False)


def guidebook_pdf(request: HttpRequest, office_slug: str) -> FileResponse:
    office = get_public_office(office_slug, with_region=True)
    return _pdf_response(lambda: get_guidebook_pdf(office), f"panduan-{office.slug}.pdf")


def poster_pdf(request: HttpRequest, office_slug: str, code: str) -> FileResponse:
    office = get_public_office(office_slug, with_region=True)
    service = (
        Service.objects.published()
        .filter(office=office, code=code)
        .select_related("current_version", "office__district__regency__province")
        .first()
    )
    if service is None:
        raise Http404("Layanan tidak ditemukan")
    return _pdf_response(lambda: get_poster_pdf(service), f"poster-{office.slug}-{service.code}.pdf")
