"""`teller-assist kpi show / report / refresh / indicator` as the bank's reporting scripts run them, on a
small demo county with its year of history: the figures are the service's, every output names its
date, scope, policy and freshness, people are masked, the workbook holds numbers (and no formula a
campaign's name could smuggle in), the PDF reads back; every command is a signed-in operator's, checked
against their role (head office everything, a branch head their own branch) and audited under them."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import json
import subprocess
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import text

from teller_assist.demo.county import generate_county
from teller_assist.kpi.definitions import Scope
from teller_assist.prequal.policy import default_policy_path, load_policy
from teller_assist.services import kpi
from teller_assist.services.database import open_database
from teller_assist.services.demo_history import load_history
from teller_assist.services.imports import import_paths
from teller_assist.settings import load_settings
from tests.helpers import required
from tests.helpers.cli import add_users, as_user, run_cli

AS_OF = dt.date(2026, 11, 28)
FORMULA = '=HYPERLINK("http://x","点我")'


@pytest.fixture(scope="module")
def county(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """A demo-mode data folder holding a 900-person county with a year of history, and one target
    list whose name looks like a formula."""
    base = tmp_path_factory.mktemp("kpi-cli")
    env = {
        "TELLER_ASSIST_CONFIG": str(base / "config" / "settings.toml"),
        "TELLER_ASSIST_DATA_DIR": str(base / "data"),
    }
    # head office first, as at any bank: the demo's staff come with the history after it
    add_users(env, ("admin1", "hq_admin"), ("teller1", "teller"), ("head0101", "branch_head"))
    opened = open_database(load_settings({**env, "TELLER_ASSIST_KEY_STORE": "demo-file"}))
    store = opened.store
    try:
        summary = generate_county(base / "c", people=900, seed=5, as_of=AS_OF, processes=1, history=True)
        assert import_paths(store, [base / "c"], today=AS_OF).exit_code == 0
        assert summary.history is not None
        load_history(store, summary.history, load_policy(default_policy_path()), as_of=AS_OF)
        with store.write_session() as s:
            s.execute(
                text(
                    "INSERT INTO target (campaign, id_no, branch_code, officer, scenario, batch_id) "
                    "SELECT :c, id_no, branch_code, 'jr010101', 'market', batch_id FROM customer "
                    "WHERE branch_code = '0101' ORDER BY id_no LIMIT 20"
                ),
                {"c": FORMULA},
            )
        kpi.refresh(store, AS_OF, load_policy(default_policy_path()))  # as the night's job does after it
    finally:
        store.dispose()
    return env


def service_view(env: dict[str, str], scope: Scope) -> kpi.KpiView:
    opened = open_database(load_settings({**env, "TELLER_ASSIST_KEY_STORE": "demo-file"}))
    try:
        return kpi.view(opened.store, load_policy(default_policy_path()), scope, AS_OF)
    finally:
        opened.store.dispose()


def audit_rows(env: dict[str, str], action: str, operator: str = "admin1") -> int:
    opened = open_database(load_settings({**env, "TELLER_ASSIST_KEY_STORE": "demo-file"}))
    try:
        with opened.store.connection() as conn:
            return int(
                conn.execute(
                    text("SELECT COUNT(*) FROM audit_event WHERE action = :a AND operator = :o"),
                    {"a": action, "o": operator},
                ).scalar_one()
            )
    finally:
        opened.store.dispose()


def kpi_cli(env: dict[str, str], *args: str, user: str = "admin1") -> subprocess.CompletedProcess[str]:
    """``teller-assist kpi …`` signed in as ``user`` (head office unless said)."""
    return as_user(env, "kpi", *args, user=user)


def test_show_as_json_and_csv_says_what_the_service_says(county: dict[str, str]) -> None:
    done = kpi_cli(county, "show", "--date", "2026-11-28", "--scope", "branch:0104", "--json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["date"] == "2026-11-28" and data["scope"] == "branch:0104"
    assert data["policy"]["version"] and len(data["policy"]["sha256"]) == 64
    assert data["freshness"]["drawdowns"]["extract_date"] == "2026-11-28"
    assert data["freshness"]["applications"] == "live"
    view = service_view(county, Scope("branch", "0104"))
    figures = data["figures"]
    assert figures["signed"] == view.total.stock.signed and figures["drawn_fen"] == view.total.stock.drawn_fen
    assert figures["signing"]["percent"] == str(view.total.stock.signing.percent())
    assert figures["coverage"]["numerator"] == view.total.stock.granted
    assert data["groups"]["kind"] == "officer"
    assert [g["key"] for g in data["groups"]["rows"]] == [g.key for g in view.children]
    assert len(data["flows"]["periods"]) == 12 and data["flows"]["periods"][-1]["period"] == "2026-11"
    months = {m["period"]: m for m in data["flows"]["periods"]}
    by_month = {f.period.label: f for f in view.flows}
    assert {k: m["people_view"]["struck"] for k, m in months.items()} == {
        k: f.people_view.struck for k, f in by_month.items()
    }
    assert sum(m["people_view"]["struck"] for m in months.values()) > 0  # the year's strikes, by month
    assert all(m["work_view"]["struck"] is None for m in months.values())  # a strike is the list's

    # the same compact date form, as CSV: one row for the scope, one per group, numbers as numbers
    done = kpi_cli(county, "show", "--date", "20261128", "--scope", "branch:0104", "--csv")
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    assert rows[0]["group_kind"] == "branch" and rows[0]["group"] == "0104"
    assert int(rows[0]["signed"]) == view.total.stock.signed
    assert rows[0]["signing_pct"] == str(view.total.stock.signing.percent())
    assert {r["group"] for r in rows[1:]} == {g.key for g in view.children}
    flows = kpi_cli(county, "show", "--date", "2026-11-28", "--csv", "--flows", "--grain", "week")
    assert flows.returncode == 0, flows.stderr
    weekly = list(csv.DictReader(io.StringIO(flows.stdout)))
    assert {r["view"] for r in weekly} == {"people", "work"} and weekly[-1]["period"] == "2026-W48"
    assert sum(int(r["struck"]) for r in weekly if r["view"] == "people") > 0
    assert {r["struck"] for r in weekly if r["view"] == "work"} == {""}

    # in words, aligned, with what it rests on
    done = kpi_cli(county, "show", "--date", "2026-11-28", "--scope", "campaign:2026-walk-in")
    assert done.returncode == 0, done.stderr
    assert "统计日 date 2026-11-28" in done.stdout and "授信政策" in done.stdout and "签约率" in done.stdout


def test_bad_scopes_and_dates_are_one_clear_line(county: dict[str, str]) -> None:
    for args in (("--scope", "town:1"), ("--scope", "branch:9999")):
        done = kpi_cli(county, "show", *args)
        assert done.returncode == 2, done.stdout
        assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr
    done = kpi_cli(county, "show", "--date", "2026-13-01")  # argparse: its usage, then the line
    assert done.returncode == 2 and "'2026-13-01'" in done.stderr.strip().splitlines()[-1]


def test_the_people_behind_a_number_are_masked_and_the_list_is_audited(county: dict[str, str]) -> None:
    before = audit_rows(county, "kpi_people")
    done = kpi_cli(
        county,
        "show",
        "--date",
        "2026-11-28",
        "--scope",
        "branch:0104",
        "--people",
        "unused",
        "--json",
    )
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["total"] >= len(data["people"]) > 0
    for p in data["people"]:
        assert "*" in p["id_masked"] and p["first_drawn_on"] is None and p["signed_on"] is not None
    # no full resident ID anywhere in the output
    import re

    assert not re.search(r"\d{17}[\dX]", done.stdout)
    assert audit_rows(county, "kpi_people") == before + 1


def test_the_monthly_workbook_holds_numbers_and_no_formulas(county: dict[str, str], tmp_path: Path) -> None:
    out = tmp_path / "kpi-2026-11.xlsx"
    before = audit_rows(county, "export")
    done = kpi_cli(county, "report", "--month", "2026-11", "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert audit_rows(county, "export") == before + 1
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == [
        "概览",
        "网点",
        "客户经理",
        "活动",
        "场景",
        "月度趋势",
        "每月流量",
        "本月每日",
        "说明",
    ]
    summary = book["概览"]
    assert "授信考核月报 2026-11" in summary["A1"].value
    assert "范围：全县" in summary["A2"].value and "授信政策" in summary["A2"].value
    assert "数据截至" in summary["A3"].value
    # the headline rows: a percentage as a number with a percent format, counts as integers
    header = [c.value for c in summary[6]]
    assert header[:6] == ["指标", "本期", "上月末", "变化（百分点）", "分子", "分母"]
    coverage = summary[7]
    assert coverage[0].value == "授信覆盖率"
    assert isinstance(coverage[1].value, float) and coverage[1].number_format == "0.00%"
    assert isinstance(coverage[4].value, int) and isinstance(coverage[5].value, int)
    assert coverage[1].value == pytest.approx(coverage[4].value / coverage[5].value, abs=1e-12)
    # branches: one row each, the signing rate the service's
    branches = book["网点"]
    rows = [[c.value for c in r] for r in branches.iter_rows(min_row=7) if r[0].value]
    assert len(rows) >= 12
    view = service_view(county, Scope("county"))
    by_key = {g.key: g for g in view.children}
    report = {r[0]: r for r in rows}
    for key, g in by_key.items():
        if g.stock.signed and key in report:
            assert report[key][3] == g.stock.signed  # 签约人数
    # the struck people by month, as numbers, as the service counts them; this month's in the summary
    monthly = [[c.value for c in r] for r in book["每月流量"].iter_rows()]
    head_at = next(i for i, r in enumerate(monthly) if "销号" in r)
    column = monthly[head_at].index("销号")
    struck = {r[0]: r[column] for r in monthly[head_at + 1 :] if r[0]}
    assert struck == {f.period.label: f.people_view.struck for f in view.flows}
    assert all(isinstance(n, int) for n in struck.values()) and sum(struck.values()) > 0
    in_summary = next(r for r in summary.iter_rows(values_only=True) if r[0] == "销号（人）")
    assert in_summary[1] == struck["2026-11"]
    # the campaign whose name looks like a formula is text, shown as text
    campaigns = book["活动"]
    names = [c.value for c in campaigns["A"] if c.value]
    assert "'" + FORMULA in names
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)


def test_the_monthly_pdf_reads_back(county: dict[str, str], tmp_path: Path) -> None:
    pdftotext = required.program("pdftotext")
    out = tmp_path / "kpi-2026-11.pdf"
    done = kpi_cli(county, "report", "--month", "2026-11", "--out", str(out))
    assert done.returncode == 0, done.stderr
    words = subprocess.run([pdftotext, str(out), "-"], capture_output=True, text=True, check=True).stdout
    assert "授信考核月报 2026-11" in words and "统计日" in words and "授信政策" in words
    assert "四项考核指标走势" in words and "各网点签约率与用信率" in words  # the charts' titles, in Chinese
    for branch in ("0101", "0104", "0112"):
        assert branch in words
    assert "签约率" in words and "用信率" in words and "首贷户" in words
    assert "销号" in words and "待上线" not in words  # the struck people, counted


def test_a_report_to_an_unknown_format_or_folder_is_refused_plainly(
    county: dict[str, str], tmp_path: Path
) -> None:
    done = kpi_cli(county, "report", "--month", "2026-11", "--out", str(tmp_path / "r.txt"))
    assert done.returncode == 2 and ".xlsx" in done.stderr
    done = kpi_cli(county, "report", "--month", "2026-11", "--out", str(tmp_path / "no" / "r.pdf"))
    assert done.returncode == 2 and "无法写入" in done.stderr
    assert not (tmp_path / "no").exists()
    done = kpi_cli(county, "report", "--month", "2026-13", "--out", str(tmp_path / "r.pdf"))
    assert done.returncode == 2 and "月份" in done.stderr


def test_only_head_office_sets_indicators(county: dict[str, str]) -> None:
    args = (
        "kpi",
        "indicator",
        "set",
        "branch:0104",
        "--people",
        "321",
        "--from",
        "2026-01-01",
        "--to",
        "2026-12-31",
    )
    done = as_user(county, *args, user="teller1")
    assert done.returncode == 3 and "总行管理员" in done.stderr
    done = as_user(county, *args, user="admin1")
    assert done.returncode == 0, done.stderr
    listed = json.loads(kpi_cli(county, "indicator", "list", "--date", "2026-11-28", "--json").stdout)
    mine = [r for r in listed if r["scope"] == "branch:0104"]
    assert mine == [
        {
            "scope": "branch:0104",
            "measure": "signed",
            "people": 321,
            "from": "2026-01-01",
            "to": "2026-12-31",
            "set_by": "admin1",
        }
    ]
    shown = json.loads(
        kpi_cli(county, "show", "--date", "2026-11-28", "--scope", "branch:0104", "--json").stdout
    )
    assert shown["figures"]["indicator"]["people"] == 321


def test_refresh_keeps_the_daily_sums_and_show_uses_them(county: dict[str, str]) -> None:
    done = kpi_cli(county, "refresh", "--date", "2026-11-28")
    assert done.returncode == 0 and "2026-11-28" in done.stdout, done.stderr
    shown = json.loads(kpi_cli(county, "show", "--date", "2026-11-28", "--json").stdout)
    assert shown["freshness"]["daily_sums_built_at"] is not None
    view = service_view(county, Scope("county"))
    assert shown["figures"]["used"] == view.total.stock.used


@pytest.mark.long
def test_every_kpi_command_is_a_signed_in_operators_and_checked_against_their_role(
    county: dict[str, str], tmp_path: Path
) -> None:
    # no login, no figures
    done = run_cli("kpi", "show", "--scope", "branch:0101", env=county)
    assert done.returncode == 2 and "--user" in done.stderr
    done = as_user(county, "kpi", "show", "--scope", "branch:0101", user="admin1", password="wrong-password")
    assert done.returncode != 0 and not done.stdout
    # a teller sees no KPIs at all
    for args in (
        ("show", "--scope", "branch:0101", "--people", "signed"),
        ("report", "--month", "2026-11", "--out", str(tmp_path / "t.xlsx")),
    ):
        done = kpi_cli(county, *args, user="teller1")
        assert done.returncode == 3 and not done.stdout, (args, done.stdout)
        assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr
    assert not (tmp_path / "t.xlsx").exists()
    # a branch head: their own branch and the people behind its numbers, audited under them; not another
    # branch (the service's own test checks every scope), the report, nor the daily sums
    views = audit_rows(county, "kpi_view", "head0101")
    done = kpi_cli(
        county, "show", "--date", "2026-11-28", "--scope", "branch:0101", "--json", user="head0101"
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["scope"] == "branch:0101"
    assert audit_rows(county, "kpi_view", "head0101") == views + 1
    lists = audit_rows(county, "kpi_people", "head0101")
    done = kpi_cli(county, "show", "--scope", "branch:0101", "--people", "signed", "--json", user="head0101")
    assert done.returncode == 0, done.stderr
    assert audit_rows(county, "kpi_people", "head0101") == lists + 1
    done = kpi_cli(county, "show", "--scope", "branch:0104", "--people", "signed", user="head0101")
    assert done.returncode == 3 and "本网点" in done.stderr and not done.stdout
    assert audit_rows(county, "kpi_people", "head0101") == lists + 1  # a refusal shows nothing
    done = kpi_cli(county, "report", "--month", "2026-11", "--out", str(tmp_path / "h.pdf"), user="head0101")
    assert done.returncode == 3 and "总行管理员" in done.stderr and not (tmp_path / "h.pdf").exists()
    done = kpi_cli(county, "refresh", user="head0101")
    assert done.returncode == 3
    listed = kpi_cli(county, "indicator", "list", "--json", user="head0101")
    assert listed.returncode == 0, listed.stderr
    assert {r["scope"] for r in json.loads(listed.stdout)} <= {"branch:0101"}


def test_the_service_lets_each_role_see_only_its_scopes(county: dict[str, str]) -> None:
    """Every scope against every role, through the service both faces call (no process per case)."""
    from teller_assist.services.context import Context
    from teller_assist.store.kpi import officer_branches
    from teller_assist.store.operators import get_operator

    settings = load_settings({**county, "TELLER_ASSIST_KEY_STORE": "demo-file"})
    opened = open_database(settings)
    store, policy = opened.store, load_policy(default_policy_path())
    ctx = Context(store, settings, policy)
    try:
        admin, head, teller = (get_operator(store, login) for login in ("admin1", "head0101", "teller1"))
        assert admin is not None and head is not None and teller is not None
        own_officers = [o for o, b in officer_branches(store).items() if b == "0101"]
        other_officers = [o for o, b in officer_branches(store).items() if b not in ("0101", "")]
        assert own_officers and other_officers
        everything = [
            Scope("county"),
            Scope("branch", "0101"),
            Scope("branch", "0104"),
            Scope("officer", own_officers[0]),
            Scope("officer", other_officers[0]),
            Scope("campaign", "2026-walk-in"),
            Scope("scenario", "market"),
        ]
        allowed = {
            "admin1": set(everything),
            "head0101": {Scope("branch", "0101"), Scope("officer", own_officers[0])},
            "teller1": set(),
        }
        for op in (admin, head, teller):
            for scope in everything:
                if scope in allowed[op.login]:
                    assert kpi.authorize(store, op, scope) is op
                else:
                    with pytest.raises(kpi.KpiRefused):
                        kpi.authorize(store, op, scope)
                    with pytest.raises(kpi.KpiRefused):
                        kpi.people_for(ctx, op, scope, AS_OF, "signed", purpose="test", limit=5)
        with pytest.raises(kpi.KpiRefused):
            kpi.authorize(store, None, Scope("branch", "0101"))
        gone = dataclasses.replace(admin, active=False)
        with pytest.raises(kpi.KpiRefused):
            kpi.authorize(store, gone, Scope("county"))
    finally:
        store.dispose()


def test_the_report_is_private_to_its_owner_and_the_nights_refresh_is_audited(
    county: dict[str, str], tmp_path: Path
) -> None:
    out = tmp_path / "kpi.xlsx"
    done = kpi_cli(county, "report", "--month", "2026-11", "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert out.stat().st_mode & 0o777 == 0o600
    import getpass

    night = f"os:{getpass.getuser()}"
    before = audit_rows(county, "kpi_refresh", night)
    done = run_cli("kpi", "refresh", "--date", "2026-11-28", env=county)
    assert done.returncode == 0, done.stderr
    assert audit_rows(county, "kpi_refresh", night) == before + 1
