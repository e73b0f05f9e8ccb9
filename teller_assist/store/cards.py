# ruff: noqa: E501 - the SQL reads better unwrapped
"""The one query path of the customer card: everything the bank knows about one resident ID.

Speed matters here (a teller waits on it), so this goes through the bare driver: on SQLite a handful of
indexed statements on one connection; on PostgreSQL one statement that builds the whole card, because
there each round trip costs more than the queries themselves.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import sys
import threading
from collections.abc import Iterator
from typing import Any

import sqlcipher3
from sqlalchemy.exc import DBAPIError

from teller_assist.lookup.card import (
    AgreementFact,
    ApplicationFact,
    CardFacts,
    CustomerFacts,
    PayFact,
    TagFact,
    TargetFact,
)
from teller_assist.store.engine import Store, StoreError

_SQLITE = {
    "customer": "SELECT name, phone, branch_code, region_code, customer_no FROM customer WHERE id_no = ?",
    "payroll": (
        "SELECT pay_date, amount_fen, employer_code, employer_name FROM payroll_credit "
        "WHERE id_no = ? AND pay_date >= ?"
    ),
    "agreements": (
        "SELECT a.agreement_no, a.utility, a.status, a.signed_on, a.cancelled_on, "
        "coalesce(sum(d.result = 'ok'), 0), coalesce(sum(d.result = 'failed'), 0) "
        "FROM utility_agreement a LEFT JOIN utility_debit d ON d.agreement_no = a.agreement_no "
        "AND d.debit_date >= ? AND d.debit_date < ? WHERE a.id_no = ? GROUP BY a.agreement_no"
    ),
    "negative": "SELECT reason FROM negative_list_entry WHERE id_no = ? AND lifted_batch_id IS NULL",
    "tags": "SELECT tag, grade, valid_until FROM group_tag WHERE id_no = ? ORDER BY tag",
    "targets": (
        "SELECT campaign, branch_code, officer, due_on, scenario FROM target WHERE id_no = ? ORDER BY due_on, campaign"
    ),
    "freshness": "SELECT kind, max(extract_date) FROM import_batch GROUP BY kind",
    "applications": (
        "SELECT id, status, line_fen, annual_rate_bp, valid_until, agreement_no FROM application WHERE id_no = ? ORDER BY id DESC LIMIT 5"
    ),
}

_POSTGRES = """
SELECT json_build_object(
  'customer', (SELECT json_build_object('name', name, 'phone', phone, 'branch_code', branch_code,
                 'region_code', region_code, 'customer_no', customer_no) FROM customer WHERE id_no = %(id)s),
  'payroll', (SELECT coalesce(json_agg(json_build_array(pay_date, amount_fen, employer_code, employer_name)), '[]')
                FROM payroll_credit WHERE id_no = %(id)s AND pay_date >= %(start)s),
  'agreements', (SELECT coalesce(json_agg(json_build_array(a.agreement_no, a.utility, a.status, a.signed_on,
                   a.cancelled_on, d.ok, d.failed) ORDER BY a.agreement_no), '[]')
                 FROM utility_agreement a CROSS JOIN LATERAL (
                   SELECT count(*) FILTER (WHERE result = 'ok') AS ok, count(*) FILTER (WHERE result = 'failed') AS failed
                   FROM utility_debit WHERE agreement_no = a.agreement_no
                     AND debit_date >= %(start)s AND debit_date < %(end)s) d
                 WHERE a.id_no = %(id)s),
  'negative', (SELECT reason FROM negative_list_entry WHERE id_no = %(id)s AND lifted_batch_id IS NULL),
  'tags', (SELECT coalesce(json_agg(json_build_array(tag, grade, valid_until) ORDER BY tag), '[]')
             FROM group_tag WHERE id_no = %(id)s),
  'targets', (SELECT coalesce(json_agg(json_build_array(campaign, branch_code, officer, due_on, scenario)
                ORDER BY due_on, campaign), '[]') FROM target WHERE id_no = %(id)s),
  'freshness', (SELECT coalesce(json_object_agg(kind, latest), '{}') FROM
                  (SELECT kind, max(extract_date) AS latest FROM import_batch GROUP BY kind) f),
  'applications', (SELECT coalesce(json_agg(json_build_array(id, status, line_fen, annual_rate_bp, valid_until, agreement_no)
                     ORDER BY id DESC), '[]') FROM (SELECT * FROM application WHERE id_no = %(id)s ORDER BY id DESC LIMIT 5) ap)
)
"""


def _date(value: Any) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def _facts(
    customer: Any,
    payroll: Any,
    agreements: Any,
    negative: Any,
    tags: Any,
    targets: Any,
    freshness: Any,
    applications: Any = (),
) -> CardFacts:
    return CardFacts(
        customer=CustomerFacts(*customer) if customer else None,
        payroll=tuple(PayFact(_date(p[0]), int(p[1]), p[2], p[3]) for p in payroll),  # type: ignore[arg-type]
        agreements=tuple(
            AgreementFact(a[0], a[1], a[2], _date(a[3]), _date(a[4]), int(a[5]), int(a[6]))  # type: ignore[arg-type]
            for a in agreements
        ),
        negative_reason=negative,
        tags=tuple(TagFact(t[0], t[1], _date(t[2])) for t in tags),
        targets=tuple(TargetFact(t[0], t[1], t[2], _date(t[3]), t[4]) for t in targets),
        freshness={k: d for k, v in freshness if (d := _date(v)) is not None},
        applications=tuple(
            ApplicationFact(int(a[0]), a[1], int(a[2]), int(a[3]), _date(a[4]), a[5]) for a in applications
        ),
    )


_connections = threading.local()
_registry_lock = threading.Lock()
_registry: dict[int, list[Any]] = {}  # engine id -> every thread's card connection on it


def _card_connection(store: Store) -> Any:
    """A connection kept per thread for cards: a teller's lookups skip the pool's checkout and reset.
    It is detached from the pool (it never takes a slot other work needs) and registered, so closing
    the store closes every thread's card connection, including those of threads that have ended."""
    held = getattr(_connections, "held", None)
    if held is None or held[0] is not store.engine:
        raw = store.engine.raw_connection()
        raw.detach()
        held = (store.engine, raw)
        _connections.held = held
        with _registry_lock:
            _registry.setdefault(id(store.engine), []).append(raw)
    return held[1]


