"""Bulk loading of one extract file as one batch, in one transaction.

SQLite: ``executemany`` straight into the tables (upsert or insert-if-absent). PostgreSQL: ``COPY`` into
a temporary table, then one set-based statement into the real table. Either way the batch row, the
data and the refused rows commit together or not at all.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Literal, cast

import psycopg
import sqlcipher3
from sqlalchemy import Connection, Table, bindparam, insert, select, text, update
from sqlalchemy.exc import DBAPIError

from teller_assist.errors import UserFacingError
from teller_assist.store.engine import Store
from teller_assist.store.models import ImportBatch, ImportReject

Mode = Literal["upsert", "append", "negative"]
Row = tuple[object, ...]


@dataclass(frozen=True)
class TableSpec:
    table: str
    columns: tuple[str, ...]  # in the order of the kind's parsed row
    key: tuple[str, ...]
    mode: Mode
    # table column -> the file column it comes from (for "update only what the file has")
    sources: dict[str, str] = field(default_factory=dict)
    always: tuple[str, ...] = ()  # columns updated whatever the file has (derived from the key)

    def update_columns(self, present: frozenset[str]) -> list[str]:
        out = []
        for column in self.columns:
            if column in self.key:
                continue
            if column in self.always or self.sources.get(column, column) in present:
                out.append(column)
        return out


SPECS: dict[str, TableSpec] = {
    "customers": TableSpec(
        "customer",
        (
            "id_no",
            "name",
            "gender",
            "birth_date",
            "phone",
            "address",
            "customer_no",
            "branch_code",
            "region_code",
        ),
        ("id_no",),
        "upsert",
        always=("gender", "birth_date"),
    ),
    "payroll": TableSpec(
        "payroll_credit",
        ("txn_id", "id_no", "employer_code", "employer_name", "pay_date", "amount_fen"),
        ("txn_id",),
        "append",
    ),
    "utility_agreements": TableSpec(
        "utility_agreement",
        ("agreement_no", "id_no", "utility", "signed_on", "status", "cancelled_on"),
        ("agreement_no",),
        "upsert",
        always=("status",),
    ),
    "utility_debits": TableSpec(
        "utility_debit",
        ("txn_id", "agreement_no", "debit_date", "amount_fen", "result"),
        ("txn_id",),
        "append",
    ),
    "negative_list": TableSpec(
        "negative_list_entry",
        ("id_no", "reason", "listed_on", "note"),
        ("id_no",),
        "negative",
    ),
    "drawdowns": TableSpec(
        "drawdown",
        ("txn_id", "id_no", "drawn_on", "amount_fen", "loan_no"),
        ("txn_id",),
        "append",
    ),
    "group_tags": TableSpec(
        "group_tag",
        ("id_no", "tag", "grade", "source", "valid_until"),
        ("id_no", "tag"),
        "upsert",
    ),
    "targets": TableSpec(
        "target",
        ("campaign", "id_no", "branch_code", "officer", "due_on", "scenario"),
        ("campaign", "id_no"),
        "upsert",
    ),
}


class ImportWriteError(UserFacingError):
    pass


@dataclass(frozen=True)
class LoadedBatch:
    id: int
    kind: str
    file_name: str
    finished_at: dt.datetime | None
    rows_loaded: int


@dataclass
class Outcome:
    written: int = 0  # inserted or updated
    present: int = 0  # already in the database (idempotent appends)
    refused: list[tuple[int, str, str]] = field(default_factory=list)  # (line, reason, raw)


_BATCH = cast(Table, ImportBatch.__table__)
_REJECT = cast(Table, ImportReject.__table__)


def find_loaded(store: Store, sha256: str) -> LoadedBatch | None:
    """The batch that already loaded a file with this SHA-256, if any."""
    query = select(_BATCH.c.id, _BATCH.c.kind, _BATCH.c.file_name, _BATCH.c.finished_at, _BATCH.c.rows_loaded)
    with store.connection() as conn:
        row = conn.execute(query.where(_BATCH.c.sha256 == sha256)).first()
    return None if row is None else LoadedBatch(*row)


def _iso(value: object) -> object:
    return value.isoformat() if isinstance(value, dt.date) else value


def _raw(row: Row) -> str:
    return "|".join("" if v is None else str(_iso(v)) for v in row)


# A transaction key seen again: the same values are the same transaction delivered twice (counted as
# already present, like an overlap with an earlier file); other values under the same key are refused,
# the first one kept.
SAME_FILE_CONFLICT = "流水号在本文件中重复且内容不同（保留先出现的一行）"


def _earlier_conflict(batch_id: int) -> str:
    return f"流水号已由批次{batch_id}导入且内容不同"


class BatchWriter:
    """Write one file's rows; :meth:`finish` commits, leaving the context without it rolls back."""

    def __init__(
        self, conn: Connection, kind: str, present: frozenset[str], batch_id: int, as_of: dt.date
    ) -> None:
        self.conn = conn
        self.kind = kind
        self.spec = SPECS[kind]
        self.present = present
        self.batch_id = batch_id
        self.as_of = as_of
        self.outcome = Outcome()

    # --- subclass hooks ---------------------------------------------------------------------------
    def write(self, rows: Sequence[Row], lines: Sequence[int]) -> None:
        raise NotImplementedError

    def _complete(self) -> None:
        raise NotImplementedError

    # --- shared ---------------------------------------------------------------------------------------
    def reject(self, rejects: Iterable[tuple[int, str, str]]) -> None:
        params = [
            {"batch_id": self.batch_id, "line_no": line, "reason": reason[:200], "raw": raw}
            for line, reason, raw in rejects
        ]
        if params:
            self.conn.execute(insert(_REJECT), params)

    def finish(
        self, *, rows_total: int, rows_rejected: int, warnings: Sequence[str], finished_at: dt.datetime
    ) -> Outcome:
        self._complete()
        self.reject(self.outcome.refused)
        rejected = rows_rejected + len(self.outcome.refused)
        self.conn.execute(
            update(_BATCH)
            .where(_BATCH.c.id == self.batch_id)
            .values(
                rows_total=rows_total,
                rows_loaded=self.outcome.written + self.outcome.present,
                rows_rejected=rejected,
                warnings=json.dumps(list(warnings), ensure_ascii=False),
                finished_at=finished_at,
            )
        )
        return self.outcome

    def _negative_finish(self, temp: str) -> None:
        """The new file is the whole current list: lift who is missing, list who is new."""
        b = {
            "b": self.batch_id,
            "d": self.as_of.isoformat() if self.conn.dialect.name == "sqlite" else self.as_of,
        }
        conn = self.conn
        active = conn.execute(
            text("SELECT count(*) FROM negative_list_entry WHERE lifted_batch_id IS NULL")
        ).scalar_one()
        incoming = conn.execute(text(f"SELECT count(*) FROM {temp}")).scalar_one()
        if incoming == 0 and active > 0:
            raise ImportWriteError(
                f"负面清单文件没有任何有效记录；导入它将解除全部{active}人的负面清单状态，已拒绝",
                f"the negative-list file has no valid entry; loading it would lift all {active} listings",
                hint_zh="请核实文件是否完整",
                hint_en="check that the file is complete",
            )
        conn.execute(
            text(
                f"UPDATE negative_list_entry SET lifted_on = :d, lifted_batch_id = :b "
                f"WHERE lifted_batch_id IS NULL AND id_no NOT IN (SELECT id_no FROM {temp})"
            ),
            b,
        )
        conn.execute(
            text(
                f"UPDATE negative_list_entry SET reason = t.reason, note = t.note, "
                f"listed_on = COALESCE(t.listed_on, negative_list_entry.listed_on) FROM {temp} AS t "
                f"WHERE negative_list_entry.lifted_batch_id IS NULL AND negative_list_entry.id_no = t.id_no"
            )
        )
        conn.execute(
            text(
                f"INSERT INTO negative_list_entry (id_no, reason, listed_on, note, batch_id) "
                f"SELECT t.id_no, t.reason, t.listed_on, t.note, :b FROM {temp} AS t WHERE NOT EXISTS ("
                f"SELECT 1 FROM negative_list_entry e WHERE e.id_no = t.id_no AND e.lifted_batch_id IS NULL)"
            ),
            b,
        )
        self.outcome.written = incoming

    def _fill_target_branches(self) -> None:
        """Targets without a branch get the branch most customers of their social-security region use."""
        conn = self.conn
        missing = conn.execute(
            text(
                "SELECT t.campaign, t.id_no, c.region_code FROM target t "
                "LEFT JOIN customer c ON c.id_no = t.id_no "
                "WHERE t.batch_id = :b AND t.branch_code IS NULL"
            ),
            {"b": self.batch_id},
        ).all()
        regions = sorted({region for _c, _i, region in missing if region})
        if not regions:
            return  # the usual night: every target names its branch
        majority: dict[str, str] = {}
        counts = conn.execute(
            text(
                "SELECT region_code, branch_code, count(*) FROM customer WHERE region_code IN :regions "
                "AND branch_code IS NOT NULL GROUP BY region_code, branch_code ORDER BY 1, 3 DESC, 2"
            ).bindparams(bindparam("regions", expanding=True)),
            {"regions": regions},
        ).all()
        for region, branch, _n in counts:
            majority.setdefault(region, branch)
        updates = [
            {"br": majority[region], "c": campaign, "i": id_no}
            for campaign, id_no, region in missing
            if region in majority
        ]
        if updates:
            conn.execute(
                text("UPDATE target SET branch_code = :br WHERE campaign = :c AND id_no = :i"), updates
            )


