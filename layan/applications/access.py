"""Access to applications: staff of the application's office only. "Missing" and "not yours"
are both 404 (an outsider cannot probe which applications exist); read-only roles get
PermissionDenied when they ask to write."""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest

from layan.offices.access import offices_for_user, user_can_write

from .models import Application, Attachment


def applications_for_user(user) -> QuerySet[Application]:
    """Every application the user may see (their offices')."""
    return Application.objects.filter(office__in=offices_for_user(user))


def get_application_for_user(request: HttpRequest, pk: int, *, write: bool = False, office=None) -> Application:
    """Application `pk` if the request's user is on its office's staff (and in `office`, an
    Office or its slug, when given: the office of the URL); 404 otherwise."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404("Permohonan tidak ditemukan") from None
    qs = applications_for_user(request.user).select_related("office", "service", "version")
    if office is not None:
        qs = qs.filter(office__slug=office) if isinstance(office, str) else qs.filter(office=office)
    application = qs.filter(pk=pk).first()
    if application is None:
        raise Http404("Permohonan tidak ditemukan")
    if write and not user_can_write(request.user, application.office):
        raise PermissionDenied("Peran Anda hanya boleh melihat.")
    return application


def get_attachment_for_user(request: HttpRequest, pk: int, *, write: bool = False, office=None) -> Attachment:
    """An uploaded document, under the same rule as its application; 404 otherwise."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404("Lampiran tidak ditemukan") from None
    attachment = Attachment.objects.select_related("application").filter(pk=pk).first()
    if attachment is None:
        raise Http404("Lampiran tidak ditemukan")
    try:
        get_application_for_user(request, attachment.application_id, write=write, office=office)
    except Http404:
        raise Http404("Lampiran tidak ditemukan") from None
    return attachment
