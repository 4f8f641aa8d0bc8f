"""The office's own voice for the board (/staf/<office>/antrian/suara/)."""

import os
import subprocess

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from layan.queue import speech
from layan.queue.devices import CallClip

from .helpers import logged_in

pytestmark = pytest.mark.django_db


def url(office, name="voice", **kwargs):
    return reverse(f"queue:{name}", kwargs={"office": office.slug, **kwargs})


def tone(seconds=0.4):
    return subprocess.run(
        ["sox", "-n", "-t", "wav", "-r", "16000", "-", "synth", str(seconds), "sine", "440"],
        capture_output=True,
        check=True,
    ).stdout


def test_staff_see_every_word_and_which_are_missing(personas):
    page = logged_in(personas.staff).get(url(personas.office))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Nomor antrian a dua belas, silakan menuju loket dua" in html
    assert html.count('<span class="muted">belum direkam</span>') == len(speech.VOCABULARY)
    assert "Unggah rekaman" not in html  # only an office admin changes the recordings


def test_the_outsider_gets_404_and_a_viewer_cannot_upload(personas):
    assert logged_in(personas.outsider).get(url(personas.office)).status_code == 404
    assert logged_in(personas.outsider).get(url(personas.office, "voice_listen", word="contoh")).status_code == 404
    upload = SimpleUploadedFile("nomor.wav", b"RIFF", content_type="audio/wav")
    assert logged_in(personas.viewer).post(url(personas.office), {"word": "nomor", "audio": upload}).status_code == 403
    assert logged_in(personas.staff).post(url(personas.office, "voice_delete", word="nomor")).status_code == 403


def test_a_file_that_is_not_audio_is_refused_in_indonesian(personas):
    if not speech.tools_available():
        pytest.skip("espeak-ng or sox is not installed")
    upload = SimpleUploadedFile("nomor.wav", b"MZ\x90\x00 not audio", content_type="audio/wav")
    response = logged_in(personas.admin).post(url(personas.office), {"word": "nomor", "audio": upload})
    assert response.status_code == 400
    assert "Berkas suara tidak dapat dibaca" in response.content.decode()
    assert not CallClip.objects.exists()


@pytest.mark.slow
@pytest.mark.real_component("sox")
def test_an_admin_records_a_word_listens_and_removes_it(personas, django_capture_on_commit_callbacks):
    if not speech.tools_available():
        pytest.skip("espeak-ng or sox is not installed")
    admin = logged_in(personas.admin)
    upload = SimpleUploadedFile("rekaman.wav", tone(), content_type="audio/wav")
    response = admin.post(url(personas.office), {"word": "loket", "audio": upload}, follow=True)
    assert "Rekaman kata “loket” disimpan." in response.content.decode()
    clip = CallClip.objects.get(office=personas.office, word="loket")
    heard = admin.get(url(personas.office, "voice_listen", word="loket"))
    assert heard.status_code == 200 and heard.content[:4] == b"RIFF"
    sample = admin.get(url(personas.office, "voice_listen", word="contoh"))
    assert sample.status_code == 200 and sample["Content-Type"] == "audio/wav"
    path = clip.audio.path
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(url(personas.office, "voice_delete", word="loket"), follow=True)
    assert "Rekaman kata “loket” dihapus." in response.content.decode()
    assert not CallClip.objects.exists()
    assert not os.path.exists(path)
    assert admin.post(url(personas.office, "voice_delete", word="loket")).status_code == 404


def test_an_oversized_upload_is_refused(personas):
    big = SimpleUploadedFile("big.wav", b"\0" * (5 * 1024 * 1024 + 1), content_type="audio/wav")
    response = logged_in(personas.admin).post(url(personas.office), {"word": "nomor", "audio": big})
    assert response.status_code == 400 and "paling besar 5 MB" in response.content.decode()
