import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from layan.applications.models import Status
from layan.applications.services import change_status
from layan.applications.tests.helpers import NIK, submit
from layan.letters import services, verifier
from layan.letters.models import Letter, LetterSettings, LetterTemplate
from layan.letters.verification import check_file
from layan.offices.models import AuditEvent

from .helpers import CAMAT_NIP, create_signer, processed_application


@pytest.fixture
def camat(personas):
    return create_signer(personas.office)


@pytest.fixture
def draft(personas):
    application = processed_application(personas.office, personas.staff)
    return services.prepare_letter(application, actor=personas.staff)


def test_a_draft_has_no_number_and_cannot_be_verified(personas, draft, office_key):
    assert draft.state == Letter.State.DRAFT and draft.number == "" and not draft.is_signed
    assert draft.subject == "Surat Keterangan Domisili"
    pdf = services.render_draft(draft)
    assert check_file(pdf).valid is False
    assert "Tidak ada tanda tangan" in check_file(pdf).reason


def test_the_camat_signs_a_numbered_letter_that_verifies_offline(personas, draft, camat, office_key):
    letter = services.sign_letter(draft, actor=camat, now=dt.datetime(2026, 3, 9, 3, tzinfo=dt.UTC))
    assert letter.state == Letter.State.SIGNED
    assert letter.number == "470/001/KEC-KT/2026"
    assert (letter.year, letter.sequence) == (2026, 1)
    signed = bytes(letter.signed_pdf)
    verdict = verifier.verify(signed, keys_public(office_key))
    assert verdict.valid, verdict.reason
    assert verdict.data == letter.facts
    assert verdict.data["applicant_nik"] == NIK[:4] + "••••••••" + NIK[-4:]  # never the whole NIK
    assert verdict.data["signer_nip"] == CAMAT_NIP and verdict.data["date"] == "2026-03-09"
    assert letter.signed_sha256 == verifier.sha256_hex(signed)
    assert check_file(signed).valid
    assert AuditEvent.objects.filter(action="sign_letter", target="surat:470/001/KEC-KT/2026", actor=camat).exists()


def keys_public(record):
    return verifier.load_public_key(record.public_key.encode())


def test_only_a_signer_signs(personas, draft, office_key):
    for user in (personas.staff, personas.admin, personas.viewer, personas.outsider):
        with pytest.raises(PermissionDenied):
            services.sign_letter(draft, actor=user)
    draft.refresh_from_db()
    assert draft.state == Letter.State.DRAFT


def test_a_signer_of_another_office_cannot_sign(personas, draft, office_key):
    other_camat = create_signer(personas.other_office, "camat_b", title="Camat Muaradua Kisam")
    with pytest.raises(PermissionDenied):
        services.sign_letter(draft, actor=other_camat)


def test_a_letter_is_signed_once(personas, draft, camat, office_key):
    services.sign_letter(draft, actor=camat)
    with pytest.raises(services.LetterError, match="sudah ditandatangani"):
        services.sign_letter(draft, actor=camat)


def test_no_key_file_no_signature_and_no_number_used(personas, draft, camat, settings, tmp_path):
    settings.LAYAN_LETTER_KEY_DIR = tmp_path / "empty"
    with pytest.raises(services.LetterError, match="letter_keys"):
        services.sign_letter(draft, actor=camat)
    draft.refresh_from_db()
    assert draft.number == "" and draft.state == Letter.State.DRAFT


def test_a_failed_signing_gives_the_number_back(personas, camat, office_key, monkeypatch):
    first = services.prepare_letter(processed_application(personas.office, personas.staff), actor=personas.staff)
    second = services.prepare_letter(
        processed_application(personas.office, personas.staff, nik="1609105205900002"), actor=personas.staff
    )
    monkeypatch.setattr(services, "render_letter", lambda content: (_ for _ in ()).throw(RuntimeError("typst")))
    with pytest.raises(RuntimeError):
        services.sign_letter(first, actor=camat)
    monkeypatch.undo()
    assert services.sign_letter(second, actor=camat).sequence == 1


def test_a_letter_only_for_a_checked_file(personas):
    application = submit(personas.office)
    with pytest.raises(services.LetterError, match="diverifikasi"):
        services.prepare_letter(application, actor=personas.staff)
    change_status(application, to=Status.DITOLAK, actor=personas.staff, note="NIK tidak terdaftar")
    with pytest.raises(services.LetterError):
        services.prepare_letter(application, actor=personas.staff)
    with pytest.raises(PermissionDenied):
        services.prepare_letter(application, actor=personas.viewer)


def test_revoking_needs_a_reason_and_is_audited(personas, draft, camat, office_key):
    letter = services.sign_letter(draft, actor=camat)
    with pytest.raises(services.LetterError, match="alasan"):
        services.revoke_letter(letter, actor=camat, reason="  ")
    with pytest.raises(PermissionDenied):
        services.revoke_letter(letter, actor=personas.staff, reason="salah nama")
    services.revoke_letter(letter, actor=personas.admin, reason="Salah tulis nama pemohon")
    letter.refresh_from_db()
    assert letter.state == Letter.State.REVOKED and letter.revoke_reason == "Salah tulis nama pemohon"
    assert AuditEvent.objects.filter(action="revoke_letter", actor=personas.admin).exists()
    result = check_file(bytes(letter.signed_pdf))
    assert not result.valid and result.signature_valid and "DICABUT" in result.reason
    assert "Salah tulis nama pemohon" in result.reason
    with pytest.raises(services.LetterError):
        services.revoke_letter(letter, actor=camat, reason="lagi")


def test_the_service_template_and_the_office_settings_shape_the_letter(personas, camat, office_key):
    application = processed_application(personas.office, personas.staff)
    LetterTemplate.objects.create(
        office=personas.office,
        service=application.service,
        classification="474.1",
        number_pattern="{klasifikasi}/{urut:04}/{unit}/{bulan_romawi}/{tahun}",
        subject="Keterangan Domisili {nama}",
        body="Menerangkan bahwa {nama} berdomisili di Desa {desa}.\n\n{data_pemohon}",
    )
    LetterSettings.objects.create(office=personas.office, unit_code="KEC.KT")
    letter = services.prepare_letter(application, actor=personas.staff)
    assert letter.subject == "Keterangan Domisili Siti Aminah"
    letter = services.sign_letter(letter, actor=camat, now=dt.datetime(2026, 11, 3, 3, tzinfo=dt.UTC))
    assert letter.number == "474.1/0001/KEC.KT/XI/2026"
