"""Import the core bank's nightly extracts: each file one batch, all in or nothing, idempotent.

Who may: a head-office administrator signed in (the window, or ``import --user`` on the command line),
or the OS account that runs the unattended nightly job on the command line. Every run is audited
under that operator with its files and counts (``run_import``, ``demo_county``); ``import_paths`` is
the loader beneath them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from teller_assist.errors import UserFacingError
from teller_assist.exports import private_csv
from teller_assist.identity.masking import Masking, mask_refusal_reason, mask_refused_row
from teller_assist.ingest.kinds import (
    LOAD_ORDER,
    extract_date_from_file_name,
    kind_from_file_name,
)
from teller_assist.ingest.parse import Chunk, ParsedHeader, parse_file, parse_file_in_child
from teller_assist.ingest.reader import FileRefused, fingerprint, kind_named
from teller_assist.services import audit
from teller_assist.services.context import Context
from teller_assist.store.bulk import find_loaded, open_batch
from teller_assist.store.engine import Store
from teller_assist.store.operators import OperatorRecord
from teller_assist.store.queries import DEMO_BATCH_PREFIX, batch_exists, holds_real_data, rejects

PIPELINE_BYTES = 16 << 20  # files this big may be parsed by a helper process while the database writes
EXIT_OK, EXIT_ROWS_REFUSED, EXIT_FAILED = 0, 1, 2

Progress = Callable[[str, int, int], None]  # (file name, bytes done over the run, bytes in the run)
Cancelled = Callable[[], bool]

log = logging.getLogger(__name__)


IMPORTER_ROLE = "hq_admin"


def _cpu_times() -> tuple[int, int] | None:
    """The machine's (idle, total) CPU time over every core, in clock ticks, from Linux's /proc/stat."""
    try:
        with open("/proc/stat", encoding="ascii") as f:
            fields = [int(x) for x in f.readline().split()[1:9]]
    except (OSError, ValueError):
        return None
    if len(fields) < 5:
        return None
    return fields[3] + fields[4], sum(fields)  # idle + iowait; user .. steal


def idle_cores(sample_s: float = 0.2) -> float | None:
    """How many cores stood idle over the last ``sample_s`` seconds (this process sleeps meanwhile), or
    None where the machine does not say (not Linux)."""
    first = _cpu_times()
    if first is None:
        return None
    time.sleep(sample_s)
    second = _cpu_times()
    if second is None or second[1] <= first[1]:
        return None
    return (os.cpu_count() or 1) * (second[0] - first[0]) / (second[1] - first[1])


def spare_core() -> bool:
    """Whether a core is free for a parsing helper beside the importer: two cores idle now, one for the
    importer and one for the helper. The helper only pays when it gets a core of its own: on a machine
    busy with other work it adds the cost of passing every row between processes (and the helper's
    memory) and gains nothing, so the file is parsed in the importing process. Judged by a short sample
    of what runs now, not the load average, which remembers the last minute's work (a process that has
    just finished) for a minute after it ends. Without the sample: the load over the last minute leaving
    a core idle; where neither can be read (Windows), four cores or more count as a spare one."""
    cpus = os.cpu_count() or 1
    if cpus < 2:
        return False
    idle = idle_cores()
    if idle is not None:
        return idle >= 1.5
    try:
        load = os.getloadavg()[0]
    except (AttributeError, OSError):
        return cpus >= 4
    return load <= cpus - 1


class ImportCancelled(UserFacingError):
    def __init__(self) -> None:
        super().__init__(
            "导入已取消，当前文件未写入任何数据", "import cancelled; nothing of the current file was written"
        )
        self.files: list[FileResult] = []  # the files finished (committed) before the cancel


class ImportRefused(UserFacingError):
    """This operator may not import, or not into this database."""

    exit_code = 3


@dataclass(frozen=True)
class Importer:
    """Who runs an import, as the audit trail names them: a head-office administrator's login, or
    ``os:<account>`` for an unattended command-line job (see ``os_account``)."""

    login: str

    @classmethod
    def operator(cls, operator: OperatorRecord | None) -> Importer:
        """The signed-in operator, when they may import (refused otherwise)."""
        if operator is None:
            raise ImportRefused("请先登录", "sign in first")
        if not operator.active:
            raise ImportRefused("该操作员账户已停用", "this operator account is disabled")
        if operator.role != IMPORTER_ROLE:
            raise ImportRefused(
                "只有总行管理员可以导入数据或载入演示数据",
                "only a head-office administrator may import data or load the demo county",
                hint_zh="请由总行管理员登录后操作",
                hint_en="sign in as a head-office administrator",
            )
        return cls(operator.login)

    @classmethod
    def os_account(cls) -> Importer:
        """The command line's unattended job: the OS account that holds the database's key."""
        return cls(audit.os_actor())


@dataclass
class FileResult:
    path: str
    kind: str | None
    status: str  # "loaded" | "skipped" | "refused"
    rows: int = 0
    loaded: int = 0
    rejected: int = 0
    already_present: int = 0
    sha256: str | None = None
    warnings: list[str] = field(default_factory=list)
    error: str | None = None
    batch_id: int | None = None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class ImportReport:
    files: list[FileResult]

    @property
    def exit_code(self) -> int:
        if any(f.status == "refused" for f in self.files):
            return EXIT_FAILED
        if any(f.rejected for f in self.files):
            return EXIT_ROWS_REFUSED
        return EXIT_OK

    def to_json(self) -> dict[str, Any]:
        return {"files": [f.to_json() for f in self.files]}


def future_extract(path: Path, today: dt.date) -> str | None:
    """A warning when the file's name dates it after today (a wrong date in the name, or a wrong
    clock): loaded all the same, since the rows decide, but said."""
    day = extract_date_from_file_name(path.name)
    if day is None or day <= today:
        return None
    return (
        f"文件名日期{day.isoformat()}晚于今天{today.isoformat()}，请核对文件或本机日期 "
        f"(the name dates the extract {day.isoformat()}, after today {today.isoformat()})"
    )


def plan(paths: Sequence[Path], kind: str | None = None) -> list[tuple[Path, str | None]]:
    """Files to load, folders expanded, in dependency order (people before their records, agreements
    before their debits); each with its kind (``None`` when it cannot be told)."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(p for p in path.iterdir() if p.is_file() and not p.name.startswith(".")))
        else:
            files.append(path)
    entries = [(p, kind or kind_from_file_name(p.name)) for p in files]
    rank = {k: i for i, k in enumerate(LOAD_ORDER)}
    return sorted(
        entries,
        key=lambda e: (
            rank.get(e[1] or "", len(rank)),
            extract_date_from_file_name(e[0].name) or dt.date.min,
            e[0].name,
        ),
    )


