"""A campaign (活动) as the bank sets it up: its code, scenario, the group it serves, the owning branch,
its period and optionally an indicator (spec/programme.md, "Words").

The group is what the scenario says it is: a village and its village groups (村民小组), an enterprise or
a bureau by its unified social credit code (a bureau's code must be a government organ's, since its
roster's 在编 mark counts as civil-servant evidence), an association, a residential compound, a market.

Pure: plain values in, a checked :class:`CampaignSpec` or a :class:`CampaignInvalid` out; the date is an
argument.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from teller_assist import vocabulary
from teller_assist.campaigns.roster import SCENARIO_ZH, SCENARIOS
from teller_assist.errors import UserFacingError
from teller_assist.identity.uscc import InvalidUscc, OrgKind, parse_uscc

STATUSES = ("open", "closed")
STATUS_ZH = vocabulary.CAMPAIGN_STATUS_ZH  # the words live in teller_assist.vocabulary
MEASURES = ("signed", "granted")  # an indicator counts people signed, or (if it says so) granted
GROUP_ZH = vocabulary.GROUP_KIND_ZH  # the words live in teller_assist.vocabulary
NEEDS_USCC = ("enterprise", "bureau")
MAX_CODE = 64
MAX_GROUP_NAME = 100
MAX_VILLAGE_GROUP = 32
_BRANCH = re.compile(r"[0-9A-Za-z]{1,16}")


class CampaignInvalid(UserFacingError):
    """What was typed cannot make a campaign: said with what to type instead (exit 2)."""


@dataclass(frozen=True)
class CampaignSpec:
    code: str
    scenario: str
    group_name: str
    branch_code: str
    starts_on: dt.date
    ends_on: dt.date
    group_uscc: str | None = None
    village_groups: tuple[str, ...] = ()
    indicator: int | None = None  # people
    indicator_measure: str = "signed"


def _plain(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).split())


def _has_control(text: str) -> bool:
    return any(unicodedata.category(ch)[0] == "C" for ch in text)


def check_code(text: str) -> str:
    """A campaign's code (``village-后白镇-2026``): 1 to 64 characters, no spaces or control characters,
    not beginning with a character a spreadsheet would evaluate."""
    value = unicodedata.normalize("NFKC", text).strip()
    if not value or len(value) > MAX_CODE or any(ch.isspace() for ch in value) or _has_control(value):
        raise CampaignInvalid(
            f"活动代码无效：{text!r}",
            f"invalid campaign code {text!r}",
            hint_zh=f"1至{MAX_CODE}个字符，不含空格，例如 village-后白镇-2026",
            hint_en=f"1 to {MAX_CODE} characters without spaces, e.g. village-houbai-2026",
        )
    if value[0] in "=+-@":
        raise CampaignInvalid(
            "活动代码不能以 = + - @ 开头",
            "a campaign code may not begin with = + - @",
            hint_zh="以字母、数字或汉字开头",
        )
    return value


def check_branch(text: str) -> str:
    value = text.strip()
    if not _BRANCH.fullmatch(value):
        raise CampaignInvalid(
            f"网点号无效：{text!r}", f"invalid branch code {text!r}", hint_zh="网点号为1至16位字母或数字"
        )
    return value


def check_uscc(scenario: str, raw: str | None) -> str | None:
    """The group's unified social credit code, its check character verified (GB 32100-2015); required
    for an enterprise and a bureau, and a bureau's must be a government organ's (``11``)."""
    text = (raw or "").strip()
    label = GROUP_ZH[scenario]
    if not text:
        if scenario in NEEDS_USCC:
            raise CampaignInvalid(
                f"{SCENARIO_ZH[scenario]}活动须填写{label}的统一社会信用代码",
                f"a {scenario} campaign needs the {scenario}'s unified social credit code (--uscc)",
                hint_zh="18位，见营业执照或统一社会信用代码证书",
            )
        return None
    try:
        code = parse_uscc(text)
    except InvalidUscc as exc:
        raise CampaignInvalid(
            f"{label}的统一社会信用代码无效：{exc.rule.zh}",
            f"invalid unified social credit code: {exc.rule.en}",
            hint_zh="请对照证书逐位核对（18位，最后一位为校验码）",
            hint_en="check it character by character against the certificate (the 18th is a check character)",
        ) from None
    if scenario == "bureau" and code.kind is not OrgKind.GOVERNMENT_ORGAN:
        raise CampaignInvalid(
            f"整局活动的单位应为机关（信用代码以11开头），该代码属于{code.kind.zh}",
            f"a bureau campaign serves a government organ (a code beginning 11), not a {code.kind.en}",
            hint_zh="事业单位、企业请建整企活动：其名单的“在编”不作为公务员依据",
            hint_en="make it an enterprise campaign: only an organ's 在编 is civil-servant evidence",
        )
    return code.value


def check_village_groups(scenario: str, names: Sequence[str]) -> tuple[str, ...]:
    """A village's groups (村民小组) as the committee names them: each once, none empty."""
    if not names:
        return ()
    if scenario != "village":
        raise CampaignInvalid(
            "只有整村活动才有村民小组", "only a village campaign has village groups (--village-group)"
        )
    out: list[str] = []
    for raw in names:
        name = _plain(raw)
        if not name or len(name) > MAX_VILLAGE_GROUP or _has_control(name):
            raise CampaignInvalid(
                f"村民小组名称无效：{raw!r}",
                f"invalid village group name {raw!r}",
                hint_zh=f"1至{MAX_VILLAGE_GROUP}个字，例如 一组",
            )
        if name in out:
            raise CampaignInvalid(f"村民小组“{name}”重复", f"the village group {name!r} is given twice")
        out.append(name)
    return tuple(out)


