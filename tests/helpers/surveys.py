"""A completed walk-in survey, as the spec writes it."""

from __future__ import annotations

from typing import Any


def walk_in_answers(**changes: Any) -> dict[str, Any]:
    answers: dict[str, Any] = {
        "household_income": 80000,
        "debts": 0,
        "owns_home": True,
        "owns_vehicle": False,
        "likely_need": "consumption",
        "phone": "13951234567",
        "consent_credit_inquiry": True,
        "consent_personal_info": True,
    }
    answers.update(changes)
    return answers
