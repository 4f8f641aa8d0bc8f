"""Each status change writes one SMS-sized notification to the outbox, in the same transaction."""

import datetime as dt
import zoneinfo

import pytest
from django.db import transaction

from layan.applications.notifications import SMS_LIMIT, notification_text, sms_length
from layan.applications.services import change_status
from layan.messaging.gsm import is_gsm7
from layan.messaging.models import Message
from layan.messaging.services import get_or_create_urn
from layan.messaging.tests.helpers import create_test_channel

from .helpers import submit

WIB = zoneinfo.ZoneInfo("Asia/Jakarta")
FRIDAY = dt.datetime(2026, 3, 6, 14, 0, tzinfo=WIB)


@pytest.fixture
def channel(personas):
    return create_test_channel(personas.office)


def outbox() -> list[Message]:
    return list(Message.objects.filter(direction=Message.Direction.OUT).select_related("urn").order_by("id"))


def assert_sms_sized(text: str) -> None:
    assert is_gsm7(text), text
    assert sms_length(text) <= SMS_LIMIT, (sms_length(text), text)


def test_submission_sends_code_and_deadline_to_the_phone(personas, channel):
    application = submit(personas.office, now=FRIDAY, phone="0812-3456-7890")
    [message] = outbox()
    assert message.urn.identity == "tel:+6281234567890"
    assert application.tracking_code in message.text
    assert "Senin, 9 Maret 2026" in message.text
    assert_sms_sized(message.text)


def test_submission_from_a_chat_goes_to_that_urn(personas, channel):
    urn = get_or_create_urn("telegram:555123", channel=channel)
    submit(personas.office, now=FRIDAY, phone="", urn=urn)
    [message] = outbox()
    assert message.urn == urn


def test_no_phone_and_no_urn_means_no_message_but_the_application_stands(personas, channel):
    application = submit(personas.office, phone="")
    assert outbox() == []
    assert application.pk is not None


def test_office_without_a_channel_still_accepts_the_application(personas):
    application = submit(personas.office)
    assert application.status == "diajukan"
    assert outbox() == []


def test_perlu_perbaikan_says_what_is_missing(personas, channel):
    application = submit(personas.office, now=FRIDAY)
    check = application.checks.get(document="Fotokopi KTP")
    change_status(
        application, to="perlu_perbaikan", actor=personas.staff, note="KTP tidak terbaca", missing=[check, "Pas foto"]
    )
    text = outbox()[-1].text
    assert "perlu dilengkapi" in text and "Fotokopi KTP" in text and "Pas foto" in text
    assert application.tracking_code in text
    assert_sms_sized(text)


def test_selesai_says_what_to_bring_and_the_office_hours(personas, channel):
    application = submit(personas.office, now=FRIDAY)
    for to in ["diverifikasi", "diproses", "selesai"]:
        change_status(application, to=to, actor=personas.staff)
    text = outbox()[-1].text
    assert "KTP asli" in text
    assert "Sen-Kam 08.00-15.30, Jum 08.00-11.30 WIB" in text
    assert_sms_sized(text)


def test_ditolak_gives_the_reason(personas, channel):
    application = submit(personas.office, now=FRIDAY)
    change_status(application, to="ditolak", actor=personas.staff, note="Bukan warga Kecamatan Kisam Tinggi")
    text = outbox()[-1].text
    assert "ditolak" in text and "Bukan warga Kecamatan Kisam Tinggi" in text
    assert_sms_sized(text)


def test_every_status_change_writes_one_message(personas, channel):
    application = submit(personas.office, now=FRIDAY)
    steps = [
        ("perlu_perbaikan", {"note": "Kurang", "missing": ["Surat pengantar"]}),
        ("diajukan", {}),
        ("diverifikasi", {}),
        ("diproses", {}),
        ("selesai", {}),
        ("diambil", {}),
    ]
    for to, extra in steps:
        change_status(application, to=to, actor=personas.staff, **extra)
    texts = [m.text for m in outbox()]
    assert len(texts) == 1 + len(steps)
    for text in texts:
        assert_sms_sized(text)
        assert application.tracking_code in text


def test_a_long_service_name_and_reason_still_fit_one_sms(personas, channel):
    from testkit.personas import create_service

    service = create_service(personas.office, "panjang", "Surat Keterangan " + "Sangat Panjang " * 12)
    application = submit(personas.office, service, now=FRIDAY)
    change_status(application, to="ditolak", actor=personas.staff, note="Alasan yang sangat panjang " * 20)
    for message in outbox():
        assert_sms_sized(message.text)
        assert application.tracking_code in message.text


def test_non_gsm_characters_do_not_turn_the_sms_into_ucs2(personas, channel):
    application = submit(personas.office, now=FRIDAY)
    change_status(application, to="ditolak", actor=personas.staff, note="Nama “Ṣāliḥ” tidak sesuai KTP ✓")
    text = outbox()[-1].text
    assert_sms_sized(text)
    assert "Salih" in text


def test_the_notification_rolls_back_with_the_change(personas, channel):
    application = submit(personas.office, now=FRIDAY)
    before = len(outbox())
    with pytest.raises(RuntimeError), transaction.atomic():
        change_status(application, to="diverifikasi", actor=personas.staff)
        assert len(outbox()) == before + 1  # written inside the transaction
        raise RuntimeError("the caller fails after the change")
    assert len(outbox()) == before
    application.refresh_from_db()
    assert application.status == "diajukan"


def test_the_text_is_indonesian_whatever_the_active_language(personas):
    from django.utils import translation

    application = submit(personas.office, now=FRIDAY)
    with translation.override("en"):
        assert "Senin, 9 Maret 2026" in notification_text(application)
