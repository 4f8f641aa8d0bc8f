"""Access to the phone line's rows: the office's own staff only, 404 for everyone else."""

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _

from layan.offices.access import get_office_for_user
from layan.offices.models import Office

from .models import CallLog, VoiceMessage


def get_call_for_user(request: HttpRequest, office: str, pk: int) -> tuple[Office, CallLog]:
    office_obj = get_office_for_user(request, office)
    call = CallLog.objects.filter(office=office_obj, pk=pk).select_related("service__current_version").first()
    if call is None:
        raise Http404(_("Panggilan tidak ditemukan"))
    return office_obj, call


def get_voice_message_for_user(
    request: HttpRequest, office: str, pk: int, *, write: bool = False
) -> tuple[Office, VoiceMessage]:
    office_obj = get_office_for_user(request, office, write=write)
    message = VoiceMessage.objects.filter(office=office_obj, pk=pk).first()
    if message is None:
        raise Http404(_("Pesan suara tidak ditemukan"))
    return office_obj, message
