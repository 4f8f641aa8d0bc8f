"""In-process memory of what the engine answers from an office's published catalogue and profile.

An answer to "SYARAT KTP", "JAM" or "LAYANAN" depends only on the office's published versions,
hours, holidays and address, so it is computed once per process and catalogue revision and then
costs no query. Entries are keyed like the search index (`layan/catalogue/search.py`):
`(office.pk, office.catalogue_revision, office.created_at)`. Every publish, service show/hide and
office-profile edit (hours and holidays are inlines of the office admin) bumps the revision in
its own transaction, so `current_office` sees a new key on the next message and the answers are
rebuilt: a new version is answered at once, in every process, without a cross-process signal.
`created_at` guards against a primary key reused after a rolled-back test transaction. Old keys
age out of a small LRU (`MAX_OFFICES`).
"""

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from django.db import connection
from django.db.models import prefetch_related_objects

from layan.catalogue.models import Service, ServiceVersion
from layan.offices.models import Office

MAX_OFFICES = 64
# Names from the model, the value a parameter.
_REVISION_SQL = f"SELECT catalogue_revision, created_at FROM {Office._meta.db_table} WHERE id = %s"  # noqa: S608
_MISSING = object()


class _Entry:
    def __init__(self, office: Office):
        # The office row as of this revision, with hours and holidays prefetched so that
        # `is_open_at` and the JAM answer need no query.
        self.office = office
        self.answers: dict[tuple, Any] = {}
        self.versions: dict[str, ServiceVersion] | None = None


_entries: OrderedDict[tuple, _Entry] = OrderedDict()
_lock = threading.Lock()


def _key(office_id: int, revision: int, created_at) -> tuple:
    return (office_id, revision, created_at)


def _key_of(office: Office) -> tuple:
    return getattr(office, "_memo_key", None) or _key(office.pk, office.catalogue_revision, office.created_at)


def _entry(key: tuple, load: Callable[[], Office]) -> _Entry:
    with _lock:
        entry = _entries.get(key)
        if entry is not None:
            _entries.move_to_end(key)
            return entry
    # Loaded outside the lock: two threads may load the same revision once, which is harmless.
    office = load()
    prefetch_related_objects([office], "opening_hours", "holidays")
    entry = _Entry(office)
    with _lock:
        entry = _entries.setdefault(key, entry)
        while len(_entries) > MAX_OFFICES:
            _entries.popitem(last=False)
    return entry


def current_office(office_id: int) -> Office:
    """The office as it is now, for answering one message (or one batch of messages).

    One small query reads its revision; the row itself is loaded again only when that changed.
    The returned object is shared by every message of this revision in this process: read it,
    never modify it.
    """
    # Plain SQL: this runs for every message, and the ORM's query building would cost more than
    # the query. created_at is only a key here (a string on SQLite, a datetime on PostgreSQL).
    with connection.cursor() as cursor:
        cursor.execute(_REVISION_SQL, [office_id])
        row = cursor.fetchone()
    if row is None:
        raise Office.DoesNotExist(f"office {office_id}")
    revision, created_at = row
    key = _key(office_id, revision, created_at)
    office = _entry(key, lambda: Office.objects.get(pk=office_id)).office
    # The raw created_at differs in type from the field's: later look-ups use this same key.
    office._memo_key = key  # type: ignore[attr-defined]
    return office


def cached_office(office: Office) -> Office:
    """The shared copy of `office` (same revision) with hours and holidays prefetched."""
    return _entry(_key_of(office), lambda: office).office


def remember(office: Office, key: tuple, build: Callable[[], Any]) -> Any:
    """`build()`, computed once per (office revision, key) in this process. `key` must hold
    everything else the answer depends on (language, SMS size budget, open or closed…)."""
    entry = _entry(_key_of(office), lambda: office)
    value = entry.answers.get(key, _MISSING)
    if value is _MISSING:
        value = build()
        entry.answers[key] = value
    return value


def published_versions(office: Office) -> dict[str, ServiceVersion]:
    """Service code -> the published version of each of the office's active services, with its
    requirements, loaded in two queries once per revision: composing an answer that is not
    remembered yet (a new revision, a new SMS budget) reads no row."""
    entry = _entry(_key_of(office), lambda: office)
    if entry.versions is None:
        services = (
            Service.objects.published()
            .filter(office_id=office.pk)
            .select_related("current_version")
            .prefetch_related("current_version__requirements")
        )
        # Two threads may load the same revision once, which is harmless.
        entry.versions = {service.code: service.current_version for service in services if service.current_version}
    return entry.versions


def clear() -> None:
    with _lock:
        _entries.clear()
