"""The spoken call of the display board: "Nomor antrian A dua belas, silakan menuju loket dua".

The audio is made on the server, so the TV's browser needs no speech engine and no internet:
espeak-ng's Indonesian voice, or, when the office recorded a clip of every word of the call, those
clips joined. A chime goes first (a call in a noisy waiting room is easily missed without it).

The synthesised phrases are cached under VAR_DIR/queue/audio with a name that hashes everything
shaping their sound (text, voice, speed), so an entry never goes stale and a repeated call (a
recall from the console, or the same number the next day) is read from disk. All files are WAV,
16-bit signed mono at espeak-ng's own 22,050 Hz, so joining them is joining their frames.
"""

from __future__ import annotations

import hashlib
import io
import math
import os
import re
import shutil
import struct
import subprocess
import tempfile
import wave
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from .words import LETTERS, UNITS, letter_words, number_words

VOICE = "id"
SPEED_WPM = 140  # a little slower than the phone line's: a hall echoes
RATE = 22050
SAMPLE_WIDTH = 2
CHIME_VERSION = "2"  # change it when the chime's sound changes
GAP_AFTER_CHIME_S = 0.3
GAP_BETWEEN_CLIPS_S = 0.06
GAP_AT_COMMA_S = 0.3

# The words every call is made of; an office records a clip for each to use its own voice.
FIXED_WORDS = ("nomor", "antrian", "silakan", "menuju", "loket")
VOCABULARY: tuple[str, ...] = (
    *FIXED_WORDS,
    *UNITS[1:],
    "sepuluh",
    "sebelas",
    "seratus",
    "seribu",
    "belas",
    "puluh",
    "ratus",
    "ribu",
    *LETTERS.values(),
)

DISPLAY_RE = re.compile(r"^([A-Za-z]{0,3})0*(\d{1,6})$")

# Per-process counters for bench/queue_speech.py.
CACHE_STATS = {"hits": 0, "misses": 0}


class SpeechError(Exception):
    """The audio could not be made (espeak-ng or sox missing or failing, a broken clip)."""


@dataclass(frozen=True)
class SpokenCall:
    """What the board says for one call: the words before and after the pause at the comma."""

    number_part: tuple[str, ...]  # nomor antrian a dua belas
    counter_part: tuple[str, ...]  # silakan menuju loket dua

    @property
    def words(self) -> tuple[str, ...]:
        return self.number_part + self.counter_part

    @property
    def text(self) -> str:
        """The sentence as it is spoken and shown as a caption: 'Nomor antrian a dua belas, silakan …'."""
        return f"{' '.join(self.number_part)}, {' '.join(self.counter_part)}".capitalize()


def spoken_call(display: str, counter_number: int) -> SpokenCall:
    """The call of ticket `display` ("A012") to counter `counter_number` (2).

    The lane letters are read by their names ("be", "ce"), the number without its leading zeros.
    """
    match = DISPLAY_RE.match(display.strip())
    if match is None:
        raise ValueError(f"not a ticket number: {display!r}")
    letters, digits = match.groups()
    number = ("nomor", "antrian", *letter_words(letters).split(), *number_words(int(digits)).split())
    return SpokenCall(number, ("silakan", "menuju", "loket", *number_words(counter_number).split()))


def audio_dir() -> Path:
    path = Path(settings.VAR_DIR) / "queue" / "audio"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _key(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]


def _write_atomically(target: Path, frames: bytes) -> None:
    # A unique temporary name: two processes making the same file never write into each other's.
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".part-", suffix=".wav")
    os.close(fd)
    try:
        with wave.open(tmp, "wb") as w:
            w.setnchannels(1)
            w.setsampwidth(SAMPLE_WIDTH)
            w.setframerate(RATE)
            w.writeframes(frames)
        os.replace(tmp, target)
    finally:
        Path(tmp).unlink(missing_ok=True)


def read_frames(path: Path) -> bytes:
    """The frames of a WAV in the board's format; anything else is refused."""
    try:
        with wave.open(str(path), "rb") as w:
            if (w.getnchannels(), w.getsampwidth(), w.getframerate()) != (1, SAMPLE_WIDTH, RATE):
                raise SpeechError(f"{path.name}: not 16-bit mono {RATE} Hz")
            return w.readframes(w.getnframes())
    except (wave.Error, EOFError) as exc:
        raise SpeechError(f"{path.name}: not a WAV file ({exc})") from exc


def silence(seconds: float) -> bytes:
    return b"\x00" * (int(RATE * seconds) * SAMPLE_WIDTH)