def import_paths(
    store: Store,
    paths: Sequence[Path],
    *,
    kind: str | None = None,
    encoding: str | None = None,
    today: dt.date,
    now: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
    demo: bool = False,
) -> ImportReport:
    """The loader: each file one batch (see ``import_file``). The faces call ``run_import``, which
    checks who imports and audits the run; ``demo`` marks the batches as the demo county's."""
    entries = plan(paths, kind)
    sizes = [p.stat().st_size if p.exists() else 0 for p, _ in entries]
    total = sum(sizes)
    done = 0
    results: list[FileResult] = []
    # decided once, before this run adds its own load: big files get a parsing helper if a core is free
    helper = any(size >= PIPELINE_BYTES for size in sizes) and spare_core()
    if any(size >= PIPELINE_BYTES for size in sizes):
        log.info("import: big files parsed %s", "by a helper process" if helper else "in this process")
    for (path, file_kind), size in zip(entries, sizes, strict=True):
        base = done

        def file_progress(read: int, _size: int, base: int = base, name: str = path.name) -> None:
            if progress is not None:
                progress(name, base + read, total)

        try:
            result = import_file(
                store,
                path,
                kind=file_kind,
                encoding=encoding,
                today=today,
                now=now,
                progress=file_progress,
                cancelled=cancelled,
                helper=helper,
                demo=demo,
            )
        except ImportCancelled as exc:
            exc.files = results  # what was committed before, for the audit trail
            raise
        results.append(result)
        done += size
        if progress is not None:
            progress(path.name, done, total)
        last = results[-1]
        log.info(
            "import %s (%s): %s, %d rows, %d loaded, %d refused%s",
            path.name,
            last.kind,
            last.status,
            last.rows,
            last.loaded,
            last.rejected,
            f": {last.error}" if last.error else "",
        )
    return ImportReport(results)


