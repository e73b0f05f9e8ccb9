"""Pieces of the printed documents that need no database: capital numerals, Chinese line breaking,
templates, the verification code."""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from reportlab.lib.styles import ParagraphStyle

from teller_assist.documents import fonts
from teller_assist.documents.linebreak import CANNOT_END, CANNOT_START, ChineseParagraph
from teller_assist.documents.numerals import amount_text, capital
from teller_assist.documents.templates import TemplateError, load_template
from teller_assist.documents.verification import matches, normalise, verification_code


@pytest.mark.parametrize(
    ("fen", "text"),
    [
        (20_000_000, "贰拾万元整"),
        (3_000_000, "叁万元整"),
        (10_000_005, "壹拾万元零伍分"),
        (100_150, "壹仟零壹元伍角"),
        (101_000, "壹仟零壹拾元整"),
        (30_000_000, "叁拾万元整"),
        (12_345_678_912, "壹亿贰仟叁佰肆拾伍万陆仟柒佰捌拾玖元壹角贰分"),
    ],
)
def test_capital_numerals(fen: int, text: str) -> None:
    assert capital(fen) == text


def test_amount_in_figures_and_capitals() -> None:
    assert amount_text(20_000_000) == "人民币贰拾万元整（¥200,000.00）"
    with pytest.raises(ValueError, match="negative"):
        capital(-1)


def lines_of(text: str, width: float) -> list[str]:
    fonts.register()
    style = ParagraphStyle("t", fontName=fonts.PRIMARY, fontSize=11, leading=16, wordWrap="CJK")
    para = ChineseParagraph(fonts.markup(text), style)
    para.wrap(width, 10_000)
    return ["".join(frag.text for frag in line.words) for line in para.blPara.lines]


def test_no_line_starts_with_closing_punctuation_where_reportlab_would() -> None:
    # eleven characters fill a line of 11 x 11 pt; the twelfth is a comma, then more of the same
    text = ("甲乙丙丁戊己庚辛壬癸子，" * 6) + "丑》。寅（卯）。辰：巳！午？未；申」。"
    for width in (11 * 11 + 1, 11 * 7 + 1, 11 * 5 + 1):
        lines = lines_of(text, width)
        assert "".join(lines) == text
        for line in lines[1:]:
            assert line[0] not in CANNOT_START, (width, line)


_hanzi = st.sampled_from(list("甲乙丙丁戊己庚辛壬癸授信额度有效期至年月日"))
_marks = st.sampled_from(list("，。、；：！？）》」（《「“”"))
chinese = st.one_of(_hanzi, _hanzi, _hanzi, _marks)  # mostly characters, as real text is


def longest_punctuation_run(text: str) -> int:
    return max(
        (len(list(g)) for p, g in itertools.groupby(text, lambda c: c in CANNOT_START + CANNOT_END) if p),
        default=0,
    )


@given(st.lists(chinese, min_size=1, max_size=120), st.integers(3, 20))
def test_chinese_rule_holds_for_any_text(chars: list[str], per_line: int) -> None:
    text = "".join(chars)
    lines = lines_of(text, 11 * per_line + 1)
    assert "".join(lines) == text  # nothing lost, nothing reordered
    if longest_punctuation_run(text) > 2:
        return  # real text has at most two marks in a row ("）。"); longer runs cannot always be honoured
    for before, line in itertools.pairwise(lines):
        assert line[0] not in CANNOT_START, (before, line)
        assert before[-1] not in CANNOT_END, (before, line)


def test_a_paragraph_wrapped_again_at_another_width_breaks_for_that_width() -> None:
    # the paragraph keeps its laid-out characters between wraps (tables and kept-together blocks wrap
    # a paragraph several times): a second wrap at another width must not reuse the first one's lines
    fonts.register()
    style = ParagraphStyle("t", fontName=fonts.PRIMARY, fontSize=11, leading=16, wordWrap="CJK")
    text = (
        "授信人给予受信人预授信额度人民币贰拾贰万元整（¥220,000.00），年利率3.65%，额度有效期内可循环使用。"
    )
    para = ChineseParagraph(fonts.markup(text), style)
    for width in (11 * 20 + 1, 11 * 7 + 1, 11 * 13 + 1, 11 * 7 + 1):
        para.wrap(width, 10_000)
        again = ["".join(frag.text for frag in line.words) for line in para.blPara.lines]
        assert again == lines_of(text, width), width
        assert "".join(again) == text


def test_runs_of_fonts_and_forced_breaks_keep_their_place_in_the_lines() -> None:
    # a rare character set in the fallback font and a <br/>: each line's words keep their fonts, in order
    fonts.register()
    style = ParagraphStyle("t", fontName=fonts.PRIMARY, fontSize=11, leading=16, wordWrap="CJK")
    text = "受信人：王" + fonts.markup("䶮") + "明，公民身份号码<br/>验证码 <b>K3QF7-XM2PA</b>"
    para = ChineseParagraph(text, style)
    para.wrap(11 * 30, 10_000)
    lines = [[(frag.fontName, frag.text) for frag in line.words] for line in para.blPara.lines]
    assert lines[0][:3] == [
        (fonts.PRIMARY, "受信人：王"),
        ("TA-HanaMinA", "䶮"),
        (fonts.PRIMARY, "明，公民身份号码"),
    ]
    assert "".join(t for _f, t in lines[1]) == "验证码 K3QF7-XM2PA"
    assert len(lines) == 2


def test_user_text_is_escaped_and_rare_characters_get_a_font() -> None:
    assert fonts.markup("<font size=40>&") == "&lt;font size=40&gt;&amp;"
    assert fonts.markup("王䶮") == '王<font name="TA-HanaMinA">䶮</font>'


