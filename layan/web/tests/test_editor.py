"""The SOP editor (/staf/<office>/layanan/…): an officer edits a service in place, previews the
draft as citizens will see it, compares it with the published version and publishes it."""

import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from layan.catalogue import services as catalogue
from layan.catalogue.models import Service, ServiceVersion
from layan.catalogue.tests.pdf_helpers import pdf_text
from layan.messaging.tests.helpers import ask, create_test_channel
from layan.offices.models import AuditEvent
from layan.web.editor import REQ_PREFIX, STEP_PREFIX, _rows_data, fingerprint
from testkit.personas import PASSWORD, create_service

pytestmark = pytest.mark.django_db


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def editor_url(service: Service, suffix: str = "") -> str:
    return f"/staf/{service.office.slug}/layanan/{service.code}/{suffix}"


def form_data(version: ServiceVersion, *, op: str = "save", requirements=None, steps=None, **changes) -> dict:
    """What the editor page posts for `version`, with `changes` typed in."""
    content, reqs, stps = catalogue.version_content(version)
    content |= changes
    data = {
        name: "\n".join(value) if isinstance(value, list) else ("" if value is None else str(value))
        for name, value in content.items()
    }
    data |= _rows_data(REQ_PREFIX, requirements if requirements is not None else reqs)
    data |= _rows_data(STEP_PREFIX, steps if steps is not None else stps)
    data["op"] = op
    # The page carries which version it was opened on; by default the one the editor shows now.
    service = version.service
    data["base"] = fingerprint(catalogue.open_draft(service) or Service.objects.get(pk=service.pk).current_version)
    return data


@pytest.fixture
def service(personas):
    return create_service(
        personas.office,
        "sktm",
        "Surat Keterangan Tidak Mampu",
        requirements=["Surat pengantar RT/RW", "Fotokopi KTP", "Fotokopi KK"],
        keywords=["surat miskin"],
    )


def test_list_shows_each_service_with_its_state(client, personas, service):
    hidden = create_service(personas.office, "hilang", "Layanan Tersembunyi")
    catalogue.update_service(hidden, is_active=False)
    catalogue.save_draft(
        service,
        content=catalogue.version_content(service.current_version)[0] | {"summary": "Baru"},
        requirements=catalogue.version_content(service.current_version)[1],
        steps=catalogue.version_content(service.current_version)[2],
    )
    page = login(client, personas.viewer).get(f"/staf/{personas.office.slug}/layanan/").content.decode()
    assert "Surat Keterangan Tidak Mampu" in page
    assert "versi 1" in page
    assert "draf menunggu terbit" in page
    assert "disembunyikan" in page
    assert "Sembunyikan" not in page  # a viewer gets no buttons


def test_opening_the_editor_creates_no_draft(client, personas, service):
    response = login(client, personas.staff).get(editor_url(service))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'value="Surat pengantar RT/RW"' in page
    assert '<label for="id_name"' in page
    assert not service.versions.filter(status=ServiceVersion.Status.DRAFT).exists()
    # Saving without a change creates none either.
    response = client.post(editor_url(service), form_data(service.current_version), follow=True)
    assert "Tidak ada perubahan" in response.content.decode()
    assert not service.versions.filter(status=ServiceVersion.Status.DRAFT).exists()


def test_first_change_creates_the_draft_and_the_public_page_is_unchanged(client, personas, service):
    login(client, personas.staff)
    data = form_data(
        service.current_version, name="SKTM (Surat Keterangan Tidak Mampu)", keywords=["surat miskin", "sktm"]
    )
    response = client.post(editor_url(service), data, follow=True)
    assert "Draf disimpan" in response.content.decode()
    draft = service.versions.get(status=ServiceVersion.Status.DRAFT)
    assert draft.name == "SKTM (Surat Keterangan Tidak Mampu)"
    assert draft.keywords == ["surat miskin", "sktm"]
    assert [r.document for r in draft.requirements.all()] == ["Surat pengantar RT/RW", "Fotokopi KTP", "Fotokopi KK"]
    public = client.get(f"/{personas.office.slug}/layanan/sktm/").content.decode()
    assert "SKTM (Surat" not in public
    assert AuditEvent.objects.filter(office=personas.office, action="catalogue.draft_saved", target="sktm").exists()


