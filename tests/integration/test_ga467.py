"""The GA 467 card-reader driver against a simulated reader on a pseudo-terminal."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator

import pytest

from teller_assist.lookup.ga467 import (
    CardReader,
    CardText,
    FrameError,
    ReaderError,
    build_frame,
    build_text_block,
    open_serial,
    parse_response,
    parse_text_block,
)
from tests.helpers.extracts import MAN
from tests.helpers.ga467_sim import SimulatedReader

CARD = CardText(
    name="刘𠀀䶮",
    gender="M",
    nation="01",
    birth=dt.date(1985, 3, 14),
    address="江苏省句容市华阳街道东庄12号",
    id_no=MAN,
    authority="句容市公安局",
    valid_from=dt.date(2016, 5, 1),
    valid_to=None,
    valid_long_term=True,
)


@pytest.fixture
def sim() -> Iterator[SimulatedReader]:
    reader = SimulatedReader()
    try:
        yield reader
    finally:
        reader.close()


@pytest.fixture
def driver(sim: SimulatedReader) -> Iterator[CardReader]:
    reader = open_serial(sim.device, timeout=0.3)
    try:
        yield reader
    finally:
        reader.port.close()


def test_frames_round_trip_and_checksum() -> None:
    frame = build_frame(bytes([0, 0, 0x90]) + b"\x01\x02")
    assert frame[:5] == bytes.fromhex("AAAAAA9669") and frame[5:7] == (6).to_bytes(2, "big")
    response = parse_response(frame)
    assert (response.status, response.data) == (0x90, b"\x01\x02")
    with pytest.raises(FrameError, match="校验和"):
        parse_response(frame[:-1] + bytes([frame[-1] ^ 1]))
    with pytest.raises(FrameError, match="帧头"):
        parse_response(b"\x00" + frame[1:])
    with pytest.raises(FrameError, match="长度"):
        parse_response(frame[:-2] + frame[-1:])


def test_text_block_layout_is_256_bytes_and_round_trips() -> None:
    block = build_text_block(CARD)
    assert len(block) == 256
    assert block[:30].decode("utf-16-le").startswith("刘𠀀䶮")
    assert block[30:32].decode("utf-16-le") == "1"
    assert block[36:52].decode("utf-16-le") == "19850314"
    assert block[122:158].decode("utf-16-le") == MAN
    card = parse_text_block(block)
    assert card == CARD and card.valid_long_term and card.valid_to is None
    dated = parse_text_block(
        build_text_block(
            CardText(**{**CARD.__dict__, "valid_to": dt.date(2036, 5, 1), "valid_long_term": False})
        )
    )
    assert dated.valid_to == dt.date(2036, 5, 1)
    assert MAN not in repr(card)


def test_no_card_then_a_card(sim: SimulatedReader, driver: CardReader) -> None:
    assert driver.poll() is None
    sim.card = CARD
    card = driver.poll()
    assert card is not None and card.id_no == MAN and card.name == "刘𠀀䶮"
    assert sim.requests[-3:] == [b"\x20\x01", b"\x20\x02", b"\x30\x01"]


def test_a_silent_reader_times_out_quickly(sim: SimulatedReader, driver: CardReader) -> None:
    sim.mode = "silent"
    started = time.monotonic()
    with pytest.raises(ReaderError, match="超时"):
        driver.poll()
    assert time.monotonic() - started < 2


@pytest.mark.parametrize(
    ("mode", "message"), [("bad-checksum", "校验和"), ("garbage", "帧头"), ("read-fails", "读卡失败")]
)
def test_misbehaving_reader_is_a_clear_error(
    sim: SimulatedReader, driver: CardReader, mode: str, message: str
) -> None:
    sim.card = CARD
    sim.mode = mode
    with pytest.raises(ReaderError, match=message):
        driver.poll()


def test_missing_device() -> None:
    with pytest.raises(ReaderError, match="无法打开读卡器端口"):
        open_serial("/dev/does-not-exist-ttyUSB9")
