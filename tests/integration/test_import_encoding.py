"""One file, one encoding, on both engines: a file whose lines disagree is refused naming them, never
loaded as mojibake."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import func, select

from teller_assist.services.imports import import_file
from teller_assist.store.engine import Store
from teller_assist.store.models import Customer, ImportBatch
from tests.helpers.extracts import MAN, WOMAN, rid, write

TODAY = dt.date(2026, 11, 28)


def count(store: Store, model: type) -> int:
    with store.session() as s:
        return s.scalar(select(func.count()).select_from(model)) or 0


def test_a_utf8_file_with_one_gbk_line_is_refused_naming_the_lines(store: Store, tmp_path: Path) -> None:
    people = [(rid(seq=401 + 2 * i), name) for i, name in enumerate(["张伟", "李娜", "王芳", "刘洋", "陈静"])]
    lines = ["id_no,name", *[f"{id_no},{name}" for id_no, name in people]]
    body = [line.encode("utf-8") for line in lines]
    body[4] = lines[4].encode("gbk")  # line 5 (刘洋) came from another system
    path = tmp_path / "customers_20261127.csv"
    path.write_bytes(b"\n".join(body) + b"\n")
    result = import_file(store, path, today=TODAY)
    assert result.status == "refused"
    assert result.error is not None
    assert "混用" in result.error and "第5行不是UTF-8" in result.error
    assert "第2、3、4、6行是UTF-8" in result.error
    assert count(store, Customer) == 0 and count(store, ImportBatch) == 0  # no mojibake (寮犱紵) loaded


def test_a_gbk_file_with_one_utf8_line_is_refused(store: Store, tmp_path: Path) -> None:
    people = [(rid(seq=421 + 2 * i), name) for i, name in enumerate(["张伟", "李娜", "王芳强", "刘洋"])]
    lines = ["身份证号,姓名,地址", *[f"{id_no},{name},江苏省句容市华阳街道" for id_no, name in people]]
    body = [line.encode("gb18030") for line in lines]
    body[2] = lines[2].encode("utf-8")
    path = tmp_path / "customers_20261127.csv"
    path.write_bytes(b"\r\n".join(body) + b"\r\n")
    result = import_file(store, path, today=TODAY)
    assert result.status == "refused" and result.error is not None
    assert "第3行是UTF-8" in result.error and "第1、2、4、5行不是UTF-8" in result.error
    assert count(store, Customer) == 0
    forced = import_file(store, path, encoding="gb18030", today=TODAY)  # the way out the hint names
    assert forced.status == "loaded" and forced.loaded == 4


def test_gbk_names_that_happen_to_be_valid_utf8_still_load_as_gbk(store: Store, tmp_path: Path) -> None:
    # 郑伟 in GBK is D6 A3 CE B0, which UTF-8 reads as two letters (֣ΰ): valid UTF-8, but not Chinese
    names = ["郑伟", "郑英", "郑强", "赵敏", "郑小梅", "钱多多"]
    accidental = [n for n in names if n.encode("gbk").decode("utf-8", errors="replace").count("\ufffd") == 0]
    assert len(accidental) >= 3
    lines = ["身份证号,姓名", *[f"{rid(seq=441 + 2 * i)},{name}" for i, name in enumerate(names)]]
    result = import_file(store, write(tmp_path, "customers_20261127.csv", lines, encoding="gbk"), today=TODAY)
    assert result.status == "loaded" and result.loaded == len(names), result.error
    with store.session() as s:
        assert sorted(s.scalars(select(Customer.name))) == sorted(names)


def test_neither_encoding_names_where_each_breaks(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "customers_20261127.csv"
    # line 2 is UTF-8 that GB18030 cannot read (an odd number of bytes), line 3 is neither
    path.write_bytes(f"id_no,name\n{MAN},张\n{WOMAN},".encode() + b"\xff\xfe\n")
    result = import_file(store, path, today=TODAY)
    assert result.status == "refused" and result.error is not None
    assert "第3行不是UTF-8" in result.error and "第2行不是GB18030" in result.error
