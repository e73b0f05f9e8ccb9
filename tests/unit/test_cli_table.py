"""Terminal tables line up by display width: a Chinese character takes two columns."""

from __future__ import annotations

import re
from pathlib import Path

from teller_assist.cli.table import pad, table, width


def test_widths_count_columns_not_characters() -> None:
    assert width("abc") == 3 and width("张三") == 4 and width("欧阳修文 Ann") == 12
    assert width("é") == 1 and width("e\u0301") == 1  # a combining accent takes no column
    assert pad("张三", 6) == "张三  " and pad("12", 6, ">") == "    12"


def test_columns_after_chinese_text_start_at_the_same_column() -> None:
    lines = table(
        ("登录名 login", "姓名 name", "额度"),
        [("teller1", "张三", 50_000), ("h", "欧阳修文", 1_200_000), ("x", None, 0)],
        "<<>",
    )
    assert lines[1] == "teller1       张三          50,000"
    ends = {width(line) for line in lines}
    assert ends == {width(lines[0])}, lines  # the right-aligned column ends in one place
    starts = {
        width(line[: line.index(name)])
        for line, name in zip(lines[1:], ("张三", "欧阳修文", "—"), strict=True)
    }
    assert starts == {width("登录名 login  ")}, lines


def test_the_kpi_tables_line_up_by_display_width() -> None:
    """`kpi show`'s tables: a combining accent takes no column, a Chinese character two (the KPI module
    counted the accent as a column of its own and pushed the figures after such a name out of line)."""
    from teller_assist.cli import kpi

    lines = kpi.table(["客户 name", "人数"], [["José", "1"], ["Jose\u0301 张三", "12"], ["欧阳", "123"]])
    assert {width(line) for line in lines} == {width(lines[0])}, lines
    assert lines[2] == "Jose\u0301 张三    12"


def test_no_command_pads_text_by_counting_characters() -> None:
    """Every aligned column of the command line goes through cli/table.py: a format width (``{x:<18}``),
    ``ljust``/``rjust``/``center`` or a width function of a module's own counts characters, or counts
    them its own way, and leaves a Chinese name out of line."""
    import teller_assist.cli

    own = re.compile(r"\{[^{}]*:[^{}]?[<>^]\d|\.(ljust|rjust|center)\(|east_asian_width|^def (width|pad)\(")
    found = [
        f"{path.name}:{no}: {line.strip()}"
        for path in sorted(Path(teller_assist.cli.__file__).parent.glob("*.py"))
        if path.name != "table.py"
        for no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if own.search(line)
    ]
    assert not found, found
