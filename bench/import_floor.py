"""The floor for the SQLite import: what the simplest honest program does with the same files.

    python bench/import_floor.py COUNTY_DIR sqlite DB_FILE KEY_HEX
    python bench/import_floor.py COUNTY_DIR postgres CONNINFO

A whole process, timed by its caller from launch to exit like the import's: it reads each extract with
``csv.reader``, converts every value plainly (amounts to integer fen, dates to ISO text, codes through a
dictionary, the gender and birth date from the ID), and writes the rows into the same migrated schema:
on SQLite ``executemany`` into the same SQLCipher file with the same pragmas as the shipped store (WAL,
``synchronous = FULL``, foreign keys on); on PostgreSQL ``COPY``. One transaction per file, in the
importer's load order. It validates nothing and refuses nothing: that is the importer's extra work,
which the ratio counts against it.

Prints the seconds it took and its own peak RSS in MB. Used by ``bench/import_county.py``.
"""

from __future__ import annotations

import csv
import resource
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

started = time.perf_counter()


# the importer's load order and the demo county's encodings and delimiters (the floor does not detect)
ORDER = (
    "customers",
    "negative_list",
    "group_tags",
    "payroll",
    "utility_agreements",
    "utility_debits",
    "drawdowns",
    "targets",
)
FORMAT = {  # kind: (encoding, delimiter)
    "customers": ("gb18030", ","),
    "payroll": ("utf-8", "|"),
    "utility_agreements": ("utf-8-sig", "\t"),
    "utility_debits": ("utf-8", ","),
    "negative_list": ("gb18030", "|"),
    "drawdowns": ("utf-8", ","),
    "group_tags": ("utf-8", ","),
    "targets": ("gb18030", ","),
}
CODES = {
    "男": "M", "女": "F", "M": "M", "F": "F",
    "水费": "water", "电费": "electricity", "燃气费": "gas", "通讯费": "telecom", "物业费": "property",
    "有线电视": "tv", "正常": "active", "解约": "cancelled", "成功": "ok", "失败": "failed",
    "征信": "credit_report", "失信被执行人": "court_defaulter", "不良嗜好": "bad_habit", "欺诈": "fraud",
    "其他": "other", "整村": "village", "整企": "enterprise", "整业": "association", "整局": "bureau",
    "整区": "community", "整圈": "market", "进门授信": "walk_in",
}  # fmt: skip


def opt(text: str) -> str | None:
    return text or None


def code(text: str) -> str | None:
    return CODES.get(text, text) or None


def day(text: str) -> str | None:
    if not text:
        return None
    return f"{text[:4]}-{text[4:6]}-{text[6:]}" if len(text) == 8 else text


def fen(text: str) -> int:
    whole, _, cents = text.replace(",", "").partition(".")
    return int(whole) * 100 + int((cents + "00")[:2])


def customer(r: list[str]) -> tuple[object, ...]:
    id_no = r[0].upper()
    born = f"{id_no[6:10]}-{id_no[10:12]}-{id_no[12:14]}"
    gender = "M" if int(id_no[16]) % 2 else "F"
    return (id_no, r[1], gender, born, opt(r[4]), opt(r[5]), opt(r[6]), opt(r[7]), opt(r[8]))


CONVERT: dict[str, tuple[str, Callable[[list[str]], tuple[object, ...]]]] = {
    "customers": (
        "customer (id_no, name, gender, birth_date, phone, address, customer_no, branch_code, region_code",
        customer,
    ),
    "payroll": (
        "payroll_credit (txn_id, id_no, employer_code, employer_name, pay_date, amount_fen",
        lambda r: (r[0], r[1].upper(), r[2], r[3], day(r[4]), fen(r[5])),
    ),
    "utility_agreements": (
        "utility_agreement (agreement_no, id_no, utility, signed_on, status, cancelled_on",
        lambda r: (r[0], r[1].upper(), code(r[2]), day(r[3]), code(r[4]) or "active", day(r[5])),
    ),
    "utility_debits": (
        "utility_debit (txn_id, agreement_no, debit_date, amount_fen, result",
        lambda r: (r[0], r[1], day(r[2]), fen(r[3]), code(r[4])),
    ),
    "negative_list": (
        "negative_list_entry (id_no, reason, listed_on, note",
        lambda r: (r[0].upper(), code(r[1]), day(r[2]), opt(r[3])),
    ),
    "drawdowns": (
        "drawdown (txn_id, id_no, drawn_on, amount_fen, loan_no",
        lambda r: (r[0], r[1].upper(), day(r[2]), fen(r[3]), opt(r[4])),
    ),
    "group_tags": (
        "group_tag (id_no, tag, grade, source, valid_until",
        lambda r: (r[0].upper(), code(r[1]), opt(r[2]), opt(r[3]), day(r[4])),
    ),
    "targets": (
        "target (campaign, id_no, branch_code, officer, due_on, scenario",
        lambda r: (r[0], r[1].upper(), opt(r[2]), opt(r[3]), day(r[4]), code(r[5])),
    ),
}


def chunks(
    reader: Iterator[list[str]],
    convert: Callable[[list[str]], tuple[object, ...]],
    batch: int,
    size: int = 5_000,
) -> Iterator[list[tuple[object, ...]]]:
    out: list[tuple[object, ...]] = []
    for row in reader:
        out.append((*convert(row), batch))
        if len(out) == size:
            yield out
            out = []
    if out:
        yield out


def main() -> None:
    county, engine = Path(sys.argv[1]), sys.argv[2]
    files = {p.name.split("_2", 1)[0]: p for p in county.iterdir() if p.is_file()}
    if engine == "sqlite":
        import sqlcipher3

        conn = sqlcipher3.dbapi2.connect(sys.argv[3], isolation_level=None)
        conn.execute(f"PRAGMA key = \"x'{sys.argv[4]}'\"")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
    else:
        import psycopg

        conn = psycopg.connect(sys.argv[3], autocommit=True)
    for batch, kind in enumerate(ORDER, start=1):
        path = files[kind]
        encoding, delimiter = FORMAT[kind]
        table, convert = CONVERT[kind]
        conn.execute("BEGIN")
        conn.execute(
            "INSERT INTO import_batch (id, kind, file_name, sha256, status, rows_total, rows_loaded, "
            "rows_rejected, warnings, started_at) VALUES (%s, %s, %s, %s, 'loaded', 0, 0, 0, '[]', "
            "'2026-11-28 00:00:00')".replace("%s", "?" if engine == "sqlite" else "%s"),
            (batch, kind, path.name, f"floor-{batch}"),
        )
        with path.open(encoding=encoding, newline="") as fh:
            reader = csv.reader(fh, delimiter=delimiter)
            next(reader)
            if engine == "sqlite":
                width = table.count(",") + 2  # the kind's columns and batch_id
                sql = f"INSERT INTO {table}, batch_id) VALUES ({', '.join('?' * width)})"  # noqa: S608
                for rows in chunks(reader, convert, batch):
                    conn.executemany(sql, rows)
            else:
                with conn.cursor().copy(f"COPY {table}, batch_id) FROM STDIN") as copy:
                    for rows in chunks(reader, convert, batch):
                        for row in rows:
                            copy.write_row(row)
        conn.execute("COMMIT")
    conn.close()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{time.perf_counter() - started:.3f} {peak:.1f}")


if __name__ == "__main__":
    main()
