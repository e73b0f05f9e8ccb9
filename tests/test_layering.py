"""DESIGN.md's dependency rules, checked on the source: Qt only in ui/, SQLAlchemy only in store/."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "teller_assist"


def imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def offenders(top: str, allowed: str) -> list[str]:
    bad = []
    for path in PACKAGE.rglob("*.py"):
        rel = path.relative_to(PACKAGE).as_posix()
        if rel.startswith(allowed):
            continue
        if any(m == top or m.startswith(top + ".") for m in imported_modules(path)):
            bad.append(rel)
    return bad


def test_qt_only_in_ui() -> None:
    assert offenders("PySide6", "ui/") == []


def test_sqlalchemy_and_alembic_only_in_store() -> None:
    assert offenders("sqlalchemy", "store/") == []
    assert offenders("alembic", "store/") == []


def test_the_checks_see_real_imports() -> None:
    assert "PySide6.QtWidgets" in imported_modules(PACKAGE / "ui" / "main_window.py")
