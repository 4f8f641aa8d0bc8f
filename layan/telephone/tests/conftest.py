import hashlib
import wave

import pytest

from layan.telephone import prompts


@pytest.fixture
def fake_tts(monkeypatch):
    """Prompts as short silent WAVs named by their text, so driver tests need no espeak-ng."""
    spoken: list[str] = []

    def tts(text: str, fmt: str):
        spoken.append(text)
        path = prompts.cache_dir() / f"fake-{fmt}-{hashlib.sha256(text.encode()).hexdigest()[:16]}.wav"
        if not path.exists():
            with wave.open(str(path), "wb") as w:
                w.setnchannels(1)
                w.setsampwidth(prompts.FORMATS[fmt][1] // 8)
                w.setframerate(prompts.RATE)
                w.writeframes(prompts.silence(0.05, fmt))
        return path

    monkeypatch.setattr(prompts, "tts", tts)
    return spoken
