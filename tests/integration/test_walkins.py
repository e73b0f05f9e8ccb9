"""Today's walk-ins for the lobby manager: who came, how far each got, who is still waiting."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from teller_assist.prequal.policy import Policy
from teller_assist.prequal.survey import Survey
from teller_assist.services import applications as apps
from teller_assist.services import audit, drafts, walkins
from teller_assist.services.context import Context
from teller_assist.store.engine import Store
from tests.helpers.extracts import rid
from tests.helpers.surveys import walk_in_answers
from tests.helpers.workflow import Team, agreement_printed


def test_the_day_at_the_counter(
    store: Store, team: Team, policy: Policy, on: Callable[[dt.date], Context], ctx: Context
) -> None:
    today = dt.date.today()
    people = [rid(seq=300 + i) for i in range(5)]
    for person in people:
        audit.log(store, "lookup", operator="teller1", subject=person, purpose="typed")
    audit.log(store, "lookup", operator="teller1", subject=people[0], purpose="reader")  # seen twice: once
    audit.log(store, "lookup", operator="teller1", subject=rid(seq=399), purpose="cli")  # not the counter
    drafts.save(ctx, people[1], Survey("walk_in", {"household_income": 1}), "teller1")
    survey = Survey("walk_in", walk_in_answers(household_income=20_000))
    waiting = apps.submit(ctx.on(today), people[2], survey, team.teller)
    approved = apps.submit(ctx.on(today), people[3], survey, team.teller)
    apps.approve(ctx.on(today), approved.id, team.manager)
    signed = apps.submit(ctx.on(today), people[4], survey, team.teller)
    apps.approve(ctx.on(today), signed.id, team.head)
    agreement_printed(store, signed.id)
    apps.sign(ctx.on(today), signed.id, team.teller)

    day = walkins.today(on(today), "0101")
    assert [w.id_no for w in day.rows] == people
    assert [walkins.stage(w) for w in day.rows] == [
        "identified",
        "surveyed",
        "submitted",
        "approved",
        "signed",
    ]
    assert day.counts == {"identified": 5, "surveyed": 4, "submitted": 3, "approved": 2, "signed": 1}
    assert [w.application_id for w in day.waiting] == [waiting.id]
    assert walkins.today(on(today), "0999").rows == []  # another branch's counter
    assert walkins.today(on(today - dt.timedelta(days=1)), "0101").rows == []
