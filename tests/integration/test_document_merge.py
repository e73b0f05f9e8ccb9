"""Print files made of rendered documents (``documents.merge``), read back with poppler: every page of
every document, in order, each with its own embedded font; a file the merger does not know is refused."""

from __future__ import annotations

import dataclasses
import datetime as dt
import subprocess
from pathlib import Path

import pytest

from teller_assist.documents.merge import MergeError, merge_files
from teller_assist.documents.render import DocumentData, render
from tests.helpers import required

DAY = dt.date(2026, 11, 28)
DATA = DocumentData(
    "agreement", "句容农村商业银行", "华阳支行", "YSX20261128000001", "王五", "3211**********1230",
    16_000_000, "4.35", DAY, dt.date(2028, 11, 27), ("基础授信额度30,000元，人人可得",),
    "https://m.example-rcb.cn/app", DAY, "ABCDE-FGHIJ", id_full="321183199001011230",
)  # fmt: skip


def poppler(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(args), capture_output=True, text=True, check=True)


def test_documents_merged_page_by_page_in_order(tmp_path: Path) -> None:
    for tool in ("pdftotext", "pdfinfo", "pdffonts"):
        required.program(tool)
    docs = [
        DATA,
        dataclasses.replace(DATA, kind="letter", name="赵六", id_full=""),
        dataclasses.replace(DATA, name="钱七", agreement_no="YSX20261128000002", copy=True),
    ]
    sources = []
    pages = 0
    for i, data in enumerate(docs):
        path = tmp_path / f"doc{i}.pdf"
        path.write_bytes(render(data))
        sources.append(path)
        pages += int(next(ln for ln in poppler("pdfinfo", str(path)).stdout.splitlines()
                          if ln.startswith("Pages:")).split()[1])  # fmt: skip
    out = tmp_path / "merged.pdf"
    assert merge_files(sources, out) == pages
    info = poppler("pdfinfo", str(out))
    assert f"Pages:          {pages}" in info.stdout.replace("Pages:           ", "Pages:          ")
    assert info.stderr == ""
    text = poppler("pdftotext", str(out), "-")
    assert text.stderr == ""  # no syntax error
    flat = "".join(text.stdout.split())
    assert flat.index("王五") < flat.index("赵六") < flat.index("钱七")
    assert flat.count("副本") >= 1 and flat.index("副本") > flat.index("赵六")
    fonts = poppler("pdffonts", str(out)).stdout.splitlines()[2:]
    assert len(fonts) >= 3 and all(" yes yes yes " in line for line in fonts)  # embedded, subset, unicode
    assert not (tmp_path / "merged.pdf.part").exists()


def test_a_file_the_merger_does_not_know_is_refused(tmp_path: Path) -> None:
    good = render(DATA)
    for name, content in (
        ("garbage.pdf", b"not a pdf at all"),
        ("truncated.pdf", good[: len(good) // 2]),
        ("moved.pdf", good.replace(b"startxref\n", b"startxref\n1", 1)),
    ):
        path = tmp_path / name
        path.write_bytes(content)
        with pytest.raises(MergeError):
            merge_files([path], tmp_path / "out.pdf")
        assert not (tmp_path / "out.pdf").exists() and not (tmp_path / "out.pdf.part").exists()
