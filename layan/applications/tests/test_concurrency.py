"""Two officers verify the same application at the same moment: one change wins, the other is
refused ("sudah berstatus") on the status the first left, because the row is locked.
PostgreSQL only: SQLite serialises writers."""

import threading

import pytest
from django.db import connection, connections

from layan.applications.models import Application, StatusChange
from layan.applications.services import ApplicationError, change_status

from .helpers import submit


@pytest.mark.slow
@pytest.mark.real_component("postgresql")
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_changes_from_the_same_status_apply_once(personas):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL) for row locks between connections")
    application = submit(personas.office)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def click(actor) -> None:
        try:
            mine = Application.objects.get(pk=application.pk)
            barrier.wait()
            change_status(mine, to="diverifikasi", actor=actor)
            outcomes.append("ok")
        except ApplicationError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=click, args=(personas.staff,)),
        threading.Thread(target=click, args=(personas.admin,)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["ok", "refused"]
    assert StatusChange.objects.filter(application=application).count() == 2
    assert Application.objects.get(pk=application.pk).status == "diverifikasi"
