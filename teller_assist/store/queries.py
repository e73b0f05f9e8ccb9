"""Read queries that services ask for; they return plain data, never ORM objects."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select

from teller_assist.store.engine import Store
from teller_assist.store.models import Customer, ImportBatch


@dataclass(frozen=True, slots=True)
class Overview:
    customers: int
    batches: int
    latest_extract: dt.date | None

    @property
    def empty(self) -> bool:
        return self.customers == 0 and self.batches == 0


def overview(store: Store) -> Overview:
    with store.session() as session:
        customers = session.scalar(select(func.count()).select_from(Customer)) or 0
        batches = session.scalar(select(func.count()).select_from(ImportBatch)) or 0
        latest = session.scalar(select(func.max(ImportBatch.extract_date)))
    return Overview(customers, batches, latest)
