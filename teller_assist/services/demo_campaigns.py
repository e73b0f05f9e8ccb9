"""The demo county's group campaigns, made and loaded as head office would: each campaign through
``campaigns.create_campaign`` and its roster (the ``.xlsx`` or GB18030 ``.csv`` its group handed over,
written by :mod:`teller_assist.demo.campaigns`) through the real roster import, both audited under the
administrator who loads the demo. So a newcomer's first start shows a village campaign with its members,
its refused rows and its lines by band, read from the same tables as a real one.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass
from pathlib import Path

from teller_assist.campaigns.campaign import check_spec
from teller_assist.demo.campaigns import CAMPAIGNS_FOLDER, write_campaigns
from teller_assist.demo.county import DemoSummary, make_employers
from teller_assist.services import campaigns
from teller_assist.services.context import Context
from teller_assist.store import operators as store_ops

__all__ = ["DemoCampaignsLoaded", "load_demo_campaigns"]


@dataclass(frozen=True, slots=True)
class DemoCampaignsLoaded:
    campaigns: int
    members: int  # on the campaigns now (the refused kept as members counted)
    refused_rows: int  # handed back to the groups
    seconds: float


def load_demo_campaigns(ctx: Context, summary: DemoSummary, *, by: str) -> DemoCampaignsLoaded | None:
    """Write the demo rosters beside the county's extracts, make the campaigns and import each roster
    as ``by`` (a head-office administrator: None, nothing made, when ``by`` is not one), as of the
    context's day. A campaign already there (the demo loaded again) is left as it is."""
    started = time.perf_counter()
    store, today = ctx.store, ctx.today()
    operator = store_ops.get_operator(store, by)
    if operator is None or operator.role != "hq_admin" or not operator.active:
        return None
    folder = Path(summary.files["customers"]).parent / CAMPAIGNS_FOLDER
    made = write_campaigns(
        folder,
        summary.files["customers"],
        summary.files["payroll"],
        make_employers(summary.seed),
        as_of=today,
        seed=summary.seed,
    )
    existing = {c.code for c in campaigns.list_campaigns(ctx, operator)}
    members = refused = count = 0
    for c in made:
        if c.code in existing:
            continue
        spec = check_spec(
            code=c.code,
            scenario=c.scenario,
            group_name=c.group_name,
            group_uscc=c.group_uscc,
            branch_code=c.branch_code,
            # the villages started last: the list (open first, the latest start first) begins with one
            starts_on=today if c.scenario == "village" else today.replace(day=1),
            ends_on=dt.date(today.year + 1, 3, 31),
            today=today,
            village_groups=c.village_groups,
            indicator=c.indicator,
        )
        campaigns.create_campaign(ctx, operator, spec)
        done = campaigns.import_roster(ctx, operator, c.code, c.roster)
        count += 1
        members += done.counts.added + done.counts.updated + done.counts.unchanged
        refused += len(done.plan.refused)
    return DemoCampaignsLoaded(count, members, refused, time.perf_counter() - started)
