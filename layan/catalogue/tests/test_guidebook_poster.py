import pytest
from django.db.models import Count

from layan.catalogue import guidebook
from layan.catalogue.guidebook import get_poster_pdf, render_poster
from layan.catalogue.services import publish_service_version, start_draft
from testkit.personas import create_service

from .pdf_helpers import page_count, pdf_text, qr_codes_on_page

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    settings.PUBLIC_BASE_URL = "https://layan.example.go.id"
    return tmp_path


def test_demo_posters_with_the_longest_checklists_fit_on_one_sheet(demo_office):
    services = demo_office.services.select_related("current_version").annotate(n=Count("current_version__requirements"))
    longest = services.filter(n__gte=6)
    assert longest.exists()
    for service in longest:
        pdf = render_poster(service)
        assert pdf.startswith(b"%PDF")
        assert page_count(pdf) == 1, service.code


def test_a_very_long_checklist_shrinks_to_stay_on_one_sheet(personas):
    documents = [f"Berkas pendukung nomor {i} yang dilegalisasi oleh kepala desa setempat" for i in range(14)]
    service = create_service(personas.office, "panjang", "Layanan dengan persyaratan panjang", requirements=documents)

    assert page_count(render_poster(service)) == 1


@pytest.mark.slow
@pytest.mark.real_component("pdftotext")
def test_free_service_poster_says_gratis_with_checklist_and_contacts(personas):
    office = personas.office
    office.whatsapp_number = "+62 812-0000-1608"
    office.save()
    service = create_service(office, "sktm", "Surat Keterangan Tidak Mampu", requirements=["Kartu Keluarga"])

    text = pdf_text(render_poster(service))

    assert "Surat Keterangan Tidak Mampu" in text
    assert "GRATIS" in text
    assert "Kartu Keluarga" in text
    assert "1 hari kerja" in text
    assert "Surat keterangan" in text  # the output
    assert "+62 812-0000-1608" in text
    assert "KECAMATAN KISAM TINGGI" in text


@pytest.mark.slow
@pytest.mark.real_component("pdftotext")
def test_paid_service_poster_shows_the_amount_not_gratis(personas):
    service = create_service(personas.office, "legalisir", fee_idr=15000)

    text = pdf_text(render_poster(service))

    assert "Rp15.000" in text
    assert "GRATIS" not in text


@pytest.mark.slow
@pytest.mark.real_component("zbarimg")
def test_poster_qr_code_opens_the_service_page(personas):
    service = create_service(personas.office, "sktm")

    assert qr_codes_on_page(render_poster(service), 1) == ["https://layan.example.go.id/kisam-tinggi/layanan/sktm/"]


def test_poster_is_cached_until_a_new_version_is_published(personas, monkeypatch):
    service = create_service(personas.office, "sktm")
    compiles = []
    real_render = guidebook.render_poster
    monkeypatch.setattr(guidebook, "render_poster", lambda s: compiles.append(s) or real_render(s))

    first = get_poster_pdf(service)
    assert get_poster_pdf(service) == first
    assert len(compiles) == 1

    draft = start_draft(service)
    draft.name = "SKTM (baru)"
    draft.save()
    publish_service_version(draft)
    service.refresh_from_db()
    second = get_poster_pdf(service)

    assert second != first
    assert not first.exists()
    assert len(compiles) == 2
