"""Offices that publish the same catalogue share the analysed terms of their search index."""

from django.conf import settings

from layan.catalogue import search
from layan.catalogue.search import clear_match, search_services
from layan.catalogue.services import publish_service_version, start_draft
from layan.catalogue.yaml_io import import_catalogue
from layan.offices.models import Office
from layan.offices.services import create_office


def twin_of(demo_office) -> Office:
    """Another kecamatan of the kabupaten importing the same demo catalogue."""
    twin = create_office("16.09.11", slug="muaradua-kisam")
    import_catalogue(twin, (settings.DATA_DIR / "catalogue" / "kisam-tinggi.yaml").read_text(encoding="utf-8"))
    return Office.objects.get(pk=twin.pk)


def test_each_office_gets_its_own_versions_from_shared_terms(demo_office):
    twin = twin_of(demo_office)

    mine = search_services(demo_office, "gmn bikin akte anak?")
    theirs = search_services(twin, "gmn bikin akte anak?")

    assert search._index_for(demo_office).postings is search._index_for(twin).postings
    assert [(h.code, h.score) for h in mine] == [(h.code, h.score) for h in theirs]
    mine_versions = {h.version_id for h in mine}
    assert mine_versions <= set(demo_office.services.values_list("current_version", flat=True))
    assert not mine_versions & {h.version_id for h in theirs}


def test_an_edit_in_one_office_changes_only_that_office(demo_office):
    twin = twin_of(demo_office)
    search_services(demo_office, "surat bidikmisi")
    search_services(twin, "surat bidikmisi")
    draft = start_draft(twin.services.get(code="keterangan-penghasilan"))
    draft.keywords = [*draft.keywords, "bidikmisi"]
    draft.save()
    published = publish_service_version(draft)

    hit = clear_match(search_services(Office.objects.get(pk=twin.pk), "surat bidikmisi"))
    assert hit is not None and (hit.code, hit.version_id) == ("keterangan-penghasilan", published.pk)
    assert clear_match(search_services(Office.objects.get(pk=demo_office.pk), "surat bidikmisi")) is None
    assert search._index_for(demo_office).postings is not search._index_for(Office.objects.get(pk=twin.pk)).postings