def import_file(
    store: Store,
    path: Path,
    *,
    kind: str | None = None,
    encoding: str | None = None,
    today: dt.date,
    now: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
    progress: Callable[[int, int], None] | None = None,
    cancelled: Cancelled | None = None,
    helper: bool | None = None,
    demo: bool = False,
) -> FileResult:
    """Load one file as one batch. A refused file or a failure writes nothing and says why. ``helper``:
    whether a file of ``PIPELINE_BYTES`` or more is parsed by a helper process (``None``: if
    :func:`spare_core`)."""
    kind = kind or kind_from_file_name(path.name)
    result = FileResult(str(path), kind, "refused")
    try:
        if not path.is_file():
            raise FileRefused(f"文件不存在：{path}", f"no such file: {path}")
        if kind is None:
            raise FileRefused(
                f"无法从文件名判断数据类型：{path.name}",
                f"cannot tell the kind from the file name {path.name}",
                hint_zh="文件名应以类型开头（如 customers_20261127.csv），或用 --kind 指定",
                hint_en="name it after its kind (customers_20261127.csv) or give --kind",
            )
        spec = kind_named(kind)
        print_ = fingerprint(path, encoding)
        result.sha256 = print_.sha256
        earlier = find_loaded(store, print_.sha256)
        if earlier is not None:  # nothing loaded now: its rows are all in since the earlier batch
            result.status = "skipped"
            result.batch_id = earlier.id
            result.loaded = 0
            result.already_present = earlier.rows_loaded
            when = earlier.finished_at.astimezone().strftime("%Y-%m-%d %H:%M") if earlier.finished_at else "?"
            result.warnings.append(
                f"该文件已于{when}导入（批次{earlier.id}，{earlier.file_name}，{earlier.rows_loaded:,}行），"
                f"本次跳过 (already loaded as batch {earlier.id}, {earlier.rows_loaded:,} rows)"
            )
            return result
        extract_date = extract_date_from_file_name(path.name) or today
        latest = min(extract_date, today)  # no event after the extract's date (nor after today)
        future = future_extract(path, today)
        if future is not None:
            result.warnings.append(future)
        in_child = print_.size >= PIPELINE_BYTES and (spare_core() if helper is None else helper)
        parsed = (parse_file_in_child if in_child else parse_file)(
            path, spec.name, print_.encoding, today, latest, print_.has_nul
        )
        try:
            header = next(parsed)
            assert isinstance(header, ParsedHeader)
            result.warnings.extend(header.warnings)
            rows_total = rejected = 0
            with open_batch(
                store,
                kind=spec.name,
                present=header.present,
                file_name=DEMO_BATCH_PREFIX + path.name if demo else path.name,
                sha256=print_.sha256,
                extract_date=extract_date,
                as_of=today,
                started_at=now(),
            ) as writer:
                for chunk in parsed:
                    assert isinstance(chunk, Chunk)
                    if cancelled is not None and cancelled():
                        raise ImportCancelled
                    writer.write(chunk.good, chunk.lines)
                    writer.reject(chunk.bad)
                    rows_total += len(chunk.good) + len(chunk.bad)
                    rejected += len(chunk.bad)
                    if progress is not None:
                        progress(chunk.bytes_read, print_.size)
                if cancelled is not None and cancelled():
                    raise ImportCancelled
                outcome = writer.finish(
                    rows_total=rows_total, rows_rejected=rejected, warnings=result.warnings, finished_at=now()
                )
                result.batch_id = writer.batch_id
        finally:
            parsed.close()
        result.status = "loaded"
        result.rows = rows_total
        result.rejected = rejected + len(outcome.refused)
        result.loaded = outcome.written + outcome.present
        result.already_present = outcome.present
        return result
    except ImportCancelled:
        raise
    except UserFacingError as exc:
        result.status = "refused"
        result.error = exc.describe()
        return result
    except OSError as exc:
        result.status = "refused"
        result.error = f"无法读取文件：{exc.strerror or exc} (cannot read the file)"
        return result


