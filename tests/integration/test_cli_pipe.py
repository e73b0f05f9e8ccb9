"""The command line in a pipe whose reader stops early (`config show | head`): no traceback, and
`config show` names the key store actually in use."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from tests.helpers.cli import run_cli


def test_a_reader_that_stops_early_gets_no_traceback(env: dict[str, str]) -> None:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("TELLER_ASSIST_")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "teller_assist", "config", "show"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**clean, **env},
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # `| head -0`: gone before the first line is written
    with proc.stderr:
        err = proc.stderr.read().decode("utf-8", "replace")
    proc.wait(timeout=60)
    assert "Traceback" not in err and "BrokenPipeError" not in err, err


def test_config_show_names_the_demo_key_file_when_it_opens_the_database(env: dict[str, str]) -> None:
    made = run_cli("db", "current", env=env)  # a data folder set up in demo mode (the key in a file)
    assert made.returncode == 0, made.stderr
    # later runs without the setting, on a machine without a keyring, still open it with that file
    no_keyring = {**env, "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
    shown = run_cli("config", "show", "--json", env=no_keyring, demo_key_file=False)
    assert shown.returncode == 0, shown.stderr
    key_store = json.loads(shown.stdout)["key_store"]
    assert key_store["value"] == "demo-file" and "DEMO-MODE-database.key" in key_store["source"], key_store
