"""Refused rows are whatever a file held: every ID-like digit run, phone and amount in them is masked."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from teller_assist.identity.masking import Masking, mask_refusal_reason, mask_refused_row
from teller_assist.identity.resident_id import check_character
from teller_assist.ingest.fields import RowError, choice, codes

ID = "110101199003077777"  # a valid ID (its check character is 7)
PHONE = "13951234567"


def visible_digits(text: str) -> list[str]:
    return re.findall(r"\d+", text)


@pytest.mark.parametrize(
    ("row", "secrets"),
    [
        (f"T1,{ID}5,91320000MA1B2C3D4X,局,2026-10-01,100", [ID, ID[:17], ID[4:14]]),  # a full ID plus a digit
        (f"T2,{ID[:17]},局,2026-10-01,100", [ID[:17], ID[4:14]]),  # the check character is computable
        (f"T3,abc{ID}def,局", [ID, ID[4:14]]),  # glued to letters
        (f"T4,张三{ID}号,局", [ID, ID[4:14]]),  # glued to Chinese
        ("T5,110101900307777,局", ["110101900307777", "0101900307"]),  # a legacy 15-digit ID
        (f"T6,{ID.replace('7', '７')},局", [ID.replace("7", "７")]),  # full-width digits
        (f"T7,{ID[:17]}X,局", [ID[:17]]),
        (f"{ID},张三,M,,{PHONE},地址", [ID, PHONE]),
        (f"{ID},张三,M,,{PHONE}8,地址", [PHONE]),  # a phone plus a digit
        (f"{ID},张三,M,,电话{PHONE}转,地址", [PHONE, "9512345"]),  # a phone glued to words
        (f"T8,{ID},91320000MA1B2C3D4X,局,2026-10-01,8523.50", ["8523", "852350", "8523.50"]),  # exact pay
        (f"T9,{ID},x,局,2026-10-01,8,523.50", ["523", "8,523"]),  # the separator is the delimiter too
        (f"T10,{ID},x,局,2026-10-01,８５２３．５０", ["８５２３"]),
        (f"T11,{ID},x,局,2026-10-01,¥6000", ["6000"]),
        (f"{ID},张三,M,19900307,,,,,110101", ["19900307", "110101"]),  # birth date and region beside the ID
    ],
)
def test_every_id_like_run_phone_and_amount_is_masked(row: str, secrets: list[str]) -> None:
    masked = mask_refused_row(row, Masking())
    for secret in secrets:
        assert secret not in masked, masked
    assert all(len(run) <= 4 for run in visible_digits(masked)), masked


def test_what_stays_readable() -> None:
    masked = mask_refused_row(f"T8,{ID},局,2026-10-01,8523.50", Masking())
    assert masked == "T***,1101**********7777,局,***-***-***,***"
    assert mask_refused_row(f"x,{PHONE}", Masking()) == "x,139****4567"
    assert mask_refused_row("张三,,,", Masking()) == "张三,,,"


def test_the_masking_settings_decide_what_stays_visible() -> None:
    masked = mask_refused_row(f"T1,{ID},x", Masking(id_head=6, id_tail=2, phone_head=0, phone_tail=4))
    assert masked == "T***,110101**********77,x"
    assert mask_refused_row(PHONE, Masking(phone_head=0, phone_tail=4)) == "*******4567"


def test_reasons_keep_their_counts_but_not_a_quoted_value() -> None:
    masking = Masking()
    assert mask_refusal_reason("列数不符：表头6列，本行5列", masking) == "列数不符：表头6列，本行5列"
    assert mask_refusal_reason("单位名称过长（最多200个字符）", masking) == "单位名称过长（最多200个字符）"
    assert mask_refusal_reason(f"代扣类型无效：{ID[:12]}", masking) == "代扣类型无效：***"  # an old reason
    assert mask_refusal_reason(f"代扣类型无效：{ID}", masking) == "代扣类型无效：1101**********7777"
    assert mask_refusal_reason("代扣类型无效：8523.50", masking) == "代扣类型无效：***"
    assert ID not in mask_refusal_reason(f"某原因{ID}x", masking)
    assert PHONE not in mask_refusal_reason(f"某原因{PHONE}", masking)


def test_a_refused_choice_quotes_the_value_without_its_numbers() -> None:
    mapping = codes(("water", ("水费",)))
    with pytest.raises(RowError) as caught:
        choice(f"{ID}", "代扣类型", mapping)
    assert str(caught.value) == "代扣类型无效：***"
    with pytest.raises(RowError) as caught:
        choice("煤气 8523.50", "代扣类型", mapping)
    assert str(caught.value) == "代扣类型无效：煤气 ***"


@st.composite
def resident_ids(draw: st.DrawFn) -> str:
    region = draw(st.sampled_from(["110101", "321183", "440305", "650102", "320102"]))
    born = draw(st.dates(min_value=dt.date(1930, 1, 1), max_value=dt.date(2020, 12, 31)))
    if draw(st.booleans()):
        first17 = f"{region}{born:%Y%m%d}{draw(st.integers(0, 999)):03d}"
        return first17 + check_character(first17)
    return f"{region}{born:%y%m%d}{draw(st.integers(0, 999)):03d}"  # legacy, 15 digits


NOISE = st.text(
    alphabet=st.sampled_from(list("abcXYZ张三李四号,|\t .-¥０１２３４５６７８９0123456789")), max_size=12
)


@given(
    id_no=resident_ids(),
    before=NOISE,
    after=NOISE,
    amount=st.integers(10_000, 10**9).map(lambda fen: f"{fen // 100}.{fen % 100:02d}"),
    head=st.integers(0, 4),
    tail=st.integers(0, 4),
)
def test_generated_ids_in_noise_never_show_more_than_the_masking_allows(
    id_no: str, before: str, after: str, amount: str, head: int, tail: int
) -> None:
    masking = Masking(id_head=head, id_tail=tail)
    row = f"{before}{id_no}{after},{amount}"
    masked = mask_refused_row(row, masking)
    widest = max(head, tail, masking.phone_head, masking.phone_tail)
    assert all(len(run) <= widest for run in visible_digits(masked)), (row, masked)
    assert id_no[:-1] not in masked and id_no[: len(id_no) - 5] not in masked
    assert amount not in masked and amount.replace(".", "") not in masked
    hidden = sum(ch == "*" for ch in masked)
    assert hidden >= 3  # something was masked, however the ID was glued to the noise