def test_templates_load_and_refuse_unknown_placeholders(tmp_path: Path) -> None:
    for kind in ("agreement", "letter"):
        template = load_template(kind)
        assert template.sections and template.title
    (tmp_path / "agreement.toml").write_text(
        'title = "协议"\n[[sections]]\nheading = ""\ntext = "额度 $line_amount，客户 $customer_nme"\n',
        encoding="utf-8",
    )
    with pytest.raises(TemplateError, match=r"\$customer_nme"):
        load_template("agreement", tmp_path)
    (tmp_path / "agreement.toml").write_text('title = "协议 $"\n[[sections]]\ntext = "x"\n', encoding="utf-8")
    with pytest.raises(TemplateError, match=r"\$"):
        load_template("agreement", tmp_path)


FIELDS = ("YSX20261128000001", 220_000_00, 365, dt.date(2028, 11, 27), "32118319850314021X")


def test_verification_code_rejects_any_changed_field() -> None:
    key = b"k" * 32
    code = verification_code(key, *FIELDS)
    assert len(code) == 11 and code[5] == "-"
    assert matches(key, code.lower().replace("-", " "), *FIELDS)
    assert normalise(code.lower()) == code
    changed = [
        ("YSX20261128000002", *FIELDS[1:]),
        (FIELDS[0], 220_000_01, *FIELDS[2:]),  # one fen more
        (*FIELDS[:2], 366, *FIELDS[3:]),
        (*FIELDS[:3], dt.date(2028, 11, 28), FIELDS[4]),
        (*FIELDS[:4], "321183198503140221"),
    ]
    for fields in changed:
        assert not matches(key, code, *fields)
    assert not matches(b"x" * 32, code, *FIELDS)


def test_a_code_printed_while_lines_were_whole_yuan_still_verifies() -> None:
    """The code is the HMAC the program printed before lines were fen: over the line in yuan as it was
    written then (``220000``), so papers already with customers still verify."""
    import base64
    import hashlib
    import hmac

    key = b"k" * 32
    message = "|".join(["YSX20261128000001", "220000", "365", "2028-11-27", "32118319850314021X"])
    text = base64.b32encode(hmac.new(key, message.encode(), hashlib.sha256).digest()).decode()[:10]
    assert verification_code(key, *FIELDS) == f"{text[:5]}-{text[5:]}"


_figures = st.sampled_from(
    ["53,900元", "70,509.20元", "¥160,000.00", "4.35%", "***元", "YSX20261128000001", "2028年11月29日"]
).map(lambda figure: f"额{figure}的")  # in words, as the documents write them: never two figures glued


@given(st.lists(st.one_of(_hanzi, _hanzi, _marks, _figures), min_size=1, max_size=60), st.integers(12, 30))
def test_a_figure_never_breaks_across_lines(parts: list[str], per_line: int) -> None:
    text = "".join(parts)
    lines = lines_of(text, 11 * per_line + 1)
    assert "".join(lines) == text  # nothing lost, nothing reordered
    for figure in {p[1:-1] for p in parts if len(p) > 1}:  # each fits a line of 12 characters or more
        assert sum(line.count(figure) for line in lines) == text.count(figure), (figure, lines)


def test_an_edited_template_shows_on_the_next_document(tmp_path: Path) -> None:
    """Templates are parsed once per text (a campaign prints thousands), but read afresh each time."""
    path = tmp_path / "letter.toml"
    path.write_text('title = "告知函"\n[[sections]]\ntext = "第一稿"\n', encoding="utf-8")
    assert load_template("letter", tmp_path).sections[0].text == "第一稿"
    path.write_text('title = "告知函"\n[[sections]]\ntext = "第二稿"\n', encoding="utf-8")
    assert load_template("letter", tmp_path).sections[0].text == "第二稿"
    path.write_text('title = "告知函 $nme"\n[[sections]]\ntext = "x"\n', encoding="utf-8")
    with pytest.raises(TemplateError, match=r"\$nme"):
        load_template("letter", tmp_path)


def test_the_same_markup_is_parsed_once_and_wraps_the_same() -> None:
    """A campaign's documents repeat their terms: a paragraph of the same markup and style reuses the
    fragments parsed for the first (ReportLab's paragraphs only read them), and wraps line for line."""
    fonts.register()
    style = ParagraphStyle("t", fontName=fonts.PRIMARY, fontSize=11, leading=16, wordWrap="CJK")
    text = (
        "受信人：王"
        + fonts.markup("䶮")
        + "明，额度人民币捌万壹仟元整（¥81,000.00），<b>有效期</b>至2028年11月29日。" * 3
    )
    first, second = ChineseParagraph(text, style), ChineseParagraph(text, style)
    assert second.frags is first.frags
    assert ChineseParagraph(text + "。", style).frags is not first.frags
    for width in (200, 120):
        first.wrap(width, 1000)
        second.wrap(width, 1000)
        assert [w for w in first.blPara.lines] and len(first.blPara.lines) == len(second.blPara.lines)
        assert [str(line.words) for line in first.blPara.lines] == [
            str(line.words) for line in second.blPara.lines
        ]
    before = [str(line.words) for line in ChineseParagraph(text, style).breakLines([200]).lines]
    parts = second.split(200, 40)  # a paragraph split across two pages
    assert len(parts) == 2
    for part in parts:
        part.wrap(200, 1000)
    after = ChineseParagraph(text, style)
    assert after.frags is first.frags
    assert [str(line.words) for line in after.breakLines([200]).lines] == before
