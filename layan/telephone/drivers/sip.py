"""SIP driver (pyVoIP): a single-line IVR that registers with a SIP server and answers calls.

pyVoIP sends and receives 8 kHz 8-bit unsigned audio (it encodes PCMU/PCMA itself) and reports
RFC 2833 telephone-events as DTMF digits. It is fine for a small office line or as a test peer;
a busy office should put Asterisk in front and use the FastAGI driver.

Prompts are written to the RTP stream at real-time pace so that a digit typed while a prompt
plays interrupts it (barge-in); digits typed ahead are kept for the next question.
"""

from __future__ import annotations

import logging
import math
import threading
import time
import uuid
from pathlib import Path

from django.conf import settings

from layan.offices.models import Office

from .. import prompts
from ..session import Hangup, run_call

log = logging.getLogger(__name__)
RATE = prompts.RATE
CHUNK = 160  # 20 ms of 8 kHz u8 audio: one RTP packet
LEAD_S = 0.2  # how far ahead of real time audio is queued


def beep_frames(seconds: float = 0.35, hz: int = 1000) -> bytes:
    return bytes(int(128 + 90 * math.sin(2 * math.pi * hz * n / RATE)) for n in range(int(RATE * seconds)))


class SipLine:
    """A `Line` over one pyVoIP call."""

    fmt = "u8"

    def __init__(self, call):
        self.call = call
        self.pending = ""  # digits typed but not yet consumed (type-ahead)

    def _ended(self) -> bool:
        from pyVoIP.VoIP import CallState

        return self.call.state == CallState.ENDED

    def _poll(self) -> None:
        if self._ended():
            raise Hangup
        while digit := self.call.get_dtmf():
            self.pending += digit

    def _write(self, frames: bytes, *, interruptible: bool) -> None:
        started = time.monotonic()
        for offset in range(0, len(frames), CHUNK):
            self._poll()
            if interruptible and self.pending:
                return
            self.call.write_audio(frames[offset : offset + CHUNK])
            ahead = (offset + CHUNK) / RATE - (time.monotonic() - started)
            if ahead > LEAD_S:
                time.sleep(ahead - LEAD_S)

    def play(self, audio: Path) -> None:
        self._write(prompts.read_frames(audio), interruptible=False)

    def play_collect(self, audio: Path, *, max_digits: int, terminator: str, timeout_s: float) -> str:
        self._write(prompts.read_frames(audio), interruptible=True)
        deadline = time.monotonic() + LEAD_S + timeout_s
        while True:
            self._poll()
            if terminator and terminator in self.pending:
                digits, _, self.pending = self.pending.partition(terminator)
                return digits[:max_digits] + terminator
            if len(self.pending) >= max_digits and not terminator:
                digits, self.pending = self.pending[:max_digits], self.pending[max_digits:]
                return digits
            if time.monotonic() >= deadline:
                digits, self.pending = self.pending, ""
                return digits
            if self.pending:
                # Each digit restarts the inter-digit timer.
                deadline = max(deadline, time.monotonic() + min(timeout_s, 5.0))
            time.sleep(0.02)

    def record(self, *, max_s: int, beep: bool) -> Path | None:
        if beep:
            self._write(beep_frames(), interruptible=False)
            time.sleep(LEAD_S)
        self.pending = ""
        frames = bytearray()
        folder = settings.VAR_DIR / "voice" / "incoming"
        folder.mkdir(parents=True, exist_ok=True)
        started = time.monotonic()
        try:
            while time.monotonic() - started < max_s:
                self._poll()
                if "#" in self.pending:
                    self.pending = ""
                    break
                frames += self.call.read_audio(CHUNK, blocking=False)
                time.sleep(CHUNK / RATE)
        except Hangup:
            # Keep what was said before the caller hung up; the next operation raises again.
            pass
        if not frames:
            return None
        path = folder / f"{uuid.uuid4().hex}.wav"
        prompts.write_wav(path, bytes(frames), "u8")
        return path

    def hangup(self) -> None:
        if not self._ended():
            try:
                self.call.hangup()
            except Exception:  # noqa: BLE001 pyVoIP raises if the far end already left
                log.debug("hangup after far end left")


class SipIvr:
    """Registers with `sip_host:sip_port` and answers every call with the IVR of `office`."""

    def __init__(
        self,
        office: Office,
        *,
        sip_host: str,
        sip_port: int = 5060,
        username: str = "",
        password: str = "",
        my_ip: str = "0.0.0.0",  # noqa: S104 (the SIP socket must be reachable by the server)
        local_port: int = 5060,
        rtp_low: int = 10000,
        rtp_high: int = 20000,
    ):
        from pyVoIP.VoIP import VoIPPhone

        self.office = office
        self.calls_done = threading.Event()
        self.phone = VoIPPhone(
            sip_host,
            sip_port,
            username,
            password,
            myIP=my_ip,
            callCallback=self.on_call,
            sipPort=local_port,
            rtpPortLow=rtp_low,
            rtpPortHigh=rtp_high,
        )
        # Registration waits at most this long (pyVoIP's default 30 s blocks shutdown when the
        # server is gone).
        self.phone.sip.register_timeout = 5

    def on_call(self, call) -> None:
        caller = (call.request.headers.get("From") or {}).get("number") or ""
        try:
            call.answer()
        except Exception:  # noqa: BLE001 the INVITE was cancelled before we answered
            log.warning("could not answer a SIP call")
            return
        try:
            run_call(self.office, SipLine(call), caller=caller, driver="sip")
        finally:
            self.calls_done.set()

    def start(self) -> None:
        self.phone.start()

    def stop(self) -> None:
        self.phone.stop()
