import pytest
import yaml
from django.conf import settings

from layan.catalogue.models import Service, ServiceVersion
from layan.catalogue.yaml_io import CatalogueImportError, export_catalogue, import_catalogue

pytestmark = pytest.mark.django_db

DEMO = settings.DATA_DIR / "catalogue" / "kisam-tinggi.yaml"


def demo_data() -> dict:
    return yaml.safe_load(DEMO.read_text(encoding="utf-8"))


def test_demo_imports_all_24_services_with_structured_components(demo_office):
    assert demo_office.services.count() == 24
    ktp = demo_office.services.get(code="ktp-el").current_version
    assert ktp.number == 1
    assert ktp.time_value == 1 and ktp.time_unit == ServiceVersion.TimeUnit.WORKING_DAYS
    assert ktp.fee_idr == 0
    lost = ktp.requirements.get(document__startswith="Surat keterangan kehilangan")
    assert lost.condition == "jika hilang"
    kk = ktp.requirements.get(document="Kartu Keluarga")
    assert kk.form == "fotokopi"
    assert ktp.legal_basis[0].startswith("UU 23/2006")
    assert demo_office.facilities.filter(code="area-bermain-anak").exists()
    assert demo_office.opening_hours.filter(weekday=4).get().closes.hour == 11


def test_export_then_import_round_trips_to_the_same_text(demo_office):
    from layan.regions.models import District
    from testkit.personas import create_office

    text = export_catalogue(demo_office)
    other = create_office(District.objects.get(code="16.09.11"), "muaradua-kisam")
    result = import_catalogue(other, text)
    assert len(result.created) == 24
    assert export_catalogue(other).split("services:", 1)[1] == text.split("services:", 1)[1]


def test_reimporting_the_same_file_creates_no_new_versions(demo_office):
    result = import_catalogue(demo_office, DEMO.read_text(encoding="utf-8"))
    assert result.created == [] and result.updated == []
    assert len(result.unchanged) == 24
    assert ServiceVersion.objects.filter(office=demo_office).count() == 24


def test_every_demo_service_has_a_group_and_regrouping_publishes_no_new_version(demo_office):
    groups = dict(demo_office.services.values_list("code", "group"))
    assert "" not in groups.values()
    assert groups["ktp-el"] == "kependudukan" and groups["sporadik-tanah"] == "tanah"
    assert groups["iumk"] == "usaha" and groups["informasi-publik"] == "informasi"
    data = demo_data()
    assert data["services"][0]["code"] == "ktp-el"
    data["services"][0]["group"] = "keterangan"
    result = import_catalogue(demo_office, yaml.safe_dump(data, allow_unicode=True))
    assert result.updated == [] and len(result.unchanged) == 24
    ktp = demo_office.services.get(code="ktp-el")
    assert ktp.group == "keterangan" and ktp.current_version.number == 1
    assert "group: keterangan" in export_catalogue(demo_office).split("- code: ktp-el", 1)[1].split("- code:", 1)[0]


def test_an_unknown_group_is_refused_in_indonesian(demo_office):
    data = demo_data()
    data["services"][0]["group"] = "kesehatan"
    with pytest.raises(CatalogueImportError) as exc:
        import_catalogue(demo_office, yaml.safe_dump(data, allow_unicode=True))
    assert any("kelompok harus salah satu dari kependudukan" in e for e in exc.value.errors)


def test_changed_service_gets_a_new_version_and_the_old_stays_readable(demo_office):
    data = demo_data()
    data["services"][0]["fee"] = {"idr": 5000, "note": "Biaya materai"}
    result = import_catalogue(demo_office, yaml.safe_dump(data, allow_unicode=True))
    assert result.updated == [data["services"][0]["code"]]
    service = demo_office.services.get(code=data["services"][0]["code"])
    assert service.current_version.number == 2
    assert service.current_version.fee_idr == 5000
    old = service.versions.get(number=1)
    assert old.status == ServiceVersion.Status.SUPERSEDED and old.fee_idr == 0


def test_missing_required_component_names_the_field_and_imports_nothing(personas):
    data = demo_data()
    del data["services"][6]["complaint_handling"]
    del data["services"][2]["management"]["supervision"]
    with pytest.raises(CatalogueImportError) as exc:
        import_catalogue(personas.office, yaml.safe_dump(data, allow_unicode=True))
    errors = exc.value.errors
    assert any("services[6] (sktm).complaint_handling" in e and "wajib diisi" in e for e in errors)
    assert any("services[2] (pindah-keluar).management.supervision" in e for e in errors)
    assert not Service.objects.filter(office=personas.office).exists()


def test_a_bad_service_rolls_back_the_whole_file_even_office_settings(personas):
    data = demo_data()
    data["office"]["address"] = "Alamat baru"
    data["services"][-1]["time"]["unit"] = "minggu"
    with pytest.raises(CatalogueImportError) as exc:
        import_catalogue(personas.office, yaml.safe_dump(data, allow_unicode=True))
    assert "time.unit" in exc.value.errors[0]
    personas.office.refresh_from_db()
    assert personas.office.address == ""
    assert not Service.objects.exists()


def test_bad_yaml_reports_the_line(personas):
    with pytest.raises(CatalogueImportError) as exc:
        import_catalogue(personas.office, "services:\n  - code: ktp\n    name: [tidak ditutup\n")
    assert "YAML tidak valid" in exc.value.errors[0]
    assert "baris" in exc.value.errors[0]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("", "kunci 'services'"),
        ("services: []", "daftar layanan wajib diisi"),
        ("services:\n- 42", "harus berupa pemetaan"),
        ("layan_catalogue: 9\nservices: []", "versi format"),
    ],
)
def test_malformed_files_get_indonesian_errors(personas, text, expected):
    with pytest.raises(CatalogueImportError) as exc:
        import_catalogue(personas.office, text)
    assert any(expected in e for e in exc.value.errors)


def test_duplicate_codes_are_refused(personas):
    data = demo_data()
    data["services"].append(dict(data["services"][0]))
    with pytest.raises(CatalogueImportError) as exc:
        import_catalogue(personas.office, yaml.safe_dump(data, allow_unicode=True))
    assert any("ktp-el" in e and "lebih dari sekali" in e for e in exc.value.errors)


def test_import_command_fails_cleanly(personas, tmp_path):
    from django.core.management import CommandError, call_command

    bad = tmp_path / "bad.yaml"
    bad.write_text("services: [", encoding="utf-8")
    with pytest.raises(CommandError, match="tidak ada yang disimpan"):
        call_command("import_catalogue", personas.office.slug, str(bad))
    with pytest.raises(CommandError, match="tidak ditemukan"):
        call_command("import_catalogue", "tidak-ada", str(bad))
