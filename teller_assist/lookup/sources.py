"""Where a customer's ID comes from: typed or scanned, the clipboard, the card reader, the local hook.

Each source ends in the same call, ``identified(id_no)``, with a string that is a valid resident ID.
Nothing here imports Qt: the window wraps these callbacks into signals.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hmac
import http.server
import json
import threading
from collections.abc import Callable
from dataclasses import dataclass

from teller_assist.identity.resident_id import InvalidResidentId, ResidentId, parse_resident_id
from teller_assist.lookup.ga467 import CardReader, PortLost, ReaderError

Identified = Callable[[ResidentId], None]
StatusFn = Callable[[str], None]
CLIPBOARD_MAX = 40  # longer clipboard texts are never examined


def clipboard_candidate(text: str | None, today: dt.date) -> ResidentId | None:
    """A resident ID when the clipboard holds exactly one (spaces around allowed), else ``None``.
    Nothing else is read or kept."""
    if not text or len(text) > CLIPBOARD_MAX:
        return None
    try:
        return parse_resident_id(text, today=today)
    except InvalidResidentId:
        return None


class ReaderWatcher:
    """Polls a card reader on its own thread; reports a newly placed card once, and status changes."""

    def __init__(
        self,
        open_reader: Callable[[], CardReader],
        identified: Identified,
        status: StatusFn,
        *,
        today: Callable[[], dt.date],
        interval: float = 0.3,
    ) -> None:
        self._open = open_reader
        self._identified = identified
        self._status = status
        self._today = today
        self.interval = interval
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._last_status = ""

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, daemon=True, name="card-reader")
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=3)

    def _say(self, text: str) -> None:
        if text != self._last_status:
            self._last_status = text
            self._status(text)

    def _run(self) -> None:
        reader: CardReader | None = None
        current: str | None = None  # the card on the reader now: reported once
        while not self._stop.is_set():
            try:
                if reader is None:
                    reader = self._open()
                    self._say("读卡器就绪")
                card = reader.poll()
                if card is None:
                    current = None
                    self._say("读卡器就绪，请放置身份证")
                elif card.id_no != current:
                    current = card.id_no
                    try:
                        rid = parse_resident_id(card.id_no, today=self._today())
                    except InvalidResidentId as exc:
                        self._say(f"身份证号码无效：{exc.rule.zh}")
                    else:
                        self._say("已读取身份证")
                        self._identified(rid)
            except ReaderError as exc:
                self._say(f"读卡器：{exc.message_zh}")
                if isinstance(exc, PortLost) and reader is not None:
                    with contextlib.suppress(Exception):
                        reader.port.close()
                    reader = None
                if reader is None:
                    self._stop.wait(2.0)  # no reader yet: try again later (it may be plugged in)
                else:
                    self._stop.wait(0.5)  # a bad answer or a timeout: back off a little, then poll again
                continue
            self._stop.wait(self.interval)
        if reader is not None:
            reader.port.close()


@dataclass(frozen=True)
class HookAddress:
    host: str
    port: int


class LocalHook:
    """A loopback-only HTTP endpoint where the teller system pushes the current customer's ID.

    ``POST /identify`` with ``Authorization: Bearer <token>`` and the JSON body ``{"id_no": "..."}``.
    Answers 204 when taken, 400 for an invalid ID (with the rule), 401 without the right token,
    404/405 for anything else. It listens on 127.0.0.1 only and never logs the ID.
    """

    def __init__(
        self, token: str, identified: Identified, *, today: Callable[[], dt.date], port: int = 0
    ) -> None:
        if len(token) < 32:
            raise ValueError("the hook token must be at least 32 characters")
        hook = self

        class Handler(http.server.BaseHTTPRequestHandler):
            server_version = "TellerAssistHook/1"

            def log_message(self, format: str, *args: object) -> None:
                return

            def _reply(self, code: int, body: dict[str, object] | None = None) -> None:
                payload = json.dumps(body or {}, ensure_ascii=False).encode()
                self.send_response(code)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(payload) if body else 0))
                self.end_headers()
                if body:
                    self.wfile.write(payload)

            def do_GET(self) -> None:
                self._reply(405, {"error": "use POST /identify"})

            def do_POST(self) -> None:
                if self.path != "/identify":
                    self._reply(404, {"error": "not found"})
                    return
                given = self.headers.get("Authorization", "")
                if not hmac.compare_digest(given.encode(), f"Bearer {hook.token}".encode()):
                    self._reply(401, {"error": "bad token"})
                    return
                length = int(self.headers.get("Content-Length") or 0)
                if length > 4096:
                    self._reply(413, {"error": "too large"})
                    return
                try:
                    body = json.loads(self.rfile.read(length) or b"{}")
                    raw = body["id_no"] if isinstance(body, dict) else None
                    if not isinstance(raw, str):
                        raise KeyError("id_no")
                except (ValueError, KeyError):
                    self._reply(400, {"error": 'body must be {"id_no": "..."}'})
                    return
                try:
                    rid = parse_resident_id(raw, today=hook.today())
                except InvalidResidentId as exc:
                    self._reply(400, {"error": exc.rule.name.lower(), "message": exc.rule.zh})
                    return
                hook.identified(rid)
                self._reply(204)

        self.token = token
        self.identified = identified
        self.today = today
        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True, name="local-hook")

    @property
    def address(self) -> HookAddress:
        host, port = self._server.server_address[:2]
        return HookAddress(str(host), int(port))

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=3)