def chime() -> Path:
    """A two-note 'ding-dong' (E5 then C5, bell-like decay), made once with Python's wave module."""
    target = audio_dir() / f"chime-{CHIME_VERSION}.wav"
    if target.exists():
        return target
    samples: list[int] = []
    for freq, length in ((659.25, 0.55), (523.25, 0.85)):
        n = int(RATE * length)
        for i in range(n):
            t = i / RATE
            envelope = math.exp(-4.0 * t) * min(1.0, i / (0.005 * RATE))  # 5 ms attack: no click
            tone = math.sin(2 * math.pi * freq * t) + 0.3 * math.sin(4 * math.pi * freq * t)
            samples.append(int(12000 * envelope * tone))
    _write_atomically(target, struct.pack(f"<{len(samples)}h", *samples))
    return target


def tts(text: str) -> Path:
    """The cached WAV of `text` spoken by espeak-ng's Indonesian voice."""
    target = audio_dir() / f"tts-{_key(VOICE, str(SPEED_WPM), text)}.wav"
    if target.exists():
        CACHE_STATS["hits"] += 1
        return target
    CACHE_STATS["misses"] += 1
    with tempfile.TemporaryDirectory(prefix="layan-call-") as tmp:
        raw = Path(tmp) / "espeak.wav"
        # Text on stdin, so nothing in it is ever read as an option.
        try:
            result = subprocess.run(
                ["espeak-ng", "-v", VOICE, "-s", str(SPEED_WPM), "-w", str(raw), "--stdin"],
                input=text.encode(),
                capture_output=True,
                timeout=30,
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise SpeechError(f"espeak-ng tidak dapat dijalankan: {exc}") from exc
        if result.returncode != 0 or not raw.exists():
            raise SpeechError(f"espeak-ng gagal: {result.stderr.decode(errors='replace')[:200]}")
        _write_atomically(target, read_frames(raw))
    return target


def _from_clips(call: SpokenCall, clips: Mapping[str, Path]) -> bytes:
    gap = silence(GAP_BETWEEN_CLIPS_S)
    number = gap.join(read_frames(clips[w]) for w in call.number_part)
    counter = gap.join(read_frames(clips[w]) for w in call.counter_part)
    return number + silence(GAP_AT_COMMA_S) + counter


def wav_bytes(frames: bytes) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(SAMPLE_WIDTH)
        w.setframerate(RATE)
        w.writeframes(frames)
    return buffer.getvalue()


def call_audio(
    display: str, counter_number: int, *, clips: Mapping[str, Path] | None = None, with_chime: bool = True
) -> bytes:
    """The WAV the board plays for a call: the chime, then the spoken call.

    Made from cached parts: the number phrase ("nomor antrian a dua belas", one per lane letter and
    number) and the counter phrase ("silakan menuju loket dua", one per counter), so the cache
    grows with numbers plus counters, not with their product; joining the frames costs a few
    milliseconds. `clips` maps words of VOCABULARY to an office's recordings (already in the
    board's format, see `normalise_clip`); they replace espeak-ng only when every word of this
    call has one, since a sentence half recorded and half synthesised sounds worse than either.
    """
    call = spoken_call(display, counter_number)
    clips = clips or {}
    if all(w in clips for w in call.words):
        speech = _from_clips(call, clips)
    else:
        number = read_frames(tts(" ".join(call.number_part).capitalize()))
        counter = read_frames(tts(" ".join(call.counter_part)))
        speech = number + silence(GAP_AT_COMMA_S) + counter
    head = read_frames(chime()) + silence(GAP_AFTER_CHIME_S) if with_chime else b""
    return wav_bytes(head + speech)


def missing_words(clips: Iterable[str]) -> list[str]:
    """The words of VOCABULARY that have no clip yet, in VOCABULARY's order."""
    have = set(clips)
    return [w for w in VOCABULARY if w not in have]


def tools_available() -> bool:
    return bool(shutil.which("espeak-ng") and shutil.which("sox"))


def normalise_clip(upload: Path, target: Path) -> None:
    """An office's recording of one word (any format sox reads) -> the board's format, its leading and
    trailing silence trimmed so joined words do not drag."""
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".part-", suffix=".wav")
    os.close(fd)
    try:
        trim = ["silence", "1", "0.02", "1%", "reverse", "silence", "1", "0.02", "1%", "reverse"]
        command = ["sox", str(upload), "-r", str(RATE), "-c", "1", "-e", "signed-integer", "-b", "16", tmp, *trim]
        try:
            result = subprocess.run(command, capture_output=True, timeout=60)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise SpeechError(f"sox tidak dapat dijalankan: {exc}") from exc
        if result.returncode != 0:
            raise SpeechError(_("Berkas suara tidak dapat dibaca. Unggah rekaman WAV, MP3 atau OGG."))
        if len(read_frames(Path(tmp))) < RATE * SAMPLE_WIDTH // 20:
            raise SpeechError(_("Rekaman terlalu pendek atau hanya berisi hening."))
        os.replace(tmp, target)
    finally:
        Path(tmp).unlink(missing_ok=True)
