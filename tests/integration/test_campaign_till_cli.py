"""`teller-assist campaign till CODE FILE` as a market campaign's branch head runs it, its own process:
the till records loaded onto the merchants (by resident ID or by the shop's code), the counts said, the
refused rows listed with their reasons and nobody's whole ID on the screen (exit 1 when a row was
refused); audited as ``campaign_till_import``; a teller and a village campaign refused (exit 3)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from openpyxl import Workbook

from teller_assist.identity.masking import Masking
from tests.helpers.cli import add_users, as_user, run_cli
from tests.helpers.extracts import COMPANY, MAN, WOMAN, rid

MASK = Masking()
START = dt.date.today()
PERIOD = ("--from", START.isoformat(), "--to", (START + dt.timedelta(days=90)).isoformat())
CODE = "market-城南-2026"
STRANGER = rid(seq=77)
AS_OF = "2026-11-30"  # the six full months: May to October 2026


def till_file(path: Path) -> Path:
    book = Workbook()
    for row in (
        ["城南农贸市场 商户收银流水"],
        ["序号", "经营者姓名", "身份证号", "商铺统一社会信用代码", "月份", "销售额（元）"],
        [1, "张三", MAN, "", "2026-05", "90000.00"],
        [2, "张三", "", COMPANY, "2026/09", "81,000.50"],  # by the shop's code
        [3, "李四", WOMAN, "", "2026-08", 60000],
        [4, "王五", STRANGER, "", "2026-09", 50000],  # not on the campaign
        [5, "李四", WOMAN, "", "2026-10", "六万"],  # not an amount
    ):
        book.active.append(row)
    book.save(path)
    return path


def test_till_records_loaded_counted_and_the_refused_rows_listed_masked(
    env: dict[str, str], tmp_path: Path
) -> None:
    add_users(env, ("head1", "branch_head"), ("teller1", "teller"))
    made = as_user(
        env, "campaign", "create", CODE, "--scenario", "market", "--group", "城南农贸市场",
        "--branch", "0101", *PERIOD, user="head1",
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    roster = tmp_path / "商户名单.csv"
    roster.write_text(
        f"序号,姓名,身份证号,商铺,商铺统一社会信用代码\n1,张三,{MAN},A-12 张记粮油,{COMPANY}\n"
        f"2,李四,{WOMAN},B-03 李家水产,\n",
        encoding="utf-8",
    )
    loaded = as_user(env, "campaign", "import", CODE, str(roster), user="head1")
    assert loaded.returncode == 0, loaded.stdout + loaded.stderr
    till = till_file(tmp_path / "收银流水.xlsx")

    done = as_user(env, "campaign", "till", CODE, str(till), "--as-of", AS_OF, user="head1")
    assert done.returncode == 1, done.stdout + done.stderr  # rows refused: the others still loaded
    assert "5 行，商户 2 户共 3 个月，记录有变化的商户 2 户，未通过 2 行" in done.stdout, done.stdout
    assert f"第6行 {MASK.resident_id(STRANGER)} 未通过：该商户不在本活动的名单上" in done.stdout
    assert "第7行" in done.stdout and "Traceback" not in done.stderr
    assert all(i not in done.stdout + done.stderr for i in (MAN, WOMAN, STRANGER))

    again = as_user(env, "campaign", "till", CODE, str(till), "--as-of", AS_OF, "--json", user="head1")
    assert again.returncode == 1, again.stderr
    shown = json.loads(again.stdout)
    assert (shown["rows"], shown["months"], shown["merchants"], shown["changed"]) == (5, 3, 2, 0)
    assert [r["line"] for r in shown["refused"]] == [6, 7]
    assert shown["refused"][0]["given"] == MASK.resident_id(STRANGER)
    assert STRANGER not in again.stdout

    exported = run_cli("audit", "export", "--out", str(tmp_path / "audit.csv"), env=env)
    assert exported.returncode == 0, exported.stderr
    trail = (tmp_path / "audit.csv").read_text(encoding="utf-8-sig")
    rows = [line for line in trail.splitlines() if "campaign_till_import" in line]
    assert len(rows) == 2 and all("head1" in r for r in rows), rows
    assert all(i not in trail for i in (MAN, WOMAN, STRANGER))

    teller = as_user(env, "campaign", "till", CODE, str(till), "--as-of", AS_OF, user="teller1")
    assert teller.returncode == 3 and "Traceback" not in teller.stderr, teller.stderr
    village = as_user(
        env, "campaign", "create", "village-x-2026", "--scenario", "village", "--group", "某村",
        "--branch", "0101", *PERIOD, user="head1",
    )  # fmt: skip
    assert village.returncode == 0, village.stderr
    not_market = as_user(env, "campaign", "till", "village-x-2026", str(till), "--as-of", AS_OF, user="head1")
    assert not_market.returncode == 3 and "收银记录只用于整市场活动" in not_market.stderr, not_market.stderr
