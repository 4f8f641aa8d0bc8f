"""Access to conversations: staff of the office only; missing and not-yours are both 404."""

from django.http import Http404, HttpRequest

from layan.offices.access import get_office_for_user
from layan.offices.models import Office

from .models import Contact, Message


def get_conversation_for_user(
    request: HttpRequest, office_slug: str, contact_uuid, *, write: bool = False
) -> tuple[Office, Contact]:
    office = get_office_for_user(request, office_slug, write=write)
    contact = Contact.objects.filter(uuid=contact_uuid).first()
    if contact is None or not Message.objects.filter(office=office, contact=contact).exists():
        raise Http404("Percakapan tidak ditemukan")
    return office, contact
