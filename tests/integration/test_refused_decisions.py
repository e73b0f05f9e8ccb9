"""A decision the rules refuse is itself audited, under the operator who tried (both engines)."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from teller_assist.prequal.survey import Survey
from teller_assist.services import applications as apps
from teller_assist.services.context import Context
from teller_assist.store import audit as store_audit
from teller_assist.store.engine import Store
from tests.helpers.extracts import rid
from tests.helpers.operators import make_operator
from tests.helpers.surveys import walk_in_answers

TODAY = dt.date(2026, 11, 28)


def test_refused_approvals_and_rejections_leave_a_row_under_who_tried(store: Store, ctx: Context) -> None:
    teller = apps.Actor.here(make_operator(store, "teller1"))
    manager = apps.Actor.here(make_operator(store, "manager1", "lobby_manager"))
    record = apps.submit(
        ctx.on(TODAY),
        rid(seq=401),
        Survey("walk_in", walk_in_answers(household_income=80_000)),  # 160,000: a branch head's
        teller,
        name="王五",
    )
    for actor, attempt in (
        (teller, lambda a: apps.approve(ctx.on(TODAY), record.id, a)),  # the maker
        (manager, lambda a: apps.approve(ctx.on(TODAY), record.id, a)),  # above 50,000
        (teller, lambda a: apps.reject(ctx, record.id, a, "不行")),
    ):
        with pytest.raises(apps.WorkflowRefused):
            attempt(actor)
    rows = [r for r in store_audit.export_rows(store, None, None) if r.action.endswith("_refused")]
    assert [(r.action, r.operator, r.subject) for r in rows] == [
        ("approve_refused", "teller1", f"app:{record.id}"),
        ("approve_refused", "manager1", f"app:{record.id}"),
        ("reject_refused", "teller1", f"app:{record.id}"),
    ]
    assert "authority" in json.loads(rows[1].detail)["reason"]
    assert apps.get(ctx, record.id).status == "submitted"
    assert store_audit.verify(store).ok