REJECTS_HEADER = ("批次 batch", "文件 file", "类型 kind", "行号 line", "原因 reason", "内容 row (masked)")


def masked_reject(reason: str, raw: str, masking: Masking) -> tuple[str, str]:
    """A refused row's reason and content as shown or exported: every number of the row masked (IDs and
    phones keep what the masking settings allow, amounts, dates and other numbers read ***)."""
    return mask_refusal_reason(reason, masking), mask_refused_row(raw, masking)


def _audited_files(files: Sequence[FileResult]) -> list[dict[str, Any]]:
    """What the audit row says of each file: its name, kind, outcome and counts (no row's content)."""
    return [
        {
            "file": Path(f.path).name,
            "kind": f.kind,
            "status": f.status,
            "rows": f.rows,
            "loaded": f.loaded,
            "rejected": f.rejected,
            "batch": f.batch_id,
        }
        for f in files
    ]


def _audit_run(
    store: Store, by: Importer, purpose: str, files: Sequence[FileResult], *, cancelled: bool
) -> None:
    detail: dict[str, Any] = {"files": _audited_files(files)}
    if cancelled:
        detail["cancelled"] = True
    subject = f"{len(files)} files"
    audit.log(store, "import", operator=by.login, subject=subject, purpose=purpose, detail=detail)


