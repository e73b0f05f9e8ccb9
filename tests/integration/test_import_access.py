"""Who may import or load the demo county, and the audit trail every import leaves (both engines and the
command line): a head-office administrator only; never demo people into a database with real data."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from teller_assist.prequal.survey import Survey
from teller_assist.services import applications as apps
from teller_assist.services.audit import os_actor
from teller_assist.services.context import Context
from teller_assist.services.database import open_database
from teller_assist.services.imports import (
    ImportCancelled,
    Importer,
    ImportRefused,
    RealDataPresent,
    demo_county,
    run_import,
)
from teller_assist.settings import load_settings
from teller_assist.store import audit as store_audit
from teller_assist.store.engine import Store
from teller_assist.store.queries import holds_real_data
from tests.helpers.cli import run_cli
from tests.helpers.context import context_of
from tests.helpers.extracts import GOV, MAN, rid, write
from tests.helpers.operators import PASSWORD, make_operator
from tests.helpers.surveys import walk_in_answers

TODAY = dt.date(2026, 11, 28)


def import_rows(store: Store) -> list[store_audit.AuditRow]:
    return [r for r in store_audit.export_rows(store, None, None) if r.action == "import"]


def two_files(folder: Path) -> Path:
    write(folder, "customers_20261127.csv", ["id_no,name", f"{MAN},张三", f"{rid(seq=33)[:-1]}0,坏行"])
    write(
        folder,
        "payroll_20261127.csv",
        ["txn_id,id_no,employer_code,employer_name,pay_date,amount", f"T1,{MAN},{GOV},局,2026-10-01,100"],
    )
    return folder


def test_only_a_head_office_administrator_may_import_and_each_run_is_audited(
    store: Store, ctx: Context, tmp_path: Path
) -> None:
    folder = two_files(tmp_path / "in")
    for role in ("teller", "lobby_manager", "branch_head"):
        with pytest.raises(ImportRefused) as refused:
            Importer.operator(make_operator(store, f"u_{role}", role))
        assert "总行管理员" in refused.value.message_zh and refused.value.exit_code == 3
    with pytest.raises(ImportRefused):
        Importer.operator(None)
    admin = make_operator(store, "hq1", "hq_admin")
    report = run_import(ctx.on(TODAY), [folder], by=Importer.operator(admin), purpose="window")
    assert [f.status for f in report.files] == ["loaded", "loaded"]
    (row,) = import_rows(store)
    assert (row.operator, row.purpose, row.subject) == ("hq1", "window", "2 files")
    files = json.loads(row.detail)["files"]
    assert [(f["file"], f["kind"], f["rows"], f["loaded"], f["rejected"]) for f in files] == [
        ("customers_20261127.csv", "customers", 2, 1, 1),
        ("payroll_20261127.csv", "payroll", 1, 1, 0),
    ]
    assert all(f["batch"] for f in files) and MAN not in row.detail  # names and counts, no row's content
    # a file already loaded is skipped, and that is audited too
    run_import(ctx.on(TODAY), [folder / "payroll_20261127.csv"], by=Importer.os_account(), purpose="cli")
    last = import_rows(store)[-1]
    assert last.operator == os_actor() and json.loads(last.detail)["files"][0]["status"] == "skipped"


def test_a_cancelled_import_is_audited_with_the_files_it_finished(
    store: Store, ctx: Context, tmp_path: Path
) -> None:
    folder = two_files(tmp_path / "in")
    admin = make_operator(store, "hq1", "hq_admin")
    seen: list[str] = []

    def progress(name: str, _done: int, _total: int) -> None:
        seen.append(name)

    with pytest.raises(ImportCancelled):  # cancelled once the customers file is in
        run_import(
            ctx.on(TODAY),
            [folder],
            by=Importer.operator(admin),
            purpose="window",
            progress=progress,
            cancelled=lambda: "payroll_20261127.csv" in seen,
        )
    (row,) = import_rows(store)
    detail = json.loads(row.detail)
    assert detail["cancelled"] is True
    assert [f["file"] for f in detail["files"]] == ["customers_20261127.csv"]


def test_the_demo_county_never_goes_into_a_database_with_real_data(
    store: Store, ctx: Context, tmp_path: Path
) -> None:
    admin = Importer.operator(make_operator(store, "hq1", "hq_admin"))
    assert not holds_real_data(store)
    report = demo_county(context_of(store, TODAY), tmp_path / "demo", by=admin, people=30)
    assert report.exit_code in (0, 1)
    assert not holds_real_data(store)  # the demo county's own batches are not real data
    tomorrow = context_of(store, TODAY + dt.timedelta(days=1))
    again = demo_county(tomorrow, tmp_path / "demo", by=admin, people=30)
    assert {f.status for f in again.files} == {"loaded"}  # a demo database takes a newer demo county
    demo_rows = [r for r in import_rows(store) if r.purpose == "demo"]
    assert len(demo_rows) == 2 and demo_rows[0].operator == "hq1"

    # a real night's file: from now on, no demo people
    run_import(ctx.on(TODAY), [two_files(tmp_path / "real")], by=admin, purpose="cli")
    assert holds_real_data(store)
    with pytest.raises(RealDataPresent) as refused:
        demo_county(context_of(store, TODAY + dt.timedelta(days=2)), tmp_path / "demo2", by=admin, people=30)
    assert "真实数据" in refused.value.message_zh and refused.value.hint_zh


def test_an_application_for_someone_the_demo_did_not_make_is_real_data(
    store: Store, tmp_path: Path, ctx: Context
) -> None:
    teller = make_operator(store, "teller1")
    apps.submit(
        ctx.on(TODAY),
        rid(seq=401),  # a walk-in the bank has never seen: no import at all
        Survey("walk_in", walk_in_answers(household_income=20_000)),
        apps.Actor.here(teller),
        name="王五",
    )
    assert holds_real_data(store)
    with pytest.raises(RealDataPresent):
        demo_county(
            context_of(store, TODAY),
            tmp_path / "demo",
            by=Importer.operator(make_operator(store, "hq1", "hq_admin")),
            people=10,
        )


def test_the_command_line_import_is_audited_under_the_administrator_or_the_os_account(
    env: dict[str, str], tmp_path: Path
) -> None:
    settings = load_settings({**env, "TELLER_ASSIST_KEY_STORE": "demo-file"})
    store = open_database(settings).store
    try:
        make_operator(store, "hq1", "hq_admin")
        make_operator(store, "teller1")
    finally:
        store.dispose()
    folder = two_files(tmp_path / "in")
    refused = run_cli("import", str(folder), "--user", "teller1", "--password-stdin", env=env, stdin=PASSWORD)
    assert refused.returncode == 3 and "总行管理员" in refused.stderr and "Traceback" not in refused.stderr
    done = run_cli("import", str(folder), "--user", "hq1", "--password-stdin", env=env, stdin=PASSWORD)
    assert done.returncode == 1, done.stderr  # one refused row
    nightly = run_cli("import", str(folder / "payroll_20261127.csv"), env=env)  # the unattended job
    assert nightly.returncode == 0, nightly.stderr
    store = open_database(settings).store
    try:
        rows = import_rows(store)
    finally:
        store.dispose()
    assert [(r.operator, r.purpose) for r in rows] == [("hq1", "cli"), (os_actor(), "cli")]
    assert json.loads(rows[0].detail)["files"][0]["rejected"] == 1


def test_a_skipped_file_loads_nothing_now_and_an_extract_dated_tomorrow_is_warned(
    store: Store, tmp_path: Path
) -> None:
    from teller_assist.services.imports import import_paths

    folder = two_files(tmp_path / "in")
    import_paths(store, [folder], today=TODAY)
    again = import_paths(store, [folder / "customers_20261127.csv"], today=TODAY).files[0]
    assert (again.status, again.loaded, again.already_present) == ("skipped", 0, 1)
    assert "1行" in again.warnings[0]
    header = "txn_id,id_no,employer_code,employer_name,pay_date,amount"
    tomorrow = write(tmp_path / "t", "payroll_20261129.csv", [header, f"T9,{MAN},{GOV},局,2026-11-02,100"])
    late = import_paths(store, [tomorrow], today=TODAY).files[0]
    assert any("晚于今天2026-11-28" in w for w in late.warnings), late.warnings