class SqliteWriter(BatchWriter):
    """Rows go to ``executemany`` as the parser made them (dates already ISO text): the batch id is part
    of the statement, not appended to each of millions of rows.

    An upsert costs SQLite half as much again as a plain insert. So rows to upsert go in with a plain
    ``INSERT`` while none of them is already there (a first load, new people): each chunk under a
    savepoint, and the first chunk that meets a stored key (or a key twice in the file) is rolled back
    to it, and from then on every chunk is upserted, as PostgreSQL's writer does with ``COPY``."""

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        spec = self.spec
        cols = ", ".join((*spec.columns, "batch_id"))
        marks = ", ".join(("?",) * len(spec.columns) + (str(int(self.batch_id)),))
        key = ", ".join(spec.key)
        self.cursor = self.conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        if spec.mode == "negative":
            self.cursor.execute(
                "CREATE TEMP TABLE tmp_negative "
                "(id_no TEXT PRIMARY KEY, reason TEXT, listed_on TEXT, note TEXT)"
            )
            self.sql = (
                "INSERT OR REPLACE INTO tmp_negative (id_no, reason, listed_on, note) VALUES (?, ?, ?, ?)"
            )
        elif spec.mode == "append":
            self.sql = f"INSERT INTO {spec.table} ({cols}) VALUES ({marks}) ON CONFLICT ({key}) DO NOTHING"
        else:
            updates = [*spec.update_columns(self.present), "batch_id"]
            sets = ", ".join(f"{c} = excluded.{c}" for c in updates)
            self.sql = (
                f"INSERT INTO {spec.table} ({cols}) VALUES ({marks}) ON CONFLICT ({key}) DO UPDATE SET {sets}"
            )
        self.plain_sql = f"INSERT INTO {spec.table} ({cols}) VALUES ({marks})"
        self.plain = spec.mode == "upsert"

    def _insert_plainly(self, rows: Sequence[Row]) -> bool:
        """Insert the chunk with a plain ``INSERT``; ``False`` (and nothing written) if a key collided."""
        cursor = self.cursor
        cursor.execute("SAVEPOINT bulk_chunk")
        try:
            cursor.executemany(self.plain_sql, rows)
        except sqlcipher3.dbapi2.IntegrityError as exc:
            cursor.execute("ROLLBACK TO SAVEPOINT bulk_chunk")
            cursor.execute("RELEASE SAVEPOINT bulk_chunk")
            if "UNIQUE" not in str(exc):
                raise  # not a stored key: the upsert would fail the same way
            self.plain = False
            return False
        cursor.execute("RELEASE SAVEPOINT bulk_chunk")
        return True

    def write(self, rows: Sequence[Row], lines: Sequence[int]) -> None:
        if self.kind == "utility_debits":
            rows, lines = self._known_agreements(rows, lines)
        if not rows:
            return
        if self.plain and self._insert_plainly(rows):
            self.outcome.written += len(rows)
            return
        driver = self.conn.connection.driver_connection
        before = driver.total_changes  # type: ignore[union-attr]
        self.cursor.executemany(self.sql, rows)
        changed = driver.total_changes - before  # type: ignore[union-attr]
        if self.spec.mode == "append":
            self.outcome.written += changed
            if changed < len(rows):  # some keys were there already: compare what is stored
                self.outcome.present += len(rows) - changed - self._refuse_conflicts(rows, lines)
        elif self.spec.mode == "upsert":
            self.outcome.written += len(rows)

    def _refuse_conflicts(self, rows: Sequence[Row], lines: Sequence[int]) -> int:
        """Refuse the rows whose key (first) is stored with other values. Returns how many."""
        spec = self.spec
        wanted = sorted({str(row[0]) for row in rows})
        stored: dict[object, tuple[object, ...]] = {}
        for i in range(0, len(wanted), 900):
            part = wanted[i : i + 900]
            marks = ", ".join("?" * len(part))
            for found in self.cursor.execute(
                f"SELECT {', '.join((*spec.columns, 'batch_id'))} FROM {spec.table} "
                f"WHERE {spec.key[0]} IN ({marks})",
                part,
            ):
                stored[found[0]] = tuple(found)
        refused = 0
        for row, line in zip(rows, lines, strict=True):
            kept = stored[row[0]]
            if kept[:-1] != tuple(row):
                batch = cast(int, kept[-1])
                reason = SAME_FILE_CONFLICT if batch == self.batch_id else _earlier_conflict(batch)
                self.outcome.refused.append((line, reason, _raw(row)))
                refused += 1
        return refused

    def _known_agreements(
        self, rows: Sequence[Row], lines: Sequence[int]
    ) -> tuple[Sequence[Row], Sequence[int]]:
        wanted = sorted({str(r[1]) for r in rows})
        known: set[str] = set()
        for i in range(0, len(wanted), 900):
            part = wanted[i : i + 900]
            marks = ", ".join("?" * len(part))
            known.update(
                r[0]
                for r in self.cursor.execute(
                    f"SELECT agreement_no FROM utility_agreement WHERE agreement_no IN ({marks})", part
                )
            )
        if len(known) == len(wanted):  # the usual chunk: every agreement is there, nothing to sort out
            return rows, lines
        kept_rows: list[Row] = []
        kept_lines: list[int] = []
        for row, line in zip(rows, lines, strict=True):
            if row[1] in known:
                kept_rows.append(row)
                kept_lines.append(line)
            else:
                self.outcome.refused.append((line, "代扣协议不存在（协议号未导入）", _raw(row)))
        return kept_rows, kept_lines

    def _complete(self) -> None:
        if self.spec.mode == "negative":
            self._negative_finish("tmp_negative")
            self.cursor.execute("DROP TABLE tmp_negative")
        if self.kind == "targets":
            self._fill_target_branches()


