"""Access helpers: the one place that decides which office a staff user may see or change.

"Missing" and "not yours" both give 404, so an outsider cannot probe which offices exist
in staff views; read-only roles get PermissionDenied on writes.
"""

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import QuerySet
from django.http import Http404, HttpRequest

from .models import Membership, Office

WRITE_ROLES = [Membership.Role.ADMIN, Membership.Role.STAFF]


def offices_for_user(user) -> QuerySet[Office]:
    if not user.is_authenticated:
        return Office.objects.none()
    if user.is_superuser:
        return Office.objects.all()
    return Office.objects.filter(memberships__user=user).distinct()


def writable_offices_for_user(user) -> QuerySet[Office]:
    if not user.is_authenticated:
        return Office.objects.none()
    if user.is_superuser:
        return Office.objects.all()
    return Office.objects.filter(memberships__user=user, memberships__role__in=WRITE_ROLES).distinct()


def get_membership(user, office: Office) -> Membership | None:
    """The user's membership of `office`, looked up once per user object: a staff page asks
    several times (the view's access check, its write buttons, the navigation bar), and
    `request.user` lives for one request."""
    if not user.is_authenticated:
        return None
    memberships = user.__dict__.setdefault("_layan_memberships", {})
    if office.pk not in memberships:
        memberships[office.pk] = Membership.objects.filter(user=user, office=office).first()
    return memberships[office.pk]


def user_can_write(user, office: Office) -> bool:
    """May `user` change `office`'s data (admin or staff role, or a superuser)?"""
    if user.is_authenticated and user.is_superuser:
        return True
    membership = get_membership(user, office)
    return membership is not None and membership.can_write


def user_is_office_admin(user, office: Office) -> bool:
    """May `user` change the office itself (its profile, staff, channels)?"""
    if user.is_authenticated and user.is_superuser:
        return True
    membership = get_membership(user, office)
    return membership is not None and membership.role == Membership.Role.ADMIN


def get_office_for_user(request: HttpRequest, slug: str, *, write: bool = False, admin: bool = False) -> Office:
    """The office `slug` if the request's user is on its staff; 404 otherwise."""
    user = request.user
    office = offices_for_user(user).filter(slug=slug).first()
    if office is None:
        raise Http404("Kantor tidak ditemukan")
    if user.is_superuser:
        return office
    membership = get_membership(user, office)
    assert membership is not None
    if admin and membership.role != Membership.Role.ADMIN:
        raise PermissionDenied("Hanya admin kantor yang boleh mengubah ini.")
    if write and not membership.can_write:
        raise PermissionDenied("Peran Anda hanya boleh melihat.")
    return office


# The hottest lookup of the site: building this query with the ORM cost several times more
# than running it (test_access checks it against the model's table and columns).
OFFICE_REVISION_SQL = 'SELECT "id", "catalogue_revision" FROM "offices_office" WHERE "slug" = %s AND "is_active" = %s'


def public_office_revision(slug: str) -> tuple[int, int] | None:
    """(pk, catalogue_revision) of an active office, the key of every public cache; None if absent."""
    with connection.cursor() as cursor:
        cursor.execute(OFFICE_REVISION_SQL, [slug, True])
        row = cursor.fetchone()
    return (row[0], row[1]) if row else None


def get_public_office(slug: str, *, with_region: bool = False) -> Office:
    """An active office for the public pages and API; 404 otherwise.

    This runs on every public request, so by default it is one plain indexed lookup without
    joins (compiling the joined query cost more than running it). Pass `with_region=True`
    when the kecamatan/kabupaten/provinsi names will be shown.
    """
    offices = Office.objects.filter(slug=slug, is_active=True)
    if with_region:
        offices = offices.select_related("district__regency__province")
    try:
        return offices.get()
    except Office.DoesNotExist:
        raise Http404("Kantor tidak ditemukan") from None
