"""The demo county's group campaigns (both engines): two of each scenario, made and loaded through the
real services as the administrator who loads the demo, each roster as its group hands it over (an .xlsx
with a title line and Chinese headers, or a GB18030 .csv), every row accounted for — the county's people
matched, their neighbours new to the bank, the slips handed back — so a first start shows a village."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

from openpyxl import load_workbook
from sqlalchemy import text

from teller_assist.demo.campaigns import CAMPAIGNS_FOLDER
from teller_assist.prequal.policy import Policy
from teller_assist.services import campaigns
from teller_assist.services.context import Context
from teller_assist.services.imports import Importer, demo_county
from teller_assist.store.engine import Store
from tests.helpers.context import context_of
from tests.helpers.operators import admin_of

TODAY = dt.date(2026, 11, 28)


def test_the_demo_county_has_two_campaigns_of_each_scenario_loaded_from_the_groups_rosters(
    store: Store, policy: Policy, tmp_path: Path, ctx: Context
) -> None:
    admin = admin_of(store)
    demo_county(context_of(store, TODAY), tmp_path, by=Importer.operator(admin), people=6_000, history=False)
    listed = campaigns.list_campaigns(ctx, admin)
    assert Counter(c.scenario for c in listed) == dict.fromkeys(
        ("village", "enterprise", "association", "bureau", "community", "market"), 2
    )
    assert all(c.status == "open" and c.roster_at is not None for c in listed)
    assert listed[0].scenario == "village"  # what a first start shows first under 客群活动
    assert {c.scenario for c in listed if c.group_uscc} == {"enterprise", "bureau"}
    assert all(c.group_uscc.startswith("11") for c in listed if c.scenario == "bureau")  # type: ignore[union-attr]
    # through the real import, under the administrator, each with its file's fingerprint
    with store.connection() as conn:
        imports = conn.execute(
            text(
                "SELECT operator, count(*) FROM audit_event WHERE action = 'campaign_import' "
                "GROUP BY operator"
            )
        ).all()
    assert [tuple(r) for r in imports] == [(admin.login, 12)]
    # the rosters as groups write them: workbooks with a title above the Chinese headers, GB18030 csv
    folder = next(tmp_path.glob(f"demo-county-*/{CAMPAIGNS_FOLDER}"))
    books, texts = sorted(folder.glob("*.xlsx")), sorted(folder.glob("*.csv"))
    assert len(books) == len(texts) == 6
    sheet = load_workbook(books[0]).active
    assert "名单" in str(sheet.cell(1, 1).value) and sheet.cell(2, 1).value == "序号"
    raw = texts[0].read_bytes()
    assert raw.decode("gb18030").startswith("序号,")
    try:
        raw.decode("utf-8")
        raise AssertionError("a GB18030 roster that is also UTF-8")
    except UnicodeDecodeError:
        pass
    # a village's members: the county's people matched, neighbours new to the bank, slips handed back
    village = next(c for c in listed if c.scenario == "village")
    shown = campaigns.show_campaign(ctx.on(TODAY), admin, village.code, members=True)
    assert shown.counts["matched"] > 5 and shown.counts["new_to_bank"] > 5
    assert shown.prequalified.eligible > 0 and shown.progress is not None
    assert shown.progress.members == shown.members
    assert village.roster_rows is not None and village.roster_rows > shown.members  # the slips: refused
    for c in listed:
        one = campaigns.show_campaign(ctx.on(TODAY), admin, c.code)
        assert one.members > 0, c.code
