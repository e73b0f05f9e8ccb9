"""`teller-assist campaign letters|sign` as a branch's staff would run them, each its own process: an
enterprise's granted members get their agreement and letter, merged by department, progress on stderr,
nobody's full ID on stdout; a second run issues nothing again; another branch's teller is refused (exit 3);
signatures from a list file (a header, a bad line, one not granted) counted in `campaign show --json`."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from pathlib import Path

from teller_assist.identity.masking import Masking
from tests.helpers import required
from tests.helpers.cli import add_users, as_user, ensure_admin, run_cli
from tests.helpers.extracts import COMPANY, rid
from tests.helpers.operators import PASSWORD

MASK = Masking()
START = dt.date.today()
PERIOD = ("--from", START.isoformat(), "--to", (START + dt.timedelta(days=90)).isoformat())
CODE = "ent-某厂-2026"
A, B, C, D = (rid(seq=s) for s in (61, 63, 65, 67))


def test_letters_merged_by_department_and_signatures_from_a_list(env: dict[str, str], tmp_path: Path) -> None:
    required.program("pdftotext")
    add_users(env, ("head1", "branch_head"), ("manager1", "lobby_manager"), ("teller1", "teller"))
    made = as_user(
        env, "campaign", "create", CODE, "--scenario", "enterprise", "--group", "某厂", "--uscc", COMPANY,
        "--branch", "0101", *PERIOD, user="head1",
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    roster = tmp_path / "某厂员工.csv"
    roster.write_text(
        "身份证号,姓名,部门,手机号,同意查询征信,同意处理个人信息\n"
        f"{A},张一,财务部,13951234567,是,是\n{B},张二,生产部,,是,是\n{C},张三,财务部,,是,是\n"
        f"{D},张四,生产部,,,\n",
        encoding="utf-8",
    )
    assert as_user(env, "campaign", "import", CODE, str(roster), user="head1").returncode == 0
    sub = json.loads(as_user(env, "campaign", "submit", CODE, "--json", user="head1").stdout)
    approved = as_user(env, "campaign", "batch", "approve", str(sub["batch"]), user="manager1")
    assert approved.returncode == 0, approved.stderr

    # the letters alone first (the members told of their line), then the agreements join them
    first = tmp_path / "letters-only"
    told = as_user(
        env, "campaign", "letters", CODE, "--out", str(first), "--documents", "letter", "--json",
        user="teller1",
    )  # fmt: skip
    assert told.returncode == 0, told.stderr
    run = json.loads(told.stdout)
    assert (run["documents"], run["originals"], run["copies"], run["texts"]) == (["letter"], 3, 0, 1)
    only = "".join(
        subprocess.run(
            ["pdftotext", str(first / "002-财务部.pdf"), "-"], capture_output=True, text=True, check=True
        ).stdout.split()
    )
    assert only.count("授信告知函") == 2 and "第一联" not in only  # 张一’s and 张三’s letters alone

    out = tmp_path / "letters"
    done = as_user(env, "campaign", "letters", CODE, "--out", str(out), "--json", user="teller1")
    assert done.returncode == 0, done.stderr
    run = json.loads(done.stdout)
    assert run["documents"] == ["agreement", "letter"]
    assert (run["people"], run["originals"], run["copies"], run["kept_before"]) == (3, 3, 0, 3)
    assert [Path(f).name for f in run["files"]] == ["001-生产部.pdf", "002-财务部.pdf"]
    assert "出具 issuing 3/3" in done.stderr and "合并 merging 2/2" in done.stderr
    assert all(i not in done.stdout + done.stderr for i in (A, B, C, D))
    text = subprocess.run(
        ["pdftotext", str(out / "002-财务部.pdf"), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = "".join(text.split())
    assert flat.index("张一") < flat.index("张三") and "张二" not in flat
    assert MASK.resident_id(A) in flat and "授信告知函" in flat

    again = as_user(env, "campaign", "letters", CODE, "--out", str(out), user="teller1")
    assert again.returncode == 0 and "本次出具原件 0 份、副本 0 份，沿用已出具 6 份" in again.stdout, (
        again.stdout
    )

    admin = ensure_admin(env)
    other = run_cli(
        "users", "add", "teller9", "--name", "teller9", "--role", "teller", "--branch", "0202", "--user",
        admin, "--password-stdin", env=env, stdin=f"{PASSWORD}\n{PASSWORD}\n",
    )  # fmt: skip
    assert other.returncode == 0, other.stderr
    refused = as_user(env, "campaign", "letters", CODE, "--out", str(tmp_path / "x"), user="teller9")
    assert (
        refused.returncode == 3 and "网点 0101 的员工" in refused.stderr and "Traceback" not in refused.stderr
    )

    one = as_user(env, "campaign", "sign", CODE, "--id", A, user="teller1")
    assert one.returncode == 0 and f"{MASK.resident_id(A)} 张一 已签约" in one.stdout, one.stdout
    listing = tmp_path / "已签约.csv"
    listing.write_text(f"身份证号,姓名\n{B},张二\n\n{D},张四\n{A},张一\n", encoding="gb18030")
    signed = as_user(env, "campaign", "sign", CODE, "--from-file", str(listing), "--json", user="teller1")
    assert signed.returncode == 1, signed.stderr  # some were not recorded
    rows = json.loads(signed.stdout)
    assert [(r["id_masked"], r["signed"], r["reason_zh"]) for r in rows] == [
        (MASK.resident_id(B), True, None),
        (MASK.resident_id(D), False, "本活动未给此人授信"),
        (MASK.resident_id(A), False, "已签约"),
    ]
    assert all(i not in signed.stdout for i in (A, B, C, D))
    shown = json.loads(as_user(env, "campaign", "show", CODE, "--json", user="teller1").stdout)["progress"]
    assert (shown["granted"], shown["notified"], shown["signed"]) == (3, 3, 2)


def test_a_refused_document_is_listed_masked_and_the_run_ends_done_with_refusals(
    env: dict[str, str], tmp_path: Path
) -> None:
    """One member's agreement refused (the application lost its name): the others' paper comes out,
    the refused one is listed masked with the reason, and the exit status is 1, as `import` says rows
    were refused."""
    from sqlalchemy import text as sql

    from teller_assist.services.database import open_database
    from teller_assist.settings import load_settings

    add_users(env, ("head1", "branch_head"), ("manager1", "lobby_manager"), ("teller1", "teller"))
    made = as_user(
        env, "campaign", "create", CODE, "--scenario", "enterprise", "--group", "某厂", "--uscc", COMPANY,
        "--branch", "0101", *PERIOD, user="head1",
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    roster = tmp_path / "某厂员工.csv"
    roster.write_text(
        f"身份证号,姓名,部门,同意查询征信,同意处理个人信息\n{A},张一,财务部,是,是\n{B},张二,生产部,是,是\n",
        encoding="utf-8",
    )
    assert as_user(env, "campaign", "import", CODE, str(roster), user="head1").returncode == 0
    sub = json.loads(as_user(env, "campaign", "submit", CODE, "--json", user="head1").stdout)
    assert as_user(env, "campaign", "batch", "approve", str(sub["batch"]), user="manager1").returncode == 0
    opened = open_database(load_settings({**env, "TELLER_ASSIST_KEY_STORE": "demo-file"}), upgrade=False)
    try:
        with opened.store.connection() as conn:
            conn.execute(sql("UPDATE application SET name = NULL WHERE id_no = :i"), {"i": B})
            conn.commit()
    finally:
        opened.store.dispose()

    done = as_user(env, "campaign", "letters", CODE, "--out", str(tmp_path / "letters"), user="teller1")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "未出具 1 人" in done.stdout and f"第3行 {MASK.resident_id(B)} 张二 未出具：" in done.stdout
    assert "没有登记客户姓名" in done.stdout and "Traceback" not in done.stderr
    assert all(i not in done.stdout + done.stderr for i in (A, B))
    files = sorted((tmp_path / "letters").glob("*.pdf"))
    assert [f.name for f in files] == ["001-财务部.pdf"]  # 生产部 had only 张二
