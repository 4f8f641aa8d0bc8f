"""Writes to the catalogue: drafts and publishing."""

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from layan.offices.services import bump_catalogue_revision, record_audit_event

from .models import Requirement, Service, ServiceVersion, Step

# Fields copied from one version to the next draft (everything but identity and lifecycle).
CONTENT_FIELDS = [
    "name",
    "category",
    "summary",
    "time_value",
    "time_unit",
    "time_note",
    "fee_idr",
    "fee_note",
    "output",
    "complaint_handling",
    "legal_basis",
    "facilities",
    "competence",
    "supervision",
    "staff_count",
    "staff_note",
    "guarantee",
    "security",
    "evaluation",
    "keywords",
]
REQUIREMENT_FIELDS = ["order", "document", "form", "count", "condition", "upload_accepted", "note"]
STEP_FIELDS = ["order", "actor", "action", "duration_minutes"]


class PublishError(Exception):
    pass


@transaction.atomic
def start_draft(service: Service) -> ServiceVersion:
    """The service's open draft, or a new one copied from its current published version."""
    draft = service.versions.filter(status=ServiceVersion.Status.DRAFT).first()
    if draft:
        return draft
    source = service.current_version
    if source is None:
        raise PublishError("Layanan belum punya versi untuk disalin.")
    draft = ServiceVersion.objects.create(
        service=service, office_id=service.office_id, **{f: getattr(source, f) for f in CONTENT_FIELDS}
    )
    Requirement.objects.bulk_create(
        Requirement(version=draft, **{f: getattr(r, f) for f in REQUIREMENT_FIELDS}) for r in source.requirements.all()
    )
    Step.objects.bulk_create(Step(version=draft, **{f: getattr(s, f) for f in STEP_FIELDS}) for s in source.steps.all())
    return draft


@transaction.atomic
def update_service(
    service: Service, *, is_active: bool | None = None, order: int | None = None, group: str | None = None
) -> Service:
    """Show/hide a service, move it in the list or to another group; every cached page, index and PDF refreshes."""
    if is_active is not None:
        service.is_active = is_active
    if order is not None:
        service.order = order
    if group is not None:
        service.group = group
    service.save(update_fields=["is_active", "order", "group"])
    bump_catalogue_revision(service.office_id)
    return service


@transaction.atomic
def publish_service_version(version: ServiceVersion, *, user=None, note: str = "") -> ServiceVersion:
    """Freeze a draft as the service's next numbered version and make it the one everybody sees.

    Bumps the office's catalogue revision in the same transaction, which invalidates the cached
    pages, search index and guidebook in every process.
    """
    version = ServiceVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != ServiceVersion.Status.DRAFT:
        raise PublishError("Hanya draf yang dapat diterbitkan.")
    if not version.requirements.exists():
        raise PublishError("Layanan harus punya sedikitnya satu persyaratan.")
    if not version.steps.exists():
        raise PublishError("Layanan harus punya sedikitnya satu langkah prosedur.")
    service = Service.objects.select_for_update().get(pk=version.service_id)
    last = service.versions.aggregate(n=Max("number"))["n"] or 0
    service.versions.filter(status=ServiceVersion.Status.PUBLISHED).update(status=ServiceVersion.Status.SUPERSEDED)
    version.number = last + 1
    version.status = ServiceVersion.Status.PUBLISHED
    version.published_at = timezone.now()
    version.published_by = user if user is not None and user.is_authenticated else None
    if note:
        version.change_note = note
    version.save()
    service.current_version = version
    service.save(update_fields=["current_version"])
    bump_catalogue_revision(service.office_id)
    return version


def version_content(version: ServiceVersion) -> tuple[dict, list[dict], list[dict]]:
    """What an officer edits in a version: its fields, its requirement rows and its step rows (in order)."""
    content = {f: getattr(version, f) for f in CONTENT_FIELDS}
    requirements = [{f: getattr(r, f) for f in REQUIREMENT_FIELDS if f != "order"} for r in version.requirements.all()]
    steps = [{f: getattr(s, f) for f in STEP_FIELDS if f != "order"} for s in version.steps.all()]
    return content, requirements, steps


def open_draft(service: Service) -> ServiceVersion | None:
    return service.versions.filter(status=ServiceVersion.Status.DRAFT).first()


@transaction.atomic
def save_draft(
    service: Service, *, user=None, content: dict, requirements: list[dict], steps: list[dict]
) -> ServiceVersion | None:
    """Store an officer's edit of `service` in its draft, which the first real change creates.

    `requirements` and `steps` are the rows in their new order (fields as in REQUIREMENT_FIELDS and
    STEP_FIELDS, without `order`). Returns the draft, or None when nothing differs from the version
    being edited (the open draft, else the published one): opening and saving unchanged makes no draft.
    """
    service = Service.objects.select_for_update().get(pk=service.pk)
    draft = open_draft(service)
    base = draft or service.current_version
    if base is not None and version_content(base) == (content, requirements, steps):
        return None
    if draft is None:
        draft = start_draft(service)
    for field, value in content.items():
        if field not in CONTENT_FIELDS:
            raise ValueError(f"not a content field: {field}")
        setattr(draft, field, value)
    draft.save()
    draft.requirements.all().delete()
    draft.steps.all().delete()
    Requirement.objects.bulk_create(Requirement(version=draft, order=i, **row) for i, row in enumerate(requirements, 1))
    Step.objects.bulk_create(Step(version=draft, order=i, **row) for i, row in enumerate(steps, 1))
    record_audit_event(service.office, actor=user, action="catalogue.draft_saved", target=service.code)
    return draft


@transaction.atomic
def discard_draft(service: Service, *, user=None) -> bool:
    """Delete the service's open draft (the published version stays); False when there was none."""
    draft = open_draft(service)
    if draft is None or draft.pk == service.current_version_id:
        return False
    draft.delete()
    record_audit_event(service.office, actor=user, action="catalogue.draft_discarded", target=service.code)
    return True


@transaction.atomic
def publish_draft(service: Service, *, user, note: str) -> ServiceVersion:
    """Publish the service's open draft with the officer's note, audited."""
    draft = open_draft(service)
    if draft is None:
        raise PublishError("Tidak ada draf untuk diterbitkan.")
    version = publish_service_version(draft, user=user, note=note)
    record_audit_event(
        service.office, actor=user, action="catalogue.version_published", target=f"{service.code} v{version.number}"
    )
    return version


@transaction.atomic
def set_service_visibility(service: Service, *, user, is_active: bool) -> Service:
    """Show or hide a service on every channel, audited."""
    update_service(service, is_active=is_active)
    action = "catalogue.service_shown" if is_active else "catalogue.service_hidden"
    record_audit_event(service.office, actor=user, action=action, target=service.code)
    return service
