"""Access to letters in staff pages: staff of the letter's office only; missing and not-yours are 404.
Who may sign or revoke is decided by services.py (signer_for, can_revoke)."""

from django.http import Http404, HttpRequest

from layan.offices.access import get_office_for_user
from layan.offices.models import Office

from .models import Letter


def get_letter_for_user(
    request: HttpRequest, office_slug: str, pk: int, *, write: bool = False
) -> tuple[Office, Letter]:
    office = get_office_for_user(request, office_slug, write=write)
    letter = (
        Letter.objects.without_pdf()
        .select_related("application__service", "application__version", "application__village")
        .filter(office=office, pk=pk)
        .first()
    )
    if letter is None:
        raise Http404("Surat tidak ditemukan")
    return office, letter


def get_public_letter(office: Office, token: str) -> Letter:
    """The letter behind a verification address, of this office; 404 otherwise."""
    letter = Letter.objects.without_pdf().filter(office=office, token=token).first()
    if letter is None:
        raise Http404("Surat tidak ditemukan")
    return letter
