"""`teller-assist targets …` and `teller-assist tasks …` run as head office, a branch head and an officer
would, each its own process: the region table, a list previewed, refused while a region has no branch,
issued once, assigned, an officer's tasks masked, an outcome only from the task's officer, a strike
counted once."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from pathlib import Path

import pytest

from teller_assist.identity.masking import Masking
from teller_assist.services.database import open_database
from teller_assist.services.imports import import_paths
from teller_assist.settings import load_settings
from tests.helpers.cli import add_users, as_user, run_cli
from tests.helpers.extracts import rid, write
from tests.helpers.operators import PASSWORD

TODAY = dt.date(2026, 11, 28)
A1 = rid("330101", dt.date(1985, 3, 14), 11)
A2 = rid("330101", dt.date(1986, 4, 15), 13)
B1 = rid("330102", dt.date(1990, 5, 16), 15)
NEG = rid("330101", dt.date(1980, 6, 17), 17)
LOST = rid("339999", dt.date(1991, 7, 18), 19)
EVERYONE = (A1, A2, B1, NEG, LOST)
LIST = "2026-总行-首批"
MASK = Masking()


@pytest.fixture(scope="module")
def county(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    base = tmp_path_factory.mktemp("targets-cli")
    env = {
        "TELLER_ASSIST_CONFIG": str(base / "config" / "settings.toml"),
        "TELLER_ASSIST_DATA_DIR": str(base / "data"),
    }
    add_users(
        env, ("admin1", "hq_admin"), ("teller1", "teller"), ("teller2", "teller"), ("head0101", "branch_head")
    )
    folder = base / "extracts"
    rows = [
        f"{who},客户{i},,,,,C{i},{'0102' if who == B1 else '0101'},{who[:6]}"
        for i, who in enumerate(EVERYONE)
    ]
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


def test_the_programme_from_head_office_to_the_officer(county: dict[str, str]) -> None:
    env = county
    # the region table is head office's
    refused = cli(env, "targets", "region", "set", "330101", "0101", user="teller1")
    assert (
        refused.returncode == 3 and "只有总行管理员" in refused.stderr and "Traceback" not in refused.stderr
    )
    for region, branch in (("330101", "0101"), ("330102", "0102")):
        done = cli(env, "targets", "region", "set", region, branch, user="admin1")
        assert done.returncode == 0, done.stderr
    bad = cli(env, "targets", "region", "set", "33010", "0101", user="admin1")
    assert bad.returncode == 3 and "6位数字" in bad.stderr

    # preview: the counts per branch, the region with no branch named, the negative list left out
    options = ("--due", "2026-12-31", "--percent", "50", "--date", "20261128")
    seen = cli(env, "targets", "preview", LIST, *options, "--json", user="admin1")
    assert seen.returncode == 0, seen.stderr
    preview = json.loads(seen.stdout)
    assert preview["branches"] == [
        {"branch": "0101", "people": 2, "indicator": 1},
        {"branch": "0102", "people": 1, "indicator": 1},
    ]
    assert preview["unrouted"] == [{"region": "339999", "people": 1}]
    assert preview["negative_list_removed"] == 1 and preview["people"] == 3
    no_full_id(seen.stdout)

    # issuing is refused while a region has no branch, then done once
    refused = cli(env, "targets", "issue", LIST, *options, user="admin1")
    assert refused.returncode == 3 and "339999" in refused.stderr and "targets region set" in refused.stderr
    assert cli(env, "targets", "region", "set", "339999", "0101", user="admin1").returncode == 0
    issued = cli(env, "targets", "issue", LIST, *options, user="admin1")
    assert issued.returncode == 0, issued.stderr
    assert "已下达" in issued.stdout and "0101" in issued.stdout
    twice = cli(env, "targets", "issue", LIST, *options, user="admin1")
    assert (
        twice.returncode == 3 and "不能重复下达" in twice.stderr and "cannot be issued twice" in twice.stderr
    )

    # the branch head assigns; head office does not; nobody gets targets of another branch
    refused = cli(env, "targets", "assign", LIST, "--officer", "teller1", "--unassigned", "9", user="admin1")
    assert refused.returncode == 3 and "网点负责人" in refused.stderr
    moved = cli(env, "targets", "assign", LIST, "--officer", "teller1", "--unassigned", "9", user="head0101")
    assert moved.returncode == 0, moved.stderr
    assert "3 位目标客户" in moved.stdout
    other = cli(env, "targets", "assign", LIST, "--officer", "teller2", "--id", B1, user="head0101")
    assert other.returncode == 3 and "不在本网点" in other.stderr

    # the officer's tasks, signed in as the officer: masked, ordered, each kind counted
    today = run_cli(
        "tasks", "today", "--officer", "teller1", "--date", "2026-11-28", "--json", "--password-stdin",
        env=env, stdin=PASSWORD + "\n",
    )  # fmt: skip
    assert today.returncode == 0, today.stderr
    data = json.loads(today.stdout)
    assert data["date"] == "2026-11-28" and data["scope"] == "officer:teller1" and data["total"] == 3
    assert data["counts"]["survey"] == 3
    assert [t["id_masked"] for t in data["tasks"]] == [MASK.resident_id(p) for p in sorted((A1, A2, LOST))]
    assert {t["due_on"] for t in data["tasks"]} == {"2026-12-31"} and data["tasks"][0]["name"].startswith(
        "客户"
    )
    no_full_id(today.stdout)
    assert "shown" not in data  # the whole list: the output as it always was
    # the first lines only (a login's first screen): the same lines, the whole list's counts
    first = cli(env, "tasks", "today", "--officer", "teller1", "--date", "2026-11-28", "--json", "--first",
                "2", user="teller1")  # fmt: skip
    assert first.returncode == 0, first.stderr
    page = json.loads(first.stdout)
    assert page["tasks"] == data["tasks"][:2] and page["shown"] == 2
    assert (page["total"], page["counts"], page["notes"]) == (data["total"], data["counts"], data["notes"])
    table = cli(
        env, "tasks", "today", "--officer", "teller1", "--date", "2026-11-28", "--first", "1", user="teller1"
    )
    assert table.returncode == 0 and "共 3 项（列出前 1 项）" in table.stdout
    bad = cli(env, "tasks", "today", "--officer", "teller1", "--first", "0", user="teller1")
    assert bad.returncode == 3 and "--first" in bad.stderr
    # another officer cannot read them; the branch head can, in a table
    assert cli(env, "tasks", "today", "--officer", "teller1", user="teller2").returncode == 3
    table = cli(env, "tasks", "today", "--officer", "teller1", "--date", "2026-11-28", user="head0101")
    assert table.returncode == 0 and "调查" in table.stdout and MASK.resident_id(A1) in table.stdout
    no_full_id(table.stdout)

    # an outcome only from the task's officer; an appointment brings the task back on its day
    wrong = cli(env, "tasks", "record", A1, "--outcome", "done", "--date", "2026-11-28", user="teller2")
    assert wrong.returncode == 3 and "只能由其客户经理登记" in wrong.stderr
    no_reason = cli(
        env, "tasks", "record", A1, "--outcome", "declined", "--date", "2026-11-28", user="teller1"
    )
    assert no_reason.returncode == 3 and "原因" in no_reason.stderr
    made = cli(
        env, "tasks", "record", A1, "--outcome", "appointment", "--on", "2026-12-03", "--date", "2026-11-28",
        user="teller1",
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    assert MASK.resident_id(A1) in made.stdout
    no_full_id(made.stdout)
    final = cli(
        env, "tasks", "record", A2, "--outcome", "declined", "--reason", "已在他行贷款", "--for-good",
        "--date", "2026-11-28", user="teller1",
    )  # fmt: skip
    assert final.returncode == 0, final.stderr

    def tasks_on(day: str) -> list[dict[str, object]]:
        done = cli(env, "tasks", "today", "--officer", "teller1", "--date", day, "--json", user="teller1")
        assert done.returncode == 0, done.stderr
        return list(json.loads(done.stdout)["tasks"])

    assert [t["id_masked"] for t in tasks_on("2026-11-28")] == [MASK.resident_id(LOST)]
    back = tasks_on("2026-12-03")
    assert [(t["id_masked"], t["appointment"]) for t in back] == [
        (MASK.resident_id(A1), True),  # due on its appointment, before the list's date
        (MASK.resident_id(LOST), False),
    ]

    # the progress of each branch: the final refusal is struck once, the sweep adds nothing twice
    assert run_cli("targets", "sweep", "--date", "2026-11-28", env=env).returncode == 0
    progress = cli(env, "targets", "progress", LIST, "--json", user="admin1")
    assert progress.returncode == 0, progress.stderr
    rows = {r["branch"]: r for r in json.loads(progress.stdout)}
    assert rows["0101"]["struck"] == {"signed": 0, "ineligible": 0, "declined": 1}
    assert (rows["0101"]["people"], rows["0101"]["indicator"], rows["0101"]["assigned"]) == (3, 2, 3)
    assert cli(env, "targets", "sweep", "--date", "2026-11-28", user="teller1").returncode == 3


def test_bad_input_is_said_before_anything_is_done(county: dict[str, str], tmp_path: Path) -> None:
    for args, words in [
        (("targets", "preview", "=bad", "--due", "2026-12-31", "--date", "2026-11-28"), "不能以"),
        (
            ("targets", "preview", "L2", "--due", "2026-12-31", "--date", "2026-11-28", "--percent", "0"),
            "指标比例",
        ),
        (("targets", "preview", "L2", "--due", "2026-11-01", "--date", "2026-11-28"), "应晚于"),
        (
            ("targets", "preview", "L2", "--due", "2026-12-31", "--date", "2026-11-28", "--tag", "vip"),
            "未知的标签",
        ),
        (("tasks", "record", "110105194912310021", "--outcome", "done"), "身份证号无效"),
    ]:
        done = cli(county, *args, user="admin1")
        assert done.returncode == 3, (args, done.stderr)
        assert words in done.stderr and "Traceback" not in done.stderr
    bad_date = cli(county, "tasks", "today", "--officer", "teller1", "--date", "2026-13-01", user="teller1")
    assert bad_date.returncode == 2 and "YYYY-MM-DD" in bad_date.stderr
