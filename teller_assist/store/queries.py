"""Read queries that services ask for; they return plain data, never ORM objects."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

from sqlalchemy import Connection, func, select, text

from teller_assist.store.engine import Store
from teller_assist.store.models import (
    Application,
    Customer,
    Drawdown,
    GroupTag,
    ImportBatch,
    ImportReject,
    NegativeListEntry,
    PayrollCredit,
    Target,
    UtilityAgreement,
    UtilityDebit,
)


@dataclass(frozen=True)
class Overview:
    """What is in the database, as a start shows it. Whether anyone is there is one ``EXISTS`` (constant
    time); how many is counted only when first asked for (counting 620,000 customers reads every page of
    an index: 23-29 ms on SQLCipher), so opening the database does not pay for it."""

    has_customers: bool
    batches: int
    latest_extract: dt.date | None
    count_customers: Callable[[], int] = field(repr=False, compare=False, default=lambda: 0)

    @functools.cached_property
    def customers(self) -> int:
        return self.count_customers() if self.has_customers else 0

    @property
    def empty(self) -> bool:
        return not self.has_customers and self.batches == 0


def customer_count(store: Store) -> int:
    with store.session() as session:
        return session.scalar(select(func.count()).select_from(Customer)) or 0


def overview(store: Store) -> Overview:
    """Read on every open: plain statements on the tables (no ORM session, whose first use configures
    every mapper), in one read transaction."""
    with store.connection() as conn, conn.begin():
        return _overview_on(conn, store)


def opening(store: Store) -> tuple[str | None, Overview | None]:
    """What every open reads, in one read transaction: the schema's revision, and the overview when the
    schema is the program's (None otherwise: its tables may not be there yet)."""
    from teller_assist.store import migrate

    with store.connection() as conn, conn.begin():
        revision = migrate.revision_on(conn)
        return revision, _overview_on(conn, store) if revision == migrate.HEAD else None


def _overview_on(conn: Connection, store: Store) -> Overview:
    customer, batch = Customer.__tablename__, ImportBatch.__tablename__
    # as plain SQL: no statement to compile on the way
    anyone = bool(conn.exec_driver_sql(f"SELECT EXISTS (SELECT 1 FROM {customer})").scalar())
    batches, latest = conn.exec_driver_sql(f"SELECT count(*), max(extract_date) FROM {batch}").one()
    if isinstance(latest, str):  # SQLite keeps dates as ISO text
        latest = dt.date.fromisoformat(latest)
    return Overview(anyone, batches or 0, latest, functools.partial(customer_count, store))


KIND_TABLES = {
    "customers": Customer,
    "payroll": PayrollCredit,
    "utility_agreements": UtilityAgreement,
    "utility_debits": UtilityDebit,
    "negative_list": NegativeListEntry,
    "drawdowns": Drawdown,
    "group_tags": GroupTag,
    "targets": Target,
}


@dataclass(frozen=True, slots=True)
class KindStats:
    kind: str
    rows: int
    latest_batch: int | None
    latest_file: str | None
    latest_extract: dt.date | None
    latest_loaded_at: dt.datetime | None


@dataclass(frozen=True, slots=True)
class DbStats:
    kinds: list[KindStats]
    negative_active: int
    batches: int
    rejects: int
    size_bytes: int


def db_stats(store: Store) -> DbStats:
    kinds: list[KindStats] = []
    with store.session() as session:
        for kind, model in KIND_TABLES.items():
            rows = session.scalar(select(func.count()).select_from(model)) or 0
            latest = session.execute(
                select(
                    ImportBatch.id, ImportBatch.file_name, ImportBatch.extract_date, ImportBatch.finished_at
                )
                .where(ImportBatch.kind == kind)
                .order_by(ImportBatch.id.desc())
                .limit(1)
            ).first()
            kinds.append(KindStats(kind, rows, *(latest if latest else (None, None, None, None))))
        active = session.scalar(
            select(func.count())
            .select_from(NegativeListEntry)
            .where(NegativeListEntry.lifted_batch_id.is_(None))
        )
        batches = session.scalar(select(func.count()).select_from(ImportBatch)) or 0
        rejects = session.scalar(select(func.count()).select_from(ImportReject)) or 0
        if store.is_sqlite:
            size = int(session.execute(text("PRAGMA page_count")).scalar_one()) * int(
                session.execute(text("PRAGMA page_size")).scalar_one()
            )
        else:
            size = int(session.execute(text("SELECT pg_database_size(current_database())")).scalar_one())
    return DbStats(kinds, active or 0, batches, rejects, size)


@dataclass(frozen=True, slots=True)
class RejectRow:
    batch_id: int
    file_name: str
    kind: str
    line_no: int
    reason: str
    raw: str


def rejects(store: Store, batch_ids: Sequence[int] | None = None) -> Iterator[RejectRow]:
    """Refused rows of the given batches (all when ``None``), oldest batch first, in line order
    (streamed, not held)."""
    query = (
        select(
            ImportReject.batch_id,
            ImportBatch.file_name,
            ImportBatch.kind,
            ImportReject.line_no,
            ImportReject.reason,
            ImportReject.raw,
        )
        .join(ImportBatch, ImportBatch.id == ImportReject.batch_id)
        .order_by(ImportReject.batch_id, ImportReject.line_no)
    )
    if batch_ids is not None:
        query = query.where(ImportReject.batch_id.in_(list(batch_ids)))
    with store.connection() as conn:
        for row in conn.execution_options(yield_per=2000).execute(query):
            yield RejectRow(*row)


def batch_exists(store: Store, batch_id: int) -> bool:
    with store.session() as session:
        return session.get(ImportBatch, batch_id) is not None


def customer_ids(store: Store) -> list[str]:
    """Every customer's resident ID, in ID order (for sampling and cross-checks)."""
    with store.session() as session:
        return list(session.scalars(select(Customer.id_no).order_by(Customer.id_no)))


DEMO_BATCH_PREFIX = "demo-county/"  # a demo county's batches are named so; a real file's name has no "/"


def holds_real_data(store: Store) -> bool:
    """Whether the database holds anything but the demo county: a batch from a real extract, or an
    application for someone the demo county did not make."""
    with store.session() as session:
        real_batch = session.scalar(
            select(ImportBatch.id).where(~ImportBatch.file_name.startswith(DEMO_BATCH_PREFIX)).limit(1)
        )
        if real_batch is not None:
            return True
        stranger = session.scalar(
            select(Application.id)
            .outerjoin(Customer, Customer.id_no == Application.id_no)
            .where(Customer.id_no.is_(None))
            .limit(1)
        )
        return stranger is not None
