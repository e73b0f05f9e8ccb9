"""The monthly KPI report, written as ``.xlsx`` or PDF by a head-office administrator, private to its
owner, and audited as an export."""

from __future__ import annotations

import os
from pathlib import Path

from teller_assist.errors import UserFacingError
from teller_assist.files import PRIVATE_FILE
from teller_assist.kpi.periods import Period, parse_month
from teller_assist.kpi.records import MonthlyReport
from teller_assist.services import audit, kpi
from teller_assist.services.context import Context
from teller_assist.store.operators import OperatorRecord

__all__ = ["FORMATS", "render", "write_monthly"]

FORMATS = (".xlsx", ".pdf")


def render(report: MonthlyReport, suffix: str) -> bytes:
    if suffix == ".xlsx":
        from teller_assist.reports.xlsx import monthly_xlsx

        return monthly_xlsx(report)
    from teller_assist.reports.pdf import monthly_pdf

    return monthly_pdf(report)


def write_monthly(
    ctx: Context,
    month: str | Period,
    out: Path,
    *,
    operator: OperatorRecord | None,
    purpose: str = "cli",
) -> MonthlyReport:
    """Build the month's report and write it to ``out`` (its suffix says the format, the file readable by
    its owner only), with an audit row under ``operator`` (head office only: the report names every
    branch's and officer's figures) naming what was exported. A file that cannot be written is said
    plainly; nothing half-written is left."""
    op = kpi.require_head_office(operator, "导出月度考核报表", "export the monthly KPI report")
    suffix = out.suffix.lower()
    if suffix not in FORMATS:
        raise UserFacingError(
            f"不支持的报表格式：{out.name}",
            f"unsupported report format: {out.name}",
            hint_zh="文件名应以 .xlsx 或 .pdf 结尾",
            hint_en="name the file .xlsx or .pdf",
        )
    period = parse_month(month) if isinstance(month, str) else month
    report = kpi.monthly(ctx.store, ctx.in_force(), period, ctx.today())
    data = render(report, suffix)
    tmp = out.with_name(out.name + ".part")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE)
        with os.fdopen(fd, "wb") as fh:
            if os.name != "nt":
                os.fchmod(fh.fileno(), PRIVATE_FILE)
            fh.write(data)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise UserFacingError(
            f"无法写入 {out}：{exc.strerror}",
            f"cannot write {out}: {exc.strerror}",
            hint_zh="请检查文件夹是否存在、是否有写权限",
            hint_en="check that the folder exists and can be written",
        ) from None
    try:  # no audit row, no file
        audit.note(
            ctx,
            "export",
            operator=op.login,
            subject="kpi_report",
            purpose=purpose,
            detail={"month": period.label, "format": suffix[1:], "as_of": report.as_of.isoformat()},
        )
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    os.replace(tmp, out)
    return report
