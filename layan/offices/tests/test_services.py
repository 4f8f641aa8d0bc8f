from layan.offices.services import bump_catalogue_revision


def test_bump_catalogue_revision_moves_only_that_office_on(personas):
    office, other = personas.office, personas.other_office
    before, other_before = office.catalogue_revision, other.catalogue_revision

    bump_catalogue_revision(office.pk)
    bump_catalogue_revision(office.pk)

    office.refresh_from_db()
    other.refresh_from_db()
    assert office.catalogue_revision == before + 2
    assert other.catalogue_revision == other_before
