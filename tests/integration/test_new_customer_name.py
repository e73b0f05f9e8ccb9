"""The name given for someone the bank has never seen is kept cleaned (trimmed, one middle dot); a name
the customer file has is never replaced by one typed. (The window checks it is a name before it is
sent; the documents print whatever a name holds as typed.)"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from teller_assist.prequal.survey import Survey
from teller_assist.services import applications as apps
from teller_assist.services.context import Context
from teller_assist.store.engine import Store
from tests.helpers.extracts import MAN, rid
from tests.helpers.operators import make_operator
from tests.helpers.surveys import walk_in_answers
from tests.integration.test_lookup import load_fixture

TODAY = dt.date(2026, 11, 28)


def test_the_name_typed_for_a_new_customer_is_kept_cleaned(
    store: Store, tmp_path: Path, ctx: Context
) -> None:
    load_fixture(store, tmp_path / "in")
    teller = apps.Actor.here(make_operator(store))
    survey = Survey("walk_in", walk_in_answers(household_income=20_000))
    made = apps.submit(ctx.on(TODAY), rid(seq=401), survey, teller, name=" 阿依古丽•买买提 ")
    assert made.name == "阿依古丽·买买提"
    known = apps.submit(ctx.on(TODAY), MAN, survey, teller, name="别人")
    assert known.name == "张三"  # the customer file's name stands
