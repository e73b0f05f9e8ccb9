"""Whom to call for 主管授权: the roles whose authority in the policy covers the line, least senior first."""

from __future__ import annotations

import dataclasses

from teller_assist.prequal.policy import default_policy_path, load_policy
from teller_assist.prequal.workflow import approvers_for


def test_the_default_policy_sends_lines_above_50000_to_the_branch_head() -> None:
    policy = load_policy(default_policy_path())
    assert approvers_for(policy, 30_000_00) == ("lobby_manager", "branch_head")
    assert approvers_for(policy, 50_000_00) == ("lobby_manager", "branch_head")
    assert approvers_for(policy, 50_000_01) == ("branch_head",)  # one fen over the lobby manager's
    assert approvers_for(policy, 300_000_00) == ("branch_head",)
    assert approvers_for(policy, 300_000_01) == ()


def test_the_table_is_the_policys_own() -> None:
    authorities = {"branch_head": 500_000_00, "lobby_manager": 100_000_00}
    policy = dataclasses.replace(load_policy(default_policy_path()), approval_fen=authorities)
    assert approvers_for(policy, 80_000_00) == ("lobby_manager", "branch_head")
    assert approvers_for(policy, 120_000_00) == ("branch_head",)