def run_import(
    ctx: Context,
    paths: Sequence[Path],
    *,
    by: Importer,
    purpose: str,
    kind: str | None = None,
    encoding: str | None = None,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> ImportReport:
    """Import as ``by`` (see ``Importer``) on the context's day, audited with every file and its counts;
    a run cancelled midway is audited with the files it finished. ``purpose``: where it ran (window,
    cli)."""
    store, today = ctx.store, ctx.today()
    try:
        report = import_paths(
            store, paths, kind=kind, encoding=encoding, today=today, progress=progress, cancelled=cancelled
        )
    except ImportCancelled as exc:
        _audit_run(store, by, purpose, exc.files, cancelled=True)
        raise
    _audit_run(store, by, purpose, report.files, cancelled=False)
    return report


def refused_rows(
    ctx: Context, batch_ids: Sequence[int], *, limit: int | None = None
) -> list[tuple[str, int, str, str]]:
    """The refused rows of the batches to show on screen, masked as the export masks them: (file, line,
    reason, raw row), at most ``limit``."""
    masking = ctx.settings.masking
    rows: list[tuple[str, int, str, str]] = []
    for r in rejects(ctx.store, batch_ids):
        if limit is not None and len(rows) >= limit:
            break
        reason, raw = masked_reject(r.reason, r.raw, masking)
        rows.append((mask_refusal_reason(r.file_name, masking), r.line_no, reason, raw))
    return rows


def export_rejects(ctx: Context, out: Path, batch_ids: Sequence[int] | None = None, *, by: Importer) -> int:
    """Write refused rows of the given batches (all when ``None``) to a CSV (UTF-8 with BOM, so
    spreadsheet programs read the Chinese; mode 0600), masked, no cell a spreadsheet would evaluate;
    audited under ``by`` once written. Returns the number of rows written."""
    store, masking = ctx.store, ctx.settings.masking
    for batch_id in batch_ids or ():
        if not batch_exists(store, batch_id):
            raise UserFacingError(
                f"没有批次 {batch_id}",
                f"no batch {batch_id}",
                hint_zh="批次号见 teller-assist db stats",
                hint_en="see teller-assist db stats",
            )
    count = 0
    with private_csv(out, REJECTS_HEADER) as writer:
        for r in rejects(store, batch_ids):
            reason, raw = masked_reject(r.reason, r.raw, masking)
            writer.writerow(
                [r.batch_id, mask_refusal_reason(r.file_name, masking), r.kind, r.line_no, reason, raw]
            )
            count += 1
    detail = {"rows": count, "batches": list(batch_ids) if batch_ids is not None else "all", "file": out.name}
    audit.note(ctx, "export", operator=by.login, subject="rejects", detail=detail)
    return count


class RealDataPresent(ImportRefused):
    @classmethod
    def for_this_database(cls) -> RealDataPresent:
        return cls(
            "数据库中已有真实数据（核心系统导入的数据或真实客户的申请），不能载入演示数据",
            "the database holds real data (imported extracts or real customers' applications); "
            "the demo county is not loaded into it",
            hint_zh="演示数据只能载入空数据库或演示数据库；请另建数据文件夹（TELLER_ASSIST_DATA_DIR）演示",
            hint_en="load the demo county only into an empty or demo database; use another data folder "
            "(TELLER_ASSIST_DATA_DIR) for demos",
        )


def demo_county(
    ctx: Context,
    work_dir: Path,
    *,
    by: Importer,
    people: int,
    seed: int = 1,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
    history: bool = True,
) -> ImportReport:
    """Generate the demo county into ``work_dir`` and import it (a newcomer's first start), as
    ``by``, audited, with a year of the programme's history unless ``history`` is off. Refused when the
    database holds anything but the demo county: made-up people never mix with real customers. The county
    is made as of the context's day, loaded, then swept on it."""
    from teller_assist.demo.county import generate_county

    store, today = ctx.store, ctx.today()
    if holds_real_data(store):
        raise RealDataPresent.for_this_database()
    folder = work_dir / f"demo-county-{today:%Y%m%d}"
    summary = generate_county(
        folder,
        people=people,
        seed=seed,
        as_of=today,
        processes=1,
        progress=(lambda done, total: progress("demo", done // 10, total)) if progress else None,
        history=history,
    )
    try:
        report = import_paths(
            store, [folder], today=today, now=ctx.now, progress=progress, cancelled=cancelled, demo=True
        )
    except ImportCancelled as exc:
        _audit_run(store, by, "demo", exc.files, cancelled=True)
        raise
    _audit_run(store, by, "demo", report.files, cancelled=False)
    if report.exit_code == 2:
        return report
    from teller_assist.prequal.policy import default_policy_path, load_policy
    from teller_assist.services.demo_campaigns import load_demo_campaigns

    policy = load_policy(default_policy_path())
    if summary.history is not None:  # a year of the programme, for the KPIs
        from teller_assist.services.demo_history import load_history

        load_history(store, summary.history, policy, as_of=today, by=by.login)
    demo = dataclasses.replace(ctx, policy=policy)  # the demo's own figures, whatever policy is in force
    load_demo_campaigns(demo, summary, by=by.login)  # two of each scenario
    from teller_assist.services import targets

    targets.sweep(demo, by=by.login)  # the night's, as after an import
    return report


def real_data_present(ctx: Context) -> bool:
    """Whether the database holds anything but the demo county (no demo is loaded over real data)."""
    return holds_real_data(ctx.store)
