"""Survey answers against a scenario's form: typed values, what is missing, what is wrong.

A survey travels as JSON: ``{"scenario": "walk_in", "answers": {...}}`` (spec/policy.md). It is
*complete* when every required answer is present and valid and both consents are given.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from teller_assist.errors import UserFacingError
from teller_assist.identity.phone import InvalidPhone, parse_mobile
from teller_assist.prequal.policy import CONSENTS, Field, Form, Policy


class SurveyError(UserFacingError):
    pass


@dataclass(frozen=True)
class Survey:
    scenario: str
    answers: dict[str, Any]

    def __repr__(self) -> str:  # answers hold income, debts and the phone
        return f"Survey({self.scenario!r}, {len(self.answers)} answers)"


@dataclass(frozen=True)
class CheckedSurvey:
    form: Form
    values: dict[str, Any]  # valid answers, typed (yuan as int, decimals as Decimal, ...)
    missing: tuple[str, ...]  # required keys without a valid answer (consents not given included)
    problems: dict[str, str] = field(default_factory=dict)  # key -> what is wrong, in staff's words

    def __repr__(self) -> str:
        return f"CheckedSurvey({self.form.scenario!r}, complete={self.complete}, missing={self.missing})"

    @property
    def complete(self) -> bool:
        return not self.missing and not self.problems


def survey_from_json(data: Any, source: str = "survey") -> Survey:
    if not isinstance(data, dict) or not isinstance(data.get("answers"), dict):
        raise SurveyError(
            f'调查表格式错误（{source}）：应为 {{"scenario": ..., "answers": {{...}}}}',
            f'malformed survey ({source}): expected {{"scenario": ..., "answers": {{...}}}}',
        )
    scenario = data.get("scenario", "walk_in")
    if not isinstance(scenario, str):
        raise SurveyError(f"调查表的 scenario 应为文本（{source}）", f"scenario must be a string ({source})")
    return Survey(scenario, dict(data["answers"]))


def load_survey(path: Path) -> Survey:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise SurveyError(f"无法读取调查表 {path}：{exc}", f"cannot read the survey {path}: {exc}") from None
    return survey_from_json(data, str(path))


def _value(f: Field, raw: Any) -> Any:
    """The typed value of one answer, or raise ValueError with the reason in staff's words."""
    if f.type in ("boolean", "consent"):
        if not isinstance(raw, bool):
            raise ValueError("应为“是”或“否”")
        return raw
    if f.type == "yuan" or f.type == "integer":
        if isinstance(raw, bool):
            raise ValueError("应为整数")
        if isinstance(raw, str):
            text = raw.strip().replace(",", "")
            if not text.isdigit():
                raise ValueError(
                    "应为不带小数的非负整数" if f.type == "integer" else "应为整数元（不含角分）"
                )
            raw = int(text)
        if not isinstance(raw, int) or raw < 0:
            raise ValueError("应为非负整数")
        value: Any = raw
    elif f.type == "decimal":
        try:
            value = Decimal(str(raw).strip()) if not isinstance(raw, bool) else None
        except InvalidOperation:
            value = None
        if value is None or not value.is_finite() or value < 0:
            raise ValueError("应为非负数字")
    elif f.type == "choice":
        allowed = [c.value for c in f.choices]
        if raw not in allowed:
            raise ValueError("应为以下之一：" + "、".join(c.zh for c in f.choices))
        return raw
    elif f.type == "mobile":
        try:
            return parse_mobile(str(raw))
        except InvalidPhone as exc:
            raise ValueError(exc.detail_zh) from None
    else:  # text
        if not isinstance(raw, str) or not raw.strip():
            raise ValueError("不能为空")
        if len(raw) > 200:
            raise ValueError("过长（最多200字）")
        return raw.strip()
    if f.min is not None and value < f.min:
        raise ValueError(f"不能小于{f.min}")
    if f.max is not None and value > f.max:
        raise ValueError(f"不能大于{f.max}")
    return value


def check_survey(survey: Survey, policy: Policy) -> CheckedSurvey:
    form = policy.forms.get(survey.scenario)
    if form is None:
        raise SurveyError(
            f"未知的调查场景：{survey.scenario}",
            f"unknown survey scenario {survey.scenario!r}",
            hint_zh="可用场景：" + "、".join(policy.forms),
            hint_en=", ".join(policy.forms),
        )
    values: dict[str, Any] = {}
    missing: list[str] = []
    problems: dict[str, str] = {}
    for f in form.fields:
        raw = survey.answers.get(f.key)
        if raw is None or raw == "":
            if f.required:
                missing.append(f.key)
            continue
        try:
            values[f.key] = _value(f, raw)
        except ValueError as exc:
            problems[f.key] = f"{f.label_zh}：{exc}"
            continue
        if f.type == "consent" and values[f.key] is not True:
            missing.append(f.key)  # a consent not given is a missing answer
    for consent in CONSENTS:
        if consent not in values and consent not in missing:
            missing.append(consent)
    return CheckedSurvey(form, values, tuple(missing), problems)
