"""The citizen's pages: the web form per service, its confirmation, the tracking page and its lookup form."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import ExifTags, Image

from layan.applications.models import Application, Attachment, RequirementCheck, Status
from layan.applications.services import change_status
from layan.applications.uploads import open_stored
from testkit.personas import create_service

from .pages import NIK, create_application, service_with_uploads, village

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _private_uploads(settings, tmp_path):
    settings.LAYAN_UPLOAD_DIR = tmp_path / "uploads"


def apply_url(office, service):
    return reverse("applications:apply", args=[office.slug, service.code])


def form_data(office, **overrides):
    return {
        "applicant_name": "  Siti   Aminah ",
        "nik": "1609 1015 0890 0001",
        "village": village(office).pk,
        "phone": "0812-3456-7890",
        "notes": "",
    } | overrides


def photo_with_gps() -> bytes:
    exif = Image.Exif()
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "S"
    gps[ExifTags.GPS.GPSLatitude] = (4.0, 31.0, 12.0)
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (10, 90, 200)).save(out, format="JPEG", exif=exif)
    return out.getvalue()


def test_the_form_shows_the_services_checklist_with_uploads_where_the_sop_allows(client, personas):
    service = service_with_uploads(personas.office)
    response = client.get(apply_url(personas.office, service))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Fotokopi KTP" in html and "Surat RT" in html
    assert 'enctype="multipart/form-data"' in html
    requirements = list(service.current_version.requirements.order_by("order"))
    assert f'name="berkas_{requirements[0].pk}"' in html  # upload allowed by the SOP
    assert f'name="berkas_{requirements[1].pk}"' not in html  # not allowed
    assert "Balayan" in html  # the office's villages
    assert "<script" not in html.split("</main>")[0].split('<main id="isi"')[1]  # no JavaScript needed


def test_a_citizen_applies_with_an_upload_and_sees_the_code_and_deadline(client, personas):
    service = service_with_uploads(personas.office)
    first, second = service.current_version.requirements.order_by("order")
    data = form_data(personas.office) | {
        f"syarat_{second.pk}": "on",
        f"berkas_{first.pk}": SimpleUploadedFile("../../ktp.jpg", photo_with_gps(), content_type="image/jpeg"),
    }
    response = client.post(apply_url(personas.office, service), data)
    assert response.status_code == 302
    application = Application.objects.get()
    assert response["Location"] == reverse(
        "applications:submitted", args=[personas.office.slug, application.tracking_code]
    )
    assert application.applicant_name == "Siti Aminah" and application.nik == NIK
    assert application.phone == "+6281234567890" and application.channel == "web"
    states = dict(application.checks.values_list("requirement_id", "state"))
    assert states == {first.pk: RequirementCheck.State.PROVIDED, second.pk: RequirementCheck.State.PROVIDED}
    attachment = Attachment.objects.get()
    assert attachment.requirement_check.requirement_id == first.pk
    assert attachment.original_name == "ktp.jpg" and attachment.content_type == "image/jpeg"
    with open_stored(attachment.stored_name) as f:
        stored = f.read()
    assert not Image.open(io.BytesIO(stored)).getexif().get_ifd(ExifTags.IFD.GPSInfo)

    page = client.get(response["Location"])
    html = page.content.decode()
    assert application.tracking_code in html and application.tracking_digits in html
    assert "Perkiraan selesai" in html
    assert "Siti" not in html and NIK not in html and "0812" not in html


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"nik": "12345"}, "16"),
        ({"nik": ""}, "NIK wajib diisi"),
        ({"applicant_name": ""}, "Nama wajib diisi"),
        ({"phone": "12"}, "Nomor HP tidak valid"),
        ({"village": ""}, "Pilih desa/kelurahan Anda"),
    ],
)
def test_bad_input_gets_an_indonesian_message_and_a_400(client, personas, overrides, message):
    service = create_service(personas.office, "domisili")
    response = client.post(apply_url(personas.office, service), form_data(personas.office, **overrides))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert "Permohonan belum terkirim" in response.content.decode()
    assert not Application.objects.exists()


def test_a_village_of_another_kecamatan_is_refused(client, personas):
    from layan.regions.models import Village

    elsewhere = Village.objects.create(
        code="16.09.11.2001", district=personas.other_office.district, name="Lain", kind=Village.Kind.DESA
    )
    service = create_service(personas.office, "domisili")
    response = client.post(apply_url(personas.office, service), form_data(personas.office, village=elsewhere.pk))
    assert response.status_code == 400
    assert not Application.objects.exists()


def test_a_renamed_program_is_refused_and_nothing_is_stored(client, personas, tmp_path):
    service = service_with_uploads(personas.office)
    first = service.current_version.requirements.order_by("order").first()
    program = SimpleUploadedFile("ktp.pdf", b"MZ\x90\x00" + b"\x00" * 500, content_type="application/pdf")
    response = client.post(
        apply_url(personas.office, service), form_data(personas.office) | {f"berkas_{first.pk}": program}
    )
    assert response.status_code == 400
    assert "Hanya berkas PDF, JPG atau PNG" in response.content.decode()
    assert not Application.objects.exists()
    assert not any(p.is_file() for p in tmp_path.rglob("*"))


def test_an_oversized_upload_is_refused(client, personas, settings):
    settings.LAYAN_UPLOAD_MAX_BYTES = 2048
    service = service_with_uploads(personas.office)
    first = service.current_version.requirements.order_by("order").first()
    big = SimpleUploadedFile("ktp.jpg", b"\xff\xd8\xff" + b"\x00" * 5000, content_type="image/jpeg")
    response = client.post(
        apply_url(personas.office, service), form_data(personas.office) | {f"berkas_{first.pk}": big}
    )
    assert response.status_code == 400
    assert "terlalu besar" in response.content.decode()


def test_an_unpublished_or_unknown_service_has_no_form(client, personas):
    draft = create_service(personas.office, "draf", publish=False)
    assert client.get(apply_url(personas.office, draft)).status_code == 404
    assert client.get(reverse("applications:apply", args=[personas.office.slug, "tidak-ada"])).status_code == 404
    assert client.get(reverse("applications:apply", args=["tidak-ada", "domisili"])).status_code == 404


def test_the_tracking_page_shows_status_and_deadline_but_no_personal_data(client, personas):
    application = create_application(personas.office)
    response = client.get(reverse("applications:track", args=[personas.office.slug, application.tracking_code]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Surat Keterangan Domisili" in html
    assert "Diajukan" in html and "menunggu diperiksa petugas" in html
    assert "Perkiraan selesai" in html
    for personal in ("Siti", "Aminah", NIK, NIK[-4:] + "<", "081234567890", "+6281234567890", "Balayan"):
        assert personal not in html
    assert response["X-Robots-Tag"] == "noindex"


def test_the_tracking_page_lists_what_is_missing_in_perlu_perbaikan(client, personas):
    application = create_application(personas.office)
    check = application.checks.first()
    change_status(application, to=Status.PERLU_PERBAIKAN, actor=personas.staff, note="KTP buram", missing=[check.pk])
    html = client.get(reverse("applications:track", args=[personas.office.slug, application.tracking_code])).content
    assert check.document in html.decode()
    assert "belum lengkap" in html.decode()


def test_a_loosely_typed_code_redirects_to_the_canonical_page(client, personas):
    application = create_application(personas.office)
    loose = application.tracking_code.replace("-", "").lower()
    response = client.get(reverse("applications:track", args=[personas.office.slug, loose]))
    assert response.status_code == 302
    assert response["Location"].endswith(f"/lacak/{application.tracking_code}/")
    digits = client.get(reverse("applications:track", args=[personas.office.slug, application.tracking_digits]))
    assert digits["Location"].endswith(f"/lacak/{application.tracking_code}/")


def test_an_unknown_code_or_another_offices_code_is_404_with_the_lookup_form(client, personas):
    application = create_application(personas.office)
    other = client.get(reverse("applications:track", args=[personas.other_office.slug, application.tracking_code]))
    assert other.status_code == 404
    assert "tidak ditemukan" in other.content.decode()
    assert client.get(reverse("applications:track", args=[personas.office.slug, "ZZZ-ZZZ-ZZZ"])).status_code == 404


def test_the_lookup_form_takes_the_citizen_to_the_page(client, personas):
    application = create_application(personas.office)
    url = reverse("applications:lookup", args=[personas.office.slug])
    assert client.get(url).status_code == 200
    response = client.get(url, {"kode": application.tracking_code.lower().replace("-", " ")})
    assert response.status_code == 302
    assert response["Location"] == reverse("applications:track", args=[personas.office.slug, application.tracking_code])
    wrong = client.get(url, {"kode": "ABC"})
    assert wrong.status_code == 400
    assert "tidak ditemukan" in wrong.content.decode()


def test_tracking_lookups_are_rate_limited_per_client(client, personas, settings):
    settings.LAYAN_RATE_LIMITS = settings.LAYAN_RATE_LIMITS | {"tracking": "3/m"}
    application = create_application(personas.office)
    url = reverse("applications:track", args=[personas.office.slug, application.tracking_code])
    assert [client.get(url).status_code for _ in range(3)] == [200, 200, 200]
    limited = client.get(url)
    assert limited.status_code == 429
    assert "Terlalu banyak permintaan" in limited.content.decode()
    assert int(limited["Retry-After"]) > 0
    lookup = client.get(reverse("applications:lookup", args=[personas.office.slug]), {"kode": "ABC-DEF-GHJ"})
    assert lookup.status_code == 429


def test_submissions_are_rate_limited_per_client(client, personas, settings):
    settings.LAYAN_RATE_LIMITS = settings.LAYAN_RATE_LIMITS | {"apply": "1/h"}
    service = create_service(personas.office, "domisili")
    assert client.post(apply_url(personas.office, service), form_data(personas.office)).status_code == 302
    again = client.post(apply_url(personas.office, service), form_data(personas.office))
    assert again.status_code == 429
    assert Application.objects.count() == 1


def test_the_sop_page_links_to_the_form_and_every_public_page_to_the_lookup(client, personas):
    service = create_service(personas.office, "domisili")
    html = client.get(reverse("catalogue:service", args=[personas.office.slug, service.code])).content.decode()
    assert apply_url(personas.office, service) in html
    assert reverse("applications:lookup", args=[personas.office.slug]) in html


def test_the_pages_speak_english_when_the_visitor_chose_it(client, personas):
    application = create_application(personas.office)
    client.cookies["django_language"] = "en"
    html = client.get(reverse("applications:track", args=[personas.office.slug, application.tracking_code])).content
    assert "Expected completion" in html.decode() and "waiting to be checked by an officer" in html.decode()
    form = client.get(apply_url(personas.office, application.service)).content.decode()
    assert "Full name (as on the ID card)" in form and "Send the application" in form