def _drop_card_connection() -> None:
    held = getattr(_connections, "held", None)
    _connections.held = None
    if held is not None:
        with _registry_lock, contextlib.suppress(ValueError):
            _registry.get(id(held[0]), []).remove(held[1])
        with contextlib.suppress(Exception):
            held[1].invalidate()


def release_card_connections(store: Store) -> None:
    """Close every card connection on this store's engine (when the store is closed)."""
    with _registry_lock:
        held = _registry.pop(id(store.engine), [])
    for raw in held:
        with contextlib.suppress(Exception):
            raw.close()
    mine = getattr(_connections, "held", None)
    if mine is not None and mine[0] is store.engine:
        _connections.held = None


def _driver_errors() -> tuple[type[BaseException], ...]:
    """The errors a card read can raise. psycopg is imported only by a PostgreSQL store: if it is not
    loaded, it cannot have raised (and the window's cold start does not pay ~50 ms to import it)."""
    psycopg = sys.modules.get("psycopg")
    found: tuple[type[BaseException], ...] = (DBAPIError, sqlcipher3.dbapi2.Error)
    return (*found, psycopg.Error) if psycopg is not None else found


def fetch_card_facts(store: Store, id_no: str, window_start: dt.date, window_end: dt.date) -> CardFacts:
    try:
        raw = _card_connection(store)
        if store.is_sqlite:
            return _sqlite(raw, id_no, window_start.isoformat(), window_end.isoformat())
        return _postgres(raw, id_no, window_start, window_end)
    except _driver_errors() as exc:
        _drop_card_connection()  # a broken connection is not kept: the next lookup reconnects
        raise StoreError(
            "数据库暂时无法访问，客户信息未能读取",
            f"the database cannot be reached: {type(exc).__name__}",
            hint_zh="请稍后重试；如持续出现请联系科技部",
            hint_en="try again shortly; call IT support if it persists",
        ) from exc


