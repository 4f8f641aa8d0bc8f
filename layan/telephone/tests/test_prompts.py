"""Prompt audio: espeak-ng in Indonesian, converted by sox to 8 kHz mono telephone WAV, cached."""

import io
import subprocess
import time
import wave

import pytest

from layan.telephone import prompts, services
from layan.telephone.ivr import Prompt

pytestmark = [pytest.mark.slow, pytest.mark.real_component("espeak-ng")]


@pytest.fixture(autouse=True)
def need_tools():
    if not prompts.tools_available():
        pytest.skip("espeak-ng or sox is not installed")


def wav_params(path):
    with wave.open(str(path), "rb") as w:
        return w.getnchannels(), w.getframerate(), w.getsampwidth(), w.getnframes() / w.getframerate()


def test_tts_makes_8khz_mono_wav_for_sip_and_asterisk():
    text = "Tekan 1 untuk persyaratan layanan."
    u8 = prompts.tts(text, "u8")
    s16 = prompts.tts(text, "s16")
    ch, rate, width, seconds = wav_params(u8)
    assert (ch, rate, width) == (1, 8000, 1)
    assert 1.0 < seconds < 6.0
    assert wav_params(s16)[:3] == (1, 8000, 2)
    # Real speech, not silence: 8-bit unsigned samples move away from the 0x80 midpoint.
    frames = prompts.read_frames(u8)
    assert max(frames) - min(frames) > 40


def test_second_request_is_a_cache_hit_and_fast():
    text = f"Kode {time.time_ns()} tidak ditemukan."
    started = time.perf_counter()
    first = prompts.tts(text, "u8")
    generated = time.perf_counter() - started
    hits = prompts.CACHE_STATS["hits"]
    started = time.perf_counter()
    assert prompts.tts(text, "u8") == first
    assert prompts.CACHE_STATS["hits"] == hits + 1
    assert time.perf_counter() - started < generated


def test_turn_joins_prompts_into_one_file():
    parts = (Prompt("Maaf, pilihan tidak dikenal.", "invalid"), Prompt("Tekan 0 untuk kembali."))
    joined = prompts.turn_file(None, parts, "s16")
    lengths = [wav_params(prompts.prompt_file(None, p, "s16"))[3] for p in parts]
    assert wav_params(joined)[3] == pytest.approx(sum(lengths) + prompts.GAP_S, abs=0.01)


@pytest.mark.django_db
def test_office_recording_replaces_a_fixed_prompt(personas):
    # A 44.1 kHz stereo "recording", as a phone or laptop would make it.
    source = prompts.cache_dir() / "upload-test.wav"
    subprocess.run(["sox", "-n", "-r", "44100", "-c", "2", str(source), "synth", "1.5", "sine", "440"], check=True)
    rec = services.save_prompt_recording(personas.office, key="welcome", upload=io.BytesIO(source.read_bytes()))
    assert wav_params(rec.audio.path)[:3] == (1, 8000, 2)
    welcome = Prompt("Selamat datang", "welcome")
    assert prompts.prompt_file(personas.office.pk, welcome, "s16") == prompts.Path(rec.audio.path)
    assert wav_params(prompts.prompt_file(personas.office.pk, welcome, "u8"))[:3] == (1, 8000, 1)
    # Other offices and dynamic text still use TTS.
    assert "tts-" in prompts.prompt_file(personas.other_office.pk, welcome, "s16").name


@pytest.mark.django_db
def test_upload_that_is_not_audio_gets_a_clear_error(personas):
    with pytest.raises(prompts.PromptError, match="sox gagal"):
        services.save_prompt_recording(personas.office, key="menu", upload=io.BytesIO(b"bukan audio"))
