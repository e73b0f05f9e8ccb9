"""The layers as rules that can fail (DESIGN.md; README "Architecture").

Every import inside ``teller_assist`` is read from the source — top-level, function-local, relative and
``TYPE_CHECKING`` ones alike — and each area (a subpackage, or a top-level module) may import only the
areas its row of ``ALLOWED`` names. A new area has no row until someone decides where it sits. The pure
domain modules may not reach for I/O, a clock, the store or Qt.

``DEBTS`` lists, file by file, the imports the reshape (issue 16) is removing, mostly faces that still
reach into the store. It is a ratchet: an import not in the table fails, and so does a debt that was paid
without being crossed off, so the list stays exactly true until it is empty.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "teller_assist"

DOMAIN = {
    "errors", "vocabulary", "money", "identity", "lookup", "prequal", "campaigns", "documents",
    "ingest", "demo", "kpi", "targets",
}  # fmt: skip
"""Plain rules over plain data: they import nothing above them."""

FACE_MAY_USE = {
    "errors", "vocabulary", "money", "identity", "lookup", "prequal", "campaigns", "kpi", "targets",
    "services", "settings",
}  # fmt: skip
"""What a face (the window, the command line) may import: the services and the plain types they return."""

ALLOWED: dict[str, set[str]] = {
    # the domain, bottom up
    "errors": set(),
    "vocabulary": set(),
    "money": set(),
    "identity": {"errors", "vocabulary"},
    "lookup": {"errors", "vocabulary", "money", "identity"},
    "prequal": {"errors", "vocabulary", "money", "identity", "lookup", "resources"},
    "campaigns": {"errors", "vocabulary", "money", "identity", "lookup", "prequal"},
    "documents": {"errors", "vocabulary", "money", "identity", "resources"},
    "ingest": {"errors", "vocabulary", "money", "identity"},
    "demo": {"errors", "vocabulary", "money", "identity", "ingest"},
    "kpi": {"errors", "vocabulary"},
    # head office's target lists and the officers' daily tasks (the age band's dates from kpi)
    "targets": {"errors", "vocabulary", "money", "identity", "kpi"},
    # the monthly KPI report's workbook and PDF over the KPIs' records, the branch's task digest over the
    # targets' (fonts from documents)
    "reports": {"errors", "kpi", "targets", "documents", "exports"},
    # the machine's own: files, secrets, settings, logs, bundled resources
    "resources": set(),
    "files": {"errors"},
    "exports": {"errors", "files"},
    "security": {"errors", "vocabulary"},
    "settings": {"errors", "identity", "security", "files"},
    "logs": {"errors", "identity", "files"},
    # the store: SQL over the domain's types
    "store": {"errors", "vocabulary", "money", "identity", "lookup", "prequal", "targets", "security"}
    | {"settings"},
    # the services: every use case, over the store and the domain
    "services": DOMAIN
    | {"resources", "files", "exports", "security", "settings", "logs", "store", "reports"},
    # the faces
    "ui": FACE_MAY_USE | {"documents", "resources", "files", "logs"},
    # the command line, a package of one module per area (cli/): services, the plain types, and the
    # window for `gui`
    "cli": FACE_MAY_USE | {"files", "exports", "logs"} | {"demo", "ui"},
    "__main__": {"cli"},
    "__init__": set(),
}

DEBTS: set[tuple[str, str]] = set()

PURE = [
    "identity",
    "campaigns",
    "money.py",
    "vocabulary.py",
    "errors.py",
    "prequal/engine.py",
    "prequal/workflow.py",
    "prequal/group.py",
    "prequal/bands.py",
    "lookup/card.py",
    "documents/numerals.py",
    "kpi",
    "targets",
]
"""Modules that hold rules only: no I/O, no clock, no store, no Qt (the date is an argument)."""

IMPURE_MODULES = {
    "os", "io", "sys", "pathlib", "shutil", "socket", "subprocess", "threading", "multiprocessing",
    "time", "sqlite3", "sqlalchemy", "alembic", "PySide6", "http", "urllib", "logging", "random",
    "keyring", "tempfile", "glob",
}  # fmt: skip
IMPURE_CALLS = {"now", "today", "utcnow", "open", "read_text", "read_bytes", "write_text", "write_bytes"}


def area_of(rel: str) -> str:
    """The area a file belongs to: its subpackage, or the module's own name at the top."""
    first = rel.split("/", 1)[0]
    return first.removesuffix(".py")