class PostgresWriter(BatchWriter):
    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        spec = self.spec
        self.raw = self.conn.connection.driver_connection
        self.temp = f"tmp_{spec.table}"
        with self.raw.cursor() as cur:  # type: ignore[union-attr]
            cur.execute(
                f"CREATE TEMP TABLE {self.temp} ON COMMIT DROP AS "
                f"SELECT {', '.join(spec.columns)}, 0::bigint AS line FROM {spec.table} WITH NO DATA"
            )
        self.copy_sql = f"COPY {self.temp} ({', '.join((*spec.columns, 'line'))}) FROM STDIN"
        self.direct_sql = f"COPY {spec.table} ({', '.join((*spec.columns, 'batch_id'))}) FROM STDIN"
        # Rows go straight into the table while none of them collides with a row already there (a first
        # load, a night of new transactions): that is a plain COPY. The first chunk that collides (a key
        # already present, a debit of an unknown agreement) is rolled back to its savepoint, and from then
        # on rows take the careful path: a temporary table, then one set-based statement.
        self.direct = spec.mode != "negative"
        self.direct_rows = 0

    def write(self, rows: Sequence[Row], lines: Sequence[int]) -> None:
        if not rows:
            return
        raw: Any = self.raw
        if self.direct:
            b = self.batch_id
            with raw.cursor() as cur:
                cur.execute("SAVEPOINT bulk_chunk")
                try:
                    with cur.copy(self.direct_sql) as copy:
                        for row in rows:
                            copy.write_row((*row, b))
                except (psycopg.errors.UniqueViolation, psycopg.errors.ForeignKeyViolation):
                    cur.execute("ROLLBACK TO SAVEPOINT bulk_chunk")
                    self.direct = False
                else:
                    cur.execute("RELEASE SAVEPOINT bulk_chunk")
                    self.direct_rows += len(rows)
                    return
        with raw.cursor() as cur, cur.copy(self.copy_sql) as copy:
            for row, line in zip(rows, lines, strict=True):
                copy.write_row((*row, line))

    def _complete(self) -> None:
        spec, temp, b = self.spec, self.temp, {"b": self.batch_id}
        conn = self.conn
        cols = ", ".join(spec.columns)
        key = ", ".join(spec.key)
        if self.kind == "utility_debits":
            missing = conn.execute(
                text(
                    f"SELECT line, {cols} FROM {temp} t WHERE NOT EXISTS (SELECT 1 FROM utility_agreement a "
                    f"WHERE a.agreement_no = t.agreement_no) ORDER BY line"
                )
            ).all()
            for line, *values in missing:
                self.outcome.refused.append((line, "代扣协议不存在（协议号未导入）", _raw(tuple(values))))
            if missing:
                conn.execute(
                    text(
                        f"DELETE FROM {temp} t WHERE NOT EXISTS (SELECT 1 FROM utility_agreement a "
                        f"WHERE a.agreement_no = t.agreement_no)"
                    )
                )
        if spec.mode == "negative":
            conn.execute(
                text(f"DELETE FROM {temp} t USING {temp} u WHERE t.id_no = u.id_no AND t.line < u.line")
            )
            self._negative_finish(temp)
            return
        total = conn.execute(text(f"SELECT count(*) FROM {temp}")).scalar_one()
        self.outcome.written = self.direct_rows
        if total == 0:
            pass
        elif spec.mode == "append":
            total -= self._refuse_conflicts()
            result = conn.execute(
                text(
                    f"INSERT INTO {spec.table} ({cols}, batch_id) SELECT {cols}, :b FROM {temp} "
                    f"ON CONFLICT ({key}) DO NOTHING"
                ),
                b,
            )
            self.outcome.written += result.rowcount
            self.outcome.present = total - result.rowcount
        else:
            sets = ", ".join(f"{c} = excluded.{c}" for c in [*spec.update_columns(self.present), "batch_id"])
            conn.execute(
                text(
                    f"INSERT INTO {spec.table} ({cols}, batch_id) "
                    f"SELECT DISTINCT ON ({key}) {cols}, :b FROM {temp} "
                    f"ORDER BY {key}, line DESC ON CONFLICT ({key}) DO UPDATE SET {sets}"
                ),
                b,
            )
            self.outcome.written += total
        if self.kind == "targets":
            self._fill_target_branches()

    def _refuse_conflicts(self) -> int:
        """Refuse the rows whose key is stored with other values, or comes earlier in the file with other
        values (the first is kept); they leave the temporary table. Returns how many."""
        spec, temp, conn = self.spec, self.temp, self.conn
        key = spec.key[0]
        values = list(spec.columns)
        t_row = ", ".join(f"t.{c}" for c in values)
        differs = f"({t_row}) IS DISTINCT FROM ({', '.join(f'x.{c}' for c in values)})"
        against_stored = conn.execute(
            text(
                f"SELECT t.line, x.batch_id, {t_row} FROM {temp} t JOIN {spec.table} x ON x.{key} = t.{key} "
                f"WHERE {differs} ORDER BY t.line"
            )
        ).all()
        against_first = conn.execute(
            text(
                f"SELECT t.line, {t_row} FROM {temp} t JOIN (SELECT DISTINCT ON ({key}) line, "
                f"{', '.join(values)} FROM {temp} ORDER BY {key}, line) x ON x.{key} = t.{key} "
                f"WHERE t.line <> x.line AND {differs} ORDER BY t.line"
            )
        ).all()
        refused: dict[int, tuple[str, tuple[object, ...]]] = {}
        for line, batch, *refused_row in against_stored:
            reason = SAME_FILE_CONFLICT if batch == self.batch_id else _earlier_conflict(batch)
            refused[line] = (reason, tuple(refused_row))
        for line, *later_row in against_first:
            refused.setdefault(line, (SAME_FILE_CONFLICT, tuple(later_row)))
        if refused:
            conn.execute(text(f"DELETE FROM {temp} WHERE line = ANY(:lines)"), {"lines": sorted(refused)})
        for line in sorted(refused):
            reason, row = refused[line]
            self.outcome.refused.append((line, reason, _raw(row)))
        return len(refused)


