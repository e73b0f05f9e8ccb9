"""`teller-assist import`, `import rejects` and `db stats` as a nightly job runs them."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from tests.helpers.cli import run_cli
from tests.helpers.extracts import GOV, MAN, WOMAN, write


def cli(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return run_cli(*args, env=env)


def test_exit_statuses_json_and_masked_rejects(env: dict[str, str], tmp_path: Path) -> None:
    good = write(tmp_path / "good", "customers_20261127.csv", ["id_no,name", f"{MAN},张三"])
    first = cli(["import", str(good), "--json"], env)
    assert first.returncode == 0, first.stderr
    files = json.loads(first.stdout)["files"]
    assert files[0]["status"] == "loaded" and files[0]["rows"] == 1 and files[0]["loaded"] == 1
    assert set(files[0]) >= {
        "path",
        "kind",
        "status",
        "rows",
        "loaded",
        "rejected",
        "sha256",
        "warnings",
        "error",
    }

    again = cli(["import", str(good), "--json", "--db", ""], env)
    assert again.returncode == 0 and json.loads(again.stdout)["files"][0]["status"] == "skipped"

    some_bad = write(
        tmp_path / "bad",
        "payroll_20261127.csv",
        [
            "txn_id,id_no,employer_code,employer_name,pay_date,amount",
            f"T1,{MAN},{GOV},局,2026-10-01,100",
            f"T2,{WOMAN[:-1]}0,{GOV},局,2026-10-01,100",
        ],
    )
    partial = cli(["import", str(some_bad)], env)
    assert partial.returncode == 1
    assert "拒绝" in partial.stdout and "import rejects" in partial.stdout

    refused = write(tmp_path / "refused", "payroll_2.csv", ["txn_id,id_no", "T9,x"])
    failed = cli(["import", str(refused), "--json"], env)
    assert failed.returncode == 2
    assert json.loads(failed.stdout)["files"][0]["status"] == "refused"

    out = tmp_path / "rejects.csv"
    exported = cli(["import", "rejects", "--out", str(out)], env)
    assert exported.returncode == 0, exported.stderr
    text = out.read_text(encoding="utf-8-sig")
    assert "身份证校验位错误" in text and WOMAN[:-1] not in text and WOMAN[:4] in text
    missing = cli(["import", "rejects", "99", "--out", str(out)], env)
    assert missing.returncode == 2 and "没有批次 99" in missing.stderr

    stats = cli(["db", "stats", "--json"], env)
    data = json.loads(stats.stdout)
    assert data["kinds"]["customers"]["rows"] == 1 and data["kinds"]["payroll"]["rows"] == 1
    assert data["kinds"]["payroll"]["latest_extract"] == "2026-11-27"
    assert data["batches"] == 2 and data["rejects"] == 1 and data["size_bytes"] > 0
