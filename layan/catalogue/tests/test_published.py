from layan.catalogue.models import Service
from layan.catalogue.services import update_service
from testkit.personas import create_service


def test_published_keeps_active_services_with_a_published_version(personas):
    shown = create_service(personas.office, "ktp")
    create_service(personas.office, "draft-only", publish=False)
    hidden = create_service(personas.office, "hidden")
    update_service(hidden, is_active=False)

    assert list(Service.objects.published().filter(office=personas.office)) == [shown]
    assert list(personas.office.services.published()) == [shown]