@contextmanager
def open_batch(
    store: Store,
    *,
    kind: str,
    present: frozenset[str],
    file_name: str,
    sha256: str,
    extract_date: dt.date | None,
    as_of: dt.date,
    started_at: dt.datetime,
) -> Iterator[BatchWriter]:
    """A writer for one file in one transaction: committed when the block ends, rolled back on error."""
    try:
        with store.engine.connect() as conn, conn.begin():
            # the first statement takes SQLite's write lock: a concurrent import waits here, not midway
            batch_id = conn.execute(
                insert(_BATCH)
                .values(
                    kind=kind,
                    file_name=file_name[:200],
                    sha256=sha256,
                    status="loaded",
                    extract_date=extract_date,
                    rows_total=0,
                    rows_loaded=0,
                    rows_rejected=0,
                    warnings="[]",
                    started_at=started_at,
                )
                .returning(_BATCH.c.id)
            ).scalar_one()
            cls = SqliteWriter if store.is_sqlite else PostgresWriter
            yield cls(conn, kind, present, batch_id, as_of)
    except (DBAPIError, sqlcipher3.dbapi2.Error, psycopg.Error, OverflowError) as exc:
        # OverflowError: a number beyond what SQLite's driver can bind (the rows' rules keep amounts far
        # below it; should one slip through, the file is refused and the run goes on)
        raise _explain(exc, store) from exc


def _explain(exc: Exception, store: Store) -> UserFacingError:
    message = str(exc.orig if isinstance(exc, DBAPIError) else exc)
    lowered = message.lower()
    if "readonly" in lowered or "read-only" in lowered or "read only" in lowered:
        return ImportWriteError(
            f"数据库为只读，无法导入（{store.display}），未写入任何数据",
            f"the database is read-only ({store.display}); nothing was written",
            hint_zh="请检查数据库文件和所在文件夹的写权限",
            hint_en="check write permission on the file and folder",
        )
    if ("disk" in lowered and ("full" in lowered or "space" in lowered)) or "no space" in lowered:
        return ImportWriteError(
            "磁盘已满，导入已撤销，未写入任何数据",
            "the disk is full; the import was rolled back, nothing written",
            hint_zh="请清理磁盘空间后重新导入",
            hint_en="free some disk space and import again",
        )
    if "unique" in lowered and "sha256" in lowered:
        return ImportWriteError(
            "该文件刚被另一进程导入", "the same file was just imported by another process"
        )
    return ImportWriteError(
        f"导入时数据库出错，已撤销，未写入任何数据：{message}",
        f"database error during the import; rolled back, nothing written: {message}",
    )
