"""Identification sources on their own: clipboard filter, card-reader watcher, local HTTP hook."""

from __future__ import annotations

import datetime as dt
import http.client
import json
import threading
import time
from collections.abc import Iterator

import pytest

from teller_assist.identity.resident_id import ResidentId
from teller_assist.lookup.ga467 import CardText, open_serial
from teller_assist.lookup.sources import LocalHook, ReaderWatcher, clipboard_candidate
from tests.helpers.extracts import MAN, WOMAN
from tests.helpers.ga467_sim import SimulatedReader

TODAY = dt.date(2026, 11, 28)
TOKEN = "t" * 43


def test_clipboard_only_takes_a_whole_valid_id() -> None:
    assert clipboard_candidate(f"  {MAN.lower()}\n", TODAY) == ResidentId(MAN)
    assert clipboard_candidate(MAN[:-1] + "0" if MAN[-1] != "0" else MAN[:-1] + "1", TODAY) is None
    assert clipboard_candidate(f"客户 {MAN}", TODAY) is None
    assert clipboard_candidate("x" * 1000 + MAN, TODAY) is None
    assert clipboard_candidate(None, TODAY) is None


def wait_for(predicate, timeout: float = 5.0) -> bool:  # type: ignore[no-untyped-def]
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.02)
    return False


def test_reader_watcher_reports_each_card_once_and_status_changes() -> None:
    sim = SimulatedReader()
    seen: list[ResidentId] = []
    statuses: list[str] = []
    watcher = ReaderWatcher(
        lambda: open_serial(sim.device, timeout=0.3),
        seen.append,
        statuses.append,
        today=lambda: TODAY,
        interval=0.05,
    )
    watcher.start()
    try:
        assert wait_for(lambda: "读卡器就绪，请放置身份证" in statuses)
        sim.card = CardText("张三", "M", "01", None, "", MAN, "", None, None, True)
        assert wait_for(lambda: len(seen) == 1)
        time.sleep(0.3)
        assert seen == [ResidentId(MAN)]  # the same card staying on the reader is reported once
        sim.card = None
        assert wait_for(lambda: statuses[-1] == "读卡器就绪，请放置身份证")
        sim.card = CardText("李四", "F", "01", None, "", WOMAN, "", None, None, True)
        assert wait_for(lambda: len(seen) == 2) and seen[1] == ResidentId(WOMAN)
        sim.mode = "silent"
        assert wait_for(lambda: "超时" in statuses[-1])
    finally:
        watcher.stop()
        sim.close()


def test_reader_watcher_with_no_device_says_so_and_keeps_trying() -> None:
    statuses: list[str] = []
    watcher = ReaderWatcher(
        lambda: open_serial("/dev/no-such-reader"), lambda rid: None, statuses.append, today=lambda: TODAY
    )
    watcher.start()
    try:
        assert wait_for(lambda: bool(statuses) and "无法打开读卡器端口" in statuses[0])
    finally:
        started = time.monotonic()
        watcher.stop()
        assert time.monotonic() - started < 3


@pytest.fixture
def hook() -> Iterator[tuple[LocalHook, list[ResidentId]]]:
    got: list[ResidentId] = []
    server = LocalHook(TOKEN, got.append, today=lambda: TODAY)
    server.start()
    try:
        yield server, got
    finally:
        server.stop()


def post(hook: LocalHook, body: object, token: str = TOKEN, path: str = "/identify") -> tuple[int, dict]:
    conn = http.client.HTTPConnection(hook.address.host, hook.address.port, timeout=5)
    payload = json.dumps(body).encode()
    conn.request(
        "POST", path, payload, {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    )
    response = conn.getresponse()
    data = response.read()
    conn.close()
    return response.status, json.loads(data) if data else {}


def test_hook_listens_on_loopback_only(hook: tuple[LocalHook, list[ResidentId]]) -> None:
    assert hook[0].address.host == "127.0.0.1"


def test_hook_takes_a_valid_id_with_the_token(hook: tuple[LocalHook, list[ResidentId]]) -> None:
    server, got = hook
    assert post(server, {"id_no": MAN})[0] == 204
    assert got == [ResidentId(MAN)]
    status, body = post(server, {"id_no": MAN[:-1]})
    assert status == 400 and body["error"] == "length"
    assert post(server, {"id_no": MAN}, token="wrong" * 9)[0] == 401
    assert post(server, {"nope": 1})[0] == 400
    assert post(server, {"id_no": MAN}, path="/other")[0] == 404
    assert got == [ResidentId(MAN)]


def test_hook_handles_concurrent_pushes(hook: tuple[LocalHook, list[ResidentId]]) -> None:
    server, got = hook
    threads = [threading.Thread(target=post, args=(server, {"id_no": MAN})) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(got) == 8


def test_short_token_is_refused() -> None:
    with pytest.raises(ValueError, match="32"):
        LocalHook("short", lambda rid: None, today=lambda: TODAY)
