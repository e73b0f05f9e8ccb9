"""The application's life, as pure rules: which moves exist, who may make them, and the numbers an
approval fixes (agreement number, validity, rate in basis points). No database, no clock.

    submitted -> approved | rejected | cancelled
    approved  -> signed | expired
    signed    -> expired (at the end of validity)
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING

from teller_assist.money import yuan_text

if TYPE_CHECKING:  # the statuses load with the window, before the engine and the policy are needed
    from teller_assist.prequal.policy import Policy


class Status(StrEnum):
    """An application's status, as stored (the values are the database's words)."""

    SUBMITTED = "submitted"
    APPROVED = "approved"
    REJECTED = "rejected"
    CANCELLED = "cancelled"
    SIGNED = "signed"
    EXPIRED = "expired"


OPEN = (Status.SUBMITTED, Status.APPROVED)  # awaiting a decision, or granted and not yet signed
STANDING = (Status.SUBMITTED, Status.APPROVED, Status.SIGNED)  # a person holds or awaits a line
GRANTED = (Status.APPROVED, Status.SIGNED)  # a line was granted (the documents can be printed)

TRANSITIONS: dict[Status, dict[str, Status]] = {
    Status.SUBMITTED: {"approve": Status.APPROVED, "reject": Status.REJECTED, "cancel": Status.CANCELLED},
    Status.APPROVED: {"sign": Status.SIGNED, "expire": Status.EXPIRED},
    Status.SIGNED: {"expire": Status.EXPIRED},
    Status.REJECTED: {},
    Status.CANCELLED: {},
    Status.EXPIRED: {},
}
STATUS_ZH: dict[str, str] = {  # by status (a Status or its stored word)
    Status.SUBMITTED: "待审批",
    Status.APPROVED: "已批准",
    Status.REJECTED: "已拒绝",
    Status.CANCELLED: "已撤销",
    Status.SIGNED: "已签约",
    Status.EXPIRED: "已失效",
}


def leaving(move: str) -> tuple[Status, ...]:
    """The statuses from which ``move`` is legal."""
    return tuple(status for status, moves in TRANSITIONS.items() if move in moves)


def authority_fen(policy: Policy, role: str) -> int | None:
    """The largest line (fen) a role may approve, or None when it may not approve at all."""
    return policy.approval_fen.get(role)


def authority_problem(policy: Policy, role: str, line_fen: int) -> str | None:
    """Why an operator of ``role`` may not approve a line of ``line_fen``, in a clerk's words; None when
    they may."""
    limit_fen = authority_fen(policy, role)
    if limit_fen is None:
        return "该角色没有审批权限"
    if line_fen > limit_fen:
        return f"额度{yuan_text(line_fen)}元超出审批权限（{yuan_text(limit_fen)}元），请由更高权限人员审批"
    return None


def approvers_for(policy: Policy, line_fen: int) -> tuple[str, ...]:
    """The roles whose authority covers ``line_fen``, the least senior first (whom to call for 主管授权)."""
    ordered = sorted(policy.approval_fen.items(), key=lambda r: r[1])
    return tuple(role for role, limit_fen in ordered if line_fen <= limit_fen)


def agreement_number(app_id: int, approved_on: dt.date) -> str:
    """YSX + approval date + the application number: unique, and readable over the phone."""
    return f"YSX{approved_on:%Y%m%d}{app_id:06d}"


def valid_until(policy: Policy, approved_on: dt.date) -> dt.date:
    """The last day of validity: ``validity.years`` after approval, less a day."""
    from teller_assist.prequal.engine import add_years

    return add_years(approved_on, policy.validity_years) - dt.timedelta(days=1)


def rate_bp(annual_rate: Decimal) -> int:
    """A percentage with at most two decimals as an integer: 3.85 -> 385 (exact)."""
    scaled = annual_rate * 100
    if scaled != scaled.to_integral_value():
        raise ValueError(f"annual rate {annual_rate} has more than two decimals")
    return int(scaled)


def rate_text(bp: int) -> str:
    return f"{Decimal(bp) / 100:.2f}"
