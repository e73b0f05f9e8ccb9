from __future__ import annotations

import contextlib
import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from teller_assist.identity.resident_id import (
    IdRule,
    InvalidResidentId,
    check_character,
    normalise,
    parse_resident_id,
    partial_problem,
    to18,
)

TODAY = dt.date(2026, 11, 28)
# GB 11643's published example
EXAMPLE = "11010519491231002X"


def make_id(region: str, born: dt.date, seq: int) -> str:
    first17 = f"{region}{born:%Y%m%d}{seq:03d}"
    return first17 + check_character(first17)


def test_published_example_is_valid() -> None:
    rid = parse_resident_id(EXAMPLE, today=TODAY)
    assert rid.value == EXAMPLE
    assert rid.birth_date == dt.date(1949, 12, 31)
    assert rid.gender == "F"  # sequence 002 is even
    assert rid.region_code == "110105"


@pytest.mark.parametrize(
    "raw",
    [
        "11010519491231002x",
        " 11010519491231002X ",
        "１１０１０５１９４９１２３１００２Ｘ",  # full-width digits and letter (NFKC)
        "110105 19491231 002X",
    ],
)
def test_normalisation(raw: str) -> None:
    assert parse_resident_id(raw, today=TODAY).value == EXAMPLE


@pytest.mark.parametrize(
    ("raw", "rule"),
    [
        ("", IdRule.EMPTY),
        ("   ", IdRule.EMPTY),
        ("1101051949123100", IdRule.LENGTH),
        ("11010519491231002X1", IdRule.LENGTH),
        ("11010519491231002Y", IdRule.CHARACTERS),
        ("1101051949123100X2", IdRule.CHARACTERS),
        ("11010519491231A02X", IdRule.CHARACTERS),
        ("110105194912310021", IdRule.CHECK_CHARACTER),
        ("11010519491231002A", IdRule.CHARACTERS),
        ("11010A194912310", IdRule.CHARACTERS),
    ],
)
def test_rules(raw: str, rule: IdRule) -> None:
    with pytest.raises(InvalidResidentId) as info:
        parse_resident_id(raw, today=TODAY)
    assert info.value.rule is rule
    assert rule.zh in str(info.value)


def test_impossible_birth_date_is_refused_even_with_a_correct_check_character() -> None:
    bad = "32118319900230" + "001"  # 30 February
    with pytest.raises(InvalidResidentId) as info:
        parse_resident_id(bad + check_character(bad), today=TODAY)
    assert info.value.rule is IdRule.BIRTH_DATE


def test_future_birth_date_is_refused() -> None:
    tomorrow = make_id("321183", TODAY + dt.timedelta(days=1), 11)
    with pytest.raises(InvalidResidentId) as info:
        parse_resident_id(tomorrow, today=TODAY)
    assert info.value.rule is IdRule.FUTURE_BIRTH_DATE
    assert parse_resident_id(make_id("321183", TODAY, 11), today=TODAY).age_on(TODAY) == 0


def test_the_earliest_birth_date_accepted_is_1_january_1850() -> None:
    """GB 11643 sets no earliest year and python-stdnum checks only for a real date; the oldest people
    ever issued a card were born in the 1880s. 1850 admits every real resident and refuses years no
    one alive can have, as a mistyped or made-up number would."""
    first = parse_resident_id(make_id("110105", dt.date(1850, 1, 1), 11), today=TODAY)
    assert first.birth_date == dt.date(1850, 1, 1) and first.age_on(TODAY) == 176
    for born in (dt.date(1849, 12, 31), dt.date(1800, 6, 15), dt.date(1000, 1, 1)):
        with pytest.raises(InvalidResidentId) as info:
            parse_resident_id(make_id("110105", born, 11), today=TODAY)
        assert info.value.rule is IdRule.BIRTH_DATE, born


def test_legacy_15_digits_are_converted() -> None:
    rid = parse_resident_id("321123640524002", today=TODAY)
    assert rid.value == to18("321123640524002")
    assert rid.value[:17] == "32112319640524002"
    assert rid.birth_date == dt.date(1964, 5, 24)
    assert rid.gender == "F"


def test_legacy_with_impossible_date_is_refused() -> None:
    with pytest.raises(InvalidResidentId) as info:
        parse_resident_id("321123641324002", today=TODAY)
    assert info.value.rule is IdRule.BIRTH_DATE


def test_age_on_birthday_boundaries() -> None:
    rid = parse_resident_id(make_id("321183", dt.date(2008, 11, 28), 13), today=TODAY)
    assert rid.age_on(dt.date(2026, 11, 27)) == 17
    assert rid.age_on(dt.date(2026, 11, 28)) == 18
    leap = parse_resident_id(make_id("321183", dt.date(2004, 2, 29), 13), today=TODAY)
    assert leap.age_on(dt.date(2022, 2, 28)) == 17
    assert leap.age_on(dt.date(2022, 3, 1)) == 18