def _sqlite(raw: Any, id_no: str, start: str, end: str) -> CardFacts:
    cur = raw.cursor()
    try:
        customer = cur.execute(_SQLITE["customer"], (id_no,)).fetchone()
        payroll = cur.execute(_SQLITE["payroll"], (id_no, start)).fetchall()
        agreements = cur.execute(_SQLITE["agreements"], (start, end, id_no)).fetchall()
        negative = cur.execute(_SQLITE["negative"], (id_no,)).fetchone()
        tags = cur.execute(_SQLITE["tags"], (id_no,)).fetchall()
        targets = cur.execute(_SQLITE["targets"], (id_no,)).fetchall()
        freshness = cur.execute(_SQLITE["freshness"]).fetchall()
        applications = cur.execute(_SQLITE["applications"], (id_no,)).fetchall()
    finally:
        cur.close()
    raw.rollback()  # end the read transaction: a long-lived read would pin the WAL
    return _facts(
        customer,
        payroll,
        agreements,
        negative[0] if negative else None,
        tags,
        targets,
        freshness,
        applications,
    )


def _postgres(raw: Any, id_no: str, start: dt.date, end: dt.date) -> CardFacts:
    with raw.cursor() as cur:
        cur.execute(_POSTGRES, {"id": id_no, "start": start, "end": end})
        data = cur.fetchone()[0]
    raw.rollback()
    if isinstance(data, str):
        data = json.loads(data)
    customer = data["customer"]
    return _facts(
        (
            customer["name"],
            customer["phone"],
            customer["branch_code"],
            customer["region_code"],
            customer["customer_no"],
        )
        if customer
        else None,
        data["payroll"],
        data["agreements"],
        data["negative"],
        data["tags"],
        data["targets"],
        list(data["freshness"].items()),
        data["applications"],
    )


_ALL = {
    "customer": "SELECT id_no, name, phone, branch_code, region_code, customer_no FROM customer ORDER BY id_no{c}",
    "payroll": (
        "SELECT id_no, pay_date, amount_fen, employer_code, employer_name FROM payroll_credit "
        "WHERE pay_date >= {start} ORDER BY id_no{c}"
    ),
    # correlated counts ride the (agreement_no, debit_date) index and the scan follows the id_no index:
    # no temporary sort of millions of debits
    "agreements": (
        "SELECT a.id_no, a.agreement_no, a.utility, a.status, a.signed_on, a.cancelled_on, "
        "(SELECT count(*) FROM utility_debit d WHERE d.agreement_no = a.agreement_no "
        "AND d.debit_date >= {start} AND d.debit_date < {end} AND d.result = 'ok'), "
        "(SELECT count(*) FROM utility_debit d WHERE d.agreement_no = a.agreement_no "
        "AND d.debit_date >= {start} AND d.debit_date < {end} AND d.result = 'failed') "
        "FROM utility_agreement a ORDER BY a.id_no{c}"
    ),
    "negative": "SELECT id_no, reason FROM negative_list_entry WHERE lifted_batch_id IS NULL ORDER BY id_no{c}",
    "tags": "SELECT id_no, tag, grade, valid_until FROM group_tag ORDER BY id_no{c}, tag",
}


def iter_all_card_facts(
    store: Store, window_start: dt.date, window_end: dt.date
) -> Iterator[tuple[str, CardFacts]]:
    """Every customer's facts, streamed in ID order (for county-wide simulation): one ordered scan per
    table, merged in Python, never the whole base in memory."""
    raw = store.engine.raw_connection()
    try:
        if store.is_sqlite:
            params = {"start": f"'{window_start.isoformat()}'", "end": f"'{window_end.isoformat()}'", "c": ""}

            def stream(name: str) -> Iterator[tuple[Any, ...]]:
                cur = raw.cursor()
                cur.execute(_ALL[name].format(**params))
                while rows := cur.fetchmany(5000):
                    yield from rows
        else:
            params = {
                "start": f"DATE '{window_start.isoformat()}'",
                "end": f"DATE '{window_end.isoformat()}'",
                "c": ' COLLATE "C"',
            }
            driver: Any = raw.driver_connection

            def stream(name: str) -> Iterator[tuple[Any, ...]]:
                with driver.cursor(name=f"all_{name}") as cur:
                    cur.itersize = 5000
                    cur.execute(_ALL[name].format(**params))
                    yield from cur

        payroll = _Grouped(stream("payroll"))
        agreements = _Grouped(stream("agreements"))
        negative = _Grouped(stream("negative"))
        tags = _Grouped(stream("tags"))
        for row in stream("customer"):
            id_no = row[0]
            neg = negative.take(id_no)
            yield (
                id_no,
                CardFacts(
                    customer=CustomerFacts(*row[1:]),
                    payroll=tuple(PayFact(_date(p[1]), int(p[2]), p[3], p[4]) for p in payroll.take(id_no)),  # type: ignore[arg-type]
                    agreements=tuple(
                        AgreementFact(a[1], a[2], a[3], _date(a[4]), _date(a[5]), int(a[6]), int(a[7]))  # type: ignore[arg-type]
                        for a in agreements.take(id_no)
                    ),
                    negative_reason=neg[0][1] if neg else None,
                    tags=tuple(TagFact(t[1], t[2], _date(t[3])) for t in tags.take(id_no)),
                    targets=(),
                    freshness={},
                ),
            )
    finally:
        raw.rollback()
        raw.close()


