"""The command line as an operator or a nightly job uses it."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from teller_assist.cli import main
from teller_assist.identity.resident_id import to18
from teller_assist.store import migrate
from tests.helpers.cli import run_cli as cli
from tests.helpers.keyrings import MemoryKeyring


def run_cli(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return cli(*args, env=env, demo_key_file=False)


def test_invalid_id_exits_2_with_one_line_and_no_traceback(env: dict[str, str]) -> None:
    result = run_cli(["id", "check", "110105194912310021"], env)
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0
    assert "身份证校验位错误" in result.stderr and "Traceback" not in result.stderr


def test_id_check_json_is_masked(env: dict[str, str]) -> None:
    result = run_cli(["id", "check", "321123640524002", "--as-of", "2026-11-28", "--json"], env)
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    full = to18("321123640524002")
    assert out["id_masked"] == "3211" + "*" * 10 + full[-4:]
    assert "32112319640524" not in result.stdout
    assert out["region"] == "镇江市句容县" and out["region_historic"] is True and out["age"] == 62


def test_db_upgrade_headless_in_demo_key_mode_and_db_flag_after_arguments(env: dict[str, str]) -> None:
    demo_env = {**env, "TELLER_ASSIST_KEY_STORE": "demo-file"}
    first = run_cli(["db", "upgrade"], demo_env)
    assert first.returncode == 0, first.stderr
    assert migrate.head_revision() in first.stdout
    second = run_cli(["db", "current"], demo_env)
    assert "up to date" in second.stdout


def test_no_keyring_headless_is_a_plain_refusal(env: dict[str, str]) -> None:
    result = run_cli(["db", "upgrade"], {**env, "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"})
    assert result.returncode == 2
    assert "密钥环" in result.stderr and "demo-file" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.postgres
def test_db_upgrade_against_postgres_with_db_after_the_subcommand(
    postgres_url: str, env: dict[str, str]
) -> None:
    result = run_cli(["db", "upgrade", "--db", postgres_url], env)
    assert result.returncode == 0, result.stderr
    assert "→" in result.stdout


def test_config_show_json_has_every_setting_and_no_secret(
    env: dict[str, str], capsys: pytest.CaptureFixture[str], isolated_environ: dict[str, str]
) -> None:
    assert main(["config", "show", "--json", "--db", "postgresql://t:hunter2@db/ta"]) == 2  # refused...
    said = capsys.readouterr()
    assert "hunter2" not in said.out + said.err and "db set-password" in said.err  # ...without repeating it
    assert main(["config", "show", "--json", "--db", "postgresql://t@db/ta"]) == 0
    out = capsys.readouterr().out
    view = json.loads(out)
    assert view["database_url"] == {"value": "postgresql://t@db/ta", "source": "--db"}
    assert {"bank_name", "branch_code", "printer", "policy_file", "app_download_url", "mask_id_head"} <= set(
        view
    )


def test_password_in_the_settings_file_is_refused(
    env: dict[str, str],
    capsys: pytest.CaptureFixture[str],
    isolated_environ: dict[str, str],
    memory_keyring: MemoryKeyring,
) -> None:
    config = Path(env["TELLER_ASSIST_CONFIG"])
    config.parent.mkdir(parents=True)
    config.write_text('database_url = "postgresql://t:hunter2@db/ta"\n', encoding="utf-8")
    assert main(["db", "current"]) == 2
    err = capsys.readouterr().err
    assert "密码" in err and "hunter2" not in err


def test_demo_data_command(tmp_path: Path, env: dict[str, str]) -> None:
    result = run_cli(
        [
            "demo-data",
            "--people",
            "500",
            "--seed",
            "9",
            "--out",
            str(tmp_path / "d"),
            "--as-of",
            "20261128",
            "--json",
        ],
        env,
    )
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["people"] == 500 and out["files"]["customers"]["rows"] == 500
    assert Path(out["files"]["payroll"]["path"]).name == "payroll_20261128.csv"


def test_bad_arguments_are_usage_errors(env: dict[str, str]) -> None:
    result = run_cli(["demo-data", "--people", "0", "--out", "x"], env)
    assert result.returncode == 2 and "正整数" in result.stderr
