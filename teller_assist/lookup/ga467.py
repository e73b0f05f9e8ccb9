"""Second-generation resident ID card readers (GA 467-2013) over a serial port.

Wire format, both directions: the preamble ``AA AA AA 96 69``, a two-byte big-endian length of what
follows (command or status, data and the checksum), then that many bytes; the last is the XOR of every
byte from the length up to it. The host sends ``CMD PARA [data]``; the reader answers
``SW1 SW2 SW3 [data]`` where SW3 is the status (``90`` ok, ``9F`` card found, ``80``/``81`` no card, ``41``
read failed, …).

A card is read in three steps: find (``20 01``), select (``20 02``), read the base information (``30 01``),
whose data is the text length (2 bytes), the photo length (2 bytes), then the 256-byte text block in
UCS-2 little-endian and the photo. Only the text block is used; the photo is never kept.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass
from typing import Protocol

PREAMBLE = bytes.fromhex("AAAAAA9669")
FIND = bytes.fromhex("2001")
SELECT = bytes.fromhex("2002")
READ_BASE = bytes.fromhex("3001")
TEXT_BLOCK = 256
# (field, bytes) in the order of the 256-byte text block
TEXT_LAYOUT = (
    ("name", 30),
    ("gender", 2),
    ("nation", 4),
    ("birth", 16),
    ("address", 70),
    ("id_no", 36),
    ("authority", 30),
    ("valid_from", 16),
    ("valid_to", 16),
    ("reserved", 36),
)


class Status(enum.IntEnum):
    OK = 0x90
    CARD_FOUND = 0x9F
    NO_CARD = 0x80
    SELECT_FAILED = 0x81
    READ_FAILED = 0x41
    CHECKSUM_ERROR = 0x10
    LENGTH_ERROR = 0x11
    UNKNOWN_COMMAND = 0x21
    NO_PERMISSION = 0x23
    SAM_ERROR = 0x60

    @property
    def zh(self) -> str:
        return STATUS_ZH.get(self, f"状态码{self.value:02X}")


STATUS_ZH = {
    Status.OK: "成功",
    Status.CARD_FOUND: "找到身份证",
    Status.NO_CARD: "未放置身份证",
    Status.SELECT_FAILED: "选卡失败，请重新放置身份证",
    Status.READ_FAILED: "读卡失败，请重新放置身份证",
    Status.CHECKSUM_ERROR: "读卡器报告校验和错误",
    Status.LENGTH_ERROR: "读卡器报告长度错误",
    Status.UNKNOWN_COMMAND: "读卡器不支持该命令",
    Status.NO_PERMISSION: "读卡器无操作权限",
    Status.SAM_ERROR: "读卡器安全模块故障",
}


class ReaderError(Exception):
    """Something the teller is told in the status line (never a frozen window)."""

    def __init__(self, message_zh: str, *, status: int | None = None) -> None:
        super().__init__(message_zh)
        self.message_zh = message_zh
        self.status = status


class FrameError(ReaderError):
    pass


class PortLost(ReaderError):
    """The serial port failed under us: the reader must be opened again."""


def checksum(body: bytes) -> int:
    value = 0
    for byte in body:
        value ^= byte
    return value


def build_frame(payload: bytes) -> bytes:
    """Preamble + length + payload + checksum (what a host sends, and what the reader answers)."""
    length = (len(payload) + 1).to_bytes(2, "big")
    return PREAMBLE + length + payload + bytes([checksum(length + payload)])


@dataclass(frozen=True)
class Response:
    sw1: int
    sw2: int
    status: int
    data: bytes


def parse_response(frame: bytes) -> Response:
    """Check preamble, length and checksum of a whole answer frame and split it."""
    if not frame.startswith(PREAMBLE):
        raise FrameError("读卡器返回的数据帧头错误")
    if len(frame) < len(PREAMBLE) + 2 + 4:
        raise FrameError("读卡器返回的数据帧过短")
    length = int.from_bytes(frame[5:7], "big")
    body = frame[7:]
    if len(body) != length:
        raise FrameError(f"读卡器返回的数据长度不符（声明{length}字节，收到{len(body)}字节）")
    if checksum(frame[5:-1]) != frame[-1]:
        raise FrameError("读卡器返回的数据校验和错误")
    return Response(body[0], body[1], body[2], body[3:-1])


@dataclass(frozen=True)
class CardText:
    """The text block of a card. ``id_no`` is the 18-character number exactly as the card holds it."""

    name: str
    gender: str  # "M" / "F"
    nation: str  # the two-digit nation code ("01" = 汉)
    birth: dt.date | None
    address: str
    id_no: str
    authority: str
    valid_from: dt.date | None
    valid_to: dt.date | None  # None with ``valid_long_term``
    valid_long_term: bool

    def __repr__(self) -> str:  # personal data: never in a log by accident
        return f"CardText(id={self.id_no[:4]}…{self.id_no[-4:]})"


def _date(text: str) -> dt.date | None:
    try:
        return dt.date(int(text[:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        return None


def parse_text_block(block: bytes) -> CardText:
    if len(block) != TEXT_BLOCK:
        raise FrameError(f"身份证文字信息长度应为256字节，实为{len(block)}字节")
    fields: dict[str, str] = {}
    offset = 0
    for name, size in TEXT_LAYOUT:
        raw = block[offset : offset + size]
        offset += size
        try:
            fields[name] = raw.decode("utf-16-le").rstrip(" \x00")
        except UnicodeDecodeError:
            raise FrameError(f"身份证文字信息无法解码（{name}）") from None
    valid_to = fields["valid_to"]
    return CardText(
        name=fields["name"].strip(),
        gender={"1": "M", "2": "F"}.get(fields["gender"], "?"),
        nation=fields["nation"],
        birth=_date(fields["birth"]),
        address=fields["address"].strip(),
        id_no=fields["id_no"].strip(),
        authority=fields["authority"].strip(),
        valid_from=_date(fields["valid_from"]),
        valid_to=None if "长期" in valid_to else _date(valid_to),
        valid_long_term="长期" in valid_to,
    )


def build_text_block(card: CardText) -> bytes:
    """The inverse of :func:`parse_text_block` (for the simulated reader in tests and demos)."""
    values = {
        "name": card.name,
        "gender": {"M": "1", "F": "2"}[card.gender],
        "nation": card.nation,
        "birth": f"{card.birth:%Y%m%d}" if card.birth else "",
        "address": card.address,
        "id_no": card.id_no,
        "authority": card.authority,
        "valid_from": f"{card.valid_from:%Y%m%d}" if card.valid_from else "",
        "valid_to": "长期" if card.valid_long_term else (f"{card.valid_to:%Y%m%d}" if card.valid_to else ""),
        "reserved": "",
    }
    out = b""
    for name, size in TEXT_LAYOUT:
        encoded = values[name].encode("utf-16-le")
        if len(encoded) > size:
            raise ValueError(f"{name} does not fit in {size} bytes")
        out += encoded + " ".encode("utf-16-le") * ((size - len(encoded)) // 2)
    return out


class Port(Protocol):
    """What the driver needs of a serial port (pyserial's ``Serial`` has it)."""

    def write(self, data: bytes, /) -> int | None: ...

    def read(self, size: int = 1, /) -> bytes: ...

    def reset_input_buffer(self) -> None: ...

    def close(self) -> None: ...


class CardReader:
    """The host side of the protocol over one open port. Every call returns or raises within the
    port's timeout: never blocks forever."""

    def __init__(self, port: Port) -> None:
        self.port = port

    def _exchange(self, payload: bytes) -> Response:
        try:
            return self._exchange_on_port(payload)
        except ReaderError:
            raise
        except Exception as exc:  # the port itself failed (unplugged, driver error): say so, never crash
            raise PortLost(f"读卡器连接中断：{exc}") from exc

    def _exchange_on_port(self, payload: bytes) -> Response:
        self.port.reset_input_buffer()
        self.port.write(build_frame(payload))
        head = self._read_exact(7, "读卡器无响应（超时）")
        if head[:5] != PREAMBLE:
            raise FrameError("读卡器返回的数据帧头错误")
        length = int.from_bytes(head[5:7], "big")
        if not 4 <= length <= 4096:
            raise FrameError(f"读卡器返回的数据长度异常（{length}）")
        body = self._read_exact(length, "读卡器响应不完整（超时）")
        return parse_response(head + body)

    def _read_exact(self, n: int, timeout_message: str) -> bytes:
        data = b""
        while len(data) < n:
            chunk = self.port.read(n - len(data))
            if not chunk:
                raise ReaderError(timeout_message)
            data += chunk
        return data

    def find_card(self) -> bool:
        response = self._exchange(FIND)
        if response.status == Status.CARD_FOUND:
            return True
        if response.status in (Status.NO_CARD, Status.SELECT_FAILED):
            return False
        raise ReaderError(_status_text(response.status), status=response.status)

    def select_card(self) -> None:
        response = self._exchange(SELECT)
        if response.status != Status.OK:
            raise ReaderError(_status_text(response.status), status=response.status)

    def read_text(self) -> CardText:
        response = self._exchange(READ_BASE)
        if response.status != Status.OK:
            raise ReaderError(_status_text(response.status), status=response.status)
        data = response.data
        if len(data) < 4:
            raise FrameError("读卡器返回的身份证信息过短")
        text_len = int.from_bytes(data[0:2], "big")
        if text_len != TEXT_BLOCK or len(data) < 4 + text_len:
            raise FrameError(f"读卡器返回的文字信息长度异常（{text_len}）")
        return parse_text_block(data[4 : 4 + text_len])

    def poll(self) -> CardText | None:
        """One round: the card's text if a card is on the reader, else ``None``."""
        if not self.find_card():
            return None
        self.select_card()
        return self.read_text()


def _status_text(status: int) -> str:
    try:
        return Status(status).zh
    except ValueError:
        return f"读卡器返回未知状态码{status:02X}"


def open_serial(device: str, *, baudrate: int = 115200, timeout: float = 0.5) -> CardReader:
    """Open a reader on a serial device (``/dev/ttyUSB0``, ``COM3``); a missing device is a ReaderError."""
    import serial  # pyserial

    try:
        port = serial.Serial(device, baudrate=baudrate, timeout=timeout, write_timeout=timeout)
    except (serial.SerialException, OSError) as exc:
        raise ReaderError(f"无法打开读卡器端口 {device}：{exc}") from None
    return CardReader(port)
