"""Terminal tables line up by display width: a Chinese character takes two columns."""

from __future__ import annotations

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
