"""Asterisk FastAGI driver (panoramisk): `exten => s,1,AGI(agi://layan-host:4573/ivr)`.

Each call is a TCP connection; panoramisk parses the `agi_*` headers and sends commands. The
IVR session is synchronous (Django ORM, sox), so it runs in a worker thread and reaches back
into the event loop for each AGI command.

Audio paths are given to Asterisk as they are on this machine: run Layan on the Asterisk host
or mount VAR_DIR at the same path there (see docs/telephone.md).
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from pathlib import Path

from django.conf import settings
from panoramisk.fast_agi import Application

from layan.offices.models import Office

from ..session import Hangup, run_call

log = logging.getLogger(__name__)
ROUTE = "ivr"
ESCAPE_DIGITS = "0123456789*#"


class AgiLine:
    """A `Line` over one FastAGI connection."""

    fmt = "s16"

    def __init__(self, request, loop: asyncio.AbstractEventLoop):
        self.request = request
        self.loop = loop
        self.hung_up = False

    def command(self, text: str) -> dict:
        if self.hung_up:
            raise Hangup
        result = asyncio.run_coroutine_threadsafe(self.request.send_command(text), self.loop).result(timeout=120)
        if result.get("error") in ("AGIResultHangup", "AGIAppError") or not result:
            self.hung_up = True
            raise Hangup
        return result

    @staticmethod
    def _stem(audio: Path) -> str:
        # Asterisk picks the format from the extension itself.
        return str(audio.with_suffix(""))

    def answer(self) -> None:
        self.command("ANSWER")

    def play_collect(self, audio: Path, *, max_digits: int, terminator: str, timeout_s: float) -> str:
        # GET DATA ends on '#' by itself; its result is the digits typed (empty on timeout).
        result = self.command(f"GET DATA {self._stem(audio)} {int(timeout_s * 1000)} {max_digits}")
        return result.get("result", ("", ""))[0]

    def play(self, audio: Path) -> None:
        self.command(f'STREAM FILE {self._stem(audio)} ""')

    def record(self, *, max_s: int, beep: bool) -> Path | None:
        folder = settings.VAR_DIR / "voice" / "incoming"
        folder.mkdir(parents=True, exist_ok=True)
        stem = folder / uuid.uuid4().hex
        # '#' ends the message; s=5 stops after 5 s of silence.
        try:
            self.command(f"RECORD FILE {stem} wav # {max_s * 1000} 0{' BEEP' if beep else ''} s=5")
        except Hangup:
            pass  # keep what was said before the hang-up; the next command raises again
        path = stem.with_suffix(".wav")
        if not path.exists():
            log.warning("AGI recording not found on this host; is VAR_DIR shared with Asterisk?")
            return None
        return path

    def hangup(self) -> None:
        if not self.hung_up:
            self.hung_up = True
            asyncio.run_coroutine_threadsafe(self.request.send_command("HANGUP"), self.loop).result(timeout=10)


def make_application(office: Office, loop: asyncio.AbstractEventLoop) -> Application:
    app = Application(loop=loop)

    async def ivr(request) -> None:
        line = AgiLine(request, loop)
        caller = request.headers.get("agi_callerid", "")
        if caller in ("unknown", "anonymous"):
            caller = ""

        def call() -> None:
            try:
                line.answer()
            except Hangup:
                return
            run_call(office, line, caller=caller, driver="agi")

        await loop.run_in_executor(None, call)

    app.add_route(ROUTE, ivr)
    return app


async def serve(office: Office, *, host: str, port: int, ready: asyncio.Event | None = None) -> None:
    """Serve FastAGI for `office` until cancelled."""
    loop = asyncio.get_running_loop()
    app = make_application(office, loop)
    server = await asyncio.start_server(app.handler, host, port)
    log.info("FastAGI IVR for %s on %s:%s", office.slug, host, port)
    if ready is not None:
        ready.set()
    async with server:
        await server.serve_forever()
