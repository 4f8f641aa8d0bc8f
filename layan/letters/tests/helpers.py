"""Small create_* helpers for the letters tests: an application ready for its letter, a camat."""

from layan.applications.models import Status
from layan.applications.services import change_status
from layan.applications.tests.helpers import submit
from layan.letters.models import Signer
from layan.offices.models import Membership
from testkit.personas import create_user

CAMAT_NIP = "197001011990031001"


def create_signer(office, username="camat_a", *, title="Camat Kisam Tinggi", name="Drs. H. Ahmad Fauzi, M.Si."):
    user = create_user(username, office, Membership.Role.STAFF)
    Signer.objects.create(membership=user.memberships.get(office=office), title=title, nip=CAMAT_NIP, full_name=name)
    return user


def processed_application(office, actor, **fields):
    application = submit(office, **fields)
    change_status(application, to=Status.DIVERIFIKASI, actor=actor)
    change_status(application, to=Status.DIPROSES, actor=actor)
    return application
