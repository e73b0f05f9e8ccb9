"""`teller-assist campaign ...`: group campaigns on the command line (a first part: checking a roster)."""

from __future__ import annotations

import argparse
import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from teller_assist.campaigns.roster import SCENARIO_ZH, SCENARIOS
from teller_assist.cli_table import table
from teller_assist.cli_workflow import parse_date, writable_output, writing
from teller_assist.settings import load_settings

EXIT_OK, EXIT_ROWS_REFUSED = 0, 1


def add_parsers(sub: Any, common: argparse.ArgumentParser) -> None:
    camp = sub.add_parser("campaign", parents=[common], help="整村、整企等客群活动 group credit campaigns")
    camp_sub = camp.add_subparsers(dest="campaign_command", metavar="ACTION", required=True)
    check = camp_sub.add_parser(
        "check",
        parents=[common],
        help="核对客群名单并批量测算 check a group's roster and pre-qualify every member",
        description="读取名单（.xlsx 或 .csv），逐行核对，并按政策测算每位成员的额度（不保存名单）。"
        " Reads a roster, checks every row and pre-qualifies every member (nothing is stored yet).",
    )
    check.add_argument("file", type=Path, metavar="FILE", help="名单文件 the roster (.xlsx or .csv)")
    check.add_argument(
        "--scenario",
        required=True,
        choices=SCENARIOS,
        help="场景 " + "、".join(f"{k}={v}" for k, v in SCENARIO_ZH.items()),
    )
    check.add_argument("--as-of", type=parse_date, default=None, metavar="DATE")
    check.add_argument("--policy", type=Path, metavar="FILE", help="授信政策文件 a policy file")
    check.add_argument(
        "--refused-out",
        type=Path,
        metavar="FILE.xlsx",
        help="未通过的行导出为Excel，交回村委会/人事更正 the refused rows as a workbook for the group",
    )
    check.add_argument("--json", action="store_true")


def cmd_campaign(args: argparse.Namespace) -> int:
    from teller_assist.services import audit
    from teller_assist.services.campaigns import check_roster_file, export_refused
    from teller_assist.services.database import open_database
    from teller_assist.services.prequal import active_policy

    settings = load_settings(database_url=args.db)
    if args.refused_out is not None:
        writable_output(args.refused_out)
    policy = active_policy(settings, args.policy)
    as_of = args.as_of or dt.date.today()  # noqa: DTZ011 - the bank's local date
    opened = open_database(settings, upgrade=False)
    try:
        check = check_roster_file(
            opened.store, args.file, args.scenario, policy, as_of=as_of, operator=audit.os_actor()
        )
    finally:
        opened.store.dispose()
    decision = check.decision
    written = None
    if args.refused_out is not None and decision.refused:
        with writing(args.refused_out):
            written = export_refused(check, args.refused_out, settings.masking)
    bands = [
        (label, decision.grantable[label].people, decision.grantable[label].exposure,
         decision.potential[label].people, decision.potential[label].exposure)
        for label in decision.grantable
    ]  # fmt: skip
    if args.json:
        print(
            json.dumps(
                {
                    "file": str(args.file),
                    "scenario": args.scenario,
                    "as_of": as_of.isoformat(),
                    "policy": policy.identity,
                    "rows": len(decision.decided) + len(decision.refused),
                    "members": len(decision.decided),
                    "known": decision.known,
                    "new_to_bank": len(decision.decided) - decision.known,
                    "eligible": decision.eligible,
                    "holding_a_line": decision.holding,
                    "refused": [
                        {"line": r.line_no, "reason_zh": r.reason_zh, "reason_en": r.reason_en}
                        for r in decision.refused
                    ],
                    "ineligible": [
                        {"line": d.member.line_no, "reasons": list(d.decision.reasons)}
                        for d in decision.ineligible
                    ],
                    "bands": {
                        label: {
                            "grantable_people": gp,
                            "grantable_yuan": gy,
                            "potential_people": pp,
                            "potential_yuan": py,
                        }
                        for label, gp, gy, pp, py in bands
                    },
                    "refused_file": str(args.refused_out) if written is not None else None,
                },
                ensure_ascii=False,
                indent=2,
            )
        )
        return EXIT_ROWS_REFUSED if decision.refused else EXIT_OK
    rows = len(decision.decided) + len(decision.refused)
    print(
        f"{SCENARIO_ZH[args.scenario]}名单 {args.file.name}：{rows:,} 行，成员 {len(decision.decided):,}"
        f"（本行客户 {decision.known:,}，新客户 {len(decision.decided) - decision.known:,}），"
        f"可授信 {decision.eligible:,}，已持有预授信 {decision.holding:,}，未通过 {len(decision.refused):,}"
    )
    print(f"政策 policy {policy.identity}，测算日 as of {as_of.isoformat()}")
    headers = ("额度段 band", "可授人数", "可授额度(元)", "调查后人数", "调查后额度(元)")
    print("\n".join(table(headers, bands, "<>>>>")))
    for d in decision.ineligible:
        print(f"  第{d.member.line_no}行 不可授信：{'；'.join(d.decision.reasons)}")
    for r in decision.refused:
        print(f"  第{r.line_no}行 未通过：{r.reason_zh}")
    if written is not None:
        print(f"未通过的 {written:,} 行已导出 → {args.refused_out}（交回更正后重新核对）")
    return EXIT_ROWS_REFUSED if decision.refused else EXIT_OK


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {"campaign": cmd_campaign}