def test_regions_current_and_historic() -> None:
    old = parse_resident_id(make_id("321123", dt.date(1970, 1, 1), 21), today=TODAY)
    assert old.region.name == "镇江市句容县" and old.region.historic and old.region.known
    new = parse_resident_id(make_id("321183", dt.date(1999, 1, 1), 21), today=TODAY)
    assert new.region.name == "镇江市句容市" and not new.region.historic


def test_unknown_region_is_a_warning_not_a_rejection() -> None:
    rid = parse_resident_id(make_id("990101", dt.date(1980, 1, 1), 31), today=TODAY)
    assert not rid.region.known
    assert rid.region.name == "未知地区"
    assert rid.region.warning is not None and "990101" in rid.region.warning
    fallback = parse_resident_id(make_id("411323", dt.date(1980, 1, 1), 31), today=TODAY)
    assert fallback.region.name == "河南省" and fallback.region.warning


def test_born_before_county_code_existed_is_still_valid() -> None:
    # python-stdnum's cn.ric rejects this: 321183 only exists since 1995.
    raw = make_id("321183", dt.date(1950, 6, 1), 41)
    rid = parse_resident_id(raw, today=TODAY)
    assert rid.value == raw and rid.birth_date == dt.date(1950, 6, 1) and rid.gender == "M"
    assert rid.region.name == "镇江市句容市" and rid.region.known and rid.region.warning is None


def test_repr_never_shows_the_whole_number() -> None:
    rid = parse_resident_id(EXAMPLE, today=TODAY)
    assert EXAMPLE not in repr(rid) and EXAMPLE not in str(rid) and EXAMPLE not in f"{rid}"


def test_partial_problem_as_characters_arrive() -> None:
    assert partial_problem("3211") is None
    assert partial_problem("32118319900101001") is None
    assert partial_problem("3211a") is IdRule.CHARACTERS
    assert partial_problem("32118319900101001X") is None
    assert partial_problem("3211831990010100X") is IdRule.CHARACTERS
    assert partial_problem("3" * 19) is IdRule.LENGTH


def test_normalise() -> None:
    assert normalise("　３２１１x ") == "3211X"


# --- properties -------------------------------------------------------------------------------------
regions = st.sampled_from(["321183", "321123", "110105", "320115", "411323", "650102"])
births = st.dates(min_value=dt.date(1900, 1, 1), max_value=TODAY)
seqs = st.integers(min_value=0, max_value=999)


@st.composite
def valid_ids(draw: st.DrawFn) -> str:
    return make_id(draw(regions), draw(births), draw(seqs))


@given(valid_ids())
def test_every_valid_id_round_trips(raw: str) -> None:
    rid = parse_resident_id(raw, today=TODAY)
    assert rid.value == raw
    assert parse_resident_id(raw.lower(), today=TODAY) == rid
    assert rid.gender == ("M" if int(raw[16]) % 2 else "F")
    assert f"{rid.birth_date:%Y%m%d}" == raw[6:14]


@given(valid_ids(), st.integers(min_value=0, max_value=17), st.sampled_from("0123456789X"))
def test_every_single_substitution_is_rejected(raw: str, position: int, char: str) -> None:
    if raw[position] == char:
        return
    mutated = raw[:position] + char + raw[position + 1 :]
    with pytest.raises(InvalidResidentId):
        parse_resident_id(mutated, today=TODAY)


@given(valid_ids(), st.integers(min_value=0, max_value=16))
def test_every_adjacent_transposition_is_rejected(raw: str, position: int) -> None:
    a, b = raw[position], raw[position + 1]
    if a == b:
        return
    mutated = raw[:position] + b + a + raw[position + 2 :]
    with pytest.raises(InvalidResidentId):
        parse_resident_id(mutated, today=TODAY)


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(1999, 12, 31)), seqs, regions)
def test_legacy_form_converts_to_the_same_person(born: dt.date, seq: int, region: str) -> None:
    full = make_id(region, born, seq)
    legacy = full[:6] + full[8:17]
    assert parse_resident_id(legacy, today=TODAY).value == full


@given(st.text(max_size=30))
def test_arbitrary_text_never_raises_anything_else(raw: str) -> None:
    with contextlib.suppress(InvalidResidentId):
        parse_resident_id(raw, today=TODAY)


@given(st.dates(min_value=dt.date(1000, 1, 1), max_value=TODAY), seqs)
def test_birth_dates_from_1850_to_today_and_no_others(born: dt.date, seq: int) -> None:
    raw = make_id("321183", born, seq)
    if born.year >= 1850:
        assert parse_resident_id(raw, today=TODAY).birth_date == born
    else:
        with pytest.raises(InvalidResidentId) as info:
            parse_resident_id(raw, today=TODAY)
        assert info.value.rule is IdRule.BIRTH_DATE
