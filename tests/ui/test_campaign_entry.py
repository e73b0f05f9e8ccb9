"""客群活动's entry desk by the keyboard: G opens the chosen campaign's grid (one row a member, the
scenario's survey form as columns); the row's line follows each key typed; a kept cell keeps the row
as a draft that survives closing the grid; a complete row becomes the member's survey with its audit
row; on a community campaign the desk registers residents and refuses a bad ID, a duplicate and a name
that differs from the bank's; nothing is read or written while locked or for another branch."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit
from pytestqt.qtbot import QtBot

from teller_assist.campaigns.entry import decide_row
from teller_assist.errors import UserFacingError
from teller_assist.prequal.policy import default_policy_path, load_policy
from teller_assist.services import campaign_entry, campaigns, drafts
from teller_assist.services.clock import Clock
from teller_assist.services.operators import authenticate
from teller_assist.settings import Settings
from teller_assist.store import campaigns as store_campaigns
from teller_assist.ui.fonts import install_fonts
from teller_assist.ui.main_window import MainWindow
from teller_assist.ui.workspaces.campaign_entry import FIXED, EntryDialog
from teller_assist.ui.workspaces.campaigns import CampaignsWorkspace
from tests.helpers.context import context_of
from tests.helpers.extracts import MAN, WOMAN
from tests.helpers.keyrings import MemoryKeyring
from tests.helpers.operators import PASSWORD
from tests.ui.test_campaigns_workspace import (
    MASK,
    NEW,
    QIAN,
    TODAY,
    VILLAGE,
    Desk,
    audit_of,
    f7,
    seed,
    settled,
    sign_in,
    spec,
    type_chinese,
)

COMMUNITY = "comm-幸福里-2026"


@pytest.fixture
def desk(qtbot: QtBot, settings: Settings, memory_keyring: MemoryKeyring, tmp_path: Path) -> Desk:
    """The window started on the campaigns workspace's seeded store: head1's village campaign."""
    QApplication.setFont(install_fonts())
    window = MainWindow(settings, clock=Clock.on(TODAY))
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=3000)  # window shortcuts (F7) need it
    window.start()
    assert window.store is not None
    assert window.ctx is not None
    seed(window.ctx, tmp_path)
    return Desk(window, window.store)


def choose(qtbot: QtBot, view: CampaignsWorkspace, code: str) -> None:
    for _ in range(view.table.rowCount()):
        if view.selected_code() == code:
            return
        qtbot.keyClick(view.table, Qt.Key.Key_Down)
        settled(qtbot, view)
    assert view.selected_code() == code


def open_grid(qtbot: QtBot, view: CampaignsWorkspace) -> EntryDialog:
    qtbot.keyClick(view.table, Qt.Key.Key_G)
    dialog = view.dialog
    assert isinstance(dialog, EntryDialog)
    qtbot.waitUntil(lambda: dialog.load_task is None, timeout=10_000)
    return dialog


def editor(dialog: EntryDialog) -> QLineEdit:
    found = dialog.view.delegate.editor
    assert found is not None
    return found


def type_cell(
    qtbot: QtBot, dialog: EntryDialog, text: str, *, chinese: bool = False, keep: bool = True
) -> None:
    """Into the current cell as a person types: the cell is open for typing once the last one was kept
    (else the first key opens it), Enter keeps it and opens the next."""
    if dialog.view.delegate.editor is None:
        if chinese:
            qtbot.keyClick(dialog.view, Qt.Key.Key_Return)  # open it for the input method
        else:
            qtbot.keyClicks(dialog.view, text[0])  # the first key opens the cell with itself in it
            text = text[1:]
    if chinese:
        type_chinese(editor(dialog), text)
    elif text:
        qtbot.keyClicks(editor(dialog), text)
    if keep:
        qtbot.keyClick(editor(dialog), Qt.Key.Key_Return)


def row_cells(dialog: EntryDialog, row: int) -> list[str]:
    m = dialog.model
    return [m.data(m.index(row, c)) for c in range(m.columnCount())]


def test_typing_a_row_recomputes_its_line_and_a_complete_row_becomes_the_survey(
    qtbot: QtBot, desk: Desk
) -> None:
    sign_in(qtbot, desk, "head1")
    view = f7(qtbot, desk.window)
    choose(qtbot, view, VILLAGE)
    dialog = open_grid(qtbot, view)
    model = dialog.model
    assert model.rowCount() == 4  # 钱七 refused on the roster: not surveyed here
    assert row_cells(dialog, 0)[:3] == ["3", "张三", MASK.resident_id(MAN)]
    everything = "".join("".join(row_cells(dialog, r)) for r in range(4))
    assert MAN not in everything and NEW not in everything  # IDs masked
    assert dialog.view.currentIndex().row() == 0 and dialog.view.currentIndex().column() == FIXED
    before = row_cells(dialog, 0)[model.line_col : model.line_col + 3]
    assert before[2] == "未填·缺7项"

    type_cell(qtbot, dialog, "4")  # household members
    type_cell(qtbot, dialog, "12.5")  # farmland
    type_cell(qtbot, dialog, "水稻", chinese=True)
    type_cell(qtbot, dialog, "1")  # committee evaluation: the first choice
    assert row_cells(dialog, 0)[FIXED + 3].startswith("1 ")
    type_cell(qtbot, dialog, "13951234567")
    assert row_cells(dialog, 0)[FIXED + 4] == "139****4567"  # kept: shown masked
    type_cell(qtbot, dialog, "Y")
    assert model.states[0].kept and row_cells(dialog, 0)[model.line_col + 2] == "草稿·缺1项"
    assert store_campaigns.member(desk.store, dialog.model.sheet.campaign.id, MAN).survey is None

    # the last consent typed, not yet kept: the line is the complete survey's already
    type_cell(qtbot, dialog, "Y", keep=False)
    state = model.states[0]
    policy = load_policy(default_policy_path())
    answers = state.answers | {"consent_personal_info": True}
    _checked, expected = decide_row(state.row.card, state.row.evidence, "village", answers, policy, TODAY)
    assert _checked.complete
    shown = row_cells(dialog, 0)[model.line_col : model.line_col + 3]
    assert expected.grantable_fen % 100 == expected.potential_fen % 100 == 0  # whole yuan, shown so
    assert shown[:2] == [f"{expected.grantable_fen // 100:,}", f"{expected.potential_fen // 100:,}"]
    assert shown[2] == "待保存" and shown != before
    assert store_campaigns.member(desk.store, model.sheet.campaign.id, MAN).survey is None

    qtbot.keyClick(editor(dialog), Qt.Key.Key_Return)  # kept: the row is complete, recorded as the survey
    assert row_cells(dialog, 0)[model.line_col + 2] == "已保存调查"
    assert dialog.view.currentIndex().row() == 1 and dialog.view.currentIndex().column() == FIXED
    member = store_campaigns.member(desk.store, model.sheet.campaign.id, MAN)
    assert member is not None and member.survey is not None and member.surveyed_by == "head1"
    assert '"farmland_mu": "12.5"' in member.survey and '"main_produce": "水稻"' in member.survey
    surveyed = audit_of(desk.store, "campaign_survey")
    assert [(who, code, d["line"]) for who, code, d in surveyed] == [("head1", VILLAGE, 3)]
    assert drafts.load(desk.ctx, MAN) is None  # the draft went with the saving
    assert audit_of(desk.store, "campaign_entry")[-1][:2] == ("head1", VILLAGE)


def test_a_draft_survives_closing_the_grid_and_a_bad_answer_is_said(qtbot: QtBot, desk: Desk) -> None:
    sign_in(qtbot, desk, "teller1")
    view = f7(qtbot, desk.window)
    choose(qtbot, view, VILLAGE)
    dialog = open_grid(qtbot, view)
    qtbot.keyClick(dialog.view, Qt.Key.Key_Down)  # 李四
    type_cell(qtbot, dialog, "3")
    type_cell(qtbot, dialog, "2", keep=False)  # being typed when the grid closes: kept all the same
    assert drafts.load(desk.ctx, MAN) is None
    qtbot.keyClick(editor(dialog), Qt.Key.Key_Escape)  # Esc leaves the cell as it was
    type_cell(qtbot, dialog, "2.5", keep=False)
    dialog.reject()  # Esc: the grid closes, the cell being typed kept
    qtbot.waitUntil(lambda: view.dialog is None, timeout=3000)
    kept = drafts.load(desk.ctx, WOMAN)
    assert kept is not None and kept.survey.answers == {"household_members": 3, "farmland_mu": "2.5"}
    assert kept.survey.scenario == "village" and kept.operator == "teller1"

    again = open_grid(qtbot, view)  # reopened: the row as it was typed
    cells = row_cells(again, 1)
    assert cells[1] == "李四" and cells[FIXED : FIXED + 2] == ["3", "2.5"]
    assert cells[again.model.line_col + 2] == "草稿·缺5项"
    assert "草稿 1" in again.summary.text()

    again.view.setCurrentIndex(again.model.index(1, FIXED + 3))
    type_cell(qtbot, again, "9")  # no ninth choice: the survey's own words, the row kept as typed
    assert "应为以下之一" in row_cells(again, 1)[again.model.line_col + 2]


def test_the_grid_is_refused_while_locked_and_to_another_branch(qtbot: QtBot, desk: Desk) -> None:
    sign_in(qtbot, desk, "head1")
    window = desk.window
    view = f7(qtbot, window)
    choose(qtbot, view, VILLAGE)
    dialog = open_grid(qtbot, view)
    window.lock()
    assert window.is_locked() and not dialog.isVisible()  # the lock hides the grid
    qtbot.keyClicks(dialog.view, "4")
    qtbot.keyClick(editor(dialog), Qt.Key.Key_Return)  # a key that reached it all the same
    assert dialog.error.text().startswith("屏幕已锁定")
    assert dialog.model.states[0].answers == {"household_members": 4}  # what was typed is kept
    assert row_cells(dialog, 0)[dialog.model.line_col + 2] == "未保存"
    assert drafts.load(desk.ctx, MAN) is None
    dialog.reject()
    assert view.open_entry() is None and view.message.text().startswith("屏幕已锁定")
    refused = [(w, s, d["action"], d["reason"]) for w, s, d in audit_of(desk.store, "campaign_refused")]
    assert refused == [
        ("head1", VILLAGE, "entry_draft", "screen locked"),
        ("head1", VILLAGE, "entry", "screen locked"),
    ]

    head2 = authenticate(context_of(desk.store), "head2", PASSWORD)
    assert window.ctx is not None
    with pytest.raises(UserFacingError, match="只有总行管理员或网点 0101 的员工"):
        campaign_entry.open_sheet(window.ctx, head2, VILLAGE)
    assert audit_of(desk.store, "campaign_refused")[-1][:2] == ("head2", VILLAGE)
    assert [w for w, _s, _d in audit_of(desk.store, "campaign_entry")] == ["head1"]


def test_the_community_desk_registers_by_keys_and_refuses_a_bad_id_a_duplicate_and_another_name(
    qtbot: QtBot, desk: Desk
) -> None:
    admin = authenticate(context_of(desk.store), "admin1", PASSWORD)
    made = spec(COMMUNITY, scenario="community", group_name="幸福里小区", village_groups=())
    campaigns.create_campaign(desk.ctx, admin, made)
    sign_in(qtbot, desk, "teller1")
    view = f7(qtbot, desk.window)
    choose(qtbot, view, COMMUNITY)
    dialog = open_grid(qtbot, view)
    entry_desk = dialog.desk
    assert entry_desk is not None and dialog.tabs.currentWidget() is entry_desk
    qtbot.waitUntil(entry_desk.id_edit.hasFocus, timeout=3000)

    def fill(id_no: str, name: str, phone: str = "13812345678") -> None:
        qtbot.keyClicks(entry_desk.id_edit, id_no)
        qtbot.keyClick(entry_desk.id_edit, Qt.Key.Key_Return)
        type_chinese(entry_desk.name_edit, name)
        qtbot.keyClick(entry_desk.name_edit, Qt.Key.Key_Return)
        qtbot.keyClicks(entry_desk.phone_edit, phone)
        qtbot.keyClick(entry_desk.phone_edit, Qt.Key.Key_Return)
        assert entry_desk.credit_box.hasFocus()
        qtbot.keyClick(entry_desk.credit_box, Qt.Key.Key_Y)
        qtbot.keyClick(entry_desk.info_box, Qt.Key.Key_Y)
        qtbot.keyClick(entry_desk.info_box, Qt.Key.Key_Return)

    bad = NEW[:-1] + ("0" if NEW[-1] != "0" else "1")  # the check character wrong
    fill(bad, "王六")
    assert entry_desk.error.isVisible() and entry_desk.error.text().startswith("身份证号无效")
    assert entry_desk.id_edit.text() == bad and entry_desk.name_edit.text() == "王六"  # nothing lost
    assert entry_desk.id_edit.hasFocus()

    for edit in (entry_desk.id_edit, entry_desk.name_edit, entry_desk.phone_edit):
        edit.clear()
    fill(NEW, "王六")
    assert not entry_desk.error.isVisible()
    assert entry_desk.done_line.text().startswith(f"已登记：第1行 王六 {MASK.resident_id(NEW)}，新客户")
    assert entry_desk.id_edit.text() == "" and entry_desk.id_edit.hasFocus()

    fill(NEW, "王六")
    assert "已登记在本活动（第1行）" in entry_desk.error.text()
    for edit in (entry_desk.id_edit, entry_desk.name_edit, entry_desk.phone_edit):
        edit.clear()
    fill(QIAN, "钱七")  # the bank knows 钱琪
    assert "姓名与本行记录不一致" in entry_desk.error.text() and entry_desk.name_edit.hasFocus()

    campaign = store_campaigns.get(desk.store, COMMUNITY)
    assert campaign is not None
    members = store_campaigns.members(desk.store, campaign.id)
    assert [(m.id_no, m.name, m.status, m.line_no, m.phone, m.consent_by) for m in members] == [
        (NEW, "王六", "new_to_bank", 1, "13812345678", "teller1")
    ]
    registered = audit_of(desk.store, "campaign_register")
    assert [(w, s, d["line"], d["status"]) for w, s, d in registered] == [
        ("teller1", COMMUNITY, 1, "new_to_bank")
    ]

    qtbot.keyClick(entry_desk.id_edit, Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)
    assert dialog.tabs.currentWidget() is dialog.grid_page
    qtbot.waitUntil(lambda: dialog.load_task is None and dialog.model.rowCount() == 1, timeout=10_000)
    assert row_cells(dialog, 0)[:3] == ["1", "王六", MASK.resident_id(NEW)]
    assert QApplication.focusWidget() is dialog.view
    assert all(MAN not in c and NEW not in c for c in row_cells(dialog, 0))


def test_after_the_grid_closes_by_its_keys_the_workspace_keys_work_again(qtbot: QtBot, desk: Desk) -> None:
    """Esc closes the grid and the keys come back to the campaigns list, a second Esc there included (the
    counter's Esc sent the focus to its hidden ID field): L opens the letters at once."""
    sign_in(qtbot, desk, "teller1")
    view = f7(qtbot, desk.window)
    choose(qtbot, view, VILLAGE)
    dialog = open_grid(qtbot, view)
    qtbot.keyClick(dialog.view, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: view.dialog is None, timeout=3000)
    desk.window.activateWindow()
    view.table.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is view.table, timeout=3000)
    qtbot.keyClick(view.table, Qt.Key.Key_Escape)  # a second Esc, as a hurried clerk presses it
    assert QApplication.focusWidget() is view.table  # not the counter's hidden ID field
    qtbot.keyClick(view.table, Qt.Key.Key_L)
    assert type(view.dialog).__name__ == "LettersDialog"
