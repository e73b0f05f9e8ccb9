"""`teller-assist targets …` and `tasks digest` for a list from a file, targets given out by village, an
officer who leaves, and the morning digest: each command its own process as head office or a branch head
would run it, the output masked, bad input refused with one clear message and nothing done."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook

from teller_assist.identity.masking import Masking
from teller_assist.services.database import open_database
from teller_assist.services.imports import import_paths
from teller_assist.settings import load_settings
from tests.helpers import required
from tests.helpers.cli import add_users, as_user
from tests.helpers.extracts import rid, write

TODAY = dt.date(2026, 11, 28)
EAST = [rid("321183", dt.date(1980 + i, 1, 2 + i), 11 + 2 * i) for i in range(3)]
WEST = [rid("321183", dt.date(1970 + i, 2, 3 + i), 31 + 2 * i) for i in range(3)]
NEG = rid("321183", dt.date(1981, 6, 17), 51)
STRANGER = rid("321183", dt.date(1990, 5, 16), 53)
EVERYONE = (*EAST, *WEST, NEG, STRANGER)
MASK = Masking()


@pytest.fixture(scope="module")
def county(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    base = tmp_path_factory.mktemp("targets-cli-more")
    env = {
        "TELLER_ASSIST_CONFIG": str(base / "config" / "settings.toml"),
        "TELLER_ASSIST_DATA_DIR": str(base / "data"),
    }
    add_users(
        env,
        ("admin1", "hq_admin"),
        ("head0101", "branch_head"),
        ("teller1", "teller"),
        ("teller2", "teller"),
        ("leaver", "teller"),
    )
    folder = base / "extracts"
    rows = [f"{who},客户{n},,,,江苏省句容市后白镇东村{n}号,C{n},0101,321183" for n, who in enumerate(EAST)]
    rows += [
        f"{who},客户{n + 3},,,,江苏省句容市后白镇西村{n}号,C{n + 3},0101,321183" for n, who in enumerate(WEST)
    ]
    rows.append(f"{NEG},客户9,,,,,C9,0101,321183")
    write(
        folder,
        "customers_20261128.csv",
        ["id_no,name,gender,birth_date,phone,address,customer_no,branch_code,region_code", *rows],
    )
    write(folder, "negative_list_20261128.csv", ["id_no,reason,listed_on,note", f"{NEG},fraud,2026-11-20,"])
    opened = open_database(load_settings({**env, "TELLER_ASSIST_KEY_STORE": "demo-file"}))
    try:
        assert import_paths(opened.store, [folder], today=TODAY).exit_code == 0
    finally:
        opened.store.dispose()
    return env


def cli(env: dict[str, str], *args: str, user: str) -> subprocess.CompletedProcess[str]:
    return as_user(env, *args, user=user)


def no_full_id(text: str) -> None:
    for who in EVERYONE:
        assert who not in text


def test_a_list_from_a_file_given_out_by_village_handed_over_and_digested(
    county: dict[str, str], tmp_path: Path
) -> None:
    env = county
    assert cli(env, "targets", "region", "set", "321183", "0101", user="admin1").returncode == 0
    lines = ["序号,姓名,身份证号"]
    lines += [f"{n},客户{n},{who}" for n, who in enumerate(EAST)]
    lines += [f"{n + 3},客户{n + 3},{who}" for n, who in enumerate(WEST)]
    lines += ["7,客户9," + NEG, "8,陌生," + STRANGER, "9,客户0," + EAST[0], "10,错号,3211831980"]
    source = write(tmp_path, "某村名单.csv", lines, encoding="gb18030")
    options = ("--due", "2026-12-31", "--percent", "50", "--date", "2026-11-28", "--from-file", str(source))
    refused = tmp_path / "未列入.xlsx"
    seen = cli(
        env,
        "targets",
        "preview",
        "2026-某村",
        *options,
        "--refused-out",
        str(refused),
        "--json",
        user="admin1",
    )
    assert seen.returncode == 0, seen.stderr
    preview = json.loads(seen.stdout)
    assert preview["branches"] == [{"branch": "0101", "people": 6, "indicator": 3}]
    assert preview["file"]["rows"] == 10 and preview["file"]["listed"] == 6
    assert {k: v for k, v in preview["file"]["not_listed"].items() if v} == {
        "negative": 1,
        "unknown": 1,
        "duplicate": 1,
        "bad_id": 1,
    }
    assert preview["refused_out"]["rows"] == 4
    no_full_id(seen.stdout)
    sheet = load_workbook(refused).active
    shown = [c.value for row in sheet.iter_rows() for c in row if c.value is not None]
    assert MASK.resident_id(STRANGER) in shown and "在负面清单上" in shown
    no_full_id(" ".join(map(str, shown)))

    # bad options: said plainly, nothing done
    dated = ("--due", "2026-12-31", "--date", "2026-11-28")
    alone = cli(env, "targets", "preview", "X1", *dated, "--refused-out", "r.xlsx", user="admin1")
    assert alone.returncode == 3 and "--from-file" in alone.stderr and "Traceback" not in alone.stderr
    csv_out = cli(env, "targets", "preview", "X1", *options, "--refused-out", "r.csv", user="admin1")
    assert csv_out.returncode == 2 and ".xlsx" in csv_out.stderr
    filtered = cli(env, "targets", "preview", "X1", *options, "--tag", "veteran", user="admin1")
    assert filtered.returncode == 3 and "不能再加筛选条件" in filtered.stderr
    missing = cli(env, "targets", "preview", "X1", *dated, "--from-file", "nope.csv", user="admin1")
    assert missing.returncode == 3 and "无法读取名单文件" in missing.stderr

    issued = cli(env, "targets", "issue", "2026-某村", *options, user="admin1")
    assert issued.returncode == 0, issued.stderr
    assert "已下达" in issued.stdout and "列入 listed 6" in issued.stdout
    no_full_id(issued.stdout)
    twice = cli(env, "targets", "issue", "2026-某村-2", *options, user="admin1")
    assert twice.returncode == 3 and "不能再下达一次" in twice.stderr

    # the branch head gives the list out by village among the active tellers
    mixed = cli(env, "targets", "assign", "2026-某村", "--by", "village", "--id", EAST[0], user="head0101")
    assert mixed.returncode == 3 and "reassign" in mixed.stderr
    given = cli(
        env, "targets", "assign", "2026-某村", "--by", "village", "--among", "teller1", "--among", "leaver",
        "--json", user="head0101",
    )  # fmt: skip
    assert given.returncode == 0, given.stderr
    plan = json.loads(given.stdout)
    assert plan["moved"] == 6 and plan["split"] == 0  # 东村 3 and 西村 3 kept whole
    assert {o["officer"]: o["added"] for o in plan["officers"]} == {"teller1": 3, "leaver": 3}
    table = cli(env, "targets", "reassign", "--from", "leaver", "--balance", user="head0101")
    assert table.returncode == 0, table.stderr
    assert "已移交" in table.stdout and "按村（组）" in table.stdout
    assert "teller2" in table.stdout  # the one with room took the leaver's village
    nothing = cli(env, "targets", "reassign", "--from", "leaver", "--to", "teller1", user="head0101")
    assert nothing.returncode == 3 and "没有目标客户" in nothing.stderr

    # the morning digest
    out = tmp_path / "晨会.xlsx"
    digest = cli(
        env, "tasks", "digest", "--branch", "0101", "--date", "2026-11-30", "--out", str(out), user="head0101"
    )
    assert digest.returncode == 0, digest.stderr
    assert "6 项任务" in digest.stdout
    book = load_workbook(out)
    cells = [str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value]
    no_full_id(" ".join(cells))
    assert sum(1 for c in cells if c in {MASK.resident_id(p) for p in (*EAST, *WEST)}) >= 6
    pdf = tmp_path / "晨会.pdf"
    assert cli(env, "tasks", "digest", "--branch", "0101", "--out", str(pdf), user="admin1").returncode == 0
    words = subprocess.run(
        [required.program("pdftotext"), str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "晨会任务简报" in words
    no_full_id(words)
    teller = cli(
        env, "tasks", "digest", "--branch", "0101", "--out", str(tmp_path / "t.xlsx"), user="teller1"
    )
    assert teller.returncode == 3 and "网点负责人" in teller.stderr
    assert not (tmp_path / "t.xlsx").exists()
    txt = cli(env, "tasks", "digest", "--branch", "0101", "--out", str(tmp_path / "t.txt"), user="head0101")
    assert txt.returncode == 2 and ".xlsx 或 .pdf" in txt.stderr and "Traceback" not in txt.stderr
