"""Every audit action the program writes has its Chinese name, so the audit export (审计记录导出) reads in
the bank's words, not in the program's codes. The actions are found in the source: the first argument of
every ``AuditEntry(...)``, the action of every ``audit.log(store, ...)`` and ``audit.note(ctx, ...)``,
and the action handed to the target lists' own entry helper, wherever it is a literal."""

from __future__ import annotations

import ast
from pathlib import Path

from teller_assist.services.audit import ACTIONS_ZH

PACKAGE = Path(__file__).resolve().parents[2] / "teller_assist"
ACTION_AT = {"AuditEntry": 0, "audit.log": 1, "log": 1, "audit.note": 1, "note": 1, "_entry": 1}


def written_actions() -> dict[str, str]:
    found: dict[str, str] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            called = ast.unparse(node.func)
            position = ACTION_AT.get(called)
            if position is None or len(node.args) <= position:
                continue
            if called in ("log", "note") and path.name != "audit.py":
                continue  # the logging module's log(), not the audit trail's
            if called == "_entry":  # a module's own helper: its action is its first string argument
                position = next((i for i, a in enumerate(node.args) if isinstance(a, ast.Constant)), position)
            argument = node.args[position]
            if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
                found.setdefault(argument.value, str(path.relative_to(PACKAGE)))
    return found


def test_the_scan_finds_the_actions_it_is_for() -> None:
    found = written_actions()
    for action in ("lookup", "approve", "campaign_create", "target_assign", "kpi_refresh", "tasks_view"):
        assert action in found, action


def test_every_audit_action_written_has_a_chinese_name() -> None:
    missing = {action: where for action, where in written_actions().items() if action not in ACTIONS_ZH}
    assert not missing, f"add these to services.audit.ACTIONS_ZH: {missing}"
