"""Loading the demo county's year of programme history: its staff, its applications (the store's bulk
path), what the year did to the target lists, and the branches' and campaigns' indicators, so the 考核
dashboard and each officer's 今日任务 have something real to show.

The staff are the demo branches' customer managers (``jr…``), lobby managers (``dt…``) and branch heads
(``zh…``), each branch's officers of its targets. Their accounts are active but hold no password at all
(``store.operators.NO_LOGIN_HASH``, which no password matches): nobody signs in as one until head office
gives it a one-time password (操作员管理 → 重置密码, ``users reset-password``), as for any new colleague,
and then they see their own targets and tasks. They do not count as operators for a first start: a demo
database still asks for its first administrator.

The lists ran through the year: a target whose person signed during it is struck on the day they signed
(or on the year's first day, for a line signed before and still held then), as a signature at the counter
strikes it, so the lists' progress and the KPIs' 销号 have a history. Each branch head keeps one target in
:data:`BRANCH_HEAD_SHARE` of their branch's (in list and ID order), handed over from the customer
managers who had them; every hand-over is kept and audited as an assignment is.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import math
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

from teller_assist.demo import history as demo_history
from teller_assist.demo.county import TOWNS
from teller_assist.money import FEN_PER_YUAN, yuan_text
from teller_assist.prequal import workflow
from teller_assist.prequal.policy import CONSENTS, Policy
from teller_assist.prequal.workflow import Status
from teller_assist.services.audit import now_utc, workstation
from teller_assist.store import kpi as store_kpi
from teller_assist.store import targets as store_targets
from teller_assist.store.audit import AuditEntry
from teller_assist.store.engine import Store
from teller_assist.store.history import HistoricApplication, StaffMember, ensure_staff, insert_applications
from teller_assist.store.operators import NO_LOGIN_HASH
from teller_assist.targets.tasks import Strike, signing_strike

__all__ = ["BRANCH_HEAD_SHARE", "HistoryLoaded", "load_history"]

BRANCH_HEAD_SHARE = 10
"""A demo branch head keeps one target in this many of their branch's."""


@dataclass(frozen=True, slots=True)
class HistoryLoaded:
    applications: int
    staff: int
    indicators: int
    seconds: float
    struck: int = 0  # targets struck by the year's signatures
    handed_over: int = 0  # targets the branch heads keep


def _local(text: str) -> dt.datetime | None:
    """A wall-clock time written by the generator, placed in this desktop's zone."""
    return dt.datetime.fromisoformat(text).astimezone() if text else None


def _day(text: str) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def load_history(
    store: Store, path: Path, policy: Policy, *, as_of: dt.date, by: str | None = None
) -> HistoryLoaded:
    """Load ``history/applications_*.csv`` written by ``generate_county(history=True)``, audited under
    ``by`` (the head-office administrator who loaded the demo county)."""
    import time

    started = time.monotonic()
    now = now_utc()
    branches = tuple(b for _t, b in TOWNS)
    staff = [StaffMember(o.login, o.name, o.role, o.branch) for o in demo_history.demo_operators(branches)]
    ids = ensure_staff(store, staff, password_hash=NO_LOGIN_HASH, active=True, now=now)
    rows: list[HistoricApplication] = []
    signed_by_branch: Counter[str] = Counter()
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        for r in reader:
            submitted = _local(r["submitted_at"])
            assert submitted is not None
            decided, signed, closed = _local(r["decided_at"]), _local(r["signed_at"]), _local(r["closed_at"])
            maker_id, _maker_role = ids[r["maker"]]
            checker = ids.get(r["checker"]) if r["checker"] else None
            status = r["status"]
            granted = status in (Status.APPROVED, Status.SIGNED, Status.EXPIRED)
            line_fen = int(r["line"]) * FEN_PER_YUAN  # the history file writes whole yuan
            authority_fen = workflow.authority_fen(policy, checker[1]) if checker and granted else None
            said = yuan_text(line_fen)
            evidence = f"基础额度{said}元" if line_fen == policy.base_fen else f"综合评估额度{said}元"
            rows.append(
                HistoricApplication(
                    id_no=r["id_no"],
                    name=r["name"] or None,
                    scenario=r["scenario"],
                    status=status,
                    survey=_json({"phone": r["phone"]} if r["phone"] else {}),
                    consents=_json({c: {"at": submitted.isoformat(), "by": r["maker"]} for c in CONSENTS}),
                    decision=_json(
                        {
                            "demo_history": True,
                            "scenario": r["scenario"],
                            "grantable_fen": line_fen,
                            "factors": [{"code": "history", "applies": True, "evidence": evidence}],
                        }
                    ),
                    policy_version=policy.version,
                    policy_sha256=policy.sha256,
                    line_fen=line_fen,
                    annual_rate_bp=int(r["annual_rate_bp"]),
                    branch_code=r["branch_code"] or None,
                    workstation=f"demo-{r['branch_code']}",
                    maker_id=maker_id,
                    checker_id=checker[0] if checker else None,
                    checker_role=checker[1] if checker else None,
                    checker_authority_fen=authority_fen,
                    submitted_at=submitted,
                    decided_at=decided,
                    reject_reason=r["reject_reason"] or None,
                    valid_until=_day(r["valid_until"]),
                    signed_at=signed,
                    signed_by=ids[r["signer"]][0] if r["signer"] else None,
                    closed_at=closed,
                    submitted_on=submitted.date(),
                    decided_on=decided.date() if decided else None,
                    signed_on=signed.date() if signed else None,
                )
            )
            if status == Status.SIGNED:
                signed_by_branch[r["branch_code"]] += 1
    grants = [
        (role, limit, policy.version)
        for role in ("lobby_manager", "branch_head")
        if (limit := workflow.authority_fen(policy, role)) is not None
    ]
    here = workstation()
    inserted = insert_applications(
        store,
        rows,
        grants=grants,
        entry=lambda n: AuditEntry(
            "demo_history", by, here, None, "demo", {"applications": n, "as_of": as_of.isoformat()}
        ),
        now=now,
    )
    struck, handed = _programme_targets(store, rows, set(ids), as_of, by, now)
    indicators = _indicators(store, signed_by_branch, as_of, now)
    from teller_assist.services import kpi

    kpi.refresh(store, as_of, policy)  # the daily sums, as the night's job keeps them after an import
    return HistoryLoaded(inserted, len(staff), indicators, time.monotonic() - started, struck, handed)


