"""The credit policy as a validated, versioned data file (``resources/policy/default.toml``).

Loading checks every key and says which file, which key and what is wrong. The policy's identity is its
version string plus the SHA-256 of the file's bytes, recorded with every decision. The file writes its
amounts in whole yuan, as the bank's policy does; they are read into fen here, once, like every other
amount in the program (fields named ``*_fen``).
"""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from teller_assist.errors import UserFacingError
from teller_assist.money import FEN_PER_YUAN

MAX_LINE_FEN = 20_000_000 * FEN_PER_YUAN  # the store keeps lines and authorities as 32-bit integers of fen
FIELD_TYPES = ("yuan", "integer", "decimal", "boolean", "choice", "text", "mobile", "consent")
SCENARIOS = ("walk_in", "enterprise", "association", "bureau", "community", "market", "village")
TAGS = ("civil_servant", "party_member", "veteran", "exemplary_resident", "integrity_business", "family_farm")
CONSENTS = ("consent_credit_inquiry", "consent_personal_info")


class PolicyError(UserFacingError):
    def __init__(self, source: str, key: str, problem_zh: str, problem_en: str) -> None:
        super().__init__(
            f"授信政策文件 {source} 中 {key}：{problem_zh}",
            f"policy file {source}, key {key}: {problem_en}",
            hint_zh="请修正政策文件后重试（teller-assist policy check 文件）",
            hint_en="fix the policy file and check it again (teller-assist policy check FILE)",
        )
        self.key = key


@dataclass(frozen=True)
class Choice:
    value: str
    zh: str
    en: str


@dataclass(frozen=True)
class Field:
    key: str
    type: str
    required: bool
    label_zh: str
    label_en: str
    help_zh: str = ""
    help_en: str = ""
    choices: tuple[Choice, ...] = ()
    min: Decimal | None = None
    max: Decimal | None = None


@dataclass(frozen=True)
class Form:
    scenario: str
    label_zh: str
    label_en: str
    fields: tuple[Field, ...]  # included forms' fields, its own, then the common ones (phone, consents)

    def field(self, key: str) -> Field | None:
        return next((f for f in self.fields if f.key == key), None)


@dataclass(frozen=True)
class RateBand:
    min_line_fen: int  # the file's min_line (yuan) in fen
    annual_rate: Decimal


GROUP_SCENARIOS = ("village", "enterprise", "association", "bureau", "community", "market")


@dataclass(frozen=True)
class GroupFactors:
    """The scenario factors of group campaigns (spec/programme.md): the defaults stand where a policy file
    written before them has no ``[line.group]``."""

    evaluation_scenarios: tuple[str, ...] = ("village", "enterprise", "association")
    good_uplift_percent: int = 20  # of the largest candidate, with a completed survey
    poor_base_only: bool = True
    bureau_staff_civil_servant: bool = True  # 在编 on a bureau's roster: civil-servant evidence
    till_min_months: int = 3  # market: months with till records among the window
    till_window_months: int = 6  # full calendar months before the decision date
    till_multiple: int = 3  # candidate = multiple x average monthly sales


@dataclass(frozen=True)
class Policy:
    name: str
    version: str
    sha256: str
    source: str
    min_age: int
    max_age: int
    exclude_negative_list: bool
    base_fen: int
    cap_fen: int
    round_down_to_fen: int
    window_months: int
    survey_required_above_base: bool
    payroll_min_months: int
    payroll_multiple: int
    civil_servant_min_months: int
    civil_servant_prefixes: tuple[str, ...]
    civil_servant_tags: tuple[str, ...]
    civil_servant_floor_fen: int
    public_min_months: int
    public_prefixes: tuple[str, ...]
    public_floor_fen: int
    family_farm_tag: str
    family_farm_grades_fen: dict[str, int]
    integrity_tag: str
    integrity_grades_fen: dict[str, int]
    survey_income_multiple: int
    survey_income_field: str
    survey_debts_field: str
    settled_uplift_percent: int
    settled_min_ok_debits: int
    settled_max_failed_debits: int
    rate_bands: tuple[RateBand, ...]  # highest minimum first
    discount_points: Decimal
    discount_tags: tuple[str, ...]
    validity_years: int
    approval_fen: dict[str, int]  # the largest line each role may approve
    forms: dict[str, Form]
    group: GroupFactors = GroupFactors()

    @property
    def identity(self) -> str:
        return f"{self.version} ({self.sha256[:12]})"


