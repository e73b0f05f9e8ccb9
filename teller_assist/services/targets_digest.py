"""A branch's daily digest for the morning meeting (``tasks digest``): built from the same tasks as
``tasks today --branch``, with the branch's officers and lists, and written as a workbook or a PDF.

Who may: the branch head of that branch, or head office; a disabled operator nothing. Building it is
audited as a view of the branch's tasks, writing it as an export (the file's format, the date, the
counts; no person's data).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from teller_assist.kpi.records import KIND_ZH as EXTRACT_ZH
from teller_assist.services import audit
from teller_assist.services import targets as svc
from teller_assist.services.context import Context
from teller_assist.store import kpi as store_kpi
from teller_assist.store import operators as store_ops
from teller_assist.store import targets as store_targets
from teller_assist.store.engine import Store
from teller_assist.store.operators import OperatorRecord
from teller_assist.targets.digest import DigestList, DigestTask, TaskDigest, officer_rows
from teller_assist.targets.lists import check_branch_code

__all__ = ["FORMATS", "build", "write"]

FORMATS = (".xlsx", ".pdf")
FRESHNESS_KINDS = ("customers", "negative_list", "drawdowns", "targets")


def _freshness(store: Store) -> str:
    found = store_kpi.freshness(store)
    parts = []
    for kind in FRESHNESS_KINDS:
        day = found.get(kind, (None, None))[0]
        parts.append(f"{EXTRACT_ZH.get(kind, kind)}{day.isoformat() if day else '无'}")
    return "数据截至：" + "，".join(parts) + "；申请与签约为实时数据"


def build(ctx: Context, operator: OperatorRecord | None, branch: str) -> TaskDigest:
    """The branch's digest for today: the day's tasks (masked, as ``tasks today --branch`` shows them,
    and audited the same way), each officer's counts, the lists' progress, the notes."""
    code = check_branch_code(branch)
    op = svc.branch_viewer(operator, code, "晨会任务简报", "a branch's digest")
    now = ctx.now()
    ctx = ctx.at(now)  # the day listed and the moment stamped from one reading of the clock
    store = ctx.store
    listing = svc.tasks_today(ctx, op, branch=code)
    operators = store_ops.list_operators(store)
    holding = {t.officer for t in listing.tasks if t.officer}
    staff = [
        (o.login, o.name, o.active)
        for o in operators
        if (o.branch_code == code and o.role in svc.OFFICER_ROLES and (o.active or o.login in holding))
    ]
    staff_logins = {s[0] for s in staff}
    others = {o.login: (o.name, o.active) for o in operators if o.login in holding - staff_logins}
    staff += [(login, *others[login]) for login in sorted(others)]
    tasks = sorted(
        (
            DigestTask(
                t.officer,
                t.kind,
                t.id_masked,
                t.name,
                t.due_on,
                t.overdue,
                t.appointment,
                t.value_fen,
                t.campaign,
            )
            for t in listing.tasks
        ),
        key=_officer_order({s[0]: i for i, s in enumerate(staff)}),
    )
    lists = tuple(
        DigestList(x.campaign, x.due_on, x.people, x.indicator, x.assigned, dict(x.struck))
        for x in store_targets.branch_lists(store, code)
    )
    notes = list(listing.notes)
    gone = [s for s in staff if not s[2] and s[0] in holding]
    if gone:
        notes.append(
            "已停用的客户经理仍持有目标客户："
            + "、".join(s[0] for s in gone)
            + "；请用 targets reassign --from 登录名 --balance 重新分配"
        )
    return TaskDigest(
        code,
        listing.day,
        now,
        op.login,
        officer_rows(tasks, staff),
        tuple(tasks),
        lists,
        tuple(notes),
        _freshness(store),
        dict(listing.counts),
    )


def _officer_order(rank: dict[str, int]) -> Callable[[DigestTask], tuple[int, int]]:
    """Tasks by officer (the officers' table order; the unassigned last), each officer's in the task
    list's own order (the sort is stable)."""

    def key(t: DigestTask) -> tuple[int, int]:
        if t.officer is None:
            return (2, 0)
        return (0, rank[t.officer]) if t.officer in rank else (1, 0)

    return key


def write(ctx: Context, operator: OperatorRecord | None, branch: str, out: Path) -> TaskDigest:
    """Build the digest and write it to ``out`` (``.xlsx`` or ``.pdf`` by its name), private to its
    owner, whole or not at all, with its audit row."""
    from teller_assist.services.report_files import check_suffix, write_private

    suffix = check_suffix(out, FORMATS)
    digest = build(ctx, operator, branch)
    if suffix == ".xlsx":
        from teller_assist.reports.task_digest import digest_xlsx

        data = digest_xlsx(digest)
    else:
        from teller_assist.reports.task_digest import digest_pdf

        data = digest_pdf(digest)

    def audited() -> None:
        audit.log(
            ctx.store,
            "export",
            operator=digest.generated_by,
            subject="task_digest",
            purpose="targets",
            detail={
                "branch": digest.branch,
                "date": digest.day.isoformat(),
                "format": suffix[1:],
                "tasks": len(digest.tasks),
                "officers": len(digest.officers),
            },
        )

    write_private(out, data, audited)
    return digest
