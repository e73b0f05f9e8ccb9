"""The command line does each shared thing one way, in one module: the settings and the database opened
(checked, never upgraded) in cli/common.py, a date read in cli/dates.py, a password read in
cli/passwords.py. A module of commands that did one of them itself would differ sooner or later (a
second date parser took ``--as-of 20261128`` on one command and not on another)."""

from __future__ import annotations

import re
from pathlib import Path

import teller_assist.cli

PACKAGE = Path(teller_assist.cli.__file__).parent

ONE_WAY = {
    "common.py": re.compile(r"\b(open_database|load_settings|date\.today|datetime\.now)\("),
    "dates.py": re.compile(r"\b(fromisoformat|strptime)\("),
    "passwords.py": re.compile(r"\bgetpass\b|\breadline\("),
}


def done_elsewhere(folder: Path = PACKAGE) -> list[str]:
    found = []
    for path in sorted(folder.glob("*.py")):
        for no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for home, pattern in ONE_WAY.items():
                if path.name != home and pattern.search(line):
                    found.append(f"{path.name}:{no}: {line.strip()} (the one way is in {home})")
    return found


def test_each_shared_thing_is_done_in_its_one_module() -> None:
    assert done_elsewhere() == []


def test_the_check_finds_a_command_doing_it_itself(tmp_path: Path) -> None:
    (tmp_path / "campaign.py").write_text(
        "def _settings(args):\n    return load_settings(database_url=args.db)\n"
        "def f(text):\n    return dt.date.fromisoformat(text), getpass.getpass('pw')\n",
        encoding="utf-8",
    )
    assert [line.split(":")[1] for line in done_elsewhere(tmp_path)] == ["2", "4", "4"]
