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


def test_published_versions_are_the_current_versions_of_published_services(personas):
    from layan.catalogue.models import ServiceVersion
    from layan.catalogue.services import publish_service_version, start_draft

    shown = create_service(personas.office, "ktp")
    publish_service_version(start_draft(shown))  # version 1 superseded, version 2 current
    start_draft(shown)  # an open draft
    hidden = create_service(personas.office, "hidden")
    update_service(hidden, is_active=False)
    shown.refresh_from_db()

    assert list(ServiceVersion.objects.published()) == [shown.current_version]
