"""The extract kinds of docs/extracts.md: their columns (English and Chinese), and how a row becomes
the values the store writes, or a refusal with the reason."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from teller_assist.ingest import fields as f
from teller_assist.ingest.fields import RowError
from teller_assist.vocabulary import EXTRACT_KINDS


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    zh: str
    required: bool = False


Row = tuple[object, ...]
# (values by column position, "" for a column the file lacks; today; the latest date an event may carry)
# -> the stored tuple, dates as ISO text. Events (a pay day, a debit, a signature, a listing) cannot come
# after the extract that reports them.
RowParser = Callable[[Sequence[str], dt.date, dt.date], Row]


@dataclass(frozen=True)
class Kind:
    name: str
    zh: str
    columns: tuple[Column, ...]
    parse: RowParser
    key_columns: tuple[str, ...]

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.required)

    def header_aliases(self) -> dict[str, str]:
        """Every accepted header spelling (normalised) → the English column name."""
        out: dict[str, str] = {}
        for col in self.columns:
            out[normalise_header(col.name)] = col.name
            out[normalise_header(col.zh)] = col.name
        return out


def normalise_header(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip().strip("\ufeff").lower().replace(" ", "_")


GENDERS = f.codes(("M", ("男", "m", "1")), ("F", ("女", "f", "2")))
UTILITIES = f.codes(
    ("water", ("水费", "水")),
    ("electricity", ("电费", "电")),
    ("gas", ("燃气费", "燃气", "煤气费")),
    ("telecom", ("通讯费", "通信费", "电话费")),
    ("property", ("物业费", "物业")),
    ("tv", ("有线电视", "有线电视费", "电视费")),
)
AGREEMENT_STATUS = f.codes(
    ("active", ("正常", "有效", "生效")), ("cancelled", ("解约", "已解约", "注销", "失效"))
)
DEBIT_RESULTS = f.codes(("ok", ("成功", "扣款成功")), ("failed", ("失败", "扣款失败")))
NEGATIVE_REASONS = f.codes(
    ("credit_report", ("征信", "征信报告", "征信问题")),
    ("court_defaulter", ("失信被执行人", "法院失信")),
    ("bad_habit", ("不良嗜好", "赌博", "吸毒")),
    ("fraud", ("欺诈", "诈骗")),
    ("other", ("其他",)),
)
TAGS = f.codes(
    ("civil_servant", ("公务员",)),
    ("party_member", ("党员",)),
    ("veteran", ("退役军人",)),
    ("exemplary_resident", ("道德模范", "文明户", "先进个人")),
    ("integrity_business", ("诚信经营户", "诚信商户")),
    ("family_farm", ("家庭农场",)),
)
SCENARIOS = f.codes(
    ("village", ("整村",)),
    ("enterprise", ("整企",)),
    ("association", ("整业",)),
    ("bureau", ("整局",)),
    ("community", ("整区",)),
    ("market", ("整圈",)),
    ("walk_in", ("进门授信", "walk-in")),
)


def _customers(v: Sequence[str], today: dt.date, latest: dt.date) -> Row:
    id_no = f.resident_id(v[0], today)
    name = f.text(v[1], "姓名", 64, required=True)
    gender = f.choice(v[2], "性别", GENDERS, required=False)
    from_id = "M" if int(id_no[16]) % 2 else "F"
    if gender is not None and gender != from_id:
        raise RowError("性别与身份证不符")
    compact = id_no[6:14]
    raw_birth = v[3].strip()
    if raw_birth and raw_birth != compact:  # the usual case (the same digits) needs no parsing
        birth = f.date(raw_birth, "出生日期", required=False)
        if birth is not None and f"{birth:%Y%m%d}" != compact:
            raise RowError("出生日期与身份证不符")
    phone = f.phone(v[4])
    address = f.text(v[5], "地址", 200)
    customer_no = f.text(v[6], "客户号", 32)
    branch = f.text(v[7], "网点号", 16)
    region = f.text(v[8], "社保区域", 6)
    if region is not None and (len(region) != 6 or not region.isdigit()):
        raise RowError("社保区域应为6位数字")
    born = f.day(compact, "出生日期")  # cached: many people share a birthday
    return (id_no, name, from_id, born, phone, address, customer_no, branch, region)


def _payroll(v: Sequence[str], today: dt.date, latest: dt.date) -> Row:
    return (
        f.key(v[0], "流水号"),
        f.resident_id(v[1], today),
        f.uscc(v[2]),
        f.text(v[3], "单位名称", 200, required=True),
        f.event_date(v[4], "发放日期", latest),
        f.amount(v[5]),
    )


def _agreements(v: Sequence[str], today: dt.date, latest: dt.date) -> Row:
    status = f.choice(v[4], "状态", AGREEMENT_STATUS, required=False) or "active"
    cancelled_on = f.event_date(v[5], "解约日期", latest, required=False)
    signed_on = f.event_date(v[3], "签约日期", latest)
    if cancelled_on is not None and signed_on is not None and cancelled_on < signed_on:
        raise RowError("解约日期早于签约日期")
    return (
        f.key(v[0], "协议号"),
        f.resident_id(v[1], today),
        f.choice(v[2], "代扣类型", UTILITIES),
        signed_on,
        status,
        cancelled_on,
    )


def _debits(v: Sequence[str], today: dt.date, latest: dt.date) -> Row:
    return (
        f.key(v[0], "流水号"),
        f.key(v[1], "协议号"),
        f.event_date(v[2], "扣款日期", latest),
        f.amount(v[3]),
        f.choice(v[4], "扣款结果", DEBIT_RESULTS),
    )


def _negative(v: Sequence[str], today: dt.date, latest: dt.date) -> Row:
    return (
        f.resident_id(v[0], today),
        f.choice(v[1], "原因", NEGATIVE_REASONS),
        f.event_date(v[2], "列入日期", latest, required=False),
        f.text(v[3], "备注", 2000),
    )


def _drawdowns(v: Sequence[str], today: dt.date, latest: dt.date) -> Row:
    return (
        f.key(v[0], "流水号"),
        f.resident_id(v[1], today),
        f.event_date(v[2], "用信日期", latest),
        f.amount(v[3]),
        f.text(v[4], "借据号", 64),
    )


def _grade(tag: str, raw: str) -> str | None:
    grade = unicodedata.normalize("NFKC", raw).strip().upper().removesuffix("星").removesuffix("级")
    if not grade:
        return None
    if tag == "integrity_business" and grade not in ("A", "B", "C"):
        raise RowError("诚信经营户等级应为A、B或C")
    if tag == "family_farm" and grade not in ("1", "2", "3", "4", "5"):
        raise RowError("家庭农场星级应为1至5")
    if len(grade) > 8:
        raise RowError("等级过长")
    return grade


def _tags(v: Sequence[str], today: dt.date, latest: dt.date) -> Row:
    tag = f.choice(v[1], "标签", TAGS)
    assert tag is not None
    return (
        f.resident_id(v[0], today),
        tag,
        _grade(tag, v[2]),
        f.text(v[3], "来源", 200),
        f.day(v[4], "有效期至", required=False),
    )


def _targets(v: Sequence[str], today: dt.date, latest: dt.date) -> Row:
    return (
        f.key(v[0], "活动"),
        f.resident_id(v[1], today),
        f.text(v[2], "网点号", 16),
        f.text(v[3], "客户经理", 64),
        f.day(v[4], "截止日期", required=False),
        f.choice(v[5], "场景", SCENARIOS, required=False),
    )


KINDS: dict[str, Kind] = {
    k.name: k
    for k in (
        Kind(
            "customers",
            "客户信息",
            (
                Column("id_no", "身份证号", True),
                Column("name", "姓名", True),
                Column("gender", "性别"),
                Column("birth_date", "出生日期"),
                Column("phone", "手机号"),
                Column("address", "地址"),
                Column("customer_no", "客户号"),
                Column("branch_code", "网点号"),
                Column("region_code", "社保区域"),
            ),
            _customers,
            ("id_no",),
        ),
        Kind(
            "payroll",
            "代发工资流水",
            (
                Column("txn_id", "流水号", True),
                Column("id_no", "身份证号", True),
                Column("employer_code", "单位信用代码", True),
                Column("employer_name", "单位名称", True),
                Column("pay_date", "发放日期", True),
                Column("amount", "金额", True),
            ),
            _payroll,
            ("txn_id",),
        ),
        Kind(
            "utility_agreements",
            "代扣协议",
            (
                Column("agreement_no", "协议号", True),
                Column("id_no", "身份证号", True),
                Column("utility", "代扣类型", True),
                Column("signed_on", "签约日期", True),
                Column("status", "状态"),
                Column("cancelled_on", "解约日期"),
            ),
            _agreements,
            ("agreement_no",),
        ),
        Kind(
            "utility_debits",
            "代扣流水",
            (
                Column("txn_id", "流水号", True),
                Column("agreement_no", "协议号", True),
                Column("debit_date", "扣款日期", True),
                Column("amount", "金额", True),
                Column("result", "结果", True),
            ),
            _debits,
            ("txn_id",),
        ),
        Kind(
            "negative_list",
            "负面清单",
            (
                Column("id_no", "身份证号", True),
                Column("reason", "原因", True),
                Column("listed_on", "列入日期"),
                Column("note", "备注"),
            ),
            _negative,
            ("id_no",),
        ),
        Kind(
            "drawdowns",
            "用信流水",
            (
                Column("txn_id", "流水号", True),
                Column("id_no", "身份证号", True),
                Column("drawn_on", "用信日期", True),
                Column("amount", "金额", True),
                Column("loan_no", "借据号"),
            ),
            _drawdowns,
            ("txn_id",),
        ),
        Kind(
            "group_tags",
            "外部评定与群体标签",
            (
                Column("id_no", "身份证号", True),
                Column("tag", "标签", True),
                Column("grade", "等级"),
                Column("source", "来源"),
                Column("valid_until", "有效期至"),
            ),
            _tags,
            ("id_no", "tag"),
        ),
        Kind(
            "targets",
            "目标名单",
            (
                Column("campaign", "活动", True),
                Column("id_no", "身份证号", True),
                Column("branch_code", "网点号"),
                Column("officer", "客户经理"),
                Column("due_on", "截止日期"),
                Column("scenario", "场景"),
            ),
            _targets,
            ("campaign", "id_no"),
        ),
    )
}

# Load order inside one run: people first, agreements before their debits, the rest after.
LOAD_ORDER = EXTRACT_KINDS
assert set(LOAD_ORDER) == set(KINDS), "vocabulary.EXTRACT_KINDS names every kind"


def kind_from_file_name(name: str) -> str | None:
    """``customers_20261127.csv`` → ``customers``; the first word before a date or dot."""
    stem = name.split(".", 1)[0].lower()
    for kind in sorted(KINDS, key=len, reverse=True):
        if stem == kind or stem.startswith(kind + "_") or stem.startswith(kind + "-"):
            return kind
    return None


def extract_date_from_file_name(name: str) -> dt.date | None:
    """The ``YYYYMMDD`` in a file name, if there is a real date there."""
    digits = ""
    for ch in name:
        if ch.isdigit():
            digits += ch
            if len(digits) == 8:
                try:
                    return dt.date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
                except ValueError:
                    digits = digits[1:]
        else:
            digits = ""
    return None
