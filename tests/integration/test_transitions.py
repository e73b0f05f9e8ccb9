"""Every move from every status, through the services on both engines, judged by the README's words
(the matrix in tests/unit/test_workflow_rules.py), never by the code's own table: a legal move lands
on the README's status, an illegal one is refused and changes nothing."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from teller_assist.prequal.policy import Policy
from teller_assist.services import applications as apps
from teller_assist.services.applications import WorkflowRefused
from teller_assist.services.context import Context
from teller_assist.store import audit as store_audit
from teller_assist.store.engine import Store
from tests.helpers.extracts import rid
from tests.helpers.workflow import Team, agreement_printed
from tests.integration.test_applications import NOW, survey
from tests.unit.test_workflow_rules import MOVE_TO, STATUSES, legal_pairs

AFTER_VALIDITY = dt.date(2028, 11, 28)  # approved on TODAY: valid up to 2028-11-27
_people = itertools.count(401, 2)


def in_status(ctx: Context, team: Team, status: str) -> int:
    """A fresh application (a person of its own) brought to ``status`` by the services."""
    app_id = apps.submit(ctx.at(NOW), rid(seq=next(_people) % 1000), survey(), team.teller).id
    if status == "rejected":
        apps.reject(ctx.at(NOW), app_id, team.head, "收入证明不足")
    elif status == "cancelled":
        apps.cancel(ctx.at(NOW), app_id, team.teller)
    elif status != "submitted":
        apps.approve(ctx.at(NOW), app_id, team.head)
        agreement_printed(ctx.store, app_id)  # the customer has something to sign
        if status == "signed":
            apps.sign(ctx.at(NOW), app_id, team.teller)
        if status == "expired":
            apps.expire_due(ctx.on(AFTER_VALIDITY))
    assert apps.get(ctx, app_id).status == status
    return app_id


def attempt(ctx: Context, team: Team, app_id: int, move: str) -> None:
    """The move as the README's people make it: the head decides (authority 300,000 covers the line),
    the teller who made it cancels or records the signature, validity ends for expiry."""
    if move == "approve":
        apps.approve(ctx.at(NOW), app_id, team.head)
    elif move == "reject":
        apps.reject(ctx.at(NOW), app_id, team.head, "收入证明不足")
    elif move == "cancel":
        apps.cancel(ctx.at(NOW), app_id, team.teller)
    elif move == "sign":
        apps.sign(ctx.at(NOW), app_id, team.teller)
    else:
        apps.expire_due(ctx.on(AFTER_VALIDITY))


@pytest.mark.parametrize("source", STATUSES)
def test_every_move_from_every_status(
    store: Store, team: Team, policy: Policy, source: str, ctx: Context
) -> None:
    for target, move in MOVE_TO.items():
        app_id = in_status(ctx, team, source)
        before = apps.get(ctx, app_id)
        if (source, target) in legal_pairs():
            attempt(ctx, team, app_id, move)
            after = apps.get(ctx, app_id)
            assert (after.status, after.version) == (target, before.version + 1), (source, move)
        else:
            if move == "expire":  # expiry is a sweep: it refuses nobody, it passes this one by
                attempt(ctx, team, app_id, move)
            else:
                with pytest.raises(WorkflowRefused):
                    attempt(ctx, team, app_id, move)
            after = apps.get(ctx, app_id)
            assert (after.status, after.version) == (before.status, before.version), (source, move)
    assert store_audit.verify(store).ok
