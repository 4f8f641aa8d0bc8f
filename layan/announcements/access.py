"""Access to announcements in staff pages: staff of the office only; missing and not-yours are 404."""

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _

from layan.offices.access import get_office_for_user
from layan.offices.models import Office

from .models import Announcement


def get_announcement_for_user(
    request: HttpRequest, office_slug: str, pk: int, *, write: bool = False
) -> tuple[Office, Announcement]:
    office = get_office_for_user(request, office_slug, write=write)
    announcement = Announcement.objects.filter(office=office, pk=pk).first()
    if announcement is None:
        raise Http404(_("Pengumuman tidak ditemukan"))
    return office, announcement


def get_public_announcement(office: Office, pk: int) -> Announcement:
    """A public announcement, or a withdrawn one (its page says so); 404 otherwise."""
    announcement = Announcement.objects.public_or_withdrawn().filter(office=office, pk=pk).first()
    if announcement is None:
        raise Http404(_("Pengumuman tidak ditemukan"))
    return announcement
