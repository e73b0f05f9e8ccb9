"""The bank's system-wide settings through the command line: where each value came from, a locked key
the user tried to change (warned, kept), and a ``--db`` that a lock refuses."""

from __future__ import annotations

import json
from pathlib import Path

from teller_assist.settings import SYSTEM_CONFIG_ENV
from tests.helpers.cli import run_cli


def test_config_show_names_the_system_layer_and_warns_of_a_refused_change(
    env: dict[str, str], tmp_path: Path
) -> None:
    system = tmp_path / "etc" / "settings.toml"
    system.parent.mkdir()
    system.write_text(
        'locked = ["branch_code", "policy_file"]\nbranch_code = "0101"\nbranch_name = "华阳支行"\n',
        encoding="utf-8",
    )
    env = {**env, SYSTEM_CONFIG_ENV: str(system), "TELLER_ASSIST_BRANCH_CODE": "9999"}
    done = run_cli("config", "show", "--json", env=env)
    assert done.returncode == 0, done.stderr
    view = json.loads(done.stdout)
    assert view["branch_code"] == {
        "value": "0101",
        "source": f"system {system} (ignored TELLER_ASSIST_BRANCH_CODE) (locked)",
    }
    assert view["branch_name"] == {"value": "华阳支行", "source": f"system {system}"}
    assert view["policy_file"]["source"] == "default (locked)"
    assert "警告 warning" in done.stderr and "branch_code" in done.stderr and "locked" in done.stderr
    log = Path(env["TELLER_ASSIST_DATA_DIR"]) / "logs" / "teller-assist.log"
    assert "branch_code is locked" in log.read_text(encoding="utf-8")


def test_db_on_the_command_line_is_refused_where_the_bank_locks_the_database(
    env: dict[str, str], tmp_path: Path
) -> None:
    system = tmp_path / "etc" / "settings.toml"
    system.parent.mkdir()
    url = f"sqlite:///{tmp_path / 'branch.db'}"
    system.write_text(f'locked = ["database_url"]\ndatabase_url = "{url}"\n', encoding="utf-8")
    env = {**env, SYSTEM_CONFIG_ENV: str(system)}
    other = tmp_path / "mine.db"
    done = run_cli("db", "current", "--db", f"sqlite:///{other}", env=env)
    assert done.returncode != 0
    assert "--db" in done.stderr and "locked" in done.stderr and "Traceback" not in done.stderr
    assert not other.exists()
