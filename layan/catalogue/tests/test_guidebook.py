import datetime as dt

import pytest

from layan.catalogue import guidebook
from layan.catalogue.guidebook import get_guidebook_pdf, guidebook_data, render_guidebook
from layan.catalogue.models import ServiceVersion
from layan.catalogue.services import publish_service_version, start_draft
from testkit.personas import create_service

from .pdf_helpers import page_count, pdf_text, qr_codes_on_page

pytestmark = pytest.mark.django_db
needs_pdftotext = [pytest.mark.slow, pytest.mark.real_component("pdftotext")]


@pytest.fixture(autouse=True)
def var_dir(settings, tmp_path):
    # The file cache must not leak between tests that reuse the same office slug and revision.
    settings.VAR_DIR = tmp_path
    settings.PUBLIC_BASE_URL = "https://layan.example.go.id"
    return tmp_path


def republish(service, **changes) -> ServiceVersion:
    draft = start_draft(service)
    for field, value in changes.items():
        setattr(draft, field, value)
    draft.save()
    return publish_service_version(draft)


def test_guidebook_has_cover_maklumat_contents_a_page_per_service_and_facilities(personas):
    for code in ("sktm", "domisili", "iumk"):
        create_service(personas.office, code)

    pdf = render_guidebook(personas.office)

    assert pdf.startswith(b"%PDF")
    assert page_count(pdf) == 3 + 3 + 1


def test_services_are_grouped_perizinan_first_then_by_office_order(personas):
    office = personas.office
    create_service(office, "sktm", "Surat Keterangan Tidak Mampu")
    create_service(office, "domisili", "Surat Keterangan Domisili")
    create_service(office, "iumk", "Izin Usaha Mikro dan Kecil", category="perizinan")
    create_service(office, "lama", "Layanan yang dihentikan")
    create_service(office, "draf", "Layanan yang belum terbit", publish=False)
    for code, order in [("sktm", 2), ("domisili", 1), ("iumk", 9)]:
        office.services.filter(code=code).update(order=order)
    office.services.filter(code="lama").update(is_active=False)

    categories = guidebook_data(personas.office)["categories"]

    assert [c["label"] for c in categories] == ["Perizinan", "Non-perizinan"]
    assert [[s["name"] for s in c["services"]] for c in categories] == [
        ["Izin Usaha Mikro dan Kecil"],
        ["Surat Keterangan Domisili", "Surat Keterangan Tidak Mampu"],
    ]


@pytest.mark.slow
@pytest.mark.real_component("pdftotext")
def test_demo_guidebook_names_the_office_and_every_service(demo_office):
    pdf = render_guidebook(demo_office)

    text = pdf_text(pdf)
    assert "KECAMATAN KISAM TINGGI" in text
    assert "PEMERINTAH KABUPATEN OGAN KOMERING ULU SELATAN" in text
    assert "Maklumat Pelayanan".upper() in text
    names = [s.current_version.name for s in demo_office.services.select_related("current_version")]
    assert len(names) == 24
    for name in names:
        # Once in the contents, once as the heading of its own page.
        assert text.count(name) >= 2, name


@pytest.mark.slow
@pytest.mark.real_component("pdftotext")
def test_service_page_shows_checklist_procedure_time_fee_and_legal_basis(personas):
    service = create_service(
        personas.office,
        "ajb",
        "Akta Jual Beli Tanah",
        requirements=["Sertifikat hak atas tanah", "Persetujuan suami/istri penjual"],
        fee_idr=None,
        fee_note="Uang jasa PPAT maks. 1% dari harga transaksi",
        time_value=7,
        legal_basis=["PP 24/1997 Pendaftaran Tanah", "PP 37/1998 Jabatan PPAT"],
    )
    requirement = service.current_version.requirements.get(document="Persetujuan suami/istri penjual")
    requirement.form, requirement.count, requirement.condition = "fotokopi", 2, "jika sudah menikah"
    requirement.save()

    pdf = render_guidebook(personas.office)
    text, rows = pdf_text(pdf), pdf_text(pdf, layout=True)

    assert "Persetujuan suami/istri penjual — fotokopi, 2 lembar, jika sudah menikah" in text
    assert "1. Pemohon Menyerahkan berkas di loket —" in rows
    assert "7 hari kerja" in text
    assert "Sesuai peraturan daerah" in text
    assert "Uang jasa PPAT maks. 1% dari harga transaksi" in text
    assert "1. PP 24/1997 Pendaftaran Tanah 2. PP 37/1998 Jabatan PPAT" in text
    assert "Versi 1, terbit" in text


@pytest.mark.slow
@pytest.mark.real_component("pdftotext")
def test_officer_text_is_printed_literally_never_run_as_markup(personas):
    sly = 'Surat #panic("boom") *tebal* $x^2$ <label> @ref \\ _miring_ // bukan komentar'
    create_service(personas.office, "aneh", sly, requirements=['#read("/etc/passwd")'])

    text = pdf_text(render_guidebook(personas.office))

    assert sly in text
    assert '#read("/etc/passwd")' in text


@pytest.mark.slow
@pytest.mark.real_component("pdftotext")
def test_edition_is_the_latest_publication_date_in_indonesian(personas):
    older = create_service(personas.office, "sktm")
    newer = create_service(personas.office, "domisili")
    jakarta_night = dt.datetime(2026, 3, 4, 18, 30, tzinfo=dt.UTC)  # 5 Maret 01:30 WIB
    ServiceVersion.objects.filter(pk=older.current_version_id).update(
        published_at=jakarta_night - dt.timedelta(days=60)
    )
    ServiceVersion.objects.filter(pk=newer.current_version_id).update(published_at=jakarta_night)

    text = pdf_text(render_guidebook(personas.office))

    assert "Edisi 5 Maret 2026" in text


