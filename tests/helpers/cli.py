"""Run `python -m teller_assist ...` as an operator or a nightly job would: its own process, its own env."""

from __future__ import annotations

import os
import subprocess
import sys


def run_cli(
    *args: str,
    env: dict[str, str],
    demo_key_file: bool = True,
    stdin: str | None = None,
    timeout: float = 120,
) -> subprocess.CompletedProcess[str]:
    """The command with this test's folders (``env``) and none of the caller's TELLER_ASSIST_ settings;
    ``demo_key_file`` keeps the SQLite key in the demo key file (there is no keyring service here)."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("TELLER_ASSIST_")}
    extra = {"TELLER_ASSIST_KEY_STORE": "demo-file"} if demo_key_file else {}
    return subprocess.run(
        [sys.executable, "-m", "teller_assist", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env={**clean, **env, **extra},
        timeout=timeout,
        check=False,
    )
