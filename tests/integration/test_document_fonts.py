"""The fonts set up for many documents in one process (a campaign's letters): a subset built once is
kept, and a template's own characters come first so that every document of a kind embeds the same
leading subsets. None of it may change what is printed: the kept subsets are ReportLab's own bytes, and
the pages render pixel for pixel and read back word for word as without it (poppler's tools)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import subprocess
from pathlib import Path
from typing import Any

import pytest
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFontFace

from teller_assist.documents import fonts, render
from teller_assist.documents.render import DocumentData
from teller_assist.resources import resource
from tests.helpers import required

PERSON = DocumentData(
    "agreement", "句容农村商业银行", "华阳支行", "YSX20261128000001", "张䶮", "3211**********0215",
    22_000_000, "3.65", dt.date(2026, 11, 28), dt.date(2028, 11, 27),
    ("近12个月中10个月由句容市财政局（机关）代发工资，月均***元 → 10倍月均工资***元", "公务员保底200,000元"),
    "https://m.example-rcb.cn/app", dt.date(2026, 11, 28), "K3QF7-XM2PA", id_full="321183198503140215",
)  # fmt: skip
OTHER = dataclasses.replace(
    PERSON, name="欧阳秀英", agreement_no="YSX20261128000002", verification_code="M7RT2-QW3ZX",
    line_fen=8_100_000, reasons=("代扣电费近12个月成功12次、无失败，稳定户上浮10% → +***元",),
)  # fmt: skip


@pytest.fixture(autouse=True)
def _poppler() -> None:
    for tool in ("pdftotext", "pdftoppm"):
        required.program(tool)


def test_a_kept_subset_is_exactly_the_one_reportlab_builds() -> None:
    fonts.register()
    face: Any = pdfmetrics.getFont(fonts.PRIMARY).face
    stock = TTFontFace(str(resource("fonts", "wqy-microhei.ttc")), subfontIndex=0)
    # wqy-microhei draws most CJK characters as composite glyphs: the subsetter renumbers their parts
    subset = [0, *range(32, 127), *map(ord, "张䶮欧阳秀英预授信协议，。（）¥½Ä")]
    subset = [c for c in subset if c == 0 or c in stock.charToGlyph]
    built = face.makeSubset(subset)
    assert built == stock.makeSubset(subset)
    assert face.makeSubset(list(subset)) is built  # kept, not built again


def _pages(pdf: bytes, folder: Path, name: str) -> tuple[list[bytes], str]:
    path = folder / f"{name}.pdf"
    path.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "72", str(path), str(folder / name)], check=True)
    pages = [p.read_bytes() for p in sorted(folder.glob(f"{name}-*.ppm"))]
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True).stdout
    return pages, text.decode()


@pytest.mark.parametrize(
    "data",
    [PERSON, dataclasses.replace(OTHER, kind="letter"), dataclasses.replace(OTHER, copy=True, name="王𠀀")],
    ids=["agreement", "letter", "reprint-rare-name"],
)
def test_the_pages_print_the_same_as_without_the_kept_subsets(
    data: DocumentData, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    render.render(PERSON)  # subsets kept from an earlier document
    kept_pages, kept_text = _pages(render.render(data), tmp_path, "kept")
    monkeypatch.setattr(render, "_seed", lambda template: "")
    monkeypatch.setattr(fonts._Face, "makeSubset", TTFontFace.makeSubset)
    monkeypatch.setattr(fonts._Face, "addSubsetObjects", TTFontFace.addSubsetObjects)
    plain_pages, plain_text = _pages(render.render(data), tmp_path, "plain")
    assert len(kept_pages) == len(plain_pages) >= 1
    assert kept_pages == plain_pages
    assert kept_text == plain_text
    assert data.name.replace("𠀀", "") in "".join(kept_text.split())


def test_another_persons_document_builds_only_their_own_subset(monkeypatch: pytest.MonkeyPatch) -> None:
    render.render(PERSON)
    built: list[int] = []
    original = TTFontFace.makeSubset

    def counting(face: Any, subset: Any) -> bytes:
        built.append(len(subset))
        return original(face, subset)  # type: ignore[no-any-return]

    monkeypatch.setattr(TTFontFace, "makeSubset", counting)
    render.render(OTHER)
    # the template's characters fill the leading subsets, kept from the first person's document; the
    # second person's name, reasons and amount make one small subset of their own
    assert len(built) == 1, built
    assert built[0] < 128


def test_a_document_through_the_kept_lines_drawings_widths_and_maps_is_byte_for_byte_reportlabs(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A campaign renders thousands of documents in one process: each paragraph's lines are broken once
    and shared, a paragraph of the template's own characters drawn once and its drawing added again,
    each kept subset's widths formatted and ToUnicode map made once. In ReportLab's
    invariant mode (no dates, no random IDs) a document rendered after others, through all of it, is
    the very bytes rendered with none of it, including paragraphs split over two pages."""
    from reportlab import rl_config
    from reportlab.pdfbase import pdfdoc, ttfonts

    from teller_assist.documents import linebreak

    monkeypatch.setattr(rl_config, "invariant", 1)
    long = dataclasses.replace(
        OTHER,
        reasons=tuple(
            f"第{i}条：代发工资近12个月月均***元，按政策系数计算候选额度，较长的说明以便分页"
            for i in range(40)
        ),
    )
    splits: list[int] = []
    real_split = linebreak.ChineseParagraph.split

    def counting(self: Any, width: Any, height: Any) -> Any:
        splits.append(1)
        return real_split(self, width, height)

    monkeypatch.setattr(linebreak.ChineseParagraph, "split", counting)
    for data in (PERSON, long, OTHER, long):
        render.render(data)
    # another person of the same line and reasons: the terms drawn for the others, their own words not
    another = dataclasses.replace(long, name="李四海", agreement_no="YSX20261128000003")
    kept = render.render(another)
    assert splits  # a paragraph went over a page's end, its lines shared
    assert any(parsed.drawn for parsed in linebreak._PARSED.values())  # drawings kept and added again
    monkeypatch.setattr(
        linebreak,
        "shared_lines",
        lambda parsed, text, widths, bounds: linebreak.split_lines(text, widths, bounds),
    )
    monkeypatch.setattr(linebreak.ChineseParagraph, "_drawn_key", lambda self: None)
    monkeypatch.setattr(fonts._KeptWidths, "format", pdfdoc.PDFArray.format)
    monkeypatch.setattr(ttfonts, "makeToUnicodeCMap", fonts._MAKE_TO_UNICODE)
    assert render.render(another) == kept
