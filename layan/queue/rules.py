"""The office's queue rules in the workspace (/staf/<office>/antrian/aturan/): the ordering of
priority tickets, the waiting room's capacity and pandemic mode, the walk-in quota and the
estimate's default service time.

Anyone on the office's staff may read them; only an office admin changes them.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from layan.offices.access import get_office_for_user, user_is_office_admin

from . import services
from .forms import QueueRulesForm
from .models import QueueSettings


@login_required
def rules(request: HttpRequest, office: str) -> HttpResponse:
    office_obj = get_office_for_user(request, office, admin=request.method == "POST")
    can_admin = user_is_office_admin(request.user, office_obj)
    form = QueueRulesForm(request.POST or None, instance=QueueSettings.for_office(office_obj))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.save_queue_rules(office_obj, actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Aturan antrian disimpan. Berlaku mulai nomor dan panggilan berikutnya."))
                return redirect("queue:rules", office=office_obj.slug)
        status = 400
    if not can_admin:
        for field in form.fields.values():
            field.disabled = True
    context = {"office": office_obj, "form": form, "can_admin": can_admin}
    return render(request, "queue/rules.html", context, status=status)
