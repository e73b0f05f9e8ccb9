"""客群活动's batch grant by the keyboard: S shows what a submission takes (the count and the total the
service works out) and Y submits it; B shows an approver the batch (count, total, bands, exceptions
first), A then Y approves what their authority covers, R rejects the chosen one with a typed reason;
the maker is refused their own batch in the service's words, a teller too; nothing while locked; the
overview's progress is the service's (``campaign show --json``)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import text

from teller_assist.campaigns.progress import FIGURE_ZH, FIGURES
from teller_assist.identity.masking import Masking
from teller_assist.services import campaign_batches, campaigns
from teller_assist.services.audit import now_utc
from teller_assist.services.clock import Clock
from teller_assist.services.operators import authenticate
from teller_assist.settings import Settings
from teller_assist.store.applications import local_day
from teller_assist.store.engine import Store
from teller_assist.ui import i18n
from teller_assist.ui.fonts import install_fonts
from teller_assist.ui.main_window import MainWindow
from teller_assist.ui.workspaces.campaigns import BatchDialog, CampaignsWorkspace, SubmitDialog
from tests.helpers.context import context_of
from tests.helpers.extracts import MAN, WOMAN, rid
from tests.helpers.keyrings import MemoryKeyring
from tests.helpers.operators import PASSWORD
from tests.ui.test_campaigns_workspace import (
    NEG,
    NEW,
    TODAY,
    VILLAGE,
    Desk,
    audit_of,
    bank_knows,
    f7,
    make_people,
    settled,
    sign_in,
    spec,
    type_chinese,
)
from tests.ui.test_translations import cut_off

MASK = Masking()
HEADER = [
    "序号", "户号", "姓名", "身份证号", "村民小组", "重点户", "手机号", "同意查询征信", "同意处理个人信息"
]  # fmt: skip
ROWS = [
    [1, "H1", "张三", MAN, "一组", "是", "13951234567", "是", "是"],  # key household: base line, survey noted
    [2, "H1", "李四", WOMAN, "一组", "", "", "是", "是"],
    [3, "H2", "孙五", NEG, "二组", "", "", "是", "是"],  # negative list: left
    [4, "H2", "王六", NEW, "二组", "", "", "是", "是"],  # new to the bank: the base line
    [5, "H2", "赵九", rid(seq=41), "二组", "", "", "", ""],  # no consents: left
]


def roster(path: Path) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for row in ROWS:
        sheet.append(row)
    book.save(path)
    return path


@pytest.fixture
def desk(qtbot: QtBot, settings: Settings, memory_keyring: MemoryKeyring, tmp_path: Path) -> Desk:
    QApplication.setFont(install_fonts())
    window = MainWindow(settings, clock=Clock.on(TODAY))
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=3000)
    window.start()
    ctx = window.ctx
    assert ctx is not None
    store = ctx.store
    make_people(store)
    from teller_assist.services.operators import add_operator
    from tests.helpers.operators import admin_of

    add_operator(context_of(store), admin_of(store, "admin1"), login="lobby1", name="测试lobby1",
                 role="lobby_manager", password=PASSWORD, branch_code="0101")  # fmt: skip
    bank_knows(store, tmp_path / "extracts")
    admin = authenticate(ctx, "admin1", PASSWORD)
    campaigns.create_campaign(ctx, admin, spec())
    campaigns.import_roster(ctx, admin, VILLAGE, roster(tmp_path / "村民名单.xlsx"))
    return Desk(window, store)


def choose_village(qtbot: QtBot, view: CampaignsWorkspace) -> None:
    codes = [view._code_at(r) for r in range(view.table.rowCount())]
    view.table.selectRow(codes.index(VILLAGE))
    settled(qtbot, view)
    assert view.selected_code() == VILLAGE


def statuses(store: Store) -> dict[str, tuple[str, str | None, str | None]]:
    with store.connection() as conn:
        return {
            str(r[0]): (str(r[1]), r[2], r[3])
            for r in conn.execute(
                text(
                    "SELECT a.id_no, a.status, c.login, a.reject_reason FROM application a "
                    "LEFT JOIN operator c ON c.id = a.checker_id ORDER BY a.id"
                )
            )
        }


def submit_by_keys(qtbot: QtBot, view: CampaignsWorkspace) -> SubmitDialog:
    qtbot.keyClick(view.table, Qt.Key.Key_S)
    dialog = view.dialog
    assert isinstance(dialog, SubmitDialog)
    qtbot.waitUntil(lambda: dialog.plan is not None or dialog.error.isVisible(), timeout=10_000)
    return dialog


def test_s_shows_the_count_and_total_the_service_works_out_and_y_submits_them_in_one_batch(
    qtbot: QtBot, desk: Desk
) -> None:
    sign_in(qtbot, desk, "head1")
    view = f7(qtbot, desk.window)
    choose_village(qtbot, view)
    expected = campaign_batches.plan_campaign(
        desk.ctx.on(TODAY), authenticate(desk.ctx, "head1", PASSWORD), VILLAGE
    )
    assert len(expected.submit) == 3 and expected.total > 0 and expected.total % 100 == 0  # 张三, 李四, 王六
    dialog = submit_by_keys(qtbot, view)
    assert f"将提交 3 人，合计 {expected.total // 100:,} 元" in dialog.status.text()  # fen, read in yuan
    assert "负面清单" in dialog.status.text() or "不提交 2 人" in dialog.status.text()
    assert statuses(desk.store) == {}  # nothing written before Y
    qtbot.keyClick(dialog, Qt.Key.Key_Return)  # a stray Enter submits nothing
    assert statuses(desk.store) == {} and dialog.isVisible()
    qtbot.keyClick(dialog.focusWidget() or dialog, Qt.Key.Key_Y)
    qtbot.waitUntil(lambda: dialog.submitted is not None, timeout=10_000)
    assert {k: v[0] for k, v in statuses(desk.store).items()} == {
        MAN: "submitted",
        WOMAN: "submitted",
        NEW: "submitted",
    }
    assert f"已提交 3 人，合计 {expected.total // 100:,} 元" in view.message.text()
    submits = [(who, d["submitted"]) for who, _s, d in audit_of(desk.store, "campaign_submit")]
    assert submits == [("head1", 3)]
    # B goes on to the batch; head1 made it, so they are told they cannot decide it, and A is refused
    qtbot.keyClick(dialog, Qt.Key.Key_B)
    qtbot.waitUntil(
        lambda: isinstance(view.dialog, BatchDialog) and view.dialog.view is not None, timeout=10_000
    )
    batch = view.dialog
    assert isinstance(batch, BatchDialog)
    assert "经办人不能审批自己提交的批次" in batch.notice.text() and batch.notice.isVisible()
    assert not batch.approve_button.isEnabled()
    assert batch.table.hasFocus()
    qtbot.keyClick(batch.table, Qt.Key.Key_A)
    qtbot.waitUntil(lambda: batch.error.isVisible(), timeout=10_000)
    assert "经办人不能审批自己提交的批次" in batch.error.text()
    assert {v[0] for v in statuses(desk.store).values()} == {"submitted"}
    refused = [(w, d["action"], d["reason"]) for w, _s, d in audit_of(desk.store, "campaign_refused")]
    assert refused == [("head1", "batch_approve", "the batch's maker")]


def test_an_approver_sees_the_batch_rejects_one_with_a_reason_and_approves_the_rest_in_one_step(
    qtbot: QtBot, desk: Desk
) -> None:
    made = campaign_batches.submit_campaign(
        desk.ctx.on(TODAY), authenticate(desk.ctx, "teller1", PASSWORD), VILLAGE
    )
    assert made.submitted == 3
    sign_in(qtbot, desk, "lobby1")
    view = f7(qtbot, desk.window)
    choose_village(qtbot, view)
    assert "待审批 3 件" in view.progress.text()
    qtbot.keyClick(view.table, Qt.Key.Key_B)
    dialog = view.dialog
    assert isinstance(dialog, BatchDialog)
    qtbot.waitUntil(lambda: dialog.view is not None, timeout=10_000)
    assert dialog.batch_id == made.batch_id
    summary = dialog.summary.text()
    assert f"共 3 件，合计 {made.total // 100:,} 元；待审批 3 件" in summary
    assert "按基础额度提交" in summary  # 张三, a key household: the exception shown first
    first = dialog.view.lines[0]  # type: ignore[union-attr]
    assert "survey_needed" in first.exceptions
    assert not dialog.notice.isVisible()
    # R on the chosen one, the reason typed, Enter: rejected with that reason
    dialog.table.selectRow(1)
    rejected = dialog.view.lines[1]  # type: ignore[union-attr]
    qtbot.keyClick(dialog.table, Qt.Key.Key_R)
    assert dialog.reason.isVisible() and dialog.reason.hasFocus()
    qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)  # no reason yet: refused, nothing done
    assert "请输入拒绝原因" in dialog.error.text()
    type_chinese(dialog.reason, "家庭负债过高")
    qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.busy and not dialog.reason.isVisible(), timeout=10_000)
    qtbot.waitUntil(
        lambda: dialog.view is not None and dialog.view.review.by_status()["rejected"] == 1, timeout=10_000
    )
    by_id = statuses(desk.store)
    assert [k for k, v in by_id.items() if v[0] == "rejected"] == [
        next(k for k in by_id if MASK.resident_id(k) == rejected.id_masked)
    ]
    assert ("rejected", "lobby1", "家庭负债过高") in by_id.values()
    # A, then Y: the two still waiting approved in one step, each its own audit row
    qtbot.keyClick(dialog.table, Qt.Key.Key_A)
    assert "按 Y 确认" in dialog.keys.text()
    assert [v[0] for v in statuses(desk.store).values()].count("approved") == 0  # not before Y
    qtbot.keyClick(dialog.table, Qt.Key.Key_Y)
    qtbot.waitUntil(
        lambda: dialog.view is not None and dialog.view.review.by_status()["approved"] == 2, timeout=10_000
    )
    assert sorted(v[:2] for v in statuses(desk.store).values()) == [
        ("approved", "lobby1"),
        ("approved", "lobby1"),
        ("rejected", "lobby1"),
    ]
    assert len(audit_of(desk.store, "approve")) == 2
    assert [d["approved"] for _w, _s, d in audit_of(desk.store, "campaign_batch_approve")] == [2]
    settled(qtbot, view)
    # the decisions are stamped by the real clock while the window's day is TODAY: counted at the day
    # they were stamped (the same day as TODAY in use; later when the suite runs after that date)
    stamped = max(TODAY, local_day(now_utc()))
    lobby1 = authenticate(desk.ctx, "lobby1", PASSWORD)
    counted = campaigns.show_campaign(desk.ctx.on(stamped), lobby1, VILLAGE).progress
    assert counted is not None
    assert (counted.submitted, counted.decided, counted.granted) == (3, 3, 2)
    # the overview's progress: the service's figures at the window's date, each named
    shown = campaigns.show_campaign(desk.ctx, lobby1, VILLAGE)
    assert shown.progress is not None
    figures = shown.progress.figures()
    progress = view.progress.text()
    for name in FIGURES:
        assert f"{FIGURE_ZH[name]}<br><b>{figures[name]:,}</b>" in progress
    assert "已审批：" in view.progress.toolTip()  # what each figure counts, beside it


def test_b_lets_the_approver_choose_among_the_waiting_batches_newest_first(
    qtbot: QtBot, desk: Desk, tmp_path: Path
) -> None:
    from openpyxl import Workbook

    from teller_assist.ui.workspaces.campaigns import BatchChooser

    teller = authenticate(desk.ctx, "teller1", PASSWORD)
    first = campaign_batches.submit_campaign(desk.ctx.on(TODAY), teller, VILLAGE)
    book = Workbook()
    book.active.append(HEADER)
    for row in [*ROWS, [6, "H3", "周七", rid(seq=43), "二组", "", "", "是", "是"]]:
        book.active.append(row)
    book.save(tmp_path / "补充名单.xlsx")
    campaigns.import_roster(
        desk.ctx, authenticate(desk.ctx, "admin1", PASSWORD), VILLAGE, tmp_path / "补充名单.xlsx"
    )  # fmt: skip
    second = campaign_batches.submit_campaign(desk.window.ctx.on(TODAY), teller, VILLAGE)
    assert (first.submitted, second.submitted) == (3, 1)
    sign_in(qtbot, desk, "lobby1")
    view = f7(qtbot, desk.window)
    choose_village(qtbot, view)
    qtbot.keyClick(view.table, Qt.Key.Key_B)
    chooser = view.dialog
    assert isinstance(chooser, BatchChooser)
    rows = [chooser.list.item(i).text() for i in range(chooser.list.count())]
    assert len(rows) == 2 and f"批次 {second.batch_id}" in rows[0] and "1 件，待审批 1 件" in rows[0]
    assert f"批次 {first.batch_id}" in rows[1] and "3 件，待审批 3 件" in rows[1]
    qtbot.keyClick(chooser.list, Qt.Key.Key_Down)  # the older one, by the keys alone
    qtbot.keyClick(chooser.list, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: isinstance(view.dialog, BatchDialog), timeout=5000)
    dialog = view.dialog
    assert isinstance(dialog, BatchDialog) and dialog.batch_id == first.batch_id
    qtbot.waitUntil(lambda: dialog.view is not None, timeout=10_000)
    assert "共 3 件" in dialog.summary.text()
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: view.dialog is None, timeout=5000)
    settled(qtbot, view)
    qtbot.keyClick(view.table, Qt.Key.Key_B)  # Esc in the chooser opens none
    chooser = view.dialog
    assert isinstance(chooser, BatchChooser)
    qtbot.keyClick(chooser.list, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: view.dialog is None, timeout=5000)


def test_a_teller_may_submit_but_not_decide_and_nothing_is_done_while_locked(
    qtbot: QtBot, desk: Desk
) -> None:
    sign_in(qtbot, desk, "teller1")
    window = desk.window
    view = f7(qtbot, window)
    choose_village(qtbot, view)
    dialog = submit_by_keys(qtbot, view)
    qtbot.keyClick(dialog, Qt.Key.Key_Y)
    qtbot.waitUntil(lambda: dialog.submitted is not None, timeout=10_000)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: view.dialog is None, timeout=5000)
    settled(qtbot, view)
    qtbot.keyClick(view.table, Qt.Key.Key_B)
    batch = view.dialog
    assert isinstance(batch, BatchDialog)
    qtbot.waitUntil(lambda: batch.view is not None, timeout=10_000)
    assert "经办人不能审批" in batch.notice.text()  # the teller made it (and has no authority either)
    batch.table.selectRow(0)
    qtbot.keyClick(batch.table, Qt.Key.Key_R)
    type_chinese(batch.reason, "不符合")
    qtbot.keyClick(batch.reason, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: batch.error.isVisible(), timeout=10_000)
    assert "有审批权限" in batch.error.text() and batch.reason.text() == "不符合"  # what was typed kept
    qtbot.keyClick(batch.reason, Qt.Key.Key_Escape)
    assert not batch.reason.isVisible() and batch.table.hasFocus()
    # locked: the batch's keys and the workspace's refuse, each audited; nothing changes
    window.lock()
    assert window.is_locked()
    batch.ask_approve()
    qtbot.waitUntil(lambda: "屏幕已锁定" in batch.error.text(), timeout=10_000)
    batch.rejectOne.emit(batch.view.lines[0].application_id, "锁屏时")  # type: ignore[union-attr]
    batch.done(0)
    qtbot.waitUntil(lambda: view.dialog is None, timeout=5000)
    assert view.submit_selected() is None and view.open_batch() is None
    assert view.message.text().startswith("屏幕已锁定")
    assert {v[0] for v in statuses(desk.store).values()} == {"submitted"}
    refused = [(w, d["action"], d["reason"]) for w, _s, d in audit_of(desk.store, "campaign_refused")]
    assert refused == [
        ("teller1", "batch_reject", "no approval authority for the campaign's branch"),
        ("teller1", "batch_approve", "screen locked"),
        ("teller1", "batch_reject", "screen locked"),
        ("teller1", "submit", "screen locked"),
        ("teller1", "batch_show", "screen locked"),
    ]


@pytest.fixture(params=["zh_CN", "en"])
def language(request: pytest.FixtureRequest, qapp: QApplication) -> Iterator[str]:
    if not i18n.qm_file("en").exists():
        pytest.fail("the .qm files are built by make (make translations) before the tests")
    i18n.install(qapp, request.param)
    yield request.param
    i18n.install(qapp, i18n.SOURCE_LANGUAGE)


def test_the_submission_and_the_batch_fit_the_420_pixel_window_in_either_language(
    qtbot: QtBot, desk: Desk, language: str
) -> None:
    sign_in(qtbot, desk, "head1")
    window = desk.window
    view = f7(qtbot, window)
    choose_village(qtbot, view)
    QApplication.processEvents()
    assert window.width() == MainWindow.DEFAULT_WIDTH
    assert not cut_off(view), cut_off(view)
    dialog = submit_by_keys(qtbot, view)
    QApplication.processEvents()
    assert not cut_off(dialog), cut_off(dialog)
    qtbot.keyClick(dialog, Qt.Key.Key_Y)
    qtbot.waitUntil(lambda: dialog.submitted is not None, timeout=10_000)
    QApplication.processEvents()
    assert not cut_off(dialog), cut_off(dialog)
    qtbot.keyClick(dialog, Qt.Key.Key_B)
    qtbot.waitUntil(
        lambda: isinstance(view.dialog, BatchDialog) and view.dialog.view is not None, timeout=10_000
    )
    batch = view.dialog
    assert isinstance(batch, BatchDialog)
    QApplication.processEvents()
    assert not cut_off(batch), cut_off(batch)
    assert batch.notice.isVisible()  # the maker's
    if language == "en":
        assert view.submit_button.text() == "Submit (S)"
        assert "You submitted this batch" in batch.notice.text()
        assert "matched" in view.progress.text() and "本行客户" not in view.progress.text()
