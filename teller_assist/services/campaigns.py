"""Group campaigns' rosters: read a group's file, check and decide every member against what the bank
knows, and hand the refused rows back to the group as a workbook it can correct.

A first slice of the campaigns (issue 17): the roster check and its batch decision, with nothing stored
yet but the audit row. Campaigns, members kept in the database and batch grants come next.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

from teller_assist.campaigns.batch import RosterDecision, decide_roster
from teller_assist.campaigns.roster import SCENARIO_ZH, check_roster
from teller_assist.exports import part_path, spreadsheet_cell
from teller_assist.identity.masking import Masking
from teller_assist.ingest.rosters import RosterTable, read_roster
from teller_assist.prequal.policy import Policy
from teller_assist.services import audit
from teller_assist.services.lookup import lookup_many
from teller_assist.store.engine import Store

REFUSED_HEADER = ("行号", "姓名", "身份证号（部分隐藏）", "原因", "reason")


@dataclass(frozen=True)
class RosterCheck:
    table: RosterTable
    decision: RosterDecision
    as_of: dt.date


def check_roster_file(
    store: Store, path: Path, scenario: str, policy: Policy, *, as_of: dt.date, operator: str
) -> RosterCheck:
    """Read ``path`` (refused whole when its shape cannot be read), check every row, decide every member
    without a survey, and audit the check under ``operator`` with its counts (no one's ID in the row:
    the file's name and fingerprint say which roster it was)."""
    table = read_roster(path)
    checked = check_roster(table.header, table.rows, scenario, as_of, table.refused)
    cards = lookup_many(store, [m.id_no for m in checked.members], as_of=as_of)
    decision = decide_roster(checked, cards, policy, as_of)
    audit.log(
        store,
        "roster_check",
        operator=operator,
        subject=path.name,
        purpose=f"{SCENARIO_ZH[scenario]}名单核对",
        detail={
            "sha256": table.sha256,
            "scenario": scenario,
            "rows": len(decision.decided) + len(decision.refused),
            "members": len(decision.decided),
            "refused": len(decision.refused),
            "eligible": decision.eligible,
            "policy": policy.identity,
        },
    )
    return RosterCheck(table, decision, as_of)


def export_refused(check: RosterCheck, out: Path, masking: Masking) -> int:
    """The refused rows as a workbook for the group to correct: line, name, the ID masked, the reason in
    Chinese and English. No cell is a formula (text stays text, whatever it begins with); the file is
    private (0600) and moved into place only when complete. Returns the rows written."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "未通过的行"
    sheet.append(list(REFUSED_HEADER))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    rows = 0
    for refusal in check.decision.refused:
        id_shown = masking.resident_id(refusal.id_no) if refusal.id_no else ""
        values = [refusal.line_no, refusal.name, id_shown, refusal.reason_zh, refusal.reason_en]
        sheet.append([spreadsheet_cell(v) for v in values])
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # shown as typed, never evaluated
        rows += 1
    for column, width in zip("ABCDE", (8, 14, 22, 48, 48), strict=True):
        sheet.column_dimensions[column].width = width
    part = part_path(out)
    try:
        fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as fh:
            book.save(fh)
            fh.flush()
            os.fsync(fh.fileno())
        part.replace(out)
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    return rows
