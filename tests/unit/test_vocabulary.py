"""The words for the data's codes live in one module, ``teller_assist.vocabulary``: a map of plain codes
to Chinese or English words defined anywhere else fails here. (Words keyed by an enum stay beside the
enum they name, as the workflow's statuses do; they are not plain-literal maps.)"""

from __future__ import annotations

import ast
from pathlib import Path

import teller_assist
from teller_assist import vocabulary

PACKAGE = Path(teller_assist.__file__).parent


def word_maps(source: str) -> list[tuple[str, int]]:
    """Module-level names ending in _ZH or _EN bound to a literal dict of strings."""
    found = []
    for node in ast.parse(source).body:
        target, value = None, None
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            target, value = node.targets[0].id, node.value
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            target, value = node.target.id, node.value
        if target is None or value is None or not target.endswith(("_ZH", "_EN")):
            continue
        try:
            literal = ast.literal_eval(value)
        except ValueError:
            continue
        if isinstance(literal, dict):
            found.append((target, node.lineno))
    return found


def test_no_word_map_is_defined_outside_the_vocabulary() -> None:
    outside = [
        f"{path.relative_to(PACKAGE)}:{line} {name}"
        for path in sorted(PACKAGE.rglob("*.py"))
        if path.name != "vocabulary.py" and "migrations" not in path.parts
        for name, line in word_maps(path.read_text(encoding="utf-8"))
    ]
    assert not outside, outside


def test_the_rule_finds_a_map_and_the_vocabulary_holds_the_moved_ones() -> None:
    assert word_maps('KIND_ZH = {"a": "甲"}\nOTHER = {"a": "甲"}\n') == [("KIND_ZH", 1)]
    assert word_maps("X_ZH = {Status.OK: 'ok'}\n") == []  # words keyed by an enum stay with it
    held = {name for name, _ in word_maps(Path(vocabulary.__file__).read_text(encoding="utf-8"))}
    assert {"AUDIT_ACTION_ZH", "SCENARIO_ZH", "TASK_KIND_ZH", "KPI_SCOPE_ZH", "APPLICATION_STATUS_EN"} <= held
