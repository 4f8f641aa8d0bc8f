"""The staff pages: work queue, detail screen and its forms, counter registration, receipt, downloads.

Personas: staff and admin of office A work; the viewer of office A reads only; the outsider (admin
of office B) gets 404 everywhere."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from layan.applications.models import Application, Channel, RequirementCheck, Status, StatusChange
from layan.applications.services import assign_application, change_status
from layan.applications.uploads import clean_upload, save_attachment
from layan.offices.models import AuditEvent
from testkit.personas import PASSWORD, create_service

from .pages import NIK, create_application, village

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _private_uploads(settings, tmp_path):
    settings.LAYAN_UPLOAD_DIR = tmp_path / "uploads"


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def png_upload():
    out = io.BytesIO()
    Image.new("RGB", (8, 8)).save(out, format="PNG")
    data = out.getvalue()
    return clean_upload(io.BytesIO(data), name="ktp.png", size=len(data))


def urls(office, application, attachment=None):
    slug, pk = office.slug, application.pk
    check = application.checks.first()
    out = {
        ("get", reverse("applications:queue", args=[slug])),
        ("get", reverse("applications:register", args=[slug])),
        ("get", reverse("applications:detail", args=[slug, pk])),
        ("get", reverse("applications:receipt", args=[slug, pk])),
        ("post", reverse("applications:status", args=[slug, pk])),
        ("post", reverse("applications:assign", args=[slug, pk])),
        ("post", reverse("applications:reveal_nik", args=[slug, pk])),
        ("post", reverse("applications:check", args=[slug, pk, check.pk])),
        ("post", reverse("applications:bulk", args=[slug])),
    }
    if attachment is not None:
        out.add(("get", reverse("applications:download", args=[slug, pk, attachment.pk])))
    return out


def test_the_outsider_gets_404_on_every_staff_view(client, personas):
    application = create_application(personas.office)
    attachment = save_attachment(application, png_upload())
    login(client, personas.outsider)
    for method, url in urls(personas.office, application, attachment):
        assert getattr(client, method)(url).status_code == 404, url
    # Nor through their own office's address.
    for method, url in urls(personas.other_office, application, attachment):
        if f"/permohonan/{application.pk}/" not in url:
            continue
        response = getattr(client, method)(url)
        assert response.status_code == 404, url


def test_anonymous_visitors_are_sent_to_the_login(client, personas):
    application = create_application(personas.office)
    for method, url in urls(personas.office, application):
        response = getattr(client, method)(url)
        assert response.status_code == 302 and "/staf/masuk/" in response["Location"], url


def test_the_viewer_reads_but_changes_nothing(client, personas):
    application = create_application(personas.office)
    attachment = save_attachment(application, png_upload())
    login(client, personas.viewer)
    slug, pk = personas.office.slug, application.pk
    assert client.get(reverse("applications:queue", args=[slug])).status_code == 200
    detail = client.get(reverse("applications:detail", args=[slug, pk]))
    assert detail.status_code == 200
    assert "Jadikan" not in detail.content.decode()  # no status buttons
    assert "ktp.png" in detail.content.decode() and "/berkas/" not in detail.content.decode()  # no download link
    writes = [
        (reverse("applications:status", args=[slug, pk]), {"to": Status.DIVERIFIKASI}),
        (reverse("applications:assign", args=[slug, pk]), {"assignee": "saya"}),
        (reverse("applications:bulk", args=[slug]), {"ids": [pk], "action": "ambil"}),
        (reverse("applications:check", args=[slug, pk, application.checks.first().pk]), {"c1-state": "verified"}),
        (reverse("applications:reveal_nik", args=[slug, pk]), {}),
    ]
    for url, data in writes:
        assert client.post(url, data).status_code == 403, url
    assert client.get(reverse("applications:register", args=[slug])).status_code == 403
    assert client.get(reverse("applications:download", args=[slug, pk, attachment.pk])).status_code == 403
    application.refresh_from_db()
    assert application.status == Status.DIAJUKAN and application.assignee is None
    assert not AuditEvent.objects.filter(action__in=["view_nik", "view_document"]).exists()


def test_the_queue_lists_open_applications_overdue_first_with_nik_masked(client, personas):
    office = personas.office
    late = create_application(office, name="Budi Terlambat")
    create_application(office, create_service(office, "sku", "Surat Keterangan Usaha"), name="Ani Segera")
    waiting = create_application(office, create_service(office, "skck", "Pengantar SKCK"), name="Citra Menunggu")
    done = create_application(office, create_service(office, "ahli", "Ahli Waris"), name="Dodi Selesai")
    Application.objects.filter(pk=late.pk).update(due_at=timezone.now() - dt.timedelta(days=2))
    change_status(waiting, to=Status.PERLU_PERBAIKAN, actor=personas.staff, note="x", missing=["KTP"])
    for to in (Status.DIVERIFIKASI, Status.DIPROSES, Status.SELESAI):
        change_status(done, to=to, actor=personas.staff)
    login(client, personas.staff)
    response = client.get(reverse("applications:queue", args=[office.slug]))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.index("Budi Terlambat") < html.index("Ani Segera") < html.index("Citra Menunggu")
    assert "Dodi Selesai" not in html  # not open
    assert "terlambat" in html
    assert NIK not in html and "1609••••••••0001" in html
    assert "Perlu perbaikan (1)" in html
    # The closed one is under its own status.
    closed = client.get(reverse("applications:queue", args=[office.slug]), {"status": Status.SELESAI})
    assert "Dodi Selesai" in closed.content.decode() and "Budi Terlambat" not in closed.content.decode()


def test_queue_pages_run_from_the_deadlines_into_the_files_waiting_for_the_citizen(client, personas, monkeypatch):
    from layan.applications import staff

    monkeypatch.setattr(staff, "PAGE_SIZE", 2)
    office = personas.office
    service = create_service(office, "sku")
    apps = [create_application(office, service, name=f"Warga {i}") for i in range(5)]
    for i, a in enumerate(apps[:3]):
        Application.objects.filter(pk=a.pk).update(due_at=timezone.now() + dt.timedelta(days=3 - i))
    for a in apps[3:]:
        change_status(a, to=Status.PERLU_PERBAIKAN, actor=personas.staff, note="x", missing=["KTP"])
    login(client, personas.staff)
    url = reverse("applications:queue", args=[office.slug])
    order = []
    for number in (1, 2, 3):
        html = client.get(url, {"hal": number}).content.decode()
        order += [
            a.applicant_name
            for a in sorted(apps, key=lambda a: html.find(a.applicant_name))
            if a.applicant_name in html
        ]
    assert order == ["Warga 2", "Warga 1", "Warga 0", "Warga 3", "Warga 4"]
    # The same order when a filter makes the counts come from the database.
    narrowed = []
    for number in (1, 2, 3):
        html = client.get(url, {"hal": number, "layanan": "sku"}).content.decode()
        narrowed += [
            a.applicant_name
            for a in sorted(apps, key=lambda a: html.find(a.applicant_name))
            if a.applicant_name in html
        ]
    assert narrowed == order


def test_the_queue_filters_by_service_desa_assignee_and_channel(client, personas):
    office = personas.office
    mine = create_application(office, name="Punya Saya")
    other_service = create_service(office, "sku", "Surat Keterangan Usaha")
    counter = create_application(office, other_service, name="Dari Loket", channel=Channel.COUNTER)
    assign_application(mine, assignee=personas.staff, actor=personas.staff)
    login(client, personas.staff)
    url = reverse("applications:queue", args=[office.slug])

    def names(**params):
        html = client.get(url, params).content.decode()
        return {n for n in ("Punya Saya", "Dari Loket") if n in html}

    assert names() == {"Punya Saya", "Dari Loket"}
    assert names(petugas="saya") == {"Punya Saya"}
    assert names(petugas="kosong") == {"Dari Loket"}
    assert names(petugas=str(personas.staff.pk)) == {"Punya Saya"}
    assert names(layanan="sku") == {"Dari Loket"}
    assert names(jalur="counter") == {"Dari Loket"}
    assert names(desa=village(office).pk) == {"Punya Saya", "Dari Loket"}
    assert names(q=counter.tracking_code.lower()) == {"Dari Loket"}
    assert names(jalur="bukan-jalur") == {"Punya Saya", "Dari Loket"}  # a wrong value is ignored


def test_the_queue_poll_answers_204_when_nothing_changed(client, personas):
    application = create_application(personas.office)
    login(client, personas.staff)
    url = reverse("applications:queue", args=[personas.office.slug])
    first = client.get(url, {"daftar": "1"}, headers={"HX-Request": "true"})
    assert first.status_code == 200 and "<html" not in first.content.decode()
    version = first.content.decode().split('name="v" value="')[1].split('"')[0]
    assert client.get(url, {"daftar": "1", "v": version}, headers={"HX-Request": "true"}).status_code == 204
    assign_application(application, assignee=personas.admin, actor=personas.admin)
    changed = client.get(url, {"daftar": "1", "v": version}, headers={"HX-Request": "true"})
    assert changed.status_code == 200


def test_the_queue_page_costs_a_fixed_number_of_queries(client, personas, django_assert_max_num_queries):
    office = personas.office
    for i in range(12):
        create_application(office, create_service(office, f"svc{i}"), name=f"Warga {i}")
    login(client, personas.staff)
    url = reverse("applications:queue", args=[office.slug])
    client.get(url)
    with django_assert_max_num_queries(12):
        assert client.get(url).status_code == 200


def test_bulk_actions_take_and_move_only_what_fits(client, personas):
    office = personas.office
    a = create_application(office, name="A")
    b = create_application(office, create_service(office, "sku"), name="B")
    change_status(b, to=Status.PERLU_PERBAIKAN, actor=personas.staff, note="x", missing=["KTP"])
    login(client, personas.staff)
    url = reverse("applications:bulk", args=[office.slug])
    response = client.post(url, {"ids": [a.pk, b.pk], "action": "ambil"})
    assert response.status_code == 302
    assert set(Application.objects.values_list("assignee", flat=True)) == {personas.staff.pk}
    client.post(url, {"ids": [a.pk, b.pk], "action": f"status:{Status.DIVERIFIKASI}"})
    a.refresh_from_db(), b.refresh_from_db()
    assert a.status == Status.DIVERIFIKASI
    assert b.status == Status.DIVERIFIKASI  # perlu_perbaikan -> diverifikasi is allowed too
    page = client.post(url, {"ids": [a.pk, b.pk], "action": f"status:{Status.SELESAI}"}, follow=True)
    assert "2 permohonan dilewati" in page.content.decode()
    # Another office's ids are simply not found.
    theirs = create_application(personas.other_office, create_service(personas.other_office, "x"), name="Lain")
    client.post(url, {"ids": [theirs.pk], "action": "ambil"})
    theirs.refresh_from_db()
    assert theirs.assignee is None


def test_the_detail_shows_checklist_history_and_only_the_allowed_buttons(client, personas):
    application = create_application(personas.office)
    login(client, personas.staff)
    html = client.get(reverse("applications:detail", args=[personas.office.slug, application.pk])).content.decode()
    assert application.tracking_code in html
    for document in application.checks.values_list("document", flat=True):
        assert document in html
    assert "Jadikan “Diverifikasi”" in html and "Jadikan “Perlu perbaikan”" in html and "Jadikan “Ditolak”" in html
    assert "Jadikan “Selesai" not in html and "Jadikan “Diproses”" not in html
    assert NIK not in html and "1609••••••••0001" in html


def test_status_buttons_move_the_file_and_refused_changes_say_why(client, personas):
    application = create_application(personas.office)
    login(client, personas.staff)
    url = reverse("applications:status", args=[personas.office.slug, application.pk])
    assert client.post(url, {"to": Status.DIVERIFIKASI, "note": ""}).status_code == 302
    refused = client.post(url, {"to": Status.DIAMBIL})
    assert refused.status_code == 400
    assert "tidak bisa diubah" in refused.content.decode()
    no_reason = client.post(url, {"to": Status.DITOLAK, "note": ""})
    assert no_reason.status_code == 400 and "alasan" in no_reason.content.decode().lower()
    check = application.checks.first()
    fix = client.post(url, {"to": Status.PERLU_PERBAIKAN, "note": "Foto KTP buram", "missing": [check.pk]})
    assert fix.status_code == 302
    application.refresh_from_db()
    assert application.status == Status.PERLU_PERBAIKAN
    change = StatusChange.objects.filter(application=application).last()
    assert change.actor == personas.staff and change.missing == [check.document]


def test_assign_to_me_and_to_a_colleague(client, personas):
    application = create_application(personas.office)
    login(client, personas.staff)
    url = reverse("applications:assign", args=[personas.office.slug, application.pk])
    client.post(url, {"assignee": "saya"})
    application.refresh_from_db()
    assert application.assignee == personas.staff
    client.post(url, {"assignee": personas.admin.pk})
    application.refresh_from_db()
    assert application.assignee == personas.admin
    assert client.post(url, {"assignee": personas.viewer.pk}).status_code == 400  # viewers cannot take files
    assert client.post(url, {"assignee": personas.outsider.pk}).status_code == 400


def test_a_checklist_line_is_verified_with_a_scanned_document(client, personas):
    application = create_application(personas.office)
    check = application.checks.first()
    login(client, personas.staff)
    out = io.BytesIO()
    Image.new("RGB", (8, 8)).save(out, format="JPEG")
    out.name = "scan.jpg"
    out.seek(0)
    url = reverse("applications:check", args=[personas.office.slug, application.pk, check.pk])
    response = client.post(
        url, {f"c{check.pk}-state": "verified", f"c{check.pk}-note": "asli dilihat", f"c{check.pk}-file": out}
    )
    assert response.status_code == 302
    check.refresh_from_db()
    assert check.state == RequirementCheck.State.VERIFIED and check.note == "asli dilihat"
    assert check.attachments.get().uploaded_by == personas.staff
    bad = client.post(url, {f"c{check.pk}-state": "hilang"})
    assert bad.status_code == 400


def test_the_full_nik_is_shown_on_demand_and_audited(client, personas):
    application = create_application(personas.office)
    login(client, personas.staff)
    url = reverse("applications:reveal_nik", args=[personas.office.slug, application.pk])
    response = client.post(url, headers={"HX-Request": "true"})
    assert response.status_code == 200 and NIK in response.content.decode()
    plain = client.post(url)
    assert NIK in plain.content.decode()
    events = AuditEvent.objects.filter(action=AuditEvent.Action.VIEW_NIK, actor=personas.staff)
    assert events.count() == 2
    assert events.first().target == f"application:{application.pk}" and NIK not in events.first().target


def test_documents_are_downloaded_only_through_the_audited_view(client, personas):
    application = create_application(personas.office)
    attachment = save_attachment(application, png_upload())
    login(client, personas.staff)
    response = client.get(reverse("applications:download", args=[personas.office.slug, application.pk, attachment.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert "sandbox" in response["Content-Security-Policy"]
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.VIEW_DOCUMENT, target=f"attachment:{attachment.pk}"
    ).exists()
    # An attachment of another application is not reachable through this one's address.
    other = create_application(personas.office, create_service(personas.office, "sku"))
    url = reverse("applications:download", args=[personas.office.slug, other.pk, attachment.pk])
    assert client.get(url).status_code == 404


def test_counter_registration_is_keyboard_fast_and_opens_the_receipt(client, personas):
    office = personas.office
    service = create_service(office, "domisili", "Surat Keterangan Domisili", requirements=["KTP", "KK"])
    login(client, personas.staff)
    url = reverse("applications:register", args=[office.slug])
    step_one = client.get(url).content.decode()
    assert 'id="id_layanan" autofocus' in step_one
    step_two = client.get(url, {"layanan": service.code}).content.decode()
    assert "autofocus" in step_two.split('name="applicant_name"')[1].split(">")[0]
    ktp, kk = service.current_version.requirements.order_by("order")
    data = {
        "applicant_name": "Rahmat",
        "nik": NIK,
        "village": village(office).pk,
        "phone": "",
        "notes": "",
        f"syarat_{ktp.pk}": "on",
    }
    response = client.post(f"{url}?layanan={service.code}", data)
    application = Application.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("applications:receipt", args=[office.slug, application.pk])
    assert application.channel == Channel.COUNTER
    assert application.status_changes.get().actor == personas.staff
    receipt = client.get(response["Location"]).content.decode()
    assert application.tracking_code in receipt and application.tracking_digits in receipt
    assert "Perkiraan selesai" in receipt
    assert "Yang masih perlu dibawa" in receipt and ">KK<" in receipt
    assert NIK not in receipt


def test_counter_registration_bad_nik_is_a_400_with_the_reason(client, personas):
    service = create_service(personas.office, "domisili")
    login(client, personas.staff)
    url = reverse("applications:register", args=[personas.office.slug]) + f"?layanan={service.code}"
    data = {"applicant_name": "Rahmat", "nik": "1609103208900001", "village": village(personas.office).pk}
    response = client.post(url, data)
    assert response.status_code == 400
    assert "NIK" in response.content.decode()
    assert not Application.objects.exists()


def test_the_nav_bar_links_the_queue(client, personas):
    login(client, personas.staff)
    html = client.get(reverse("web:workspace", args=[personas.office.slug])).content.decode()
    assert reverse("applications:queue", args=[personas.office.slug]) in html
