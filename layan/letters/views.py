"""Public pages of letters (the office's public key, the verification page) and the staff pages."""

from django.http import Http404, HttpResponse

from layan.offices.access import get_public_office
from layan.offices.http import public_page

from . import keys


@public_page
def public_key(request, office_slug):
    """The office's current public key (PEM): all the offline verifier needs besides the letter."""
    office = get_public_office(office_slug)
    record = keys.current_key(office)
    if record is None:
        raise Http404("Kantor ini belum mempunyai kunci tanda tangan")
    response = HttpResponse(record.public_key, content_type="application/x-pem-file; charset=us-ascii")
    response["Content-Disposition"] = f'inline; filename="kunci-publik-{office.slug}.pem"'
    return response
