"""The applications API as integrators and offices use it: apply, track, and the staff endpoints
with an office's API token (personas: staff of another office get 404, a viewer cannot write)."""

import pytest
from django.core.management import call_command

from layan.applications.models import Application, Status
from layan.applications.tests.helpers import NIK, default_service, submit
from layan.offices.models import ApiToken, AuditEvent
from layan.offices.tokens import create_api_token, revoke_api_token

pytestmark = pytest.mark.django_db

CITIZEN_ADDRESS = "192.0.2.10"


def apply(client, slug="kisam-tinggi", **fields):
    body = {
        "service": "sk-domisili",
        "applicant_name": "Siti Aminah",
        "nik": NIK,
        "village": "16.09.10.2001",
        "phone": "0812 3456 7890",
    } | fields
    return client.post(
        f"/api/v1/offices/{slug}/applications", body, content_type="application/json", REMOTE_ADDR=CITIZEN_ADDRESS
    )


def token_for(user, office) -> str:
    return create_api_token(user.memberships.get(office=office), name="uji")[1]


def staff_get(client, path, token):
    return client.get(f"/api/v1/staff/{path}", headers={"Authorization": f"Bearer {token}"})


def staff_post(client, path, token, body):
    return client.post(
        f"/api/v1/staff/{path}", body, content_type="application/json", headers={"Authorization": f"Bearer {token}"}
    )


@pytest.fixture
def service(personas):
    return default_service(personas.office)


@pytest.fixture
def application(personas, service):
    return submit(personas.office, service)


# -- public --------------------------------------------------------------------------------------
def test_applying_returns_the_code_and_the_deadline(client, personas, service):
    response = apply(client)
    assert response.status_code == 201
    body = response.json()
    application = Application.objects.get()
    assert body["tracking_code"] == application.tracking_code
    assert body["tracking_digits"] == application.tracking_digits
    assert body["status"] == "diajukan" and body["deadline"]
    assert body["deadline_text"].startswith("perkiraan selesai ")
    assert application.channel == "api" and application.phone == "+6281234567890"


def test_a_bad_nik_or_desa_is_an_indonesian_422_per_field(client, personas, service):
    response = apply(client, nik="1234")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "nik"
    assert "16 angka" in response.json()["detail"]
    other_district = apply(client, village="16.09.11.2001")
    assert other_district.status_code == 422 and other_district.json()["errors"][0]["field"] == "village"
    assert not Application.objects.exists()


def test_an_unknown_office_or_service_is_a_404(client, personas, service):
    assert apply(client, slug="tidak-ada").status_code == 404
    response = apply(client, service="tidak-ada")
    assert response.status_code == 404 and response.json()["detail"] == "Layanan tidak ditemukan"


def test_applying_is_rate_limited_per_address(client, personas, service, settings):
    settings.LAYAN_RATE_LIMITS = {**settings.LAYAN_RATE_LIMITS, "apply": "2/h"}
    assert [apply(client).status_code for _ in range(3)] == [201, 201, 429]
    refused = apply(client)
    assert refused.json()["detail"].startswith("Terlalu banyak permintaan") and "Retry-After" in refused
    assert Application.objects.count() == 2


def test_tracking_shows_status_and_deadline_without_personal_data(client, application):
    response = client.get(f"/api/v1/track/{application.tracking_code.lower()}")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "diajukan" and body["status_label"] == "Diajukan"
    assert body["service"] == "sk-domisili" and body["deadline_text"].startswith("perkiraan selesai")
    text = response.content.decode()
    assert "Siti" not in text and NIK not in text and "6281234567890" not in text and "Balayan" not in text
    assert client.get(f"/api/v1/track/{application.tracking_digits}").json()["status"] == "diajukan"


def test_tracking_a_mistyped_or_unknown_code_is_a_404_that_says_which(client, application):
    code = application.tracking_code
    wrong = code[:-1] + ("A" if code[-1] != "A" else "B")
    assert "salah ketik" in client.get(f"/api/v1/track/{wrong}").json()["detail"]
    Application.objects.filter(pk=application.pk).update(tracking_number=application.tracking_number ^ 1)
    response = client.get(f"/api/v1/track/{code}")
    assert response.status_code == 404 and response.json()["detail"] == "Kode lacak tidak ditemukan"


def test_tracking_is_rate_limited_per_address(client, application, settings):
    settings.LAYAN_RATE_LIMITS = {**settings.LAYAN_RATE_LIMITS, "tracking": "2/m"}
    statuses = [client.get(f"/api/v1/track/{application.tracking_code}").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]