class _Reader:
    """Typed access to the TOML tree with errors that name the key."""

    def __init__(self, data: dict[str, Any], source: str) -> None:
        self.data = data
        self.source = source

    def fail(self, key: str, zh: str, en: str) -> PolicyError:
        return PolicyError(self.source, key, zh, en)

    def get(self, key: str, node: dict[str, Any] | None = None, *, prefix: str = "") -> Any:
        node = self.data if node is None else node
        current: Any = node
        for part in key.split("."):
            if not isinstance(current, dict) or part not in current:
                raise self.fail(prefix + key, "缺少此项", "missing")
            current = current[part]
        return current

    def table(self, key: str) -> dict[str, Any]:
        value = self.get(key)
        if not isinstance(value, dict):
            raise self.fail(key, "应为表（[...]）", "must be a table")
        return value

    def integer(
        self, key: str, *, minimum: int = 0, node: dict[str, Any] | None = None, prefix: str = ""
    ) -> int:
        value = self.get(key, node, prefix=prefix)
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(prefix + key, f"应为整数，实为 {value!r}", f"must be an integer, got {value!r}")
        if value < minimum:
            raise self.fail(prefix + key, f"不能小于{minimum}", f"must be at least {minimum}")
        return value

    def boolean(self, key: str) -> bool:
        value = self.get(key)
        if not isinstance(value, bool):
            raise self.fail(key, "应为 true 或 false", "must be true or false")
        return value

    def text(
        self, key: str, node: dict[str, Any] | None = None, *, prefix: str = "", empty: bool = False
    ) -> str:
        value = self.get(key, node, prefix=prefix)
        if not isinstance(value, str) or (not empty and not value.strip()):
            raise self.fail(prefix + key, "应为非空文本", "must be a non-empty string")
        return value

    def decimal(self, key: str, node: dict[str, Any] | None = None, *, prefix: str = "") -> Decimal:
        value = self.get(key, node, prefix=prefix)
        if not isinstance(value, str):
            raise self.fail(
                prefix + key,
                '应写成带引号的小数，如 "3.85"（避免浮点误差）',
                'must be a quoted decimal such as "3.85" (no floats)',
            )
        try:
            number = Decimal(value)
        except InvalidOperation:
            raise self.fail(prefix + key, f"不是有效的小数：{value!r}", f"not a decimal: {value!r}") from None
        if not number.is_finite() or number < 0:
            raise self.fail(prefix + key, "应为非负小数", "must be a non-negative decimal")
        return number

    def strings(self, key: str, allowed: tuple[str, ...] | None = None) -> tuple[str, ...]:
        value = self.get(key)
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(key, "应为文本列表", "must be a list of strings")
        if allowed is not None:
            for item in value:
                if item not in allowed:
                    raise self.fail(
                        key,
                        f"未知的值 {item!r}（可用：{'、'.join(allowed)}）",
                        f"unknown value {item!r} (allowed: {', '.join(allowed)})",
                    )
        return tuple(value)

    def grades(self, key: str) -> dict[str, int]:
        value = self.table(key)
        out = {}
        for grade, amount in value.items():
            if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
                raise self.fail(
                    f"{key}.{grade}", "应为正整数（元）", "must be a positive whole number of yuan"
                )
            out[str(grade)] = amount * FEN_PER_YUAN
        return out


def _field(r: _Reader, raw: Any, where: str) -> Field:
    if not isinstance(raw, dict):
        raise r.fail(where, "应为表", "must be a table")
    key = r.text("key", raw, prefix=where + ".")
    ftype = r.text("type", raw, prefix=where + ".")
    if ftype not in FIELD_TYPES:
        raise r.fail(
            f"{where}.type",
            f"未知的字段类型 {ftype!r}（可用：{'、'.join(FIELD_TYPES)}）",
            f"unknown field type {ftype!r} (allowed: {', '.join(FIELD_TYPES)})",
        )
    required = raw.get("required", False)
    if not isinstance(required, bool):
        raise r.fail(f"{where}.required", "应为 true 或 false", "must be true or false")
    choices: tuple[Choice, ...] = ()
    if ftype == "choice":
        items = raw.get("choices")
        if not isinstance(items, list) or not items:
            raise r.fail(f"{where}.choices", "选择题需要至少一个选项", "a choice field needs choices")
        choices = tuple(
            Choice(
                r.text("value", c, prefix=f"{where}.choices."),
                r.text("zh", c, prefix=f"{where}.choices."),
                r.text("en", c, prefix=f"{where}.choices."),
            )
            for c in items
        )
    bounds = {}
    for bound in ("min", "max"):
        if bound in raw:
            value = raw[bound]
            if isinstance(value, bool) or not isinstance(value, int | str):
                raise r.fail(
                    f"{where}.{bound}", "应为整数或带引号的小数", "must be an integer or a quoted decimal"
                )
            bounds[bound] = Decimal(str(value))
    return Field(
        key=key,
        type=ftype,
        required=required,
        label_zh=r.text("label_zh", raw, prefix=where + "."),
        label_en=r.text("label_en", raw, prefix=where + "."),
        help_zh=str(raw.get("help_zh", "")),
        help_en=str(raw.get("help_en", "")),
        choices=choices,
        min=bounds.get("min"),
        max=bounds.get("max"),
    )


