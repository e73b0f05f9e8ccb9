"""The 客群活动 desk on SQLite and PostgreSQL: the list with each campaign's members; a campaign's members
each with the person behind the masked line, read twice and matched (a roster loaded between the two
readings is read again, then refused, never shown with a person on another's line); the refused rows of
a load exported only by who loaded them, audited; everything refused and audited while locked."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import text

from teller_assist.campaigns.campaign import check_spec
from teller_assist.identity.masking import Masking
from teller_assist.prequal.policy import Policy
from teller_assist.services import campaign_desk, campaigns
from teller_assist.services.campaign_desk import CHANGED, LOCKED, DeskRefused
from teller_assist.services.clock import Clock
from teller_assist.services.context import Context
from teller_assist.settings import Settings
from teller_assist.store.engine import Store
from tests.helpers.extracts import MAN, WOMAN, rid
from tests.helpers.workflow import Team

TODAY = dt.date(2026, 11, 30)
MASK = Masking()
CODE = "village-后白-2026"
NEW = rid(seq=95)


@pytest.fixture
def ctx(store: Store, settings: Settings, policy: Policy) -> Context:
    return Context(store, settings, policy, Clock.on(TODAY))


def spec(code: str = CODE):  # type: ignore[no-untyped-def]
    return check_spec(
        code=code, scenario="village", group_name="后白村", branch_code="0101",
        starts_on=dt.date(2026, 12, 1), ends_on=dt.date(2027, 3, 31), today=TODAY,
    )  # fmt: skip


def roster(path: Path, rows: list[list[object]]) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.append(["姓名", "身份证号", "手机号"])
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


ROWS = [["张三", MAN, "13951234567"], ["李四", WOMAN, ""], ["王六", NEW, ""], ["周八", "3211831985", ""]]


def audit_rows(store: Store, action: str) -> list[tuple[str, str | None, dict[str, object]]]:
    with store.connection() as conn:
        return [
            (str(r[0]), r[1], json.loads(r[2] or "{}"))
            for r in conn.execute(
                text("SELECT operator, subject, detail FROM audit_event WHERE action = :a ORDER BY seq"),
                {"a": action},
            )
        ]


def test_the_desk_lists_shows_and_keeps_each_person_behind_the_masked_line(
    store: Store, ctx: Context, team: Team, policy: Policy, tmp_path: Path
) -> None:
    head, teller = team.head.operator, team.teller.operator
    campaign_desk.create(ctx, head, spec())
    campaign_desk.create(ctx, head, spec("village-前进-2026"))
    done = campaign_desk.import_file(ctx, head, CODE, roster(tmp_path / "r.xlsx", ROWS))
    assert [(r.line_no, r.id_masked) for r in done.refused] == [(5, "***")]  # every number of it masked
    lines = campaign_desk.overview(ctx, teller)
    assert {(line.campaign.code, line.members) for line in lines} == {(CODE, 3), ("village-前进-2026", 0)}
    found = campaign_desk.detail(ctx, teller, CODE)
    assert [(m.line.line_no, m.line.id_masked, m.id_no) for m in found.members] == [
        (2, MASK.resident_id(MAN), MAN), (3, MASK.resident_id(WOMAN), WOMAN), (4, MASK.resident_id(NEW), NEW),
    ]  # fmt: skip
    assert MAN not in repr(found.members) and found.shown.members == 3
    assert audit_rows(store, "campaign_view")[-1][:2] == ("teller1", CODE)


def test_a_roster_loaded_between_the_two_readings_is_read_again_then_refused(
    store: Store, ctx: Context, team: Team, policy: Policy, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    head = team.head.operator
    campaign_desk.create(ctx, head, spec())
    campaign_desk.import_file(ctx, head, CODE, roster(tmp_path / "a.xlsx", ROWS[:2]))
    shown_by_service = campaigns.show_campaign
    loads = iter([[ROWS[1], ROWS[0]], ROWS[:3], [ROWS[2]]])  # each a different order or set
    calls = []

    def show_then_load(*args: object, **kwargs: object) -> campaigns.CampaignShow:
        shown = shown_by_service(*args, **kwargs)  # type: ignore[arg-type]
        rows = next(loads, None)
        calls.append(rows)
        if rows is not None:  # another desk loads a roster right after this reading
            campaigns.import_roster(
                ctx, team.admin.operator, CODE, roster(tmp_path / f"{len(calls)}.xlsx", rows)
            )  # fmt: skip
        return shown

    monkeypatch.setattr(campaign_desk.service, "show_campaign", show_then_load)
    with pytest.raises(DeskRefused) as refused:
        campaign_desk.detail(ctx, head, CODE)
    assert refused.value is CHANGED and len(calls) == 2
    found = campaign_desk.detail(ctx, head, CODE)  # then a quiet one
    assert len(calls) == 4  # one load more after the first reading, none after the second
    assert [(m.id_no, m.line.line_no, m.line.status) for m in found.members] == [
        (MAN, 2, "removed"), (NEW, 2, "new_to_bank"), (WOMAN, 3, "removed"),
    ]  # fmt: skip
    assert all(m.line.id_masked == MASK.resident_id(m.id_no) for m in found.members)


def test_refused_rows_are_exported_by_who_loaded_them_only_and_nothing_is_done_while_locked(
    store: Store, ctx: Context, team: Team, policy: Policy, tmp_path: Path
) -> None:
    head, admin = team.head.operator, team.admin.operator
    campaign_desk.create(ctx, head, spec())
    done = campaign_desk.import_file(ctx, head, CODE, roster(tmp_path / "r.xlsx", ROWS))
    with pytest.raises(DeskRefused, match="只有导入该名单的操作员"):
        campaign_desk.export_refused(ctx, admin, done, tmp_path / "x.xlsx")
    assert not (tmp_path / "x.xlsx").exists()
    out = tmp_path / "退回.xlsx"
    assert campaign_desk.export_refused(ctx, head, done, out) == 1
    sheet = load_workbook(out).active
    assert [c.value for c in sheet[2]][:3] == [5, "周八", "***"]
    [(who, subject, detail)] = audit_rows(store, "campaign_refused_export")
    assert (who, subject, detail["rows"], detail["file"]) == ("head1", CODE, 1, "退回.xlsx")

    for call in (
        lambda: campaign_desk.overview(ctx, head, locked=True),
        lambda: campaign_desk.detail(ctx, head, CODE, locked=True),
        lambda: campaign_desk.create(ctx, head, spec("village-x"), locked=True),
        lambda: campaign_desk.close(ctx, head, CODE, locked=True),
        lambda: campaign_desk.import_file(ctx, head, CODE, tmp_path / "r.xlsx", locked=True),
        lambda: campaign_desk.export_refused(ctx, head, done, tmp_path / "y.xlsx", locked=True),
    ):
        with pytest.raises(DeskRefused) as refused:
            call()
        assert refused.value is LOCKED
    assert not (tmp_path / "y.xlsx").exists()
    assert [(w, s, d["action"], d["reason"]) for w, s, d in audit_rows(store, "campaign_refused")] == [
        ("head1", None, "list", "screen locked"),
        ("head1", CODE, "show", "screen locked"),
        ("head1", "village-x", "create", "screen locked"),
        ("head1", CODE, "close", "screen locked"),
        ("head1", CODE, "import", "screen locked"),
        ("head1", CODE, "export", "screen locked"),
    ]
    assert campaigns.show_campaign(ctx, head, CODE).campaign.status == "open"
