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

CLI_SHARED = {"cli.common", "cli.dates", "cli.passwords", "cli.table"}
CLI_AREA = FACE_MAY_USE | CLI_SHARED
"""What a module of commands may import: what a face may, and the command line's shared parts. Not
another module of commands, nor the parser that assembles them."""
CLI_AREAS = ("data", "counter", "workflow", "documents", "admin", "campaign", "kpi", "targets")

SPLIT = {"cli"}
"""Packages whose modules are areas of their own: ``cli/counter.py`` is the area ``cli.counter``, the
package's ``__init__.py`` is ``cli.__init__``."""

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
    # the command line (cli/, each module an area of its own): what the commands share at the bottom,
    # one module per area of commands over the services, and the parser that assembles them on top
    "cli.table": set(),
    "cli.dates": set(),
    "cli.passwords": {"errors"},
    # (prequal: the Policy a context holds)
    "cli.common": {"errors", "settings", "services", "cli.passwords", "prequal"},
    "cli.data": CLI_AREA | {"demo"},  # demo-data writes the synthetic county
    "cli.counter": CLI_AREA,
    "cli.workflow": CLI_AREA,
    "cli.documents": CLI_AREA,
    "cli.admin": CLI_AREA | {"exports"},  # simulate --csv
    "cli.campaign": CLI_AREA,
    "cli.kpi": CLI_AREA | {"exports"},  # kpi show --csv
    "cli.targets": CLI_AREA,
    "cli.__init__": {"errors", "settings", "files", "logs", "cli.common"}
    | {f"cli.{area}" for area in CLI_AREAS}
    | {"ui"},  # `gui` starts the window
    "__main__": {"cli.__init__"},
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
    """The area a file belongs to: its subpackage, or the module's own name at the top (in a package of
    ``SPLIT``, the package and the module's name)."""
    first, _, rest = rel.partition("/")
    if first in SPLIT and rest:
        return f"{first}.{rest.split('/', 1)[0].removesuffix('.py')}"
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


def _names(folder: Path) -> set[str]:
    return {p.name.removesuffix(".py") for p in folder.iterdir() if p.suffix == ".py" or p.is_dir()}


def project_areas(modules: set[str], root: Path = PACKAGE) -> set[str]:
    """The areas of the package among ``modules`` (``from teller_assist import store`` included; a name
    such as ``__version__`` is not an area). In a package of ``SPLIT`` the area is the module imported,
    or the package's ``__init__`` for the package itself or a name it defines."""
    areas = _names(root)
    found = set()
    for module in modules:
        parts = module.split(".")
        if parts[0] != "teller_assist" or len(parts) < 2 or parts[1] not in areas:
            continue
        if parts[1] in SPLIT:
            inner = len(parts) > 2 and parts[2] in _names(root / parts[1])
            found.add(f"{parts[1]}.{parts[2] if inner else '__init__'}")
        else:
            found.add(parts[1])
    return found


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


def test_the_command_lines_modules_are_areas_of_their_own(tmp_path: Path) -> None:
    """In cli/ a module of commands may use the shared parts (common, dates, passwords, table), but not
    another module of commands, nor the window: only the parser on top starts that."""
    assert area_of("cli/campaign.py") == "cli.campaign" and area_of("cli/__init__.py") == "cli.__init__"
    root = tmp_path / "teller_assist"
    for folder, names in (("cli", ("__init__", "common", "workflow")), ("ui", ("__init__",))):
        (root / folder).mkdir(parents=True)
        for name in names:
            (root / folder / f"{name}.py").write_text("", encoding="utf-8")
    (root / "cli" / "campaign.py").write_text(
        "from teller_assist.cli.common import opened\n"
        "def f():\n    from .workflow import cmd_workflow\n    from teller_assist import ui\n",
        encoding="utf-8",
    )
    assert crossings(root) == {("cli/campaign.py", "cli.workflow"), ("cli/campaign.py", "ui")}


def store_handed(path: Path) -> list[str]:
    """Where a face hands a store to something it calls: ``f(ctx.store)``, ``f(store)``, ``g(x=w.store)``.
    Making the context itself (``Context(opened.store, ...)``) is the one place a face holds the store."""
    said = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call) or ast.unparse(node.func) == "Context":
            continue
        for arg in [*node.args, *(k.value for k in node.keywords)]:
            named = arg.attr if isinstance(arg, ast.Attribute) else getattr(arg, "id", "")
            if named == "store":
                said.append(f"line {node.lineno}: {ast.unparse(node)[:90]}")
    return said


def test_the_faces_hand_the_services_the_context_not_its_store(tmp_path: Path) -> None:
    """A service takes the context (its store, settings, policy, clock, workstation) and takes the day, the
    moment and the masking from it: a face that handed it the store would be choosing those itself."""
    offenders = {
        rel: found
        for rel, path in sources()
        if rel.startswith(("ui/", "cli/")) and (found := store_handed(path))
    }
    assert not offenders, offenders
    sample = tmp_path / "face.py"
    sample.write_text(
        "ctx = Context(opened.store, settings)\nlookup(ctx.store, rid)\nquery(x=w.store)\n"
        "note(ctx, 'lock')\n",
        encoding="utf-8",
    )
    assert store_handed(sample) == ["line 2: lookup(ctx.store, rid)", "line 3: query(x=w.store)"]
