"""A simulated GA 467 card reader on a pseudo-terminal: a fake at the wire, not a mock of the driver.

The real driver opens the pty's slave end as a serial port; this thread answers on the master end,
frame by frame, as a reader would. Tests put a card on it, take it away, or make it misbehave.
"""

from __future__ import annotations

import os
import select
import threading
import tty

from teller_assist.lookup.ga467 import PREAMBLE, CardText, Status, build_frame, build_text_block, checksum


class SimulatedReader:
    def __init__(self) -> None:
        self.master, self.slave = os.openpty()
        tty.setraw(self.master)
        tty.setraw(self.slave)
        self.device = os.ttyname(self.slave)
        self.card: CardText | None = None
        self.mode = "ok"  # "ok", "silent", "bad-checksum", "read-fails", "garbage"
        self.requests: list[bytes] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True, name="ga467-sim")
        self._thread.start()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
        os.close(self.master)
        os.close(self.slave)

    def _read(self, n: int) -> bytes | None:
        data = b""
        while len(data) < n:
            ready, _, _ = select.select([self.master], [], [], 0.05)
            if self._stop.is_set():
                return None
            if ready:
                data += os.read(self.master, n - len(data))
        return data

    def _serve(self) -> None:
        buffer = b""
        while not self._stop.is_set():
            byte = self._read(1)
            if byte is None:
                return
            buffer = (buffer + byte)[-5:]
            if buffer != PREAMBLE:
                continue
            head = self._read(2)
            if head is None:
                return
            body = self._read(int.from_bytes(head, "big"))
            if body is None:
                return
            if checksum(head + body[:-1]) != body[-1]:
                self._send(bytes([0, 0, Status.CHECKSUM_ERROR]))
                continue
            self.requests.append(body[:2])
            self._answer(body[:2])
            buffer = b""

    def _send(self, payload: bytes) -> None:
        frame = build_frame(payload)
        if self.mode == "bad-checksum":
            frame = frame[:-1] + bytes([frame[-1] ^ 0xFF])
        if self.mode == "garbage":
            frame = b"\x01\x02\x03\x04\x05\x06\x07\x08\x09"
        os.write(self.master, frame)

    def _answer(self, command: bytes) -> None:
        if self.mode == "silent":
            return
        ok = bytes([0, 0])
        if command == b"\x20\x01":
            self._send(ok + bytes([Status.CARD_FOUND if self.card else Status.NO_CARD]) + bytes(4))
        elif command == b"\x20\x02":
            self._send(ok + bytes([Status.OK if self.card else Status.SELECT_FAILED]) + bytes(8))
        elif command == b"\x30\x01":
            if self.card is None or self.mode == "read-fails":
                self._send(ok + bytes([Status.READ_FAILED]))
                return
            text = build_text_block(self.card)
            photo = bytes(1024)
            self._send(
                ok
                + bytes([Status.OK])
                + len(text).to_bytes(2, "big")
                + len(photo).to_bytes(2, "big")
                + text
                + photo
            )
        else:
            self._send(ok + bytes([Status.UNKNOWN_COMMAND]))
