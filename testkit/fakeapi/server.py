"""The fake API server: a ThreadingHTTPServer in a daemon thread, recording and scripted."""

import itertools
import json
import re
import threading
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Recorded:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes

    @property
    def json(self):
        return json.loads(self.body or b"null")


@dataclass
class _Scripted:
    status: int
    body: dict
    headers: dict[str, str] = field(default_factory=dict)


class FakeAPI:
    """Graph paths look like /v25.0/<id>/messages, Telegram paths like /bot<token>/sendMessage."""

    def __init__(self) -> None:
        self.requests: list[Recorded] = []
        self._scripts: list[tuple[str, _Scripted]] = []
        self._lock = threading.Lock()
        self._ids = itertools.count(1)
        self._server: ThreadingHTTPServer | None = None

    # -- lifecycle ---------------------------------------------------------------------------
    def start(self) -> "FakeAPI":
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        # shutdown() waits for the loop's next poll: 0.5 s by default, paid by every test that stops it.
        threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> "FakeAPI":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    @property
    def url(self) -> str:
        assert self._server is not None, "FakeAPI not started"
        return f"http://127.0.0.1:{self._server.server_port}"

    # -- scripting and inspection ----------------------------------------------------------------
    def script(
        self, path_suffix: str, status: int, body: dict, *, times: int = 1, headers: dict[str, str] | None = None
    ) -> None:
        """The next `times` requests whose path ends with `path_suffix` get this answer."""
        with self._lock:
            for _ in range(times):
                self._scripts.append((path_suffix, _Scripted(status, body, headers or {})))

    def calls(self, path_suffix: str = "") -> list[Recorded]:
        with self._lock:
            return [r for r in self.requests if r.path.endswith(path_suffix)]

    # -- answers ---------------------------------------------------------------------------------
    def _answer(self, recorded: Recorded) -> _Scripted:
        with self._lock:
            self.requests.append(recorded)
            for i, (suffix, scripted) in enumerate(self._scripts):
                if recorded.path.endswith(suffix):
                    del self._scripts[i]
                    return scripted
            n = next(self._ids)
        return _Scripted(200, self._default(recorded, n))

    @staticmethod
    def _default(recorded: Recorded, n: int) -> dict:
        path = recorded.path
        if re.match(r"^/bot[^/]+/", path):
            method = path.rsplit("/", 1)[-1]
            if method == "sendMessage":
                chat_id = (recorded.json or {}).get("chat_id") if recorded.body else None
                return {"ok": True, "result": {"message_id": n, "chat": {"id": chat_id}, "date": 0}}
            return {"ok": True, "result": True}
        if path.endswith("/feed"):
            page_id = path.strip("/").split("/")[-2]
            return {"id": f"{page_id}_{n}"}
        if path.endswith("/messages"):
            body = recorded.json if recorded.body else {}
            if (body or {}).get("messaging_product") == "whatsapp":
                return {
                    "messaging_product": "whatsapp",
                    "contacts": [{"input": body.get("to"), "wa_id": body.get("to")}],
                    "messages": [{"id": f"wamid.fake{n}"}],
                }
            recipient = (body or {}).get("recipient", {})
            return {"recipient_id": recipient.get("id", ""), "message_id": f"m_fake{n}"}
        return {"success": True}

    def _handler(self):
        api = self

        class Handler(BaseHTTPRequestHandler):
            def _handle(self) -> None:
                parsed = urllib.parse.urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                recorded = Recorded(
                    method=self.command,
                    path=parsed.path,
                    query=dict(urllib.parse.parse_qsl(parsed.query)),
                    headers={k: v for k, v in self.headers.items()},
                    body=self.rfile.read(length) if length else b"",
                )
                answer = api._answer(recorded)
                data = json.dumps(answer.body).encode()
                self.send_response(answer.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for name, value in answer.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_DELETE = _handle  # noqa: N815

            def log_message(self, *args) -> None:
                pass

        return Handler
