"""Prompt audio: espeak-ng (Indonesian) converted by sox to telephone audio, cached on disk.

Two telephone formats, both 8 kHz mono WAV:
- "u8"  8-bit unsigned: what pyVoIP's RTP client reads and writes (it encodes to PCMU/PCMA itself);
- "s16" 16-bit signed linear: what Asterisk's format_wav plays (STREAM FILE / Playback).

A file's name is a hash of everything that shapes its sound (text, voice, speed, format), so a
cache entry never goes stale; a fixed prompt that the office recorded itself (PromptRecording)
is used instead of TTS. A turn's prompts are joined into one file so each driver plays one file
per turn (Asterisk's GET DATA takes exactly one).
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import tempfile
import wave
from pathlib import Path

from django.conf import settings

from .ivr import Prompt

VOICE = "id"
SPEED_WPM = 150
RATE = 8000
FORMATS = {"u8": ("unsigned-integer", 8), "s16": ("signed-integer", 16)}
GAP_S = 0.25  # silence between joined prompts

# Counters for the figures in docs/telephone.md (per process).
CACHE_STATS = {"hits": 0, "misses": 0}


class PromptError(Exception):
    pass


def cache_dir() -> Path:
    path = settings.VAR_DIR / "prompts" / "cache"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _key(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]


def sox_convert(source: Path, target: Path, fmt: str) -> None:
    """Any audio sox reads -> 8 kHz mono telephone WAV in `fmt`; written atomically."""
    encoding, bits = FORMATS[fmt]
    tmp = target.with_suffix(".part.wav")
    result = subprocess.run(
        ["sox", str(source), "-r", str(RATE), "-c", "1", "-e", encoding, "-b", str(bits), str(tmp)],
        capture_output=True,
        timeout=60,
    )
    if result.returncode != 0 or not tmp.exists():
        tmp.unlink(missing_ok=True)
        raise PromptError(f"sox gagal mengonversi audio: {result.stderr.decode(errors='replace')[:200]}")
    tmp.replace(target)


def tts(text: str, fmt: str) -> Path:
    """The cached telephone WAV of `text` spoken by espeak-ng in Indonesian."""
    target = cache_dir() / f"tts-{_key(VOICE, str(SPEED_WPM), fmt, text)}.wav"
    if target.exists():
        CACHE_STATS["hits"] += 1
        return target
    CACHE_STATS["misses"] += 1
    with tempfile.TemporaryDirectory(prefix="layan-tts-") as tmp:
        raw = Path(tmp) / "espeak.wav"
        # Text on stdin, so a prompt starting with "-" is never read as an option.
        result = subprocess.run(
            ["espeak-ng", "-v", VOICE, "-s", str(SPEED_WPM), "-w", str(raw), "--stdin"],
            input=text.encode(),
            capture_output=True,
            timeout=60,
        )
        if result.returncode != 0 or not raw.exists():
            raise PromptError(f"espeak-ng gagal: {result.stderr.decode(errors='replace')[:200]}")
        sox_convert(raw, target, fmt)
    return target


def recorded(office_id: int | None, key: str, fmt: str) -> Path | None:
    """The office's own recording of fixed prompt `key` in `fmt`, or None."""
    if not key or office_id is None:
        return None
    from .models import PromptRecording

    rec = PromptRecording.objects.filter(office_id=office_id, key=key).exclude(audio="").first()
    if rec is None:
        return None
    source = Path(rec.audio.path)
    if fmt == "s16":
        return source
    target = cache_dir() / f"rec-{_key(str(source), str(rec.updated_at.timestamp()), fmt)}.wav"
    if not target.exists():
        sox_convert(source, target, fmt)
    return target


def prompt_file(office_id: int | None, prompt: Prompt, fmt: str) -> Path:
    return recorded(office_id, prompt.key, fmt) or tts(prompt.text, fmt)


def read_frames(path: Path) -> bytes:
    with wave.open(str(path), "rb") as w:
        return w.readframes(w.getnframes())


def write_wav(path: Path, frames: bytes, fmt: str) -> None:
    tmp = path.with_suffix(".part.wav")
    with wave.open(str(tmp), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(FORMATS[fmt][1] // 8)
        w.setframerate(RATE)
        w.writeframes(frames)
    tmp.replace(path)


def silence(seconds: float, fmt: str) -> bytes:
    n = int(RATE * seconds)
    return b"\x80" * n if fmt == "u8" else b"\x00\x00" * n


def turn_file(office_id: int | None, prompts: tuple[Prompt, ...], fmt: str) -> Path:
    """One WAV with all of a turn's prompts, separated by a short pause; cached like the parts."""
    parts = [prompt_file(office_id, p, fmt) for p in prompts]
    if len(parts) == 1:
        return parts[0]
    target = cache_dir() / f"turn-{_key(fmt, *(p.name for p in parts))}.wav"
    if target.exists():
        CACHE_STATS["hits"] += 1
        return target
    gap = silence(GAP_S, fmt)
    write_wav(target, gap.join(read_frames(p) for p in parts), fmt)
    return target


def convert_recording(upload: Path, target: Path) -> None:
    """An office's uploaded recording -> the stored telephone version (16-bit, 8 kHz mono)."""
    sox_convert(upload, target, "s16")


def tools_available() -> bool:
    return bool(shutil.which("espeak-ng") and shutil.which("sox"))
