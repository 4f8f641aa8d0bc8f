"""One call, whatever the driver: run the IVR state machine over a `Line` and log the call.

A driver (SIP or FastAGI) only implements `Line`: play a file, collect digits, record, hang up.
Everything else (prompts, effects, the call log) is here, synchronous, so both drivers behave
the same and a test can drive it with a scripted line.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path
from typing import Protocol

from django.db import close_old_connections, connections

from layan.offices.models import Office

from . import prompts, services
from .ivr import Expect, IvrMachine, KeepRecording, SendSms, Turn
from .lookup import lookup_application_status, office_info
from .models import CallLog

log = logging.getLogger(__name__)


class Hangup(Exception):
    """The caller hung up (raised by a Line in the middle of any operation)."""


class Line(Protocol):
    fmt: str  # "u8" or "s16", see prompts.FORMATS

    def play_collect(self, audio: Path, *, max_digits: int, terminator: str, timeout_s: float) -> str: ...

    def play(self, audio: Path) -> None: ...

    def record(self, *, max_s: int, beep: bool) -> Path | None: ...

    def hangup(self) -> None: ...


class CallSession:
    def __init__(self, office: Office, line: Line, *, caller: str, driver: str):
        self.office = office
        self.line = line
        self.call: CallLog = services.start_call(office, caller=caller, driver=driver)
        self.machine = IvrMachine(
            office_info(office),
            caller=self.call.caller,
            lookup_status=lambda code: lookup_application_status(
                office, code, caller_key=f"tel:{self.call.caller}" if self.call.caller else f"call:{self.call.pk}"
            ),
        )
        self.recording: Path | None = None
        self.service_code = ""

    def audio(self, turn: Turn) -> Path:
        return prompts.turn_file(self.office.pk, turn.prompts, self.line.fmt)

    def perform(self, turn: Turn) -> Turn:
        """Carry out the turn's effects; a failed SMS changes what the caller hears."""
        for effect in turn.effects:
            if isinstance(effect, SendSms):
                self.service_code = effect.service_code
                if not services.send_ivr_sms(self.call, text=effect.text):
                    failed = self.machine.fixed("sms_failed")
                    self.machine.path.append("sms:gagal")
                    turn = replace(turn, prompts=tuple(failed if p.key == "sms_sent" else p for p in turn.prompts))
            elif isinstance(effect, KeepRecording) and self.recording is not None:
                services.save_voice_message(self.call, recording=self.recording)
                self.recording = None
        return turn

    def run(self) -> CallLog:
        turn = self.machine.start()
        try:
            while True:
                turn = self.perform(turn)
                audio = self.audio(turn)
                if turn.expect == Expect.HANGUP:
                    self.line.play(audio)
                    break
                if turn.expect == Expect.RECORD:
                    self.line.play(audio)
                    self.recording = self.line.record(max_s=int(turn.timeout_s), beep=turn.beep)
                    seconds = services.wav_seconds(self.recording) if self.recording else 0.0
                    turn = self.machine.on_recorded(seconds)
                    continue
                digits = self.line.play_collect(
                    audio, max_digits=turn.max_digits, terminator=turn.terminator, timeout_s=turn.timeout_s
                )
                self._note_service()
                turn = self.machine.on_digits(digits)
        except Hangup:
            # A voice message is kept even when the caller hangs up instead of pressing #.
            if self.recording is not None and services.wav_seconds(self.recording) >= 1:
                services.save_voice_message(self.call, recording=self.recording)
                self.machine.path.append("pesan:tersimpan")
            self.machine.path.append("ditutup-penelepon")
        finally:
            try:
                self.line.hangup()
            except Hangup:
                pass
            self._note_service()
            services.finish_call(
                self.call, path=self.machine.path, sms_sent=self.call.sms_sent, service_code=self.service_code
            )
        return self.call

    def _note_service(self) -> None:
        if self.machine.service is not None:
            self.service_code = self.machine.service.code


def run_call(office: Office, line: Line, *, caller: str, driver: str) -> CallLog:
    """Entry point for a driver's thread: one call, with fresh DB connections around it.

    The connections are closed when the call ends: the drivers' threads (the FastAGI server's
    executor, pyVoIP's) outlive their calls, and a connection left open in an idle one would be
    held until the process ends. One connection per call costs nothing beside a call's minutes."""
    close_old_connections()
    try:
        return CallSession(office, line, caller=caller, driver=driver).run()
    finally:
        connections.close_all()