def test_rows_are_added_removed_and_moved(client, personas, service):
    login(client, personas.staff)
    version = service.current_version
    # Adding shows a blank row (with the cursor in it) and stores nothing for it.
    response = client.post(editor_url(service), form_data(version, op="req:add"))
    page = response.content.decode()
    assert 'name="req-3-document"' in page
    assert "autofocus" in page
    assert not service.versions.filter(status=ServiceVersion.Status.DRAFT).exists()
    # Filling it in and saving stores it, last.
    rows = catalogue.version_content(version)[1] + [
        {
            "document": "Surat pernyataan tidak mampu",
            "form": "asli",
            "count": 2,
            "condition": "jika tidak punya KK",
            "upload_accepted": True,
            "note": "",
        }
    ]
    client.post(editor_url(service), form_data(version, requirements=rows))
    draft = service.versions.get(status=ServiceVersion.Status.DRAFT)
    last = draft.requirements.last()
    assert (last.document, last.form, last.count, last.condition, last.upload_accepted) == (
        "Surat pernyataan tidak mampu",
        "asli",
        2,
        "jika tidak punya KK",
        True,
    )
    # Moving the last one up, then removing the first.
    client.post(editor_url(service), form_data(draft, op="req:up:3"))
    assert [r.document for r in draft.requirements.all()][2:] == ["Surat pernyataan tidak mampu", "Fotokopi KK"]
    client.post(editor_url(service), form_data(draft, op="req:remove:0"))
    assert [r.document for r in draft.requirements.all()] == [
        "Fotokopi KTP",
        "Surat pernyataan tidak mampu",
        "Fotokopi KK",
    ]
    # Steps too.
    client.post(editor_url(service), form_data(draft, op="step:add"))
    steps = catalogue.version_content(draft)[2] + [
        {"actor": "Camat", "action": "Menandatangani surat", "duration_minutes": 10}
    ]
    client.post(editor_url(service), form_data(draft, steps=steps))
    client.post(editor_url(service), form_data(draft, op="step:up:1"))
    assert [s.actor for s in draft.steps.all()] == ["Camat", "Pemohon"]
    assert service.versions.filter(status=ServiceVersion.Status.DRAFT).count() == 1


def test_validation_errors_are_in_indonesian_next_to_the_field(client, personas, service):
    login(client, personas.staff)
    rows = catalogue.version_content(service.current_version)[1]
    rows[1] = rows[1] | {"document": "", "condition": "jika hilang"}
    response = client.post(editor_url(service), form_data(service.current_version, time_value="dua", requirements=rows))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Draf belum disimpan" in page
    assert "Isi dengan angka." in page
    assert "Nama dokumen wajib diisi." in page
    # The message sits in the field's own group, announced with it.
    group = page.split('for="id_req-1-document"')[1].split("</div>")[0]
    assert "Nama dokumen wajib diisi." in group
    assert 'aria-invalid="true"' in page
    assert not service.versions.filter(status=ServiceVersion.Status.DRAFT).exists()


def test_preview_shows_the_draft_as_citizens_will_see_it(client, personas, service):
    login(client, personas.staff)
    rows = catalogue.version_content(service.current_version)[1]
    rows[1] = rows[1] | {"document": "KTP-el asli pemohon"}
    client.post(editor_url(service), form_data(service.current_version, requirements=rows))
    editor = client.get(editor_url(service)).content.decode()
    sms = editor.split('class="sms"')[1].split("</pre>")[0]
    assert "2.KTP-el asli pemohon" in sms
    page = client.get(editor_url(service, "pratinjau/")).content.decode()
    assert "Pratinjau draf" in page
    assert "KTP-el asli pemohon" in page
    assert "Versi 2, terbit" in page
    # The public page still shows version 1.
    assert "KTP-el asli pemohon" not in client.get(f"/{personas.office.slug}/layanan/sktm/").content.decode()


