"""A group's roster as the bank reads it: Chinese headers mapped to the scenario's columns, every row
checked and either kept as a member or refused with a reason a village clerk or an HR officer understands.

Pure: rows of text in (as a reader took them from a CSV or a workbook, with their line numbers), members
and refusals out; the date is an argument. Matching members against the bank's own records (a name that
differs from the bank's, someone on the negative list) is the service's, over the store.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from teller_assist import vocabulary
from teller_assist.errors import UserFacingError
from teller_assist.identity.names import clean_name, name_problem
from teller_assist.identity.phone import InvalidPhone, parse_mobile
from teller_assist.identity.resident_id import InvalidResidentId, parse_resident_id
from teller_assist.identity.uscc import InvalidUscc, parse_uscc
from teller_assist.prequal.group import EVALUATIONS, GroupEvidence

SCENARIOS = ("village", "enterprise", "association", "bureau", "community", "market")
SCENARIO_ZH = vocabulary.SCENARIO_ZH  # the words live in teller_assist.vocabulary


@dataclass(frozen=True)
class Column:
    key: str
    zh: str  # the header the bank's template writes
    aliases: tuple[str, ...] = ()  # other headers groups use for it
    required: bool = False


COMMON = (
    Column("id_no", "身份证号", ("身份证号码", "公民身份号码", "证件号码", "身份证"), required=True),
    Column("name", "姓名", ("客户姓名", "成员姓名"), required=True),
    Column("phone", "手机号", ("手机号码", "手机", "联系电话", "电话")),
    Column("evaluation", "评议", ("评议结果", "评议等级")),
    Column("evaluated_by", "评议人", ("评议人及职务",)),
    Column("evaluated_on", "评议日期"),
    # the customer's two consents, signed at a collective visit or a registration desk: with both,
    # the member may be submitted for the base line without a survey (a community roster refuses a 否)
    Column("consent_credit_inquiry", "同意查询征信", ("同意查询征信报告", "征信授权")),
    Column("consent_personal_info", "同意处理个人信息", ("个人信息授权",)),
)
CONSENT_COLUMNS = (("consent_credit_inquiry", "同意查询征信"), ("consent_personal_info", "同意处理个人信息"))
OWN: dict[str, tuple[Column, ...]] = {
    "village": (
        Column("household", "户号", ("户编号",)),
        Column("household_head", "户主", ("户主姓名",)),
        Column("village_group", "村民小组", ("组别", "小组")),
        Column("key_household", "重点户", ("是否重点户",)),
    ),
    "enterprise": (Column("department", "部门", ("所在部门",)),),
    "bureau": (
        Column("department", "部门", ("科室", "所在部门")),
        Column("permanent_staff", "在编", ("是否在编", "编制")),
    ),
    "association": (Column("member_no", "会员编号", ("会员号",)),),
    "community": (Column("address", "住址", ("楼栋门牌", "房号", "地址")),),
    "market": (
        Column("shop", "商铺", ("商铺号", "摊位号", "店名")),
        Column("shop_uscc", "商铺统一社会信用代码", ("统一社会信用代码", "信用代码")),
    ),
}
IGNORED = ("序号", "备注", "编号")  # a roster's running number and notes: read past, never an error

YES = {"是", "y", "yes", "1", "√", "✓", "true"}
NO = {"否", "n", "no", "0", "", "×", "false"}
EVALUATION_WORDS = vocabulary.EVALUATION_WORDS  # the words live in teller_assist.vocabulary


class RosterError(UserFacingError):
    """A roster whose shape the bank cannot read (headers): the whole file is refused, nothing loaded."""


def _plain(header: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", header)).strip("*：:")


def columns_for(scenario: str) -> tuple[Column, ...]:
    if scenario not in SCENARIOS:
        raise RosterError(
            f"未知的场景 {scenario!r}（可用：{'、'.join(SCENARIOS)}）",
            f"unknown scenario {scenario!r} (one of {', '.join(SCENARIOS)})",
        )
    return COMMON + OWN[scenario]


def map_header(header: Sequence[str], scenario: str) -> dict[str, int]:
    """Column key -> position. An unknown header, one read twice, or a required column missing refuses
    the file with the headers the scenario accepts."""
    columns = columns_for(scenario)
    by_header = {_plain(name): c for c in columns for name in (c.zh, *c.aliases)}
    found: dict[str, int] = {}
    accepted = "、".join(c.zh for c in columns)
    for position, raw in enumerate(header):
        text = _plain(raw)
        if not text or text in IGNORED:
            continue
        column = by_header.get(text)
        if column is None:
            raise RosterError(
                f"第{position + 1}列的表头“{raw.strip()}”不是{SCENARIO_ZH[scenario]}名单的列",
                f"column {position + 1}'s header {raw.strip()!r} is not a column of a {scenario} roster",
                hint_zh=f"可用的表头：{accepted}（另可有 序号、备注）",
                hint_en="rename it to one of the template's headers, or delete the column",
            )
        if column.key in found:
            raise RosterError(
                f"“{column.zh}”列出现了两次（第{found[column.key] + 1}列和第{position + 1}列）",
                f"the column {column.zh} appears twice",
                hint_zh="请删除重复的列",
                hint_en="delete one of them",
            )
        found[column.key] = position
    missing = [c.zh for c in columns if c.required and c.key not in found]
    if missing:
        raise RosterError(
            f"名单缺少必填列：{'、'.join(missing)}",
            f"the roster lacks required columns: {', '.join(missing)}",
            hint_zh=f"第一行应为表头，可用的表头：{accepted}",
            hint_en="the first row holds the headers",
        )
    return found


@dataclass(frozen=True)
class Member:
    """One person of a roster, checked."""

    line_no: int
    id_no: str
    name: str
    phone: str | None
    fields: dict[str, str]  # the scenario's own columns as given (household, department, shop, ...)
    evidence: GroupEvidence
    consented: bool = False  # both consents marked 是 on the roster


@dataclass(frozen=True)
class Refusal:
    line_no: int
    id_no: str  # as given (masked wherever shown)
    name: str
    reason_zh: str
    reason_en: str


@dataclass(frozen=True)
class CheckedRoster:
    scenario: str
    members: tuple[Member, ...]
    refused: tuple[Refusal, ...]

    @property
    def rows(self) -> int:
        return len(self.members) + len(self.refused)


class _RowRefused(Exception):
    def __init__(self, zh: str, en: str) -> None:
        super().__init__(zh)
        self.zh, self.en = zh, en


def _spaced_han(text: str) -> str:
    """A two-character name spaced out to line up with three-character ones (赵　六) is 赵六: spaces and
    ideographic spaces between Han characters are dropped; a Latin name keeps its single spaces."""
    name = " ".join(text.replace("\u3000", " ").split())
    if any(ord(ch) > 0x2E80 for ch in name):
        name = name.replace(" ", "")
    return name


def _yes_no(value: str, label: str) -> bool:
    text = value.strip().lower()
    if text in YES:
        return True
    if text in NO:
        return False
    raise _RowRefused(f"“{label}”应填 是 或 否，实为“{value.strip()}”", f"{label} must be 是 or 否")


DATE_PATTERNS = (
    r"(\d{4})-(\d{1,2})-(\d{1,2})",
    r"(\d{4})/(\d{1,2})/(\d{1,2})",
    r"(\d{4})\.(\d{1,2})\.(\d{1,2})",
    r"(\d{4})年(\d{1,2})月(\d{1,2})日?",
    r"(\d{4})(\d{2})(\d{2})",
)


def _date(value: str, label: str) -> dt.date | None:
    text = unicodedata.normalize("NFKC", value).strip()
    if not text:
        return None
    for pattern in DATE_PATTERNS:
        m = re.fullmatch(pattern, text.split(" ")[0])
        if m:
            try:
                return dt.date(int(m[1]), int(m[2]), int(m[3]))
            except ValueError:
                break
    raise _RowRefused(f"“{label}”不是有效日期：“{value.strip()}”", f"{label} is not a date")


def _member(line_no: int, get: dict[str, str], scenario: str, as_of: dt.date) -> Member:
    try:
        rid = parse_resident_id(get.get("id_no", ""), today=as_of)
    except InvalidResidentId as exc:
        raise _RowRefused(f"身份证号无效：{exc.rule.zh}", f"invalid resident ID: {exc.rule.en}") from None
    name = _spaced_han(get.get("name", ""))
    problem = name_problem(name)
    if problem:
        raise _RowRefused(f"姓名：{problem[0]}", f"name: {problem[1]}")
    phone = None
    if get.get("phone", "").strip():
        try:
            phone = parse_mobile(get["phone"])
        except InvalidPhone as exc:
            raise _RowRefused(f"手机号无效：{exc.detail_zh}", "invalid mobile number") from None
    evaluation = None
    said = unicodedata.normalize("NFKC", get.get("evaluation", "")).strip()
    if said:
        evaluation = EVALUATION_WORDS.get(said) or (said.lower() if said.lower() in EVALUATIONS else None)
        if evaluation is None:
            raise _RowRefused(f"“评议”应填 好、一般 或 差，实为“{said}”", "evaluation must be 好, 一般 or 差")
    evaluated_by = get.get("evaluated_by", "").strip() or None
    evaluated_on = _date(get.get("evaluated_on", ""), "评议日期")
    if evaluated_on is not None and evaluated_on > as_of:
        raise _RowRefused("评议日期晚于今天", "the evaluation date is in the future")
    fields = {k: v.strip() for k, v in get.items() if k not in ("id_no", "name", "phone") and v.strip()}
    if scenario == "market" and fields.get("shop_uscc"):
        try:
            fields["shop_uscc"] = parse_uscc(fields["shop_uscc"]).value
        except InvalidUscc as exc:
            raise _RowRefused(
                f"商铺统一社会信用代码无效：{exc.rule.zh}", f"invalid shop USCC: {exc.rule.en}"
            ) from None
    permanent = _yes_no(get.get("permanent_staff", ""), "在编") if scenario == "bureau" else False
    key_household = _yes_no(get.get("key_household", ""), "重点户") if scenario == "village" else False
    given = [key in get and _yes_no(get[key], label) for key, label in CONSENT_COLUMNS]
    if scenario == "community":
        for (key, label), yes in zip(CONSENT_COLUMNS, given, strict=True):
            if key in get and not yes:
                raise _RowRefused(
                    f"未{label}：登记需要本人同意", f"no consent ({key}): registration needs it"
                )
    evidence = GroupEvidence(
        scenario,
        evaluation=evaluation,
        evaluated_by=evaluated_by,
        evaluated_on=evaluated_on,
        permanent_staff=permanent,
        key_household=key_household,
    )
    return Member(line_no, rid.value, clean_name(name), phone, fields, evidence, all(given))


def check_roster(
    header: Sequence[str],
    rows: Iterable[tuple[int, Sequence[str]]],
    scenario: str,
    as_of: dt.date,
    refused_reading: Iterable[tuple[int, str, str]] = (),
) -> CheckedRoster:
    """Every row accounted for: a member, or a refusal with its reason. A person listed twice is kept
    once (the first row) and the later rows are refused naming it. Blank rows are read past. Rows the
    reader already refused (``refused_reading``: line, Chinese, English) join the refusals in line order."""
    positions = map_header(header, scenario)
    members: list[Member] = []
    refused: list[Refusal] = []
    first_line: dict[str, int] = {}
    for line_no, cells in rows:
        if not any(str(c).strip() for c in cells):
            continue
        get = {key: (str(cells[i]) if i < len(cells) else "") for key, i in positions.items()}
        try:
            member = _member(line_no, get, scenario, as_of)
            if member.id_no in first_line:
                raise _RowRefused(
                    f"与第{first_line[member.id_no]}行重复（同一身份证号）",
                    f"duplicate of line {first_line[member.id_no]} (same resident ID)",
                )
        except _RowRefused as why:
            refused.append(
                Refusal(line_no, get.get("id_no", "").strip(), get.get("name", "").strip(), why.zh, why.en)
            )
            continue
        first_line[member.id_no] = line_no
        members.append(member)
    refused += [Refusal(line, "", "", zh, en) for line, zh, en in refused_reading]
    return CheckedRoster(scenario, tuple(members), tuple(sorted(refused, key=lambda r: r.line_no)))
