from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum.cn import uscc as stdnum_uscc

from teller_assist.identity.masking import Masking, mask
from teller_assist.identity.phone import InvalidPhone, parse_mobile
from teller_assist.identity.uscc import (
    ALPHABET,
    InvalidUscc,
    OrgKind,
    UsccRule,
    check_character,
    classify,
    parse_uscc,
)
from teller_assist.money import InvalidAmount, format_yuan, parse_yuan


def code(prefix: str, body: str = "32118312345678X") -> str:
    first17 = (prefix + body)[:17]
    return first17 + check_character(first17)


def test_published_uscc_example() -> None:
    assert parse_uscc("91110000600037341L").kind is OrgKind.COMPANY


@pytest.mark.parametrize(
    ("prefix", "kind"),
    [
        ("11", OrgKind.GOVERNMENT_ORGAN),
        ("12", OrgKind.PUBLIC_INSTITUTION),
        ("91", OrgKind.COMPANY),
        ("92", OrgKind.INDIVIDUAL_BUSINESS),
        ("93", OrgKind.FARMERS_COOPERATIVE),
        ("51", OrgKind.SOCIAL_ORGANISATION),
        ("52", OrgKind.SOCIAL_ORGANISATION),
        ("53", OrgKind.SOCIAL_ORGANISATION),
        ("N2", OrgKind.VILLAGE_COLLECTIVE),
        ("Y1", OrgKind.OTHER),
    ],
)
def test_classification(prefix: str, kind: OrgKind) -> None:
    parsed = parse_uscc(code(prefix))
    assert parsed.kind is kind
    assert classify(parsed.value) is kind


def test_letter_registration_authority_is_accepted_where_stdnum_refuses() -> None:
    village = code("N2")
    assert not stdnum_uscc.is_valid(village)
    assert parse_uscc(village).kind is OrgKind.VILLAGE_COLLECTIVE


@pytest.mark.parametrize(
    ("raw", "rule"),
    [
        ("9111000060003734", UsccRule.LENGTH),
        ("91110000600037341I", UsccRule.CHARACTERS),
        ("911A0000600037341L", UsccRule.REGION),
        ("91110000600037341M", UsccRule.CHECK_CHARACTER),
    ],
)
def test_uscc_rules(raw: str, rule: UsccRule) -> None:
    with pytest.raises(InvalidUscc) as info:
        parse_uscc(raw)
    assert info.value.rule is rule


def test_uscc_normalises_full_width_and_case() -> None:
    assert parse_uscc("９１１１００００６０００３７３４１ｌ").value == "91110000600037341L"


@given(
    st.text(alphabet="0123456789", min_size=6, max_size=6), st.text(alphabet=ALPHABET, min_size=9, max_size=9)
)
def test_our_check_agrees_with_stdnum_on_digit_prefixes(region: str, org: str) -> None:
    first17 = "91" + region + org
    full = first17 + check_character(first17)
    assert stdnum_uscc.is_valid(full)
    assert parse_uscc(full).value == full


@pytest.mark.parametrize(
    "raw", ["13951234567", "139 5123 4567", "+86 139-5123-4567", "8613951234567", "１３９５１２３４５６７"]
)
def test_mobile_accepts_common_forms(raw: str) -> None:
    assert parse_mobile(raw) == "13951234567"


@pytest.mark.parametrize("raw", ["1395123456", "12951234567", "23951234567", "1395123456a", "025-84561234"])
def test_mobile_rejects(raw: str) -> None:
    with pytest.raises(InvalidPhone):
        parse_mobile(raw)


def test_default_masking() -> None:
    m = Masking()
    assert m.resident_id("32118319900101001X") == "3211**********001X"
    assert m.phone("13951234567") == "139****4567"


def test_mask_never_shows_short_values_whole() -> None:
    assert mask("123", 4, 4) == "**3"
    assert mask("1", 4, 4) == "*"
    assert mask("", 4, 4) == ""


def test_masking_settings_are_bounded() -> None:
    with pytest.raises(ValueError, match="at most 8"):
        Masking(id_head=6, id_tail=6)
    with pytest.raises(ValueError, match="negative"):
        Masking(phone_head=-1)


@given(st.text(min_size=9, max_size=40))
def test_masked_id_hides_the_middle(value: str) -> None:
    masked = Masking().resident_id(value)
    assert len(masked) == len(value)
    assert masked[4:-4] == "*" * (len(value) - 8)


@pytest.mark.parametrize(
    ("text", "fen"),
    [
        ("8523.5", 852350),
        ("8,523.50", 852350),
        ("0.01", 1),
        ("1,234,567.89", 123456789),
        ("12", 1200),
        ("-3.20", -320),
        ("¥100", 10000),
        ("８５２３.５", 852350),
    ],
)
def test_parse_yuan(text: str, fen: int) -> None:
    assert parse_yuan(text) == fen


@pytest.mark.parametrize("text", ["8,52.50", "1.234", "abc", "", "1e5", "12,34", ".5", "8523.", "NaN"])
def test_parse_yuan_refuses(text: str) -> None:
    with pytest.raises(InvalidAmount):
        parse_yuan(text)


@given(st.integers(min_value=-(10**13), max_value=10**13))
def test_yuan_round_trip(fen: int) -> None:
    assert parse_yuan(format_yuan(fen)) == fen
    assert parse_yuan(format_yuan(fen, grouping=False)) == fen