def _forms(r: _Reader) -> dict[str, Form]:
    common_raw = r.get("survey.common")
    if not isinstance(common_raw, list):
        raise r.fail("survey.common", "应为字段列表（[[survey.common]]）", "must be a list of fields")
    common = tuple(_field(r, f, f"survey.common[{i}]") for i, f in enumerate(common_raw))
    keys = {f.key for f in common}
    for consent in CONSENTS:
        if consent not in keys:
            raise r.fail("survey.common", f"缺少同意项 {consent}", f"the consent {consent} is missing")
    raw_forms = r.table("survey.forms")
    own: dict[str, tuple[Field, ...]] = {}
    for scenario, raw in raw_forms.items():
        if scenario not in SCENARIOS:
            raise r.fail(
                f"survey.forms.{scenario}",
                f"未知的场景（可用：{'、'.join(SCENARIOS)}）",
                f"unknown scenario (allowed: {', '.join(SCENARIOS)})",
            )
        fields_raw = raw.get("fields", []) if isinstance(raw, dict) else None
        if not isinstance(fields_raw, list):
            raise r.fail(f"survey.forms.{scenario}.fields", "应为字段列表", "must be a list of fields")
        own[scenario] = tuple(
            _field(r, f, f"survey.forms.{scenario}.fields[{i}]") for i, f in enumerate(fields_raw)
        )
    forms: dict[str, Form] = {}
    for scenario in SCENARIOS:
        if scenario not in raw_forms:
            raise r.fail(
                f"survey.forms.{scenario}", "缺少此场景的调查表", "the form of this scenario is missing"
            )
        raw = raw_forms[scenario]
        includes = raw.get("includes", [])
        fields: list[Field] = []
        for included in includes:
            if included not in own or included == scenario:
                raise r.fail(
                    f"survey.forms.{scenario}.includes",
                    f"不能包含 {included!r}",
                    f"cannot include {included!r}",
                )
            fields.extend(own[included])
        fields.extend(own[scenario])
        fields.extend(common)  # the phone to confirm and the two consents close every form
        seen: set[str] = set()
        for f in fields:
            if f.key in seen:
                raise r.fail(f"survey.forms.{scenario}", f"字段 {f.key} 重复", f"field {f.key} appears twice")
            seen.add(f.key)
        forms[scenario] = Form(
            scenario,
            r.text("label_zh", raw, prefix=f"survey.forms.{scenario}."),
            r.text("label_en", raw, prefix=f"survey.forms.{scenario}."),
            tuple(fields),
        )
    return forms


