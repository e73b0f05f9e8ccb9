"""What the window's first paint loads: the desktop shortcut's entry point (``teller-assist`` with no
arguments) and the window's module, and nothing the login does not need. The data layers load on a worker
while the login is on screen (tests/ui/test_start.py); the workspaces the login does not show load when
first made; the command line's areas load when a command is parsed. A module imported early again is a
cold start paid again (BENCHMARKS.md, "Before and after the reshape": 45 ms the last time)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

NOT_BEFORE_THE_LOGIN = (
    # the data layers (opened on a worker thread, behind the login)
    "sqlalchemy",
    "teller_assist.store",
    "teller_assist.services.database",
    # the workspaces the login does not show (made at sign-in, or on F7)
    "teller_assist.ui.workspaces.campaigns",
    "teller_assist.ui.workspaces.campaign_entry",
    "teller_assist.ui.workspaces.tasks",
    "teller_assist.ui.workspaces.lobby",
    "teller_assist.ui.kpi_dashboard",
    # the decision engine and the policy (the first card's, loaded at the window's idle warm-up)
    "teller_assist.prequal.engine",
    "teller_assist.prequal.policy",
    # the command line's areas (parsed commands only)
    "teller_assist.cli.admin",
    "teller_assist.cli.campaign",
    "teller_assist.cli.counter",
    "teller_assist.cli.data",
    "teller_assist.cli.documents",
    "teller_assist.cli.kpi",
    "teller_assist.cli.targets",
    "teller_assist.cli.workflow",
)


def test_the_entry_point_and_the_window_load_nothing_the_login_does_not_need() -> None:
    script = (
        "import json, sys\n"
        "from teller_assist import cli\n"
        "from teller_assist.ui import app, main_window\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60, check=True
    )
    loaded = set(json.loads(out.stdout))
    assert {"teller_assist.ui.main_window", "teller_assist.ui.workspaces.counter"} <= loaded
    early = sorted(m for m in NOT_BEFORE_THE_LOGIN if m in loaded)
    assert early == [], f"loaded before the login is painted: {early}"