# -- staff, with a token -----------------------------------------------------------------------
def test_staff_list_and_detail_of_their_office_with_nik_masked(client, personas, application):
    token = token_for(personas.staff, personas.office)
    listing = staff_get(client, "applications", token)
    assert listing.status_code == 200
    [item] = listing.json()["items"]
    assert item["tracking_code"] == application.tracking_code and item["applicant_name"] == "Siti Aminah"
    assert item["nik"] == "1609••••••••0001"
    detail = staff_get(client, f"applications/{application.tracking_code}", token).json()
    assert NIK not in str(detail) and "6281234567890" not in str(detail)
    assert detail["allowed_transitions"] == ["diverifikasi", "perlu_perbaikan", "ditolak"]
    assert detail["history"][0]["to_status"] == "diajukan"
    assert [c["document"] for c in detail["checklist"]] == ["Surat pengantar kepala desa", "Fotokopi KTP"]


def test_staff_list_filters_by_status(client, personas, application):
    token = token_for(personas.staff, personas.office)
    assert staff_get(client, "applications?status=diproses", token).json()["count"] == 0
    assert staff_get(client, "applications?status=diajukan", token).json()["count"] == 1


def test_staff_change_the_status_and_the_citizen_is_notified(client, personas, application):
    token = token_for(personas.staff, personas.office)
    response = staff_post(client, f"applications/{application.tracking_code}/status", token, {"to": "diverifikasi"})
    assert response.status_code == 200 and response.json()["status"] == "diverifikasi"
    application.refresh_from_db()
    assert application.status == Status.DIVERIFIKASI
    assert application.status_changes.last().actor == personas.staff


def test_a_refused_transition_is_a_409_in_indonesian(client, personas, application):
    token = token_for(personas.staff, personas.office)
    response = staff_post(client, f"applications/{application.tracking_code}/status", token, {"to": "diambil"})
    assert response.status_code == 409 and response.json()["detail"]
    refused = staff_post(client, f"applications/{application.tracking_code}/status", token, {"to": "ditolak"})
    assert refused.status_code == 409  # a refusal needs its reason


def test_a_viewer_token_reads_but_cannot_change_the_status(client, personas, application):
    token = token_for(personas.viewer, personas.office)
    assert staff_get(client, f"applications/{application.tracking_code}", token).status_code == 200
    response = staff_post(client, f"applications/{application.tracking_code}/status", token, {"to": "diverifikasi"})
    assert response.status_code == 403 and response.json()["detail"] == "Peran Anda hanya boleh melihat."
    application.refresh_from_db()
    assert application.status == Status.DIAJUKAN


def test_staff_of_another_office_get_404_on_every_staff_endpoint(client, personas, application):
    token = token_for(personas.outsider, personas.other_office)
    code = application.tracking_code
    assert staff_get(client, "applications", token).json()["count"] == 0
    assert staff_get(client, f"applications/{code}", token).status_code == 404
    response = staff_post(client, f"applications/{code}/status", token, {"to": "diverifikasi"})
    assert response.status_code == 404 and response.json()["detail"] == "Permohonan tidak ditemukan"


@pytest.mark.parametrize("header", [None, "Bearer salah", "Bearer lyn_tidak-ada", "Basic abc"])
def test_without_a_valid_token_the_staff_endpoints_answer_401(client, personas, application, header):
    headers = {"Authorization": header} if header else {}
    response = client.get("/api/v1/staff/applications", headers=headers)
    assert response.status_code == 401
    assert response.json()["detail"] == "Token API tidak ada atau tidak sah."


def test_a_revoked_token_or_a_removed_member_no_longer_works(client, personas, application):
    token = token_for(personas.staff, personas.office)
    row = ApiToken.objects.get()
    revoke_api_token(row, actor=personas.admin)
    assert staff_get(client, "applications", token).status_code == 401
    other = token_for(personas.admin, personas.office)
    personas.admin.memberships.all().delete()
    assert staff_get(client, "applications", other).status_code == 401


def test_tokens_are_hashed_at_rest_and_their_creation_audited(personas):
    row, token = create_api_token(personas.staff.memberships.get(), name="Aplikasi desa", actor=personas.admin)
    assert token.startswith("lyn_") and len(token) > 40
    stored = ApiToken.objects.filter(pk=row.pk).values().get()
    assert token not in str(stored) and row.prefix == token[:12]
    assert AuditEvent.objects.filter(action="create_api_token", actor=personas.admin).exists()


def test_only_the_office_admin_creates_tokens(personas):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        create_api_token(personas.viewer.memberships.get(), name="x", actor=personas.staff)


def test_the_management_command_prints_the_token_once(personas, capsys):
    call_command("create_api_token", "kisam-tinggi", "staf_a", "--name", "Integrasi")
    token = capsys.readouterr().out.strip()
    assert token.startswith("lyn_")
    assert ApiToken.objects.get().name == "Integrasi"
