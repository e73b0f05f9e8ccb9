"""The delivery order of a campaign's letters and the print files it is cut into (pure)."""

from __future__ import annotations

from teller_assist.campaigns.delivery import Recipient, delivery_order, print_files


def person(n: int, name: str, **extras: str) -> Recipient:
    return Recipient(n, f"ID{n:03d}", name, extras)


def names(people: list[Recipient]) -> list[str]:
    return [p.name for p in people]


def test_a_village_by_group_then_household_numbers_as_numbers_the_blank_last() -> None:
    people = [
        person(1, "甲", village_group="十组", household="H2"),
        person(2, "乙", village_group="二组", household="H10"),
        person(3, "丙", village_group="二组", household="H9"),
        person(4, "丁", village_group="三组", household="H1"),
        person(5, "戊", household="H1"),  # no group on the roster
        person(6, "己", village_group="二组", household="H9"),
    ]
    assert names(delivery_order("village", people)) == ["丙", "己", "乙", "丁", "甲", "戊"]
    files = print_files("village", people)
    assert [(f.stem, names(list(f.people))) for f in files] == [
        ("001-二组", ["丙", "己", "乙"]),
        ("002-三组", ["丁"]),
        ("003-十组", ["甲"]),
        ("004-（未填）", ["戊"]),
    ]


def test_departments_shops_and_names_and_files_cut_by_size() -> None:
    staff = [person(i, f"员工{i}", department=d) for i, d in enumerate(["财务部", "生产部", "财务部"], 1)]
    assert [f.group for f in print_files("bureau", staff)] == ["生产部", "财务部"]
    shops = [person(1, "张", shop="B12"), person(2, "李", shop="B2"), person(3, "王", shop="A1")]
    assert names(delivery_order("market", shops)) == ["王", "李", "张"]
    assert len(print_files("market", shops)) == 1  # a market's letters in one run of files
    many = [person(i, f"居民{i}") for i in range(1, 251)]
    files = print_files("community", many, size=100)
    assert [len(f.people) for f in files] == [100, 100, 50]
    assert names(list(files[0].people))[:3] == ["居民1", "居民2", "居民3"]
    assert [f.stem for f in files] == ["001-全部", "002-全部", "003-全部"]
