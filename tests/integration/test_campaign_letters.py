"""Notification for a campaign's whole group (issue 17, item 6), on SQLite and PostgreSQL: the agreement
and the letter of every granted member issued and kept as the counter keeps them, merged print files in
delivery order (村民小组, then household) read back with pdftotext, IDs masked on every part the villager
keeps, SMS texts queued for those with a phone; a run cancelled and a kept document lost, then resumed:
nothing issued twice but the lost one, which comes out as 副本; refusals to another branch's staff and on
a closed campaign; signatures recorded one by one and from a list through the counter's signing."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import subprocess
import time
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import text

from teller_assist.campaigns.campaign import check_spec
from teller_assist.identity.masking import Masking
from teller_assist.prequal.policy import Policy
from teller_assist.services import applications as apps
from teller_assist.services import campaign_batches as batches
from teller_assist.services import campaign_letters as letters
from teller_assist.services import campaigns
from teller_assist.services.campaigns import CampaignRefused
from teller_assist.services.context import Context
from teller_assist.services.operators import add_operator
from teller_assist.settings import Settings, load_settings
from teller_assist.store import documents as store_docs
from teller_assist.store.engine import Store
from tests.helpers import required
from tests.helpers.cups import CupsServer
from tests.helpers.extracts import rid
from tests.helpers.operators import PASSWORD
from tests.helpers.workflow import Team

TODAY = dt.date(2026, 11, 30)
NOW = dt.datetime(2026, 11, 30, 2, 0, tzinfo=dt.UTC)
CODE = "village-前进-2026"
MASK = Masking()
P = {n: rid(seq=s) for n, s in (("王二", 101), ("赵一", 103), ("钱九", 105), ("孙一", 107), ("李一", 109))}
ROWS = [
    # 户号, 姓名, 身份证号, 村民小组, 手机号, 同意查询征信, 同意处理个人信息 — not in delivery order
    ["H2", "王二", P["王二"], "二组", "13951234567", "是", "是"],
    ["H1", "赵一", P["赵一"], "二组", "", "是", "是"],
    ["H9", "钱九", P["钱九"], "一组", "", "是", "是"],
    ["H1", "孙一", P["孙一"], "一组", "", "是", "是"],
    ["H1", "李一", P["李一"], "一组", "", "", ""],  # no consents: never submitted, never granted
]
BAD = rid(seq=203)[:-1] + ("1" if rid(seq=203)[-1] == "0" else "0")  # a wrong check digit
DELIVERY = ["孙一", "钱九", "赵一", "王二"]  # 一组 H1, H9; 二组 H1, H2


@pytest.fixture(autouse=True)
def _poppler() -> None:
    required.program("pdftotext")


@pytest.fixture
def paper(env: dict[str, str], store: Store, memory_keyring: object) -> Settings:
    """Settings with a document key in the (memory) keyring, the demo-mode key file on demo stores."""
    return load_settings({**env, **({"TELLER_ASSIST_KEY_STORE": "demo-file"} if store.demo_mode else {})})


@pytest.fixture
def paper_ctx(ctx: Context, paper: Settings) -> Context:
    """The context with the paper settings."""
    return dataclasses.replace(ctx, settings=paper)


def granted_campaign(ctx: Context, team: Team, tmp_path: Path, **changes: object) -> dict[str, int]:
    spec = check_spec(
        code=CODE, scenario="village", group_name="前进村", branch_code="0101",
        starts_on=dt.date(2026, 12, 1), ends_on=dt.date(2027, 3, 31), today=TODAY,
        village_groups=("一组", "二组"), **changes,  # type: ignore[arg-type]
    )  # fmt: skip
    campaigns.create_campaign(ctx.at(NOW), team.head.operator, spec)
    book = Workbook()
    sheet = book.active
    sheet.append(["户号", "姓名", "身份证号", "村民小组", "手机号", "同意查询征信", "同意处理个人信息"])
    for row in ROWS:
        sheet.append(row)
    book.save(tmp_path / "前进村.xlsx")
    campaigns.import_roster(ctx.at(NOW), team.head.operator, CODE, tmp_path / "前进村.xlsx")
    sub = batches.submit_campaign(ctx.at(NOW), team.head.operator, CODE)
    assert sub.batch_id is not None and set(sub.made) == {P[n] for n in DELIVERY}
    done = batches.approve_batch(ctx.at(NOW), team.manager.operator, sub.batch_id)
    assert len(done.approved) == 4
    return {name: sub.made[P[name]] for name in DELIVERY}


def pages(pdf: Path) -> list[str]:
    out = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True)
    return ["".join(page.split()) for page in out.stdout.split("\f") if page.strip()]


def audit_details(store: Store, action: str) -> list[dict[str, object]]:
    with store.connection() as conn:
        rows = conn.execute(
            text("SELECT detail FROM audit_event WHERE action = :a ORDER BY seq"), {"a": action}
        ).scalars()
        return [json.loads(r) for r in rows]


def check_paper(files: list[Path], order: list[str]) -> list[str]:
    """Every page of the merged files, in order: whose it is (a page naming nobody goes on the one
    before), a full ID only on the part the bank keeps, the letter masked and saying what it must."""
    names: list[str] = []
    for f in files:
        for page in pages(f):
            who = [n for n in P if n in page]
            assert len(who) <= 1, page[:200]
            if who and (not names or names[-1] != who[0]):
                names.append(who[0])
            for person, id_no in P.items():
                if id_no in page:
                    assert "银行留存联" in page and person == names[-1], page[:200]
            if "授信告知函" in page:
                person = names[-1]
                assert P[person] not in page and MASK.resident_id(P[person]) in page
                assert "人民币叁万元整" in page and "30,000.00" in page and "签约方式" in page
    assert names == order
    return names


def test_letters_for_the_granted_in_delivery_order_masked_with_texts(
    store: Store, team: Team, policy: Policy, paper: Settings, tmp_path: Path, paper_ctx: Context
) -> None:
    made = granted_campaign(paper_ctx, team, tmp_path)
    seen: list[tuple[str, int, int]] = []
    run = letters.issue_letters(
        paper_ctx.on(TODAY),
        team.teller.operator,
        CODE,
        tmp_path / "out",
        progress=lambda stage, done, of: seen.append((stage, done, of)),
    )  # fmt: skip
    assert (run.people, run.originals, run.copies, run.kept_before) == (4, 8, 0, 0)
    assert [f.name for f in run.files] == ["001-一组.pdf", "002-二组.pdf"]
    assert seen[:4] == [("issue", i, 4) for i in range(1, 5)] and seen[-1] == ("merge", 2, 2)
    check_paper(run.files, DELIVERY)
    kept = paper.paths.data_dir / "printed"
    for app_id in made.values():  # one PDF per person and document, named as the counter names them
        assert (kept / f"app{app_id}-agreement-0.pdf").exists() and (
            kept / f"app{app_id}-letter-0.pdf"
        ).exists()
        assert store_docs.issued_count(store, app_id, "agreement") == 1
    # the text for the one with a phone, queued once; the audit rows under the teller
    with store.connection() as conn:
        queued = conn.execute(text("SELECT application_id, phone FROM sms_outbox")).all()
    assert [(int(a), p) for a, p in queued] == [(made["王二"], "13951234567")] and run.texts == 1
    assert audit_details(store, "campaign_sms") == [{"queued": 1}]
    (last,) = audit_details(store, "campaign_letters")
    assert (last["people"], last["originals"], last["cancelled"]) == (4, 8, False)
    assert "13951234567" not in json.dumps(audit_details(store, "campaign_letters"))
    # the counter's own issue rows: 'print', each under the teller, each naming the campaign
    with store.connection() as conn:
        ops = conn.execute(text("SELECT operator, detail FROM audit_event WHERE action = 'print'")).all()
    assert len(ops) == 8 and all(o == "teller1" and CODE in json.loads(d)["to"] for o, d in ops)


def test_rendered_ahead_in_worker_processes_the_same_letters_in_the_same_order(
    store: Store, team: Team, policy: Policy, paper: Settings, tmp_path: Path, paper_ctx: Context
) -> None:
    made = granted_campaign(paper_ctx, team, tmp_path)
    run = letters.issue_letters(paper_ctx.on(TODAY), team.teller.operator, CODE, tmp_path / "out", workers=2)
    assert (run.originals, run.copies, run.rendered_ahead) == (8, 0, 8)
    check_paper(run.files, DELIVERY)
    assert all(store_docs.issued_count(store, a, "letter") == 1 for a in made.values())


def test_a_cancelled_run_resumes_and_a_lost_document_comes_again_as_a_copy(
    store: Store, team: Team, policy: Policy, paper: Settings, tmp_path: Path, paper_ctx: Context
) -> None:
    made = granted_campaign(paper_ctx, team, tmp_path)
    out = tmp_path / "out"
    done: list[int] = []
    with pytest.raises(letters.LettersCancelled) as stopped:
        letters.issue_letters(
            paper_ctx.on(TODAY),
            team.teller.operator,
            CODE,
            out,
            progress=lambda stage, n, of: done.append(n),
            cancelled=lambda: len(done) >= 2,
        )  # fmt: skip
    assert (stopped.value.done, stopped.value.of) == (2, 4)
    assert audit_details(store, "campaign_letters")[-1]["cancelled"] is True
    assert store_docs.issued_count(store, made["赵一"], "agreement") == 0  # nobody past the stop
    # 钱九's letter was recorded but its file never written (a crash between the two)
    lost = paper.paths.data_dir / "printed" / f"app{made['钱九']}-letter-0.pdf"
    lost.unlink()

    run = letters.issue_letters(paper_ctx.on(TODAY), team.teller.operator, CODE, out)
    assert (run.originals, run.copies, run.kept_before) == (4, 1, 3)
    assert store_docs.issued_count(store, made["孙一"], "agreement") == 1  # not issued twice
    assert store_docs.issued_count(store, made["钱九"], "letter") == 2
    check_paper(run.files, DELIVERY)
    first = pages(run.files[0])
    copies = [page for page in first if "副本" in page]
    assert len(copies) == 1 and "钱九" in copies[0] and "授信告知函" in copies[0]

    # a third run issues nothing and rewrites no file
    stamps = [f.stat().st_mtime_ns for f in run.files]
    again = letters.issue_letters(paper_ctx.on(TODAY), team.teller.operator, CODE, out)
    assert (again.originals, again.copies, again.kept_before) == (0, 0, 8)
    assert [f.stat().st_mtime_ns for f in again.files] == stamps


def test_a_copy_number_another_desktop_took_meanwhile_comes_out_as_the_next_copy(
    store: Store,
    team: Team,
    policy: Policy,
    paper: Settings,
    tmp_path: Path,
    paper_ctx: Context,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The run records its documents a few people at a time: while 钱九's waited to be recorded, the
    counter printed his letter. His is recorded as the next copy (副本) and the others as they were."""
    from teller_assist.services import documents

    made = granted_campaign(paper_ctx, team, tmp_path)
    real, calls = documents.rendered, []

    def counter_prints_meanwhile(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(args[2])
        if len(calls) == 4:  # 钱九's letter rendered, not yet recorded: the counter prints it
            store_docs.record_issue(
                store, application_id=made["钱九"], kind="letter", operator="manager1",
                workstation="counter-2", destination="counter printer", sha256="0" * 64, now=NOW,
                expected_copy_no=0,
            )  # fmt: skip
        return real(*args, **kwargs)

    monkeypatch.setattr(documents, "rendered", counter_prints_meanwhile)
    run = letters.issue_letters(paper_ctx.on(TODAY), team.teller.operator, CODE, tmp_path / "out")
    assert (run.originals, run.copies, run.refused) == (7, 1, [])
    assert store_docs.issued_count(store, made["钱九"], "letter") == 2
    assert store_docs.issued_count(store, made["钱九"], "agreement") == 1
    kept = paper.paths.data_dir / "printed"
    assert (kept / f"app{made['钱九']}-letter-1.pdf").exists()
    assert not (kept / f"app{made['钱九']}-letter-0.pdf").exists()  # the counter's own, not kept here
    check_paper(run.files, DELIVERY)
    copies = [page for page in pages(run.files[0]) if "副本" in page]
    assert len(copies) == 1 and "钱九" in copies[0] and "授信告知函" in copies[0]
    rows = audit_details(store, "reprint")
    assert [(r["kind"], r["copy_no"]) for r in rows] == [("letter", 1)]
    assert len(audit_details(store, "print")) == 8  # the counter's original and the run's seven


def test_one_refused_document_never_stops_the_run_and_stays_out_of_the_print_files(
    store: Store, team: Team, policy: Policy, paper: Settings, tmp_path: Path, paper_ctx: Context
) -> None:
    made = granted_campaign(paper_ctx, team, tmp_path)
    with store.connection() as conn:  # 钱九's application lost its name; 王二's phone came in masked
        conn.execute(text("UPDATE application SET name = NULL WHERE id = :a"), {"a": made["钱九"]})
        conn.execute(
            text("UPDATE campaign_member SET phone = '139****4567' WHERE id_no = :i"), {"i": P["王二"]}
        )
        conn.commit()
    run = letters.issue_letters(paper_ctx.on(TODAY), team.teller.operator, CODE, tmp_path / "out")
    # the others' paper all came out; 钱九 refused in words, masked, and left out of the print files
    assert (run.people, run.originals, run.texts) == (4, 6, 0)
    paper_refused = [r for r in run.refused if r.paper]
    assert [(r.application_id, r.name, r.id_masked, r.line_no) for r in paper_refused] == [
        (made["钱九"], "钱九", MASK.resident_id(P["钱九"]), 4)
    ]
    assert "没有登记客户姓名" in paper_refused[0].reason_zh and P["钱九"] not in paper_refused[0].reason_zh
    (text_refused,) = [r for r in run.refused if not r.paper]
    assert text_refused.application_id == made["王二"] and "手机号无效" in text_refused.reason_zh
    check_paper(run.files, ["孙一", "赵一", "王二"])
    assert store_docs.issued_count(store, made["钱九"], "agreement") == 0
    (last,) = audit_details(store, "campaign_letters")
    assert sorted((d["application"], d["paper"]) for d in last["refused"]) == sorted(  # type: ignore[union-attr]
        [(made["钱九"], True), (made["王二"], False)]
    )
    assert P["钱九"] not in json.dumps(last, ensure_ascii=False)
    # the name put right, the same command issues only 钱九's and puts them back in delivery order
    with store.connection() as conn:
        conn.execute(text("UPDATE application SET name = '钱九' WHERE id = :a"), {"a": made["钱九"]})
        conn.commit()
    again = letters.issue_letters(paper_ctx.on(TODAY), team.teller.operator, CODE, tmp_path / "out")
    assert (again.originals, again.kept_before, [r.paper for r in again.refused]) == (2, 6, [False])
    check_paper(again.files, DELIVERY)


def test_refused_to_another_branch_and_on_a_closed_campaign(
    store: Store, team: Team, policy: Policy, paper: Settings, tmp_path: Path, paper_ctx: Context
) -> None:
    granted_campaign(paper_ctx, team, tmp_path)
    elsewhere = add_operator(
        paper_ctx, team.admin.operator, login="teller9", name="teller9", role="teller", password=PASSWORD,
        branch_code="0202",
    )  # fmt: skip
    with pytest.raises(CampaignRefused, match="网点 0101 的员工"):
        letters.issue_letters(paper_ctx.on(TODAY), elsewhere, CODE, tmp_path / "o")
    with pytest.raises(CampaignRefused, match="网点 0101 的员工"):
        letters.sign_members(paper_ctx.on(TODAY), elsewhere, CODE, [P["王二"]])
    refused = [d for d in audit_details(store, "campaign_refused") if d["action"] in ("letters", "sign")]
    assert [d["action"] for d in refused] == ["letters", "sign"]
    assert not (tmp_path / "o").exists() and not audit_details(store, "print")
    campaigns.close_campaign(paper_ctx.at(NOW), team.head.operator, CODE)
    with pytest.raises(CampaignRefused, match="已于"):
        letters.issue_letters(paper_ctx.on(TODAY), team.teller.operator, CODE, tmp_path / "o")
    assert not audit_details(store, "print")


def test_signatures_one_by_one_and_from_a_list_through_the_counters_signing(
    store: Store, team: Team, policy: Policy, paper: Settings, tmp_path: Path, paper_ctx: Context
) -> None:
    made = granted_campaign(paper_ctx, team, tmp_path)
    (before,) = letters.sign_members(paper_ctx.on(TODAY), team.teller.operator, CODE, [P["王二"]])
    assert not before.signed and "尚未打印" in (before.reason_zh or "")  # nothing to sign yet
    letters.issue_letters(paper_ctx.at(NOW), team.teller.operator, CODE, tmp_path / "out")
    (one,) = letters.sign_members(paper_ctx.on(TODAY), team.teller.operator, CODE, [P["王二"]])
    assert one.signed and one.application_id == made["王二"] and one.given == MASK.resident_id(P["王二"])
    listed = [P["孙一"], P["王二"], P["李一"], rid(seq=201), BAD, P["孙一"]]
    result = letters.sign_members(paper_ctx.on(TODAY), team.teller.operator, CODE, listed)
    assert [r.signed for r in result] == [True, False, False, False, False, False]
    assert [r.reason_zh for r in result[1:3]] == ["已签约", "本活动未给此人授信"]
    assert "不是活动" in (result[3].reason_zh or "") and "身份证号无效" in (result[4].reason_zh or "")
    assert result[5].reason_zh == "名单中重复"
    assert all(P["孙一"] not in r.given for r in result)
    for name in ("王二", "孙一"):
        record = apps.get(paper_ctx, made[name])
        assert record.status == "signed" and record.signed_at is not None
        assert set(store_docs.signatures(store, made[name])) == {"agreement"}
    assert apps.get(paper_ctx, made["赵一"]).status == "approved"
    progress = campaigns.campaign_progress(paper_ctx.on(TODAY), team.teller.operator, CODE)
    assert (progress.granted, progress.notified, progress.signed) == (4, 4, 2)
    assert [d["signed"] for d in audit_details(store, "campaign_sign")] == [0, 1, 1]


def test_print_files_go_to_a_real_queue_once_and_a_disabled_one_loses_nothing(
    store: Store,
    team: Team,
    policy: Policy,
    paper: Settings,
    tmp_path: Path,
    cups_server: CupsServer,
    monkeypatch: pytest.MonkeyPatch,
    paper_ctx: Context,
) -> None:
    from tests.integration.test_printing import landed
    from tests.integration.test_printing import pages as page_count

    for name, value in cups_server.env.items():
        monkeypatch.setenv(name, value)
    granted_campaign(paper_ctx, team, tmp_path)
    out = tmp_path / "out"
    off = letters.issue_letters(paper_ctx.on(TODAY), team.teller.operator, CODE, out, printer="TA-OFF")
    assert off.problem is not None and "已停用" in off.problem.message_zh and off.printed == {}
    assert len(off.files) == 2 and all(f.exists() for f in off.files)  # made and kept, not sent
    since = time.time() - 1
    sent = letters.issue_letters(paper_ctx.on(TODAY), team.teller.operator, CODE, out, printer="TA-PDF")
    assert sent.problem is None and sorted(sent.printed) == ["001-一组", "002-二组"]
    assert (sent.originals, sent.copies) == (0, 0)
    paper_out = landed(cups_server, since, 2)
    assert sorted(page_count(p) for p in paper_out) == sorted(len(pages(f)) for f in sent.files)
    again = letters.issue_letters(paper_ctx.on(TODAY), team.teller.operator, CODE, out, printer="TA-PDF")
    assert again.printed == sent.printed  # the printer took them: not sent twice
    assert audit_details(store, "campaign_letters")[-1]["printed"] == 2


def test_the_campaigns_own_indicator_is_read_by_the_kpis_and_shown_with_its_progress(
    store: Store, team: Team, policy: Policy, paper: Settings, tmp_path: Path, paper_ctx: Context
) -> None:
    from teller_assist.kpi.definitions import Ratio, Scope
    from teller_assist.services import kpi

    granted_campaign(paper_ctx, team, tmp_path, indicator=3)  # 3 people to sign by 2027-03-31
    letters.issue_letters(paper_ctx.on(TODAY), team.teller.operator, CODE, tmp_path / "out")
    done = letters.sign_members(paper_ctx.on(TODAY), team.teller.operator, CODE, [P["王二"], P["赵一"]])
    assert all(s.signed for s in done)
    day = dt.date(2026, 12, 5)  # within the campaign's period
    total = kpi.view(store, policy, Scope("campaign", CODE), day).total
    assert (total.stock.granted, total.stock.signed) == (4, 2)
    mark = total.indicator
    assert mark is not None and (mark.people, str(mark.measure)) == (3, "signed")
    assert (mark.starts_on, mark.ends_on) == (dt.date(2026, 12, 1), dt.date(2027, 3, 31))
    assert total.completion == Ratio(2, 3) and total.completion.text() == "66.67%"
    (row,) = [g for g in kpi.table(store, policy, "campaign", day) if g.key == CODE]  # the monthly report's
    assert row.completion == Ratio(2, 3)
    # the workspace's and `campaign show`'s progress: the same figure, also before the period begins
    shown = campaigns.show_campaign(paper_ctx.on(TODAY), team.head.operator, CODE)
    assert kpi.view(store, policy, Scope("campaign", CODE), TODAY).total.indicator is None  # not in force
    assert shown.indicator is not None and shown.indicator.completion == Ratio(2, 3)
    assert shown.progress is not None and shown.progress.signed == 2
    # one head office sets for the campaign replaces its own: 4 granted in December, all 4 done
    kpi.set_indicator(
        paper_ctx.at(NOW), team.admin.operator, Scope("campaign", CODE), people=4, granted=True,
        starts_on=dt.date(2026, 12, 1), ends_on=dt.date(2026, 12, 31),
    )  # fmt: skip
    total = kpi.view(store, policy, Scope("campaign", CODE), day).total
    assert total.indicator is not None and total.indicator.people == 4 and total.completion == Ratio(4, 4)
    later = kpi.view(store, policy, Scope("campaign", CODE), dt.date(2027, 1, 10)).total
    assert later.indicator is not None and later.indicator.people == 3 and later.completion == Ratio(2, 3)
