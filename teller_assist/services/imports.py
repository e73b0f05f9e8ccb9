"""Import the core bank's nightly extracts: each file one batch, all in or nothing, idempotent."""

from __future__ import annotations

import datetime as dt
import logging
import os
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
from teller_assist.store.bulk import find_loaded, open_batch
from teller_assist.store.engine import Store
from teller_assist.store.queries import batch_exists, rejects

PIPELINE_BYTES = 16 << 20  # files this big may be parsed by a helper process while the database writes
EXIT_OK, EXIT_ROWS_REFUSED, EXIT_FAILED = 0, 1, 2

Progress = Callable[[str, int, int], None]  # (file name, bytes done over the run, bytes in the run)
Cancelled = Callable[[], bool]

log = logging.getLogger(__name__)


def spare_core() -> bool:
    """Whether a core is free for a parsing helper beside the importer: at least two, and the load over
    the last minute leaving one idle. The helper only pays when it gets a core of its own: on a machine
    busy with other work it adds the cost of passing every row between processes (and the helper's
    memory) and gains nothing, so the file is parsed in the importing process. Where the load cannot be
    read (Windows), four cores or more count as a spare one."""
    cpus = os.cpu_count() or 1
    try:
        load = os.getloadavg()[0]
    except (AttributeError, OSError):
        return cpus >= 4
    return cpus >= 2 and load <= cpus - 1


class ImportCancelled(UserFacingError):
    def __init__(self) -> None:
        super().__init__(
            "导入已取消，当前文件未写入任何数据", "import cancelled; nothing of the current file was written"
        )


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
) -> ImportReport:
    entries = plan(paths, kind)
    sizes = [p.stat().st_size if p.exists() else 0 for p, _ in entries]
    total = sum(sizes)
    done = 0
    results = []
    # decided once, before this run adds its own load: big files get a parsing helper if a core is free
    helper = any(size >= PIPELINE_BYTES for size in sizes) and spare_core()
    if any(size >= PIPELINE_BYTES for size in sizes):
        log.info("import: big files parsed %s", "by a helper process" if helper else "in this process")
    for (path, file_kind), size in zip(entries, sizes, strict=True):
        base = done

        def file_progress(read: int, _size: int, base: int = base, name: str = path.name) -> None:
            if progress is not None:
                progress(name, base + read, total)

        results.append(
            import_file(
                store,
                path,
                kind=file_kind,
                encoding=encoding,
                today=today,
                now=now,
                progress=file_progress,
                cancelled=cancelled,
                helper=helper,
            )
        )
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
        if earlier is not None:
            result.status = "skipped"
            result.batch_id = earlier.id
            result.loaded = earlier.rows_loaded
            when = earlier.finished_at.astimezone().strftime("%Y-%m-%d %H:%M") if earlier.finished_at else "?"
            result.warnings.append(
                f"该文件已于{when}导入（批次{earlier.id}，{earlier.file_name}），本次跳过 "
                f"(already loaded as batch {earlier.id})"
            )
            return result
        extract_date = extract_date_from_file_name(path.name) or today
        latest = min(extract_date, today)  # no event after the extract's date (nor after today)
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
                file_name=path.name,
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


def export_rejects(store: Store, out: Path, masking: Masking, batch_ids: Sequence[int] | None = None) -> int:
    """Write refused rows of the given batches (all when ``None``) to a CSV (UTF-8 with BOM, so
    spreadsheet programs read the Chinese; mode 0600), masked, no cell a spreadsheet would evaluate.
    Returns the number of rows written."""
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
    return count


def demo_county(
    store: Store,
    work_dir: Path,
    *,
    people: int,
    today: dt.date,
    seed: int = 1,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> ImportReport:
    """Generate the demo county into ``work_dir`` and import it (a newcomer's first start)."""
    from teller_assist.demo.county import generate_county

    folder = work_dir / f"demo-county-{today:%Y%m%d}"
    generate_county(
        folder,
        people=people,
        seed=seed,
        as_of=today,
        processes=1,
        progress=(lambda done, total: progress("demo", done // 10, total)) if progress else None,
    )
    return import_paths(store, [folder], today=today, progress=progress, cancelled=cancelled)
