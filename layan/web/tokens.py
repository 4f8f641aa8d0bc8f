"""The office admin's API tokens screen (/staf/<office>/profil/token/): who has a token for the
staff API, create one for a member (shown once), revoke one. Only the admin sees it."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from layan.offices.access import get_office_for_user
from layan.offices.models import ApiToken, Membership, Office
from layan.offices.tokens import create_api_token, revoke_api_token


class MemberField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.user.get_username()} ({obj.get_role_display()})"


class TokenForm(forms.Form):
    member = MemberField(label=gettext_lazy("Untuk staf"), queryset=Membership.objects.none())
    name = forms.CharField(
        label=gettext_lazy("Nama token"),
        max_length=80,
        help_text=gettext_lazy("Untuk apa token ini, mis. 'Aplikasi desa'."),
    )

    def __init__(self, *args, office: Office, **kwargs):
        super().__init__(*args, **kwargs)
        members = Membership.objects.filter(office=office).select_related("user").order_by("user__username")
        field = self.fields["member"]
        assert isinstance(field, MemberField)
        field.queryset = members


def _page(
    request: HttpRequest, office: Office, *, form: TokenForm | None = None, new_token: str = "", status: int = 200
):
    tokens = ApiToken.objects.filter(membership__office=office).select_related("membership__user")
    context = {"office": office, "tokens": tokens, "form": form or TokenForm(office=office), "new_token": new_token}
    return render(request, "web/profile/tokens.html", context, status=status)


@login_required
def tokens(request: HttpRequest, office_slug: str) -> HttpResponse:
    return _page(request, get_office_for_user(request, office_slug, admin=True))


@login_required
@require_POST
def create_token(request: HttpRequest, office_slug: str) -> HttpResponse:
    office = get_office_for_user(request, office_slug, admin=True)
    form = TokenForm(request.POST, office=office)
    if not form.is_valid():
        return _page(request, office, form=form, status=400)
    _row, token = create_api_token(form.cleaned_data["member"], name=form.cleaned_data["name"], actor=request.user)
    # Shown on this answer only: the token is not stored, and a reload does not show it again.
    return _page(request, office, new_token=token)


@login_required
@require_POST
def revoke_token(request: HttpRequest, office_slug: str, pk: int) -> HttpResponse:
    office = get_office_for_user(request, office_slug, admin=True)
    token = get_object_or_404(ApiToken, pk=pk, membership__office=office)
    revoke_api_token(token, actor=request.user)
    messages.success(request, _("Token %(prefix)s… dicabut.") % {"prefix": token.prefix})
    return redirect("web:profile_tokens", office_slug=office.slug)