def imports_of(path: Path, root: Path = PACKAGE) -> set[str]:
    """Every module ``path`` imports, with relative imports resolved, wherever the statement stands."""
    package = list(path.relative_to(root.parent).parts[:-1])
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0:
                assert node.module is not None
                found.add(node.module)
                found.update(f"{node.module}.{alias.name}" for alias in node.names)
                continue
            base = package[: len(package) - node.level + 1]
            if node.module:
                found.add(".".join([*base, node.module]))
            else:
                found.update(".".join([*base, alias.name]) for alias in node.names)
    return found


def project_areas(modules: set[str], root: Path = PACKAGE) -> set[str]:
    """The areas of the package among ``modules`` (``from teller_assist import store`` included; a name
    such as ``__version__`` is not an area)."""
    areas = {p.name.removesuffix(".py") for p in root.iterdir() if p.suffix == ".py" or p.is_dir()}
    return {m.split(".")[1] for m in modules if m.startswith("teller_assist.")} & areas


def sources(root: Path = PACKAGE) -> list[tuple[str, Path]]:
    return sorted((p.relative_to(root).as_posix(), p) for p in root.rglob("*.py"))


def crossings(root: Path = PACKAGE) -> set[tuple[str, str]]:
    """(file, area) for every import of another area that the file's row does not allow."""
    bad = set()
    for rel, path in sources(root):
        mine = area_of(rel)
        allowed = ALLOWED.get(mine)
        assert allowed is not None, f"{rel}: area {mine!r} has no row in ALLOWED; decide its layer"
        for target in project_areas(imports_of(path, root), root) - {mine}:
            if target not in allowed:
                bad.add((rel, target))
    return bad


def test_every_import_stays_within_its_layer() -> None:
    found = crossings()
    new = sorted(found - DEBTS)
    assert not new, "imports across the layers (see ALLOWED in tests/test_layering.py):\n" + "\n".join(
        f"  {rel} imports teller_assist.{target}" for rel, target in new
    )


def test_the_list_of_debts_is_exactly_true() -> None:
    paid = sorted(DEBTS - crossings())
    assert not paid, f"paid off, cross them off DEBTS: {paid}"


def test_qt_only_in_ui() -> None:
    for rel, path in sources():
        if not rel.startswith("ui/"):
            assert not any(m.split(".")[0] == "PySide6" for m in imports_of(path)), rel


def test_sqlalchemy_and_alembic_only_in_store() -> None:
    for rel, path in sources():
        if not rel.startswith("store/"):
            tops = {m.split(".")[0] for m in imports_of(path)}
            assert not tops & {"sqlalchemy", "alembic"}, rel


def impurities(path: Path, root: Path = PACKAGE) -> list[str]:
    said = []
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for module in imports_of(path, root):
        if module.split(".")[0] in IMPURE_MODULES or project_areas({module}, root) & {
            "store",
            "ui",
            "settings",
        }:
            said.append(f"imports {module}")
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = (
                func.attr
                if isinstance(func, ast.Attribute)
                else func.id
                if isinstance(func, ast.Name)
                else ""
            )
            if name in IMPURE_CALLS:
                said.append(f"calls {name}() at line {node.lineno}")
    return said


def test_the_domain_rules_are_pure() -> None:
    offenders = {}
    for rel, path in sources():
        if any(rel == p or rel.startswith(p + "/") for p in PURE):
            found = impurities(path)
            if found:
                offenders[rel] = found
    assert not offenders, offenders


def test_the_checks_see_what_they_must(tmp_path: Path) -> None:
    """The rules find what they are for: a function-local import, a relative one, a clock call."""
    assert "PySide6.QtWidgets" in imports_of(PACKAGE / "ui" / "main_window.py")
    root = tmp_path / "teller_assist"
    for area in ("prequal", "store"):
        (root / area).mkdir(parents=True)
        (root / area / "__init__.py").write_text("", encoding="utf-8")
    sample = root / "prequal" / "engine.py"
    sample.write_text(
        "def f():\n    from ..store import engine\n    import datetime\n    return datetime.date.today()\n",
        encoding="utf-8",
    )
    assert "teller_assist.store" in imports_of(sample, root)
    assert crossings(root) == {("prequal/engine.py", "store")}
    assert impurities(sample, root) == ["imports teller_assist.store", "calls today() at line 4"]