class _Grouped:
    """Rows of one ordered stream, taken a person at a time."""

    def __init__(self, rows: Iterator[tuple[Any, ...]]) -> None:
        self.rows = rows
        self.head: tuple[Any, ...] | None = next(rows, None)

    def take(self, id_no: str) -> list[tuple[Any, ...]]:
        out = []
        while self.head is not None and self.head[0] < id_no:
            self.head = next(self.rows, None)  # people with records but no customer row: skipped
        while self.head is not None and self.head[0] == id_no:
            out.append(self.head)
            self.head = next(self.rows, None)
        return out


# --- many people at once: a roster's members ------------------------------------------------------------
# {ids} is the chunk: "IN (?, ?, ...)" on SQLite, "= ANY(%s)" (one array) on PostgreSQL. Each statement
# returns its rows in ID order, and the IDs go in sorted: every chunk walks a narrow stretch of each index.
_MANY = {
    "customer": "SELECT id_no, name, phone, branch_code, region_code, customer_no FROM customer WHERE id_no {ids}",
    "payroll": (
        "SELECT id_no, pay_date, amount_fen, employer_code, employer_name FROM payroll_credit "
        "WHERE id_no {ids} AND pay_date >= {p} ORDER BY id_no, pay_date"
    ),
    # one probe of the debits per agreement (their (agreement_no, debit_date, result) index covers it)
    "agreements": (
        "SELECT a.id_no, a.agreement_no, a.utility, a.status, a.signed_on, a.cancelled_on, "
        "count(CASE WHEN d.result = 'ok' THEN 1 END), count(CASE WHEN d.result = 'failed' THEN 1 END) "
        "FROM utility_agreement a LEFT JOIN utility_debit d ON d.agreement_no = a.agreement_no "
        "AND d.debit_date >= {p} AND d.debit_date < {p} WHERE a.id_no {ids} "
        "GROUP BY a.id_no, a.agreement_no, a.utility, a.status, a.signed_on, a.cancelled_on "
        "ORDER BY a.id_no, a.agreement_no"
    ),
    "negative": "SELECT id_no, reason FROM negative_list_entry WHERE id_no {ids} AND lifted_batch_id IS NULL",
    "tags": "SELECT id_no, tag, grade, valid_until FROM group_tag WHERE id_no {ids} ORDER BY id_no, tag",
    "targets": (
        "SELECT id_no, campaign, branch_code, officer, due_on, scenario FROM target WHERE id_no {ids} "
        "ORDER BY id_no, due_on, campaign"
    ),
    "applications": (
        "SELECT id_no, id, status, line_fen, annual_rate_bp, valid_until, agreement_no FROM application "
        "WHERE id_no {ids} ORDER BY id_no, id DESC"
    ),
}
# PostgreSQL: the debits counted per agreement through a lateral subquery, as for one card, so the
# planner cannot choose to merge-join the whole debit index for a thousand people
_MANY_PG_AGREEMENTS = (
    "SELECT a.id_no, a.agreement_no, a.utility, a.status, a.signed_on, a.cancelled_on, d.ok, d.failed "
    "FROM utility_agreement a CROSS JOIN LATERAL ("
    "SELECT count(*) FILTER (WHERE result = 'ok') AS ok, count(*) FILTER (WHERE result = 'failed') AS failed "
    "FROM utility_debit WHERE agreement_no = a.agreement_no AND debit_date >= {p} AND debit_date < {p}) d "
    "WHERE a.id_no {ids} ORDER BY a.id_no, a.agreement_no"
)
MANY_CHUNK = 1000  # IDs a statement carries (SQLite's default limit is 32,766 parameters)


