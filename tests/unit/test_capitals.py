"""Amounts in Chinese capitals, as a contract must print them, checked against the rules of the People's
Bank of China for writing amounts on bills and vouchers (《正确填写票据和结算凭证的基本规定》, annexed to
《支付结算办法》), not against the library the code uses:

1. a 0 between digits is written 零 (¥1,409.50: 壹仟肆佰零玖元伍角);
2. a run of 0s between digits is one 零 (¥6,007.14: 陆仟零柒元壹角肆分);
3. where the 万 digit or the 元 digit is 0 (alone or ending a run of 0s) and the next digit (千 or 角) is
   not, one 零 may be written or none (the 亿 digit before 千万 likewise)
   (¥1,680.32: 壹仟陆佰捌拾元零叁角贰分 or 壹仟陆佰捌拾元叁角贰分;
   ¥107,000.53: 壹拾万柒仟元零伍角叁分 or 壹拾万零柒仟元伍角叁分);
4. a 角 digit of 0 before a 分 digit that is not is written 元零…分 (¥16,409.02: 壹万陆仟肆佰零玖元零贰分);
5. 整 after 元, may follow 角, never follows 分.

``acceptable`` below is an independent implementation of those rules (digit by digit, every form they
allow); the tables are written out by hand."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from teller_assist.documents.numerals import amount_text, capital

DIGIT = "零壹贰叁肆伍陆柒捌玖"
PLACE = ("", "拾", "佰", "仟")
GROUP = {4: "万", 8: "亿"}
REQUIRED, OPTIONAL = "零", "(零)"


def acceptable(fen: int) -> set[str]:
    """Every way the rules allow writing ``fen`` (below a trillion yuan) in capitals."""
    assert 0 <= fen < 10**14
    yuan, jiao, fen_digit = fen // 100, fen // 10 % 10, fen % 10
    if fen == 0:
        return {"零元整"}
    digits = [int(c) for c in str(yuan)] if yuan else []
    tokens: list[str] = []
    in_zeros = False
    for i, d in enumerate(digits):
        place = len(digits) - 1 - i
        if d == 0:
            in_zeros = True
        else:
            if in_zeros:  # a run of zeros ends here: rule 3 when this is a 千 digit after the 万 digit
                tokens.append(OPTIONAL if place % 4 == 3 else REQUIRED)
            in_zeros = False
            tokens.append(DIGIT[d] + PLACE[place % 4])
        if place in GROUP and any(digits[max(0, i - 3) : i + 1]):
            tokens.append(GROUP[place])
    if yuan:
        tokens.append("元")
    endings = [""]
    if jiao:
        if yuan and digits[-1] == 0:
            tokens.append(OPTIONAL)  # rule 3 at the 元 digit
        tokens.append(DIGIT[jiao] + "角")
        if fen_digit:
            tokens.append(DIGIT[fen_digit] + "分")
        else:
            endings = ["", "整"]  # rule 5: 整 may follow 角
    elif fen_digit:
        if yuan:
            tokens.append(REQUIRED)  # rule 4
        tokens.append(DIGIT[fen_digit] + "分")
    else:
        endings = ["整"]
    optional = [i for i, t in enumerate(tokens) if t == OPTIONAL]
    forms = set()
    # "可以只写一个零字，也可以不写零字": none of the optional 零s, or exactly one of them
    for kept in itertools.chain([()], ((i,) for i in optional)):
        text = "".join(("零" if i in kept else "") if t == OPTIONAL else t for i, t in enumerate(tokens))
        forms.update(text + ending for ending in endings)
    return forms


def yuan(amount: str) -> int:
    """'100,000.05' -> fen (exact, no float)."""
    whole, _, cents = amount.replace(",", "").partition(".")
    return int(whole) * 100 + int((cents + "00")[:2])


# The amount, what the documents print (exactly: a contract's wording does not drift unseen), and the
# other forms the rules allow for it, written out by hand.
TRICKY = [
    ("100,050", "壹拾万零伍拾元整", ()),
    ("100,000.05", "壹拾万元零伍分", ()),
    ("1,000,000,000", "壹拾亿元整", ()),
    ("10,001", "壹万零壹元整", ()),
    ("0.5", "伍角", ("伍角整",)),
    ("1.05", "壹元零伍分", ()),
    ("200,000", "贰拾万元整", ()),
    ("105,000", "壹拾万伍仟元整", ("壹拾万零伍仟元整",)),
    ("100,500", "壹拾万零伍佰元整", ()),
    ("1,000,001", "壹佰万零壹元整", ()),
    ("10,000,010", "壹仟万零壹拾元整", ()),
    ("100,000,001", "壹亿零壹元整", ()),
    ("1,000,010,000", "壹拾亿零壹万元整", ()),
    ("101,000,000", "壹亿零壹佰万元整", ()),
    ("100,001,000", "壹亿壹仟元整", ("壹亿零壹仟元整",)),
    ("60,010", "陆万零壹拾元整", ()),
    ("300,000", "叁拾万元整", ()),
    ("30,000", "叁万元整", ()),
    ("110,000", "壹拾壹万元整", ()),
    ("1,000.50", "壹仟元伍角", ("壹仟元零伍角", "壹仟元伍角整", "壹仟元零伍角整")),
    ("20,000.50", "贰万元伍角", ("贰万元零伍角", "贰万元伍角整", "贰万元零伍角整")),
    ("100,000.10", "壹拾万元壹角", ("壹拾万元零壹角", "壹拾万元壹角整", "壹拾万元零壹角整")),
    ("10.01", "壹拾元零壹分", ()),
    ("0.05", "伍分", ()),
    ("0.01", "壹分", ()),
    ("1.23", "壹元贰角叁分", ()),
    ("0", "零元整", ()),
    # the rules' own examples
    ("1,409.50", "壹仟肆佰零玖元伍角", ("壹仟肆佰零玖元伍角整",)),
    ("6,007.14", "陆仟零柒元壹角肆分", ()),
    ("1,680.32", "壹仟陆佰捌拾元叁角贰分", ("壹仟陆佰捌拾元零叁角贰分",)),
    ("107,000.53", "壹拾万柒仟元伍角叁分", ("壹拾万柒仟元零伍角叁分", "壹拾万零柒仟元伍角叁分")),
    ("16,409.02", "壹万陆仟肆佰零玖元零贰分", ()),
    ("325.04", "叁佰贰拾伍元零肆分", ()),
]


@pytest.mark.parametrize(("amount", "printed", "also_allowed"), TRICKY)
def test_tricky_amounts_print_as_the_rules_say(
    amount: str, printed: str, also_allowed: tuple[str, ...]
) -> None:
    fen = yuan(amount)
    assert capital(fen) == printed
    # the hand-written table and the independent implementation of the rules agree, both ways
    assert acceptable(fen) == {printed, *also_allowed}


@pytest.mark.parametrize(
    ("amount", "wrong"),
    [
        ("100,050", "壹拾万伍拾元整"),  # the 零 after 万 dropped: 千 is 0 too, so it is required
        ("10,001", "壹万壹元整"),
        ("100,000.05", "壹拾万元伍分"),  # 角 is 0 and 分 is not: 元零…分
        ("1.05", "壹元伍分"),
        ("200,000", "贰拾万元"),  # an amount to the 元 ends in 整
        ("1.23", "壹元贰角叁分整"),  # never 整 after 分
        ("1,409.50", "壹仟肆佰玖元伍角"),
        ("6,007.14", "陆仟零零柒元壹角肆分"),  # a run of 0s is one 零
        ("107,000.53", "壹拾万零柒仟元零伍角叁分"),  # one 零 or none, not both
    ],
)
def test_the_rules_refuse_the_wrong_forms(amount: str, wrong: str) -> None:
    """The reference implementation itself bites: each of these breaks one rule."""
    assert wrong not in acceptable(yuan(amount))


def sparse_amount(digits: dict[int, int]) -> int:
    return sum(digit * 10**place for place, digit in digits.items())


# amounts made of a few non-zero digits at scattered places (fen up to 10**13): the zeros between them
# are what the rules are about, and a uniformly drawn large number seldom has any
sparse = st.dictionaries(st.integers(0, 13), st.integers(1, 9), min_size=1, max_size=4).map(sparse_amount)


@given(st.one_of(sparse, st.integers(0, 10**14 - 1), st.integers(0, 30_000_000)))
def test_every_amount_prints_in_a_form_the_rules_allow(fen: int) -> None:
    assert capital(fen) in acceptable(fen)


def test_amount_text_on_a_contract() -> None:
    assert amount_text(yuan("100,050")) == "人民币壹拾万零伍拾元整（¥100,050.00）"
    assert amount_text(yuan("100,000.05")) == "人民币壹拾万元零伍分（¥100,000.05）"
