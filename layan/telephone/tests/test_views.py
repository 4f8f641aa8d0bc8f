"""Staff page /staf/<office>/telepon/: access, masking, voice messages, staff-answered calls."""

import wave

import pytest
from django.urls import reverse

from layan.telephone import prompts, services
from layan.telephone.models import CallLog
from testkit.personas import create_service

NUMBER = "+6281234567890"


def url(office) -> str:
    return reverse("phone:dashboard", kwargs={"office": office.slug})


def ivr_call(office, number=NUMBER) -> CallLog:
    call = services.start_call(office, caller=number, driver="sip")
    services.finish_call(call, path=["menu", "jam", "selesai"], sms_sent=False)
    return call


def voice_message(office, tmp_path):
    call = ivr_call(office)
    path = tmp_path / "rec.wav"
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(1)
        w.setframerate(8000)
        w.writeframes(prompts.silence(2, "u8"))
    return services.save_voice_message(call, recording=path)


@pytest.mark.django_db
def test_outsider_and_anonymous_get_no_page(client, personas):
    client.force_login(personas.outsider)
    assert client.get(url(personas.office)).status_code == 404
    client.logout()
    assert client.get(url(personas.office)).status_code == 302


@pytest.mark.django_db
def test_staff_sees_calls_with_masked_numbers(client, personas):
    ivr_call(personas.office)
    ivr_call(personas.other_office, "+6289999999999")
    client.force_login(personas.staff)
    page = client.get(url(personas.office)).content.decode()
    assert "+62812•••••890" in page and NUMBER not in page
    assert "menu › jam › selesai" in page
    assert "+62899" not in page  # another office's call


@pytest.mark.django_db
def test_voice_message_is_playable_by_staff_only(client, personas, tmp_path):
    message = voice_message(personas.office, tmp_path)
    assert message.audio.path.startswith(str(prompts.settings.VAR_DIR / "voice"))
    audio_url = reverse("phone:voice_audio", kwargs={"office": personas.office.slug, "pk": message.pk})
    client.force_login(personas.viewer)
    assert audio_url in client.get(url(personas.office)).content.decode()
    response = client.get(audio_url)
    assert response.status_code == 200 and response["Content-Type"] == "audio/wav"
    assert b"".join(response.streaming_content)[:4] == b"RIFF"
    client.force_login(personas.outsider)
    assert client.get(audio_url).status_code == 404
    other = reverse("phone:voice_audio", kwargs={"office": personas.outsider.memberships.get().office.slug, "pk": 1})
    assert client.get(other).status_code == 404


@pytest.mark.django_db
def test_staff_call_is_logged_with_question_and_service(client, personas):
    service = create_service(personas.office, "ktp-el", "KTP-el")
    client.force_login(personas.staff)
    response = client.post(
        url(personas.office),
        {"caller": "0812-3456-7890", "question": "Syarat KTP hilang?", "service": service.pk, "save": ""},
    )
    assert response.status_code == 302
    call = CallLog.objects.get(answered_by=CallLog.AnsweredBy.STAFF)
    assert (call.caller, call.question, call.service, call.staff) == (
        NUMBER,
        "Syarat KTP hilang?",
        service,
        personas.staff,
    )
    assert not call.sms_sent


@pytest.mark.django_db
def test_viewer_cannot_log_calls_and_bad_number_is_a_clear_400(client, personas):
    client.force_login(personas.viewer)
    assert client.post(url(personas.office), {"caller": "0812345678", "question": "x"}).status_code == 403
    client.force_login(personas.staff)
    response = client.post(url(personas.office), {"caller": "12", "question": "x"})
    assert response.status_code == 400 and "Nomor telepon tidak valid" in response.content.decode()


@pytest.mark.django_db
def test_one_click_sends_the_sop_link_by_sms_through_the_outbox(client, personas):
    from layan.messaging.models import Channel, Message

    Channel.objects.create(office=personas.office, kind="test", name="Simulator")
    service = create_service(personas.office, "ktp-el", "KTP-el", requirements=["Surat pengantar RT"])
    client.force_login(personas.staff)
    client.post(
        url(personas.office),
        {"caller": "081234567890", "question": "Syarat KTP?", "service": service.pk, "send_sms": ""},
    )
    message = Message.objects.get(direction="out")
    assert message.urn.identity == f"tel:{NUMBER}" and message.status == "queued"
    assert "Surat pengantar RT" in message.text and f"/{personas.office.slug}/layanan/ktp-el/" in message.text
    assert CallLog.objects.get(answered_by="staff").sms_sent


@pytest.mark.django_db
def test_list_page_query_count_does_not_grow_with_calls(client, personas, django_assert_max_num_queries):
    for _ in range(30):
        ivr_call(personas.office)
    client.force_login(personas.staff)
    with django_assert_max_num_queries(12):
        assert client.get(url(personas.office)).status_code == 200
