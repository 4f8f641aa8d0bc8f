"""Access to the queue's staff rows: the office's own staff only, 404 for everyone else."""

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _

from layan.offices.access import get_office_for_user
from layan.offices.models import Office

from .models import Counter, Ticket


def get_counter_for_user(
    request: HttpRequest, office: str, number: int, *, write: bool = False
) -> tuple[Office, Counter]:
    office_obj = get_office_for_user(request, office, write=write)
    counter = Counter.objects.filter(office=office_obj, number=number, is_active=True).first()
    if counter is None:
        raise Http404(_("Loket tidak ditemukan"))
    return office_obj, counter


def get_ticket_for_counter(counter: Counter, pk: int | str | None) -> Ticket:
    """A ticket of the counter's office (today or not: the service refuses what it cannot do)."""
    found = pk is not None and str(pk).isdigit()
    ticket = (
        Ticket.objects.filter(office_id=counter.office_id, pk=int(str(pk))).select_related("lane").first()
        if found
        else None
    )
    if ticket is None:
        raise Http404(_("Nomor antrian tidak ditemukan"))
    return ticket