def parse_policy(content: bytes, source: str) -> Policy:
    try:
        data = tomllib.loads(content.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise PolicyError(source, "(文件)", f"不是有效的TOML：{exc}", f"not valid TOML: {exc}") from None
    r = _Reader(data, source)
    r.text("policy.name")  # report problems in the order of the file
    r.text("policy.version")
    bands_raw = r.get("rate.bands")
    if not isinstance(bands_raw, list) or not bands_raw:
        raise r.fail("rate.bands", "至少需要一个利率档", "needs at least one band")
    bands = sorted(
        (
            RateBand(
                r.integer("min_line", node=b, prefix=f"rate.bands[{i}].") * FEN_PER_YUAN,
                r.decimal("annual_rate", b, prefix=f"rate.bands[{i}]."),
            )
            for i, b in enumerate(bands_raw)
        ),
        key=lambda band: band.min_line_fen,
        reverse=True,
    )
    if bands[-1].min_line_fen != 0:
        raise r.fail(
            "rate.bands", "需要一个 min_line = 0 的利率档（覆盖所有额度）", "needs a band with min_line = 0"
        )
    approval = r.table("approval")
    for role, limit in approval.items():
        if isinstance(limit, bool) or not isinstance(limit, int) or limit <= 0:
            raise r.fail(f"approval.{role}", "应为正整数（元）", "must be a positive whole number of yuan")
    policy = Policy(
        name=r.text("policy.name"),
        version=r.text("policy.version"),
        sha256=hashlib.sha256(content).hexdigest(),
        source=source,
        min_age=r.integer("eligibility.min_age"),
        max_age=r.integer("eligibility.max_age"),
        exclude_negative_list=r.boolean("eligibility.exclude_negative_list"),
        base_fen=r.integer("line.base", minimum=1) * FEN_PER_YUAN,
        cap_fen=r.integer("line.cap", minimum=1) * FEN_PER_YUAN,
        round_down_to_fen=r.integer("line.round_down_to", minimum=1) * FEN_PER_YUAN,
        window_months=r.integer("line.window_months", minimum=1),
        survey_required_above_base=r.boolean("line.survey_required_above_base"),
        payroll_min_months=r.integer("line.payroll.min_months", minimum=1),
        payroll_multiple=r.integer("line.payroll.multiple_of_average", minimum=1),
        civil_servant_min_months=r.integer("line.civil_servant.min_months", minimum=1),
        civil_servant_prefixes=r.strings("line.civil_servant.uscc_prefixes"),
        civil_servant_tags=r.strings("line.civil_servant.tags", TAGS),
        civil_servant_floor_fen=r.integer("line.civil_servant.floor", minimum=1) * FEN_PER_YUAN,
        public_min_months=r.integer("line.public_institution.min_months", minimum=1),
        public_prefixes=r.strings("line.public_institution.uscc_prefixes"),
        public_floor_fen=r.integer("line.public_institution.floor", minimum=1) * FEN_PER_YUAN,
        family_farm_tag=r.text("line.family_farm.tag"),
        family_farm_grades_fen=r.grades("line.family_farm.grades"),
        integrity_tag=r.text("line.integrity_business.tag"),
        integrity_grades_fen=r.grades("line.integrity_business.grades"),
        survey_income_multiple=r.integer("line.survey.income_multiple", minimum=1),
        survey_income_field=r.text("line.survey.income_field"),
        survey_debts_field=r.text("line.survey.debts_field"),
        settled_uplift_percent=r.integer("line.settled_household.uplift_percent"),
        settled_min_ok_debits=r.integer("line.settled_household.min_ok_debits", minimum=1),
        settled_max_failed_debits=r.integer("line.settled_household.max_failed_debits"),
        rate_bands=tuple(bands),
        discount_points=r.decimal("rate.discount.points"),
        discount_tags=r.strings("rate.discount.tags", TAGS),
        validity_years=r.integer("validity.years", minimum=1),
        approval_fen={role: limit * FEN_PER_YUAN for role, limit in approval.items()},
        forms=_forms(r),
        group=_group(r),
    )
    if policy.min_age >= policy.max_age:
        raise r.fail("eligibility.max_age", "应大于 min_age", "must be above min_age")
    if policy.cap_fen > MAX_LINE_FEN:
        raise r.fail("line.cap", "不能超过20,000,000元", "must not exceed 20,000,000 yuan")
    for role, limit_fen in policy.approval_fen.items():
        if limit_fen > MAX_LINE_FEN:
            raise r.fail(f"approval.{role}", "不能超过20,000,000元", "must not exceed 20,000,000 yuan")
    if policy.cap_fen < policy.base_fen:
        raise r.fail("line.cap", "不能小于基础额度 line.base", "must not be below line.base")
    if policy.base_fen % policy.round_down_to_fen or policy.cap_fen % policy.round_down_to_fen:
        raise r.fail(
            "line.round_down_to",
            "基础额度和上限应是取整单位的整数倍",
            "base and cap must be multiples of the rounding unit",
        )
    return policy


def _group(r: _Reader) -> GroupFactors:
    """``[line.group]``, optional: each key present replaces its default."""
    line = r.data.get("line")
    if not isinstance(line, dict) or "group" not in line:
        return GroupFactors()
    r.table("line.group")
    given = line["group"]
    default = GroupFactors()
    known = set(default.__dataclass_fields__)
    for key in given:
        if key not in known:
            raise r.fail(f"line.group.{key}", f"未知的项（可用：{'、'.join(sorted(known))}）", "unknown key")

    def number(key: str, minimum: int) -> int:
        return r.integer(f"line.group.{key}", minimum=minimum) if key in given else getattr(default, key)

    def flag(key: str) -> bool:
        return r.boolean(f"line.group.{key}") if key in given else getattr(default, key)

    group = GroupFactors(
        evaluation_scenarios=(
            r.strings("line.group.evaluation_scenarios", GROUP_SCENARIOS)
            if "evaluation_scenarios" in given
            else default.evaluation_scenarios
        ),
        good_uplift_percent=number("good_uplift_percent", 0),
        poor_base_only=flag("poor_base_only"),
        bureau_staff_civil_servant=flag("bureau_staff_civil_servant"),
        till_min_months=number("till_min_months", 1),
        till_window_months=number("till_window_months", 1),
        till_multiple=number("till_multiple", 1),
    )
    if group.till_min_months > group.till_window_months:
        raise r.fail(
            "line.group.till_min_months", "不能多于 till_window_months", "must not exceed till_window_months"
        )
    return group


def load_policy(path: Path) -> Policy:
    try:
        content = path.read_bytes()
    except OSError as exc:
        raise PolicyError(
            str(path), "(文件)", f"无法读取：{exc.strerror or exc}", f"cannot read: {exc}"
        ) from None
    return parse_policy(content, str(path))


def default_policy_path() -> Path:
    from teller_assist.resources import resource

    return resource("policy", "default.toml")