def check_spec(
    *,
    code: str,
    scenario: str,
    group_name: str,
    branch_code: str,
    starts_on: dt.date,
    ends_on: dt.date,
    today: dt.date,
    group_uscc: str | None = None,
    village_groups: Sequence[str] = (),
    indicator: int | None = None,
    indicator_measure: str = "signed",
) -> CampaignSpec:
    """Everything a new campaign needs, checked: one clear refusal for the first thing wrong."""
    checked_code = check_code(code)
    if scenario not in SCENARIOS:
        raise CampaignInvalid(
            f"未知的场景 {scenario!r}（可用：{'、'.join(SCENARIOS)}）",
            f"unknown scenario {scenario!r} (one of {', '.join(SCENARIOS)})",
        )
    name = _plain(group_name)
    if not name or len(name) > MAX_GROUP_NAME or _has_control(name):
        raise CampaignInvalid(
            f"{GROUP_ZH[scenario]}名称无效：{group_name!r}",
            f"invalid group name {group_name!r}",
            hint_zh=f"1至{MAX_GROUP_NAME}个字，例如 后白镇后白村",
        )
    if ends_on < starts_on:
        raise CampaignInvalid(
            f"活动结束日 {ends_on.isoformat()} 早于开始日 {starts_on.isoformat()}",
            "the campaign ends before it starts",
        )
    if ends_on < today:
        raise CampaignInvalid(
            f"活动期已于 {ends_on.isoformat()} 结束，不能新建", "the period has already ended"
        )
    if indicator is not None and indicator < 1:
        raise CampaignInvalid("指标人数应为正整数", "the indicator is a positive number of people")
    if indicator_measure not in MEASURES:
        raise CampaignInvalid(f"指标口径应为 {'、'.join(MEASURES)}", f"the measure is one of {MEASURES}")
    return CampaignSpec(
        checked_code,
        scenario,
        name,
        check_branch(branch_code),
        starts_on,
        ends_on,
        check_uscc(scenario, group_uscc),
        check_village_groups(scenario, village_groups),
        indicator,
        indicator_measure,
    )
