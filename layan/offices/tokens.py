"""Staff API tokens: created by the office admin, hashed at rest, checked on each API request.

    token = "lyn_" + 43 URL-safe characters (256 random bits)

Only its SHA-256 is stored (ApiToken.digest, unique): the lookup is one indexed query and a
leaked database does not leak usable tokens. The token is shown once, when created.
"""

import hashlib
import secrets

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import ApiToken, AuditEvent, Membership
from .services import record_audit_event

PREFIX = "lyn_"
SHOWN = 8  # characters after PREFIX kept in ApiToken.prefix
MAX_LENGTH = 100
# last_used_at is rewritten at most this often: a busy integration writes no UPDATE per request.
LAST_USED_PRECISION_S = 300


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _check_admin(office, actor) -> None:
    if actor is None:
        return  # the management command, run by the server's administrator
    if actor.is_superuser:
        return
    if not Membership.objects.filter(office=office, user=actor, role=Membership.Role.ADMIN).exists():
        raise PermissionDenied(_("Hanya admin kantor yang boleh mengelola token API."))


@transaction.atomic
def create_api_token(membership: Membership, *, name: str, actor=None) -> tuple[ApiToken, str]:
    """A new token for `membership` (its office and, at each request, its role): the row and the
    token text, which is never stored and cannot be shown again."""
    _check_admin(membership.office, actor)
    token = PREFIX + secrets.token_urlsafe(32)
    row = ApiToken.objects.create(
        membership=membership,
        name=" ".join(name.split())[:80] or _("Token API"),
        prefix=token[: len(PREFIX) + SHOWN],
        digest=digest(token),
        created_by=actor,
    )
    record_audit_event(
        membership.office,
        actor=actor,
        action=AuditEvent.Action.CREATE_API_TOKEN,
        target=f"{row.prefix}… {membership.user.get_username()}",
    )
    return row, token


@transaction.atomic
def revoke_api_token(token: ApiToken, *, actor=None) -> ApiToken:
    office = token.membership.office
    _check_admin(office, actor)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record_audit_event(office, actor=actor, action=AuditEvent.Action.REVOKE_API_TOKEN, target=f"{token.prefix}…")
    return token


def authenticate_token(token: str) -> ApiToken | None:
    """The live token `token` is, with its membership, office and user; None otherwise."""
    if not token.startswith(PREFIX) or len(token) > MAX_LENGTH:
        return None
    found = (
        ApiToken.objects.select_related("membership__office", "membership__user")
        .filter(digest=digest(token), revoked_at__isnull=True, membership__user__is_active=True)
        .first()
    )
    if found is None:
        return None
    now = timezone.now()
    if found.last_used_at is None or (now - found.last_used_at).total_seconds() > LAST_USED_PRECISION_S:
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        found.last_used_at = now
    return found