def _programme_targets(
    store: Store,
    rows: list[HistoricApplication],
    staff: set[str],
    as_of: dt.date,
    by: str | None,
    now: dt.datetime,
) -> tuple[int, int]:
    """What the year did to the target lists: the targets its signatures struck (each on the day of
    its first signature in the year, by the rule a signature at the counter follows), and each branch
    head's share of their branch's targets. Returns (struck, handed over)."""
    here, who = workstation(), by or "demo"
    listed_on = as_of - dt.timedelta(days=demo_history.WINDOW_DAYS)  # the lists ran through the year
    signings: dict[str, list[tuple[dt.date, dt.date | None]]] = defaultdict(list)
    for r in rows:
        if r.signed_on is not None:
            signings[r.id_no].append((r.signed_on, r.valid_until))
    held = store_targets.targets_of(store)
    strikes: list[tuple[str, str, Strike]] = []
    for t in held:
        found = [
            s
            for on, until in signings.get(t.id_no, ())
            if (s := signing_strike(listed_on, on, until)) is not None and s.on < as_of
        ]
        if t.struck is None and found:
            strikes.append((t.campaign, t.id_no, min(found, key=lambda s: s.on)))
    counts = {"signed": len(strikes), "ineligible": 0, "declined": 0}
    struck = store_targets.record_strikes(
        store,
        strikes,
        by=who,
        at=now,
        entry=AuditEntry(
            "target_strike", by, here, None, "targets", {"date": as_of.isoformat(), **counts, "demo": True}
        ),
    )
    by_branch: dict[str, list[store_targets.TargetRow]] = defaultdict(list)
    for t in held:  # in list and ID order
        if t.branch_code is not None and f"zh{t.branch_code}" in staff:
            by_branch[t.branch_code].append(t)
    moves: list[tuple[store_targets.TargetRow, str | None]] = [
        (t, f"zh{branch}")
        for branch, theirs in sorted(by_branch.items())
        for n, t in enumerate(theirs, start=1)
        if n % BRANCH_HEAD_SHARE == 0
    ]
    handed = 0
    if moves:
        detail = {"demo": True, "branch_heads": len(by_branch), "targets": len(moves)}
        handed = store_targets.assign_many(
            store, moves, by=who, at=now, entry=AuditEntry("target_assign", by, here, None, "targets", detail)
        )
    return struck, handed


def _indicators(store: Store, signed_by_branch: Counter[str], as_of: dt.date, now: dt.datetime) -> int:
    """Each branch's indicator for the year: about a sixth more signed people than it has (rounded up
    to tens); each village campaign's: three quarters of its list granted."""
    start, end = dt.date(as_of.year, 1, 1), dt.date(as_of.year, 12, 31)
    done = 0
    for n, (branch, signed) in enumerate(sorted(signed_by_branch.items())):
        factor = 1.05 + 0.05 * (n % 5)  # some branches ahead of their indicator, some behind
        people = max(10, math.ceil(signed * factor / 10) * 10)
        store_kpi.set_indicator(
            store, store_kpi.IndicatorRow("branch", branch, "signed", people, start, end, "demo", now)
        )
        done += 1
    for campaign, members in store_kpi.target_counts(store).items():
        if campaign.startswith("village-"):
            people = max(10, math.ceil(members * 0.75 / 10) * 10)
            store_kpi.set_indicator(
                store,
                store_kpi.IndicatorRow("campaign", campaign, "granted", people, start, end, "demo", now),
            )
            done += 1
    return done
