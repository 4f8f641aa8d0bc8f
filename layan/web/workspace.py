"""The staff workspace (meja kerja petugas) at /staf/<office>/: where staff land after login.

The home shows what needs attention now, one panel per provider below. A domain adds its
panel by writing `(office) -> layan.offices.attention.Panel` in its own module and listing it
here; the home then shows it, in this order.
"""

from collections.abc import Callable

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from layan.applications.attention import open_applications
from layan.letters.attention import letters_to_sign
from layan.messaging.attention import waiting_conversations
from layan.offices.access import get_office_for_user, offices_for_user, user_can_write
from layan.offices.attention import Panel
from layan.offices.models import Office
from layan.telephone.attention import voice_messages_to_return

PANEL_PROVIDERS: list[Callable[[Office], Panel]] = [
    waiting_conversations,
    voice_messages_to_return,
    open_applications,
    letters_to_sign,
]

CHOOSER_PAGE = 200


class StaffLoginView(auth_views.LoginView):
    """The staff login (/staf/masuk/); afterwards `start` picks the office (LOGIN_REDIRECT_URL)."""

    template_name = "web/staff_login.html"
    redirect_authenticated_user = True
    extra_context = {"title": _("Masuk petugas")}


class StaffLogoutView(auth_views.LogoutView):
    """POST only (Django's LogoutView refuses GET), with the CSRF token of the navigation bar's form."""

    next_page = "web:staff_login"


@login_required
def start(request: HttpRequest) -> HttpResponse:
    """/staf/: one office goes straight to its workspace; several get a chooser; none, a notice
    (a superuser without an office still has the Django admin)."""
    offices = list(offices_for_user(request.user).order_by("name").only("slug", "name")[: CHOOSER_PAGE + 1])
    if len(offices) == 1:
        return redirect("web:workspace", office=offices[0].slug)
    return render(
        request,
        "web/workspace_choose.html",
        {"offices": offices[:CHOOSER_PAGE], "more": len(offices) > CHOOSER_PAGE},
    )


@login_required
def home(request: HttpRequest, office: str) -> HttpResponse:
    """What needs attention now in this office, with how long each thing has waited."""
    office_obj = get_office_for_user(request, office)
    panels = [provider(office_obj) for provider in PANEL_PROVIDERS]
    context = {
        "office": office_obj,
        "panels": panels,
        "now": timezone.now(),
        "can_write": user_can_write(request.user, office_obj),
    }
    return render(request, "web/workspace_home.html", context)