class _Days:
    """Dates as the driver returns them, parsed once each: a roster's 30,000 pay dates are a few hundred
    distinct days."""

    def __init__(self) -> None:
        self.seen: dict[Any, dt.date | None] = {}

    def __call__(self, value: Any) -> Any:
        if value is None or isinstance(value, dt.date):
            return value
        day = self.seen.get(value)
        if day is None:
            day = self.seen[value] = _date(value)
        return day


def fetch_many_card_facts(
    store: Store, ids: list[str], window_start: dt.date, window_end: dt.date
) -> dict[str, CardFacts]:
    """The card facts of many people (a roster's members) in seven statements per thousand of them,
    rather than eight statements each: the same facts :func:`fetch_card_facts` reads for one."""
    # SQLite keeps dates as ISO text; PostgreSQL compares date with date
    start: Any = window_start.isoformat() if store.is_sqlite else window_start
    end: Any = window_end.isoformat() if store.is_sqlite else window_end
    day = _Days()
    wanted = sorted(set(ids))
    customers: dict[str, CustomerFacts] = {}
    pay: dict[str, list[PayFact]] = {}
    agreements: dict[str, list[AgreementFact]] = {}
    negative: dict[str, str] = {}
    tags: dict[str, list[TagFact]] = {}
    targets: dict[str, list[TargetFact]] = {}
    applications: dict[str, list[ApplicationFact]] = {}
    raw = store.engine.raw_connection()
    try:
        cur = raw.cursor()
        cur.execute(_SQLITE["freshness"])
        freshness = {k: d for k, v in cur.fetchall() if (d := _date(v)) is not None}
        mark = "?" if store.is_sqlite else "%s"
        for first in range(0, len(wanted), MANY_CHUNK):
            chunk = wanted[first : first + MANY_CHUNK]
            ids_sql = f"IN ({', '.join(['?'] * len(chunk))})" if store.is_sqlite else "= ANY(%s)"
            ids_params: tuple[Any, ...] = tuple(chunk) if store.is_sqlite else (chunk,)

            def rows(
                name: str,
                before: tuple[Any, ...] = (),
                after: tuple[Any, ...] = (),
                ids_sql: str = ids_sql,
                ids_params: tuple[Any, ...] = ids_params,
            ) -> Any:
                sql = _MANY_PG_AGREEMENTS if name == "agreements" and not store.is_sqlite else _MANY[name]
                cur.execute(sql.format(ids=ids_sql, p=mark), (*before, *ids_params, *after))
                return cur.fetchall()

            for r in rows("customer"):
                customers[r[0]] = CustomerFacts(r[1], r[2], r[3], r[4], r[5])
            for r in rows("payroll", after=(start,)):
                pay.setdefault(r[0], []).append(PayFact(day(r[1]), int(r[2]), r[3], r[4]))
            for r in rows("agreements", before=(start, end)):
                agreements.setdefault(r[0], []).append(
                    AgreementFact(r[1], r[2], r[3], day(r[4]), day(r[5]), int(r[6]), int(r[7]))
                )
            for r in rows("negative"):
                negative.setdefault(r[0], r[1])
            for r in rows("tags"):
                tags.setdefault(r[0], []).append(TagFact(r[1], r[2], day(r[3])))
            for r in rows("targets"):
                targets.setdefault(r[0], []).append(TargetFact(r[1], r[2], r[3], day(r[4]), r[5]))
            for r in rows("applications"):
                latest = applications.setdefault(r[0], [])
                if len(latest) < 5:  # the newest five, as a single card shows
                    latest.append(ApplicationFact(int(r[1]), r[2], int(r[3]), int(r[4]), day(r[5]), r[6]))
        cur.close()
    finally:
        raw.rollback()
        raw.close()
    return {
        id_no: CardFacts(
            customer=customers.get(id_no),
            payroll=tuple(pay.get(id_no, ())),
            agreements=tuple(agreements.get(id_no, ())),
            negative_reason=negative.get(id_no),
            tags=tuple(tags.get(id_no, ())),
            targets=tuple(targets.get(id_no, ())),
            freshness=freshness,
            applications=tuple(applications.get(id_no, ())),
        )
        for id_no in ids
    }
