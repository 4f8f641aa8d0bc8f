import pytest

from testkit.personas import PASSWORD

pytestmark = pytest.mark.django_db


def test_office_admin_edit_refreshes_printed_material(client, personas):
    office = personas.office
    office.refresh_from_db()
    before = office.catalogue_revision
    assert client.login(username=personas.admin.username, password=PASSWORD)
    page = client.get(f"/admin/offices/office/{office.pk}/change/")
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update({"district": office.district_id, "address": "Jl. Raya Pulau Panggung No. 1"})
    for formset in page.context["inline_admin_formsets"]:
        mgmt = formset.formset.management_form
        for name in ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS"):
            data[f"{mgmt.prefix}-{name}"] = mgmt[name].value()
        for i, f in enumerate(formset.formset.forms):
            for field in f.fields:
                value = f[field].value()
                if value is not None:
                    data[f"{formset.formset.prefix}-{i}-{field}"] = value
    response = client.post(f"/admin/offices/office/{office.pk}/change/", data)
    assert response.status_code == 302, response.context["errors"] if response.context else response
    office.refresh_from_db()
    assert office.address == "Jl. Raya Pulau Panggung No. 1"
    assert office.catalogue_revision == before + 1


def test_outsider_cannot_open_the_office_in_admin(client, personas):
    assert client.login(username=personas.outsider.username, password=PASSWORD)
    assert client.get(f"/admin/offices/office/{personas.office.pk}/change/").status_code == 302