@pytest.mark.real_component("pdftotext")
def test_preview_poster_is_the_drafts(client, personas, service):
    login(client, personas.staff)
    client.post(editor_url(service), form_data(service.current_version, name="Surat Miskin Baru"))
    response = client.get(editor_url(service, "pratinjau/poster.pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "Surat Miskin Baru" in pdf_text(response.content)
    # The public poster is still the published version's.
    public = client.get(f"/{personas.office.slug}/layanan/sktm/poster.pdf")
    assert "Surat Miskin Baru" not in pdf_text(b"".join(public.streaming_content))


def test_diff_lists_fields_and_rows_changed(client, personas, service):
    login(client, personas.staff)
    rows = catalogue.version_content(service.current_version)[1]
    rows[1] = rows[1] | {"document": "Fotokopi KTP-el"}
    rows.pop(2)
    rows.append(
        {"document": "Pas foto", "form": "-", "count": 1, "condition": "", "upload_accepted": False, "note": ""}
    )
    client.post(editor_url(service), form_data(service.current_version, fee_idr=None, requirements=rows))
    page = client.get(editor_url(service)).content.decode()
    diff = page.split('id="perubahan"')[1].split("</section>")[0]
    assert "Biaya (Rp)" in diff and "Sesuai peraturan daerah" in diff
    assert "Diubah:" in diff and "Fotokopi KTP-el" in diff
    assert "Dihapus:" in diff and "Fotokopi KK" in diff
    assert "Ditambah:" in diff and "Pas foto" in diff
    assert "Nama layanan" not in diff


def test_publish_makes_it_public_and_changes_the_sms_answer(client, personas, service):
    channel = create_test_channel(personas.office)
    assert "Surat pengantar RT/RW" in ask(channel, "SYARAT sktm")[0]
    login(client, personas.staff)
    rows = catalogue.version_content(service.current_version)[1]
    rows[0] = rows[0] | {"document": "Surat pengantar kepala desa"}
    client.post(editor_url(service), form_data(service.current_version, requirements=rows))
    # A note is required.
    response = client.post(editor_url(service, "terbitkan/"), {"note": ""}, follow=True)
    assert "Tulis catatan perubahan" in response.content.decode()
    response = client.post(editor_url(service, "terbitkan/"), {"note": "Pengantar dari kepala desa"}, follow=True)
    assert "Versi baru diterbitkan" in response.content.decode()
    service.refresh_from_db()
    assert service.current_version.number == 2
    assert service.current_version.published_by == personas.staff
    assert "Surat pengantar kepala desa" in client.get(f"/{personas.office.slug}/layanan/sktm/").content.decode()
    cache.clear()
    assert "Surat pengantar kepala desa" in ask(channel, "SYARAT sktm", urn="tel:+6281234500001")[0]
    assert AuditEvent.objects.filter(action="catalogue.version_published", target="sktm v2").exists()


def test_history_shows_who_and_when(client, personas, service):
    login(client, personas.admin)
    client.post(editor_url(service), form_data(service.current_version, summary="Untuk warga kurang mampu."))
    client.post(editor_url(service, "terbitkan/"), {"note": "Ringkasan ditambah"})
    page = client.get(editor_url(service)).content.decode()
    history = page.split('id="riwayat"')[1]
    assert "Ringkasan ditambah" in history
    assert personas.admin.username in history
    assert "(berlaku)" in history


def test_discard_draft_keeps_the_published_version(client, personas, service):
    login(client, personas.staff)
    client.post(editor_url(service), form_data(service.current_version, name="Nama salah"))
    client.post(editor_url(service), form_data(service.current_version, op="discard"), follow=True)
    assert not service.versions.filter(status=ServiceVersion.Status.DRAFT).exists()
    assert "Nama salah" not in client.get(editor_url(service)).content.decode()


def test_hide_and_show_a_service(client, personas, service):
    login(client, personas.staff)
    client.post(editor_url(service, "tampil/"), {"show": "0"})
    assert client.get(f"/{personas.office.slug}/layanan/sktm/").status_code == 404
    client.post(editor_url(service, "tampil/"), {"show": "1"})
    assert client.get(f"/{personas.office.slug}/layanan/sktm/").status_code == 200


def test_viewer_reads_but_cannot_write(client, personas, service):
    login(client, personas.viewer)
    page = client.get(editor_url(service)).content.decode()
    assert "Peran Anda hanya boleh melihat" in page
    assert "Simpan draf" not in page
    assert client.post(editor_url(service), form_data(service.current_version, name="X")).status_code == 403
    assert client.post(editor_url(service, "terbitkan/"), {"note": "x"}).status_code == 403
    assert client.post(editor_url(service, "tampil/"), {"show": "0"}).status_code == 403
    assert not service.versions.filter(status=ServiceVersion.Status.DRAFT).exists()


def test_outsider_gets_404_everywhere(client, personas, service):
    login(client, personas.outsider)
    catalogue.save_draft(
        service,
        content=catalogue.version_content(service.current_version)[0] | {"summary": "x"},
        requirements=catalogue.version_content(service.current_version)[1],
        steps=catalogue.version_content(service.current_version)[2],
    )
    assert client.get(f"/staf/{personas.office.slug}/layanan/").status_code == 404
    for suffix in ["", "pratinjau/", "pratinjau/poster.pdf"]:
        assert client.get(editor_url(service, suffix)).status_code == 404
    for suffix in ["", "terbitkan/", "tampil/"]:
        assert client.post(editor_url(service, suffix), {"note": "x", "show": "0"}).status_code == 404
    assert service.versions.filter(status=ServiceVersion.Status.DRAFT).get().summary == "x"


def test_anonymous_is_sent_to_login(client, service):
    response = client.get(editor_url(service))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("web:staff_login"))


def test_a_save_from_a_stale_page_is_refused_once(client, personas, service):
    login(client, personas.staff)
    opened = form_data(service.current_version, name="Nama dari tab lama")
    # Meanwhile a colleague saves a draft.
    client.post(editor_url(service), form_data(service.current_version, summary="Dari rekan"))
    response = client.post(editor_url(service), opened)
    page = response.content.decode()
    assert "diubah orang lain" in page
    draft = service.versions.get(status=ServiceVersion.Status.DRAFT)
    assert (draft.name, draft.summary) == ("Surat Keterangan Tidak Mampu", "Dari rekan")
    # Saving again from the page now shown overwrites knowingly.
    again = opened | {"base": page.split('name="base" value="')[1].split('"')[0]}
    client.post(editor_url(service), again)
    draft.refresh_from_db()
    assert draft.name == "Nama dari tab lama"


def test_focus_follows_the_moved_row(client, personas, service):
    login(client, personas.staff)
    response = client.post(editor_url(service), form_data(service.current_version, op="req:down:0"), follow=True)
    page = response.content.decode()
    assert "fokus=req-1" in response.redirect_chain[-1][0]
    tag = re.search(r'<input[^>]*name="req-1-document"[^>]*>', page).group(0)
    assert " autofocus" in tag
    assert 'value="Surat pengantar RT/RW"' in tag
    assert page.count(" autofocus") == 1


def test_the_editor_speaks_english_when_asked(client, personas, service):
    login(client, personas.staff)
    client.cookies["django_language"] = "en"
    rows = catalogue.version_content(service.current_version)[1]
    rows[0] = rows[0] | {"document": "", "condition": "jika hilang"}
    page = client.post(editor_url(service), form_data(service.current_version, requirements=rows)).content.decode()
    assert "Add requirement" in page and "Draft not saved" in page and "The document name is required." in page
    listing = client.get(f"/staf/{personas.office.slug}/layanan/").content.decode()
    assert "1 service" in listing and "Services (service standards)" in listing
