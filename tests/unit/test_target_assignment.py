"""Giving a branch's targets to its officers by village or address, balanced by load, pure: the village
read from an address, each officer's share, villages kept whole where the shares allow and split in
address order where they do not, households never split, every target given exactly once."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from teller_assist.targets.assignment import (
    SLACK_PERCENT,
    Pending,
    balance,
    household_of,
    natural_key,
    quotas,
    village_of,
)


@pytest.mark.parametrize(
    ("address", "village"),
    [
        (
            "江苏省句容市崇明街道上湾205号",
            "江苏省句容市崇明街道上湾",
        ),  # the demo county's: stem before the number
        ("江苏省句容市后白镇西冯村3组12号", "江苏省句容市后白镇西冯村3组"),  # a village group
        ("后白镇西冯村第三村民小组", "后白镇西冯村第三村民小组"),
        ("后白镇西冯村12号", "后白镇西冯村"),  # a village without its group
        ("华阳街道东门社区5幢101", "华阳街道东门社区"),
        ("江苏省句容市黄梅街道东村189号（“老宅”，东侧）", "江苏省句容市黄梅街道东村"),  # remarks left out
        ("句容市 华阳街道　人民路 88 号", "句容市华阳街道人民路"),  # spaces, the full-width one too
        ("句容市华阳街道人民路８８号", "句容市华阳街道人民路"),  # full-width digits
        ("茅山镇十里塘5号", "茅山镇十里塘"),
        ("茅山镇", "茅山镇"),  # no number at all: the whole text
        ("", ""),
        (None, ""),
    ],
)
def test_the_village_is_read_from_the_address(address: str | None, village: str) -> None:
    assert village_of(address) == village


def test_households_and_the_natural_order_of_house_numbers() -> None:
    assert household_of(" 上湾 21号（东侧）") == "上湾21号"
    houses = ["上湾205号", "上湾21号", "上湾3号", "上湾21号之1"]
    assert sorted(houses, key=lambda h: natural_key(h)) == ["上湾3号", "上湾21号", "上湾21号之1", "上湾205号"]


def test_the_shares_raise_the_least_loaded_to_one_level() -> None:
    assert quotas({}, ["b", "a"], 7) == {"a": 4, "b": 3}  # the one left over to the lower login
    assert quotas({"a": 10, "b": 0, "c": 2}, ["a", "b", "c"], 6) == {"a": 0, "b": 4, "c": 2}
    # an officer far above the level takes nothing; the others end level
    share = quotas({"busy": 100, "x": 5, "y": 0}, ["busy", "x", "y"], 15)
    assert share == {"busy": 0, "x": 5, "y": 10}
    assert quotas({"a": 3}, ["a", "b"], 0) == {"a": 0, "b": 0}
    assert quotas({}, [], 5) == {}
    with pytest.raises(ValueError, match="negative"):
        quotas({}, ["a"], -1)


def people(village: str, n: int, start: int = 1) -> list[Pending]:
    return [
        Pending("L1", f"{village}-{i:04d}", f"句容市后白镇{village}{i}号") for i in range(start, start + n)
    ]


def officers_of(plan_moves: list[tuple[Pending, str]]) -> dict[str, set[str]]:
    by_village: dict[str, set[str]] = {}
    for p, officer in plan_moves:
        by_village.setdefault(village_of(p.address), set()).add(officer)
    return by_village


def test_villages_are_kept_whole_and_the_loads_balanced() -> None:
    pending = people("东村", 40) + people("西村", 30) + people("南塘", 20) + people("北岗", 10)
    plan = balance("village", pending, ["jr1", "jr2"], {})
    assert len(plan.moves) == 100 and len({p for p, _o in plan.moves}) == 100
    assert plan.added == {"jr1": 50, "jr2": 50}
    whole = officers_of(list(plan.moves))
    assert all(len(o) == 1 for o in whole.values()), whole  # 40+10 and 30+20: nothing split
    assert plan.split == () and plan.groups == 4


def test_a_village_too_big_for_one_officer_is_split_in_address_order() -> None:
    pending = people("大村", 90) + people("小村", 10)
    plan = balance("village", pending, ["jr1", "jr2"], {})
    assert plan.added == {"jr1": 50, "jr2": 50}
    assert plan.split == ("句容市后白镇大村",)
    first = [p.id_no for p, o in plan.moves if o == "jr1" and "大村" in p.id_no]
    # each part of the split village is a run of neighbouring houses
    numbers = sorted(int(i.split("-")[1]) for i in first)
    assert numbers == list(range(numbers[0], numbers[0] + len(numbers)))


def test_a_village_goes_to_the_officer_who_already_serves_it() -> None:
    pending = people("东村", 6, start=100) + people("南塘", 6) + people("西村", 6)
    loads = {"jr1": 2, "jr2": 2, "jr3": 2}
    without = balance("village", pending, ["jr1", "jr2", "jr3"], loads)
    assert officers_of(list(without.moves))["句容市后白镇东村"] == {"jr1"}  # the first with room
    serves = {"句容市后白镇东村": {"jr2": 2}}  # jr2 already holds two people of 东村
    plan = balance("village", pending, ["jr1", "jr2", "jr3"], loads, serves)
    owners = officers_of(list(plan.moves))
    assert owners == {"句容市后白镇东村": {"jr2"}, "句容市后白镇南塘": {"jr1"}, "句容市后白镇西村": {"jr3"}}
    assert {o: plan.after(o) for o in loads} == {"jr1": 8, "jr2": 8, "jr3": 8}


def test_the_usual_officer_does_not_take_a_village_past_their_share() -> None:
    pending = people("东村", 30)
    plan = balance("village", pending, ["jr1", "jr2"], {"jr1": 30}, {"句容市后白镇东村": {"jr1": 30}})
    assert plan.added == {"jr1": 0, "jr2": 30}  # jr1 is full: the village goes to the one with room


def test_people_without_an_address_fill_what_is_left() -> None:
    pending = people("东村", 9) + [Pending("L1", f"nobody-{i}", None) for i in range(5)]
    plan = balance("village", pending, ["jr1", "jr2"], {})
    assert sorted(plan.added.values()) == [7, 7]
    assert plan.groups == 6  # one village, five people alone


def test_by_address_keeps_households_whole_and_gives_each_officer_a_stretch() -> None:
    pending = []
    for house in range(1, 21):  # twenty households of two
        pending += [Pending("L1", f"h{house:02d}-{k}", f"后白镇东村{house}号") for k in (1, 2)]
    plan = balance("address", pending, ["jr1", "jr2", "jr3", "jr4"], {})
    assert sorted(plan.added.values()) == [10, 10, 10, 10]
    homes: dict[str, set[str]] = {}
    for p, officer in plan.moves:
        homes.setdefault(household_of(p.address), set()).add(officer)
    assert all(len(o) == 1 for o in homes.values())
    # officer by officer, the house numbers are one run
    for officer in ("jr1", "jr2", "jr3", "jr4"):
        numbers = sorted({int(p.id_no[1:3]) for p, o in plan.moves if o == officer})
        assert numbers == list(range(numbers[0], numbers[0] + len(numbers)))


def test_bad_calls_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown mode"):
        balance("street", people("东村", 1), ["jr1"], {})
    with pytest.raises(ValueError, match="no officers"):
        balance("village", people("东村", 1), [], {})
    empty = balance("village", [], ["jr1"], {"jr1": 3})
    assert empty.moves == () and empty.added == {"jr1": 0}


villages = st.lists(
    st.tuples(st.sampled_from("东西南北前后上下新老"), st.integers(1, 60)), min_size=1, max_size=12
)


@settings(max_examples=150, deadline=None)
@given(
    villages,
    st.lists(st.integers(0, 80), min_size=1, max_size=6),
    st.integers(0, 30),
    st.sampled_from(["village", "address"]),
)
def test_every_target_is_given_once_and_no_officer_goes_far_past_the_share(
    groups: list[tuple[str, int]], loads_list: list[int], loose: int, mode: str
) -> None:
    pending: list[Pending] = []
    for n, (word, size) in enumerate(groups):
        name = f"{word}村{n}"
        pending += [Pending("L1", f"{name}-{i}", f"后白镇{name}{i // 3}号") for i in range(size)]
    pending += [Pending("L2", f"loose-{i}", None) for i in range(loose)]
    officers = [f"jr{i}" for i in range(len(loads_list))]
    loads = dict(zip(officers, loads_list, strict=True))
    plan = balance(mode, pending, officers, loads)
    given_out = Counter((p.campaign, p.id_no) for p, _o in plan.moves)
    assert set(given_out) == {(p.campaign, p.id_no) for p in pending}
    assert set(given_out.values()) <= {1}
    share = quotas(loads, officers, len(pending))
    # three to a number, but the numbers can meet: 东村1's 11th (东村110号) and 东村11's first
    largest = max(Counter(household_of(p.address) for p in pending if p.address).values(), default=1)
    positive = [n for n in share.values() if n > 0]
    slack = (-(-sum(positive) // len(positive)) * SLACK_PERCENT // 100) if positive else 0
    for officer in officers:
        if mode == "village":
            assert plan.added[officer] <= share[officer] + slack
        else:  # a household goes whole: past the share by less than the largest household
            assert plan.added[officer] <= share[officer] + largest - 1
