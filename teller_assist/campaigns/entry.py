"""The data-entry grid of a collective visit, as plain data: a cell's typed text read as the answer of
the scenario's survey form, the answer shown again, and a row's line decided from the bank's card, the
group's evidence and the answers typed so far (the same ``prequal`` functions as the counter's survey
and ``campaign survey``). Nothing here reads or writes the database."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Mapping
from typing import Any

from teller_assist.lookup.card import CustomerCard
from teller_assist.prequal.engine import Decision, decide
from teller_assist.prequal.group import GroupEvidence
from teller_assist.prequal.policy import Field, Policy
from teller_assist.prequal.survey import CheckedSurvey, Survey, check_survey

__all__ = ["answer_of", "decide_row", "shown_answer", "typed_text"]

YES = {"y", "yes", "是", "1", "√", "✓", "t", "true"}
NO = {"n", "no", "否", "0", "×", "f", "false"}


def answer_of(f: Field, text: str) -> Any:
    """The answer ``text`` gives to question ``f`` as the survey takes it: None when blank; yes and no
    (``Y``/``N``, 是/否) for a yes-no question or a consent; a choice by its number or its words; other
    answers as typed (``check_survey`` says what is wrong with them). What cannot be read stays the text,
    so the survey names the problem."""
    plain = unicodedata.normalize("NFKC", text).strip()
    if not plain:
        return None
    if f.type in ("boolean", "consent"):
        low = plain.lower()
        if low in YES:
            return True
        if low in NO:
            return False
        return plain
    if f.type == "choice":
        if plain.isdigit() and 1 <= int(plain) <= len(f.choices):
            return f.choices[int(plain) - 1].value
        for c in f.choices:
            if plain in (c.value, c.zh) or plain.lower() == c.en.lower():
                return c.value
        return plain
    if f.type in ("yuan", "integer"):
        digits = plain.replace(",", "")
        return int(digits) if digits.isdigit() else plain
    return plain


def typed_text(f: Field, answer: Any) -> str:
    """The text an answer is edited as (the inverse of :func:`answer_of`)."""
    if answer is None:
        return ""
    if f.type in ("boolean", "consent") and isinstance(answer, bool):
        return "Y" if answer else "N"
    if f.type == "choice":
        for number, c in enumerate(f.choices, start=1):
            if c.value == answer:
                return str(number)
    return str(answer)


def shown_answer(f: Field, answer: Any) -> str:
    """An answer in the grid's words (the masking of phones and incomes is the face's)."""
    if answer is None:
        return ""
    if f.type in ("boolean", "consent") and isinstance(answer, bool):
        return "是" if answer else "否"
    if f.type == "choice":
        for number, c in enumerate(f.choices, start=1):
            if c.value == answer:
                return f"{number} {c.zh}"
    return str(answer)


def decide_row(
    card: CustomerCard,
    evidence: GroupEvidence,
    scenario: str,
    answers: Mapping[str, Any],
    policy: Policy,
    as_of: dt.date,
) -> tuple[CheckedSurvey, Decision]:
    """The row's survey checked and its line decided, as the counter decides one person."""
    checked = check_survey(Survey(scenario, {k: v for k, v in answers.items() if v is not None}), policy)
    return checked, decide(card, checked, policy, as_of, evidence)
