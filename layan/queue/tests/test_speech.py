"""The spoken call: its words, and the audio made by espeak-ng (or an office's clips), checked as sound."""

import array
import io
import math
import subprocess
import wave

import pytest

from layan.queue import speech


@pytest.fixture(autouse=True)
def audio_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    return tmp_path / "queue" / "audio"


def test_the_call_reads_letter_number_and_counter_as_words():
    call = speech.spoken_call("A012", 2)
    assert call.text == "Nomor antrian a dua belas, silakan menuju loket dua"
    assert speech.spoken_call("B111", 10).text == "Nomor antrian be seratus sebelas, silakan menuju loket sepuluh"
    assert speech.spoken_call("c7", 1).words == (
        "nomor",
        "antrian",
        "ce",
        "tujuh",
        "silakan",
        "menuju",
        "loket",
        "satu",
    )


@pytest.mark.parametrize("display", ["", "A-12", "ABCD1", "12A", "A0123456789"])
def test_a_malformed_ticket_number_is_refused(display):
    with pytest.raises(ValueError):
        speech.spoken_call(display, 1)


def test_every_word_of_any_call_is_in_the_vocabulary_an_office_records():
    words = set()
    for n in range(1, 1000):
        words |= set(speech.spoken_call(f"Z{n:03d}", n % 20 + 1).words)
    for letter in "ABCDEFGHIJKLMNOPQRSTUVWXYZ":
        words |= set(speech.spoken_call(f"{letter}001", 1).words)
    assert words <= set(speech.VOCABULARY)
    assert speech.missing_words(["nomor", "dua"])[:3] == ["antrian", "silakan", "menuju"]


def samples(audio):
    """`audio`: a WAV file's path or its bytes."""
    source = io.BytesIO(audio) if isinstance(audio, bytes) else str(audio)
    with wave.open(source, "rb") as w:
        assert (w.getnchannels(), w.getsampwidth(), w.getframerate()) == (1, 2, speech.RATE)
        data = array.array("h", w.readframes(w.getnframes()))
    return data, len(data) / speech.RATE


def rms(data):
    return math.sqrt(sum(x * x for x in data) / max(1, len(data)))


def test_the_chime_is_a_short_audible_sound_made_once(audio_dir):
    first = speech.chime()
    data, seconds = samples(first)
    assert 1.0 < seconds < 2.0
    assert rms(data) > 1000
    assert first.read_bytes()[:4] == b"RIFF" and first.read_bytes()[8:12] == b"WAVE"
    mtime = first.stat().st_mtime_ns
    assert speech.chime() == first and first.stat().st_mtime_ns == mtime


@pytest.mark.slow
@pytest.mark.real_component("espeak-ng")
class TestEspeak:
    @pytest.fixture(autouse=True)
    def need_tools(self):
        if not speech.tools_available():
            pytest.skip("espeak-ng or sox is not installed")

    def test_the_call_is_real_speech_after_the_chime(self):
        audio = speech.call_audio("A012", 2)
        assert audio[:4] == b"RIFF" and audio[8:12] == b"WAVE"
        data, seconds = samples(audio)
        chime_len = len(samples(speech.chime())[0])
        # The sentence takes a few seconds at a calm pace; the chime adds about 1.4 s.
        assert 3.0 < seconds < 9.0
        speech_part = data[chime_len + int(speech.GAP_AFTER_CHIME_S * speech.RATE) :]
        assert rms(speech_part) > 500, "the spoken part is silence"
        # Speech has pauses between words: parts of it are much quieter than its loudest parts.
        windows = [rms(speech_part[i : i + 2205]) for i in range(0, len(speech_part) - 2205, 2205)]
        assert min(windows) < max(windows) / 5

    def test_a_repeated_call_is_made_from_cached_phrases(self, audio_dir):
        first = speech.call_audio("B007", 3)
        hits, misses = speech.CACHE_STATS["hits"], speech.CACHE_STATS["misses"]
        assert speech.call_audio("B007", 3) == first
        assert (speech.CACHE_STATS["hits"], speech.CACHE_STATS["misses"]) == (hits + 2, misses)
        # Another number at the same counter synthesises only its number phrase.
        assert speech.call_audio("B008", 3) != first
        assert speech.CACHE_STATS["misses"] == misses + 1
        assert speech.call_audio("B007", 3, with_chime=False) != first
        # Phrases, not whole calls, are kept: numbers plus counters, not their product.
        assert len(list(audio_dir.glob("tts-*.wav"))) == 3

    def test_recorded_clips_replace_espeak_only_when_every_word_has_one(self, tmp_path):
        clip_dir = tmp_path / "clips"
        clip_dir.mkdir()
        clips = {}
        for i, word in enumerate(["nomor", "antrian", "a", "dua", "belas", "silakan", "menuju", "loket"]):
            raw = clip_dir / f"raw-{word}.wav"
            # A tone a word, with silence around it that normalise_clip trims.
            subprocess.run(
                [
                    "sox",
                    "-n",
                    "-r",
                    "44100",
                    "-c",
                    "2",
                    str(raw),
                    "synth",
                    "0.4",
                    "sine",
                    str(300 + 50 * i),
                    "pad",
                    "0.3",
                    "0.3",
                ],
                check=True,
            )
            clips[word] = clip_dir / f"{word}.wav"
            speech.normalise_clip(raw, clips[word])
            assert 0.35 < samples(clips[word])[1] < 0.45

        joined = speech.call_audio("A012", 2, clips=clips, with_chime=False)
        data, seconds = samples(joined)
        words = 9  # nomor antrian a dua belas | silakan menuju loket dua
        expected = words * 0.4 + 7 * speech.GAP_BETWEEN_CLIPS_S + speech.GAP_AT_COMMA_S
        assert seconds == pytest.approx(expected, abs=0.02)

        # "tiga" has no clip: the call to counter 3 is synthesised whole, not half recorded.
        synthesised = speech.call_audio("A012", 3, clips=clips, with_chime=False)
        assert synthesised != joined
        assert samples(synthesised)[1] > 2.0

    def test_a_clip_that_is_not_audio_is_refused_in_indonesian(self, tmp_path):
        bogus = tmp_path / "clip.wav"
        bogus.write_bytes(b"MZ\x90\x00 not audio at all")
        with pytest.raises(speech.SpeechError, match="tidak dapat dibaca"):
            speech.normalise_clip(bogus, tmp_path / "out.wav")
        quiet = tmp_path / "quiet.wav"
        subprocess.run(["sox", "-n", "-r", "22050", str(quiet), "trim", "0", "1"], check=True)
        with pytest.raises(speech.SpeechError, match="hening"):
            speech.normalise_clip(quiet, tmp_path / "out.wav")
