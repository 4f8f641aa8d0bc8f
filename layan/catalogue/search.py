"""Catalogue search: one function used by the pages, the API and every messaging channel.

PLACEHOLDER implementation (substring match) while the real engine is written; the interface
below is the contract.
"""

from dataclasses import dataclass

from layan.offices.models import Office

from .models import Service


@dataclass(frozen=True)
class SearchHit:
    code: str
    name: str
    score: float  # 0..1, higher is better
    version_id: int


def search_services(office: Office, query: str, *, limit: int = 5) -> list[SearchHit]:
    """Published services of `office` ranked for a citizen's free-text `query`, best first."""
    words = [w for w in query.lower().split() if w]
    hits = []
    for service in office.services.filter(is_active=True, current_version__isnull=False).select_related(
        "current_version"
    ):
        v = service.current_version
        assert v is not None
        text = " ".join([service.code, v.name, *v.keywords]).lower()
        matched = sum(1 for w in words if w in text)
        if matched:
            hits.append(SearchHit(service.code, v.name, matched / len(words), v.pk))
    hits.sort(key=lambda h: -h.score)
    return hits[:limit]


def clear_match(hits: list[SearchHit]) -> SearchHit | None:
    """The one hit confident enough to answer with directly, or None (offer choices instead)."""
    if hits and hits[0].score >= 0.5 and (len(hits) == 1 or hits[0].score - hits[1].score >= 0.15):
        return hits[0]
    return None
