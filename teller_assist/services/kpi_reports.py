"""The monthly KPI report, written as ``.xlsx`` or PDF and audited as an export."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from teller_assist.errors import UserFacingError
from teller_assist.kpi.periods import Period, parse_month
from teller_assist.kpi.records import MonthlyReport
from teller_assist.prequal.policy import Policy
from teller_assist.services import audit, kpi
from teller_assist.store.engine import Store

__all__ = ["FORMATS", "render", "write_monthly"]

FORMATS = (".xlsx", ".pdf")


def render(report: MonthlyReport, suffix: str) -> bytes:
    if suffix == ".xlsx":
        from teller_assist.reports.xlsx import monthly_xlsx

        return monthly_xlsx(report)
    from teller_assist.reports.pdf import monthly_pdf

    return monthly_pdf(report)


def write_monthly(
    store: Store,
    policy: Policy,
    month: str | Period,
    out: Path,
    *,
    today: dt.date | None = None,
    operator: str | None = None,
) -> MonthlyReport:
    """Build the month's report and write it to ``out`` (its suffix says the format), with an audit row
    naming what was exported. A file that cannot be written is said plainly; nothing half-written is left."""
    suffix = out.suffix.lower()
    if suffix not in FORMATS:
        raise UserFacingError(
            f"不支持的报表格式：{out.name}",
            f"unsupported report format: {out.name}",
            hint_zh="文件名应以 .xlsx 或 .pdf 结尾",
            hint_en="name the file .xlsx or .pdf",
        )
    period = parse_month(month) if isinstance(month, str) else month
    report = kpi.monthly(store, policy, period, today or dt.date.today())  # noqa: DTZ011 - the bank's local date
    data = render(report, suffix)
    tmp = out.with_name(out.name + ".part")
    try:
        tmp.write_bytes(data)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise UserFacingError(
            f"无法写入 {out}：{exc.strerror}",
            f"cannot write {out}: {exc.strerror}",
            hint_zh="请检查文件夹是否存在、是否有写权限",
            hint_en="check that the folder exists and can be written",
        ) from None
    try:  # no audit row, no file
        audit.log(
            store,
            "export",
            operator=operator or audit.os_actor(),
            purpose="kpi_report",
            detail={"month": period.label, "format": suffix[1:], "as_of": report.as_of.isoformat()},
        )
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    os.replace(tmp, out)
    return report