@pytest.mark.slow
@pytest.mark.real_component("pdftotext")
def test_facilities_page_shows_hours_and_channels(personas):
    office = personas.office
    office.sms_number, office.facebook_page, office.telegram_username = "+62 812-0000-1608", "kisamtinggi", "kisam_bot"
    office.save()
    office.facilities.create(code="ruang-tunggu", name="Ruang tunggu hijau dengan area bermain anak")
    create_service(office, "sktm")

    text = pdf_text(render_guidebook(office), layout=True)

    assert "Senin–Kamis 08.00–15.30 WIB" in text
    assert "Jumat 08.00–11.30 WIB" in text
    assert "Sabtu–Minggu Tutup" in text  # closed days are listed, not left out
    assert "Hari libur Tutup (libur nasional dan cuti bersama)" in text
    assert "daring" not in text  # no promise of online applications, which do not exist yet
    assert "Ruang tunggu hijau dengan area bermain anak" in text
    assert "SMS +62 812-0000-1608" in text
    assert "facebook.com/kisamtinggi" in text
    assert "@kisam_bot" in text


@pytest.mark.slow
@pytest.mark.real_component("pdftotext")
def test_office_without_published_services_still_gets_a_guidebook(personas):
    create_service(personas.other_office, "sktm", publish=False)

    text = pdf_text(render_guidebook(personas.other_office))

    assert "Belum ada layanan yang diterbitkan." in text


@pytest.mark.slow
@pytest.mark.real_component("zbarimg")
def test_qr_code_on_a_service_page_opens_that_service(personas):
    create_service(personas.office, "sktm")

    pdf = render_guidebook(personas.office)

    # Cover, maklumat, contents, then the service.
    assert qr_codes_on_page(pdf, 4) == ["https://layan.example.go.id/kisam-tinggi/layanan/sktm/"]


def test_second_request_reuses_the_cached_file(personas, monkeypatch):
    create_service(personas.office, "sktm")
    compiles = []
    real_render = guidebook.render_guidebook
    monkeypatch.setattr(guidebook, "render_guidebook", lambda office: compiles.append(office) or real_render(office))

    first = get_guidebook_pdf(personas.office)
    mtime = first.stat().st_mtime_ns
    second = get_guidebook_pdf(personas.office)

    assert second == first
    assert second.stat().st_mtime_ns == mtime
    assert len(compiles) == 1
    assert first.read_bytes().startswith(b"%PDF")


def test_publish_gives_a_new_guidebook_and_removes_the_old_one(personas, var_dir):
    service = create_service(personas.office, "sktm", "Surat Keterangan Tidak Mampu")
    other = create_service(personas.other_office, "sktm")
    old = get_guidebook_pdf(personas.office)
    neighbour = get_guidebook_pdf(other.office)

    republish(service, name="SKTM untuk berobat dan sekolah")
    new = get_guidebook_pdf(personas.office)

    assert new != old
    assert not old.exists()
    assert neighbour.exists(), "another office's guidebook must survive"
    assert list((var_dir / "guidebooks").glob(".*.tmp")) == []


@pytest.mark.slow
@pytest.mark.real_component("pdftotext")
def test_published_change_shows_in_the_regenerated_guidebook(personas):
    service = create_service(personas.office, "sktm", "Surat Keterangan Tidak Mampu")
    get_guidebook_pdf(personas.office)

    republish(service, name="SKTM untuk berobat dan sekolah", time_value=2)
    text = pdf_text(get_guidebook_pdf(personas.office).read_bytes())

    assert "SKTM untuk berobat dan sekolah" in text
    assert "Surat Keterangan Tidak Mampu" not in text
    assert "Versi 2, terbit" in text


def test_a_stale_request_does_not_delete_the_newer_guidebook(personas, monkeypatch):
    service = create_service(personas.office, "sktm")
    stale_office = personas.office.__class__.objects.get(pk=personas.office.pk)
    republish(service, name="Versi baru")
    newest = get_guidebook_pdf(personas.office)
    # A request that read the revision before the publish finishes its compile afterwards.
    monkeypatch.setattr(guidebook, "_current_revision", lambda office: stale_office.catalogue_revision)

    stale = get_guidebook_pdf(stale_office)

    assert stale != newest
    assert newest.exists()


def test_version_date_is_the_office_local_day(personas):
    service = create_service(personas.office, "sktm")
    late_evening_utc = dt.datetime(2026, 11, 27, 20, 0, tzinfo=dt.UTC)  # 28 Nov 03:00 WIB
    ServiceVersion.objects.filter(pk=service.current_version_id).update(published_at=late_evening_utc)

    data = guidebook_data(personas.office)

    assert data["edition"] == "28 November 2026"
    assert data["categories"][0]["services"][0]["published"] == "28 November 2026"


def test_guidebook_data_takes_the_same_few_queries_for_24_services(demo_office, django_assert_max_num_queries):
    office = type(demo_office).objects.get(pk=demo_office.pk)

    with django_assert_max_num_queries(10):
        data = guidebook_data(office)

    assert sum(len(c["services"]) for c in data["categories"]) == 24
