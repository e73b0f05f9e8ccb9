"""The name typed for someone the bank has never seen: what an ID card's name looks like, nothing else."""

from __future__ import annotations

import pytest

from teller_assist.identity.names import clean_name, name_problem


@pytest.mark.parametrize("name", ["王五", "王䶮", "𠀀王", "张三丰", "阿依古丽·买买提", " 李四 ", "Zhang San"])
def test_names_that_an_id_card_carries(name: str) -> None:
    assert name_problem(name) is None


@pytest.mark.parametrize(
    ("name", "says"),
    [
        ("", "请填写"),
        ("   ", "请填写"),
        ("䶮", "两个汉字"),
        ("·王五", "间隔号"),
        ("王··五", "间隔号"),
        ("王5", "汉字"),
        ("<font size=40>", "汉字"),
        ("Zhang  San", "汉字"),
        ("王" * 31, "过长"),
    ],
)
def test_what_is_not_a_name_is_said(name: str, says: str) -> None:
    problem = name_problem(name)
    assert problem is not None and says in problem[0] and problem[1]


def test_every_middle_dot_is_kept_as_one() -> None:
    assert clean_name(" 阿依古丽•买买提 ") == "阿依古丽·买买提"
