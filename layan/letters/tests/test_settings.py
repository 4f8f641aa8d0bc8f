import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from layan.letters import services
from layan.letters.models import LetterSettings, LetterTemplate, Signer
from layan.letters.render import LOGO_TYPES
from layan.offices.models import AuditEvent

from .helpers import create_signer, processed_application


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 40), (30, 60, 90)).save(buffer, format="PNG")
    return buffer.getvalue()


def test_the_admin_sets_kop_numbering_and_logo(client, personas, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(personas.admin)
    response = client.post(
        "/staf/kisam-tinggi/surat/pengaturan/",
        {
            "unit_code": "KEC.KT",
            "number_pattern": "{klasifikasi}/{urut:03}/{unit}/{bulan_romawi}/{tahun}",
            "logo_file": SimpleUploadedFile("logo.png", png(), content_type="image/png"),
        },
    )
    assert response.status_code == 302
    saved = LetterSettings.objects.get(office=personas.office)
    assert saved.unit_code == "KEC.KT" and saved.logo
    assert any(saved.logo.open("rb").read().startswith(magic) for magic in LOGO_TYPES)
    refused = client.post("/staf/kisam-tinggi/surat/pengaturan/", {"unit_code": "KT", "number_pattern": "{tahun}"})
    assert refused.status_code == 400 and "urut" in refused.content.decode()


def test_the_logo_is_printed_on_the_kop(personas, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    services.save_letter_settings(personas.office, actor=personas.admin, unit_code="KT", number_pattern="", logo=png())
    application = processed_application(personas.office, personas.staff)
    letter = services.prepare_letter(application, actor=personas.staff)
    with_logo = services.render_draft(letter)
    LetterSettings.objects.filter(office=personas.office).update(logo="")
    assert b"/Subtype/Image" in with_logo and b"/Subtype/Image" not in services.render_draft(letter)


def test_the_admin_names_a_signer_and_it_is_audited(client, personas):
    client.force_login(personas.admin)
    membership = personas.staff.memberships.get()
    data = {
        "membership": membership.pk,
        "full_name": "Hj. Rina, S.Sos.",
        "title": "Sekretaris Camat Kisam Tinggi",
        "nip": "1980 0202 200501 2 002",
        "is_active": "on",
    }
    assert client.post("/staf/kisam-tinggi/surat/pengaturan/penanda-tangan/", data).status_code == 302
    signer = Signer.objects.get(membership=membership)
    assert signer.nip == "198002022005012002" and services.signer_for(personas.staff, personas.office) == signer
    assert AuditEvent.objects.filter(action="change_role", target__contains="penanda tangan").exists()
    bad = client.post("/staf/kisam-tinggi/surat/pengaturan/penanda-tangan/", data | {"nip": "123"})
    assert bad.status_code == 400 and "18 angka" in bad.content.decode()
    data.pop("is_active")
    client.post("/staf/kisam-tinggi/surat/pengaturan/penanda-tangan/", data)
    assert services.signer_for(personas.staff, personas.office) is None


def test_only_the_admin_changes_settings_and_outsiders_get_404(client, personas):
    membership = personas.staff.memberships.get()
    for user, status in ((personas.staff, 403), (personas.viewer, 403), (personas.outsider, 404)):
        client.force_login(user)
        assert client.post("/staf/kisam-tinggi/surat/pengaturan/", {"unit_code": "X"}).status_code == status
        assert (
            client.post(
                "/staf/kisam-tinggi/surat/pengaturan/penanda-tangan/", {"membership": membership.pk}
            ).status_code
            == status
        )
    assert client.get("/staf/kisam-tinggi/surat/pengaturan/").status_code == 404
    with pytest.raises(Exception, match="admin"):
        services.set_signer(membership, actor=personas.staff, full_name="A", title="B", nip="1" * 18)


def test_a_service_template_is_edited_previewed_and_used(client, personas):
    application = processed_application(personas.office, personas.staff)
    code = application.service.code
    client.force_login(personas.admin)
    url = f"/staf/kisam-tinggi/surat/templat/{code}/"
    assert "Yang bertanda tangan" in client.get(url).content.decode()
    data = {
        "classification": "474.1",
        "number_pattern": "",
        "subject": "Domisili {nama}",
        "attachment": "1 berkas",
        "body": "Menerangkan bahwa {nama} tinggal di Desa {desa}.\n\n{data_pemohon}",
    }
    preview = client.post(url, data | {"action": "preview"})
    assert preview.status_code == 200 and preview.content.startswith(b"%PDF")
    assert not LetterTemplate.objects.exists()
    assert client.post(url, data | {"action": "save"}).status_code == 302
    letter = services.prepare_letter(application, actor=personas.staff)
    assert letter.subject == "Domisili Siti Aminah"
    camat = create_signer(personas.office)
    assert client.post(url, data | {"classification": "abc"}).status_code == 400
    client.force_login(camat)
    assert client.post(url, data).status_code == 403


def test_the_settings_page_shows_the_key_fingerprint(client, personas, office_key):
    client.force_login(personas.staff)
    page = client.get("/staf/kisam-tinggi/surat/pengaturan/").content.decode()
    assert office_key.fingerprint[:4] in page and "/kisam-tinggi/kunci-publik.pem" in page


def test_the_demo_admin_may_sign_unless_the_office_has_signers(personas):
    admin = personas.admin.memberships.get()
    signer = services.set_up_demo_signer(admin)
    assert signer is not None and services.signer_for(personas.admin, personas.office) == signer
    assert signer.title == "Camat Kisam Tinggi" and signer.nip == "0" * 18
    assert services.set_up_demo_signer(personas.staff.memberships.get()) is None  # never a second one
