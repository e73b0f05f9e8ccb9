"""客群活动 by the keyboard: F7 lists the campaigns of the operator's scope (sortable) with the service's
counts and the members masked; Enter on a member opens the card at the counter; N makes a campaign
from the scenario's fields; I loads a roster (.xlsx, or a GB18030 .csv) on a worker and says every row,
the refused rows listed and, E, written to a workbook read back here; C closes a campaign once
confirmed; nothing is done while the window is locked; a teller is refused in the service's words."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QFileDialog, QLabel, QMessageBox, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import text

from teller_assist.campaigns.campaign import check_spec
from teller_assist.identity.masking import Masking
from teller_assist.services import campaigns
from teller_assist.services.clock import Clock
from teller_assist.services.context import Context
from teller_assist.services.imports import import_paths
from teller_assist.services.operators import add_operator, authenticate
from teller_assist.settings import Settings
from teller_assist.store.engine import Store
from teller_assist.ui import i18n
from teller_assist.ui.fonts import install_fonts
from teller_assist.ui.main_window import MainWindow
from teller_assist.ui.workspaces.campaigns import CampaignDialog, CampaignsWorkspace, RosterImportDialog
from tests.helpers.context import context_of
from tests.helpers.extracts import COMPANY, GOV, MAN, WOMAN, rid, write
from tests.helpers.keyrings import MemoryKeyring
from tests.helpers.operators import PASSWORD, admin_of
from tests.ui.test_translations import cut_off

TODAY = dt.date(2026, 11, 30)
MASK = Masking()
NEG = rid(seq=31)  # on the negative list
QIAN = rid(seq=33)  # the bank knows 钱琪
NEW = rid(seq=95)  # new to the bank
LATER = rid(seq=97)  # joins with the corrected roster
VILLAGE = "village-后白-2026"
HEADER = ["序号", "户号", "姓名", "身份证号", "村民小组", "重点户", "评议", "评议人", "手机号"]
FIRST = [
    [1, "H1", "张三", MAN, "一组", "是", "好", "村委会 张主任", "13951234567"],  # line 3: matched
    [2, "H1", "李四", WOMAN, "一组", "", "", "", ""],  # matched
    [3, "H2", "孙五", NEG, "二组", "", "", "", ""],  # matched, not eligible
    [4, "H2", "王六", NEW, "二组", "", "", "", ""],  # new to the bank
    [5, "H3", "钱七", QIAN, "二组", "", "", "", ""],  # the bank knows 钱琪: refused, kept as a member
    [6, "H3", '=HYPERLINK("x")', rid(seq=99), "二组", "", "", "", ""],  # a formula: the row only
    [7, "H4", "周八", "32118319850314", "三组", "", "", "", ""],  # a short ID: the row only
]


def bank_knows(store: Store, folder: Path) -> None:
    write(
        folder,
        "customers_20261129.csv",
        [
            "id_no,name,gender,birth_date,phone,address,customer_no,branch_code,region_code",
            f"{MAN},张三,男,19850314,13951234567,,C1,0101,321183",
            f"{WOMAN},李四,女,19850314,,,C2,0101,321183",
            f"{NEG},孙五,男,19850314,,,C3,0101,321183",
            f"{QIAN},钱琪,男,19850314,,,C4,0101,321183",
        ],
    )
    write(folder, "negative_list_20261129.csv", ["id_no,reason,listed_on,note", f"{NEG},fraud,2026-01-05,"])
    report = import_paths(store, [folder], today=TODAY)
    assert [f.status for f in report.files] == ["loaded", "loaded"]


def xlsx_roster(path: Path, rows: list[list[object]]) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.append(["后白村村民名单"])
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def gb18030_roster(path: Path, rows: list[list[object]]) -> Path:
    lines = [",".join(HEADER)] + [",".join(str(v) for v in row) for row in rows]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("gb18030"))
    return path


def spec(code: str = VILLAGE, branch: str = "0101", **changes: object):  # type: ignore[no-untyped-def]
    values: dict[str, object] = {
        "code": code,
        "scenario": "village",
        "group_name": "后白镇后白村",
        "branch_code": branch,
        "starts_on": dt.date(2026, 12, 1),
        "ends_on": dt.date(2027, 3, 31),
        "today": TODAY,
        "village_groups": ("一组", "二组"),
    }
    return check_spec(**(values | changes))  # type: ignore[arg-type]


@dataclasses.dataclass
class Desk:
    window: MainWindow
    store: Store

    @property
    def ctx(self) -> Context:
        """The window's context (the services' store, settings, policy and the window's clock)."""
        assert self.window.ctx is not None
        return self.window.ctx


def make_people(store: Store) -> None:
    admin = admin_of(store, "admin1")
    for login, role, branch in (
        ("head1", "branch_head", "0101"),
        ("teller1", "teller", "0101"),
        ("head2", "branch_head", "0102"),
    ):
        add_operator(context_of(store), admin, login=login, name=f"测试{login}", role=role, password=PASSWORD,
                     branch_code=branch)  # fmt: skip


def seed(ctx: Context, tmp_path: Path) -> None:
    """The bank's customers; head1's village campaign with a roster loaded, an enterprise campaign of
    0101 with an indicator, and 0102's village (which 0101's people never see)."""
    store = ctx.store
    make_people(store)
    bank_knows(store, tmp_path / "extracts")
    admin = authenticate(ctx, "admin1", PASSWORD)
    campaigns.create_campaign(ctx, admin, spec())
    campaigns.create_campaign(
        ctx, admin, spec("ent-某厂-2026", scenario="enterprise", group_name="某厂", group_uscc=COMPANY,
                         village_groups=(), indicator=300)
    )  # fmt: skip
    campaigns.create_campaign(ctx, admin, spec("village-前进-2026", "0102", group_name="前进村"))
    campaigns.import_roster(ctx, admin, VILLAGE, xlsx_roster(tmp_path / "first.xlsx", FIRST[:5]))


@pytest.fixture
def desk(qtbot: QtBot, settings: Settings, memory_keyring: MemoryKeyring, tmp_path: Path) -> Desk:
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


def sign_in(qtbot: QtBot, desk: Desk, login: str) -> None:
    desk.window.sign_in(authenticate(context_of(desk.store), login, PASSWORD))


def f7(qtbot: QtBot, window: MainWindow) -> CampaignsWorkspace:
    if window.campaigns is not None:
        with qtbot.waitSignal(window.campaigns.loaded, timeout=10_000):
            qtbot.keyClick(window, Qt.Key.Key_F7)
    else:
        qtbot.keyClick(window, Qt.Key.Key_F7)
        assert window.campaigns is not None
        qtbot.waitUntil(lambda: window.campaigns is not None and window.campaigns.lines != {}, timeout=10_000)
    view = window.campaigns
    assert window.workspaces.currentWidget() is view
    settled(qtbot, view)
    return view


def settled(qtbot: QtBot, view: CampaignsWorkspace) -> None:
    """Nothing read or written any more: the list, the chosen campaign and the last change are shown."""

    def idle() -> bool:
        return (
            view.load_task is None
            and view.detail_task is None
            and view.action_task is None
            and not view.settle.isActive()
            and (view.selected_code() is None or (view.shown is not None and view.shown.shown.campaign.code
                                                  == view.selected_code()))
        )  # fmt: skip

    qtbot.waitUntil(idle, timeout=10_000)


def rows(view: CampaignsWorkspace) -> list[list[str]]:
    t = view.table
    return [[t.item(r, c).text() for c in range(t.columnCount())] for r in range(t.rowCount())]


def member_rows(view: CampaignsWorkspace) -> list[list[str]]:
    model = view.members_model
    return [
        [model.data(model.index(r, c)) for c in range(model.columnCount())] for r in range(model.rowCount())
    ]


def audit_of(store: Store, action: str) -> list[tuple[str, str | None, dict[str, object]]]:
    with store.connection() as conn:
        return [
            (str(r[0]), r[1], json.loads(r[2] or "{}"))
            for r in conn.execute(
                text("SELECT operator, subject, detail FROM audit_event WHERE action = :a ORDER BY seq"),
                {"a": action},
            )
        ]


def type_chinese(widget: QWidget, words: str) -> None:
    """Chinese as a person types it: through the input method, committed (QTest types Latin keys only)."""
    event = QInputMethodEvent("", [])
    event.setCommitString(words)
    QApplication.sendEvent(widget, event)


def shown_text(window: QWidget) -> str:
    """What a person can read: labels, the tables' cells and tooltips."""
    parts = [w.text() for w in window.findChildren(QLabel) if w.isVisible()]
    for view in window.findChildren(CampaignsWorkspace):
        for r in range(view.table.rowCount()):
            for c in range(view.table.columnCount()):
                item = view.table.item(r, c)
                parts += [item.text(), item.toolTip()]
        model = view.members_model
        for r in range(model.rowCount()):
            for c in range(model.columnCount()):
                parts += [str(model.data(model.index(r, c))), str(model.data(model.index(r, c), 3))]
    return "\n".join(parts)


def test_f7_lists_the_campaigns_of_the_operators_branch_sortable_with_the_services_counts(
    qtbot: QtBot, desk: Desk
) -> None:
    sign_in(qtbot, desk, "head1")
    window = desk.window
    assert window.campaigns is not None  # a branch head's tab is there from sign-in
    assert window.workspaces.currentWidget() is window.counter
    view = f7(qtbot, window)
    assert view.table.hasFocus() and view.table.currentRow() == 0
    period = "2026-12-01–2027-03-31"
    assert rows(view) == [
        ["ent-某厂-2026", "整企", "某厂", "0101", period, "进行中", "0", "300"],
        [VILLAGE, "整村", "后白镇后白村", "0101", period, "进行中", "5", "—"],
    ]  # 0102's village is not head1's to see
    assert view.table.item(0, 2).toolTip() == f"某厂（{COMPANY}）"  # the group's code: in its tooltip
    assert view.summary.text() == "客群活动 2 个，其中进行中 2 个"
    assert audit_of(desk.store, "campaign_list")[-1][:2] == ("head1", None)

    qtbot.keyClick(view.table, Qt.Key.Key_7)  # by members, fewest first
    assert [r[0] for r in rows(view)] == ["ent-某厂-2026", VILLAGE]
    qtbot.keyClick(view.table, Qt.Key.Key_7)  # again: the other way
    assert [r[0] for r in rows(view)] == [VILLAGE, "ent-某厂-2026"]
    assert view.selected_code() == "ent-某厂-2026"  # the choice follows its row
    qtbot.keyClick(view.table, Qt.Key.Key_Up)
    settled(qtbot, view)
    assert view.selected_code() == VILLAGE

    facts, counts = view.facts.text(), view.counts.text()
    assert VILLAGE in facts and "村民小组：一组、二组" in facts
    assert "最近名单：first.xlsx，5 行，admin1 于" in facts
    assert "整村 · 后白镇后白村" in facts
    assert counts.startswith("成员 5：本行客户 3，新客户 1，未通过 1，已移出名单 0")
    assert "同时在其他活动中 0 人" in counts
    assert "待授信 4 人，其中可授信 3；已持有或在审预授信 0 人" in counts
    bands = {view.bands.item(r, 0).text(): view.bands.item(r, 1).text() for r in range(view.bands.rowCount())}
    assert bands["0"] == "1" and bands["≤30,000"] == "3"  # 孙五 on the negative list: 0
    assert view.detail.tabText(1) == "成员名单 (5)"
    assert member_rows(view) == [
        ["3", "张三", MASK.resident_id(MAN), "139****4567", "本行客户", "好", "重点户", ""],
        ["4", "李四", MASK.resident_id(WOMAN), "", "本行客户", "", "", ""],
        ["5", "孙五", MASK.resident_id(NEG), "", "本行客户", "", "", ""],
        ["6", "王六", MASK.resident_id(NEW), "", "新客户", "", "", ""],
        ["7", "钱七", MASK.resident_id(QIAN), "", "未通过",
         "", "", "姓名与本行记录不一致，请核对身份证后更正"],
    ]  # fmt: skip
    everything = shown_text(window)
    assert all(i not in everything for i in (MAN, WOMAN, NEG, NEW, QIAN, "13951234567"))
    views = audit_of(desk.store, "campaign_view")
    assert views[-1][:2] == ("head1", VILLAGE) and views[-1][2]["listed"] == 5


def test_enter_on_a_member_opens_the_persons_card_at_the_counter(qtbot: QtBot, desk: Desk) -> None:
    sign_in(qtbot, desk, "head1")
    window = desk.window
    view = f7(qtbot, window)
    qtbot.keyClick(view.table, Qt.Key.Key_Down)
    settled(qtbot, view)
    assert view.selected_code() == VILLAGE
    qtbot.keyClick(view.table, Qt.Key.Key_Return)  # to the members
    assert view.members.hasFocus() and view.detail.currentIndex() == 1
    assert "Enter 打开客户卡片" in view.keys.text()
    qtbot.keyClick(view.members, Qt.Key.Key_Down)  # 李四
    assert "李四" in view.member_detail.text()
    qtbot.keyClick(view.members, Qt.Key.Key_Return)
    assert window.workspaces.currentWidget() is window.counter
    card = window.counter.card
    assert card is not None and card.rid.value == WOMAN
    with desk.store.connection() as conn:
        last = conn.execute(
            text("SELECT operator, purpose FROM audit_event WHERE action = 'lookup' ORDER BY seq DESC")
        ).first()
    assert last is not None and tuple(last) == ("head1", "campaign")  # a lookup from a campaign: no walk-in
    view = f7(qtbot, window)  # back: the list again
    qtbot.keyClick(view.table, Qt.Key.Key_Return)
    qtbot.keyClick(view.members, Qt.Key.Key_Escape)
    assert view.table.hasFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_Up)  # another campaign: none of the village's members under it
    assert view.members_model.rowCount() == 0 and view.facts.text() == "正在读取 ent-某厂-2026…"
    view.go_to_members()
    with qtbot.assertNotEmitted(view.openCustomer):
        qtbot.keyClick(view.members, Qt.Key.Key_Return)
    settled(qtbot, view)


def test_n_makes_a_campaign_by_keys_the_uscc_checked_as_the_command_line_does(
    qtbot: QtBot, desk: Desk
) -> None:
    sign_in(qtbot, desk, "head1")
    view = f7(qtbot, desk.window)
    qtbot.keyClick(view.table, Qt.Key.Key_N)
    dialog = view.dialog
    assert isinstance(dialog, CampaignDialog) and dialog.isVisible()
    qtbot.waitUntil(dialog.isActiveWindow, timeout=3000)
    assert dialog.scenario.hasFocus() and dialog.branch.text() == "0101"
    assert dialog.village_groups.isVisible() and not dialog.uscc.isVisible()
    qtbot.keyClick(dialog.scenario, Qt.Key.Key_Down)  # 整企: its USCC, no village groups
    assert dialog.scenario_key() == "enterprise" and dialog.uscc.isVisible()
    assert dialog.group_label.text() == "企业名称(&G)" and not dialog.village_groups.isVisible()
    qtbot.keyClick(dialog.scenario, Qt.Key.Key_Tab)
    type_chinese(dialog.group, "华阳纺织")
    assert dialog.code.text() == "enterprise-华阳纺织-2026"  # the bank's example, until one is typed
    qtbot.keyClick(dialog.group, Qt.Key.Key_Tab)
    bad = COMPANY[:-1] + ("0" if COMPANY[-1] != "0" else "1")  # the check character wrong
    qtbot.keyClicks(dialog.uscc, bad)
    for _field in range(5):  # code, branch, from, to: to the indicator
        qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_Tab)
    assert dialog.indicator.hasFocus()
    qtbot.keyClicks(dialog.indicator, "120")
    qtbot.keyClick(dialog.indicator, Qt.Key.Key_Return)
    assert dialog.error.isVisible() and "统一社会信用代码无效" in dialog.error.text()
    assert dialog.uscc.hasFocus() and dialog.uscc.selectedText() == bad  # typing replaces it
    qtbot.keyClicks(dialog.uscc, COMPANY)
    qtbot.keyClick(dialog.uscc, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.dialog is None, timeout=10_000)  # made: the dialog goes
    qtbot.waitUntil(lambda: view.selected_code() == "enterprise-华阳纺织-2026", timeout=10_000)
    settled(qtbot, view)
    assert view.selected_code() == "enterprise-华阳纺织-2026" and view.table.hasFocus()
    assert view.message.text() == "已新建活动 enterprise-华阳纺织-2026"
    made = [r for r in rows(view) if r[0] == "enterprise-华阳纺织-2026"]
    assert made == [["enterprise-华阳纺织-2026", "整企", "华阳纺织", "0101",
                     "2026-11-30–2027-03-30", "进行中", "0", "120"]]  # fmt: skip
    assert audit_of(desk.store, "campaign_create")[-1][:2] == ("head1", "enterprise-华阳纺织-2026")

    qtbot.keyClick(view.table, Qt.Key.Key_N)  # a bureau's code must be an organ's
    dialog = view.dialog
    assert isinstance(dialog, CampaignDialog)
    qtbot.waitUntil(dialog.isActiveWindow, timeout=3000)
    dialog.scenario.setCurrentIndex(3)
    assert dialog.scenario_key() == "bureau"
    type_chinese(dialog.group, "县财政局")
    dialog.uscc.setText(COMPANY)
    dialog.confirm()
    assert "整局活动的单位应为机关" in dialog.error.text() and dialog.uscc.hasFocus()
    dialog.uscc.setText(GOV)
    dialog.code.setText("ent-某厂-2026")  # taken: the service refuses, what was typed stays
    dialog.confirm()
    qtbot.waitUntil(lambda: "已被另一活动使用" in dialog.error.text(), timeout=10_000)
    assert dialog.isVisible() and dialog.group.text() == "县财政局" and dialog.uscc.text() == GOV
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert view.dialog is None


def roster_by_keys(qtbot: QtBot, view: CampaignsWorkspace, path: Path) -> RosterImportDialog:
    """I, the file chosen in the chooser, and the load's end."""
    qtbot.keyClick(view.table, Qt.Key.Key_I)
    chooser = view.dialog
    assert isinstance(chooser, QFileDialog) and chooser.objectName() == "rosterFileDialog"
    chooser.selectFile(str(path))
    chooser.accept()
    qtbot.waitUntil(lambda: isinstance(view.dialog, RosterImportDialog), timeout=3000)
    dialog = view.dialog
    assert isinstance(dialog, RosterImportDialog)
    qtbot.waitUntil(lambda: not dialog.progress.isVisible(), timeout=20_000)
    settled(qtbot, view)
    return dialog


def test_i_keeps_a_member_a_refused_row_could_be_and_says_so_masked(
    qtbot: QtBot, desk: Desk, tmp_path: Path
) -> None:
    sign_in(qtbot, desk, "head1")
    view = f7(qtbot, desk.window)
    qtbot.keyClick(view.table, Qt.Key.Key_Down)
    settled(qtbot, view)
    assert view.selected_code() == VILLAGE
    typo = NEW[:10] + str((int(NEW[10]) + 1) % 10) + NEW[11:]
    rows = [r if r[2] != "王六" else [4, "H2", "王六", typo, "二组", "", "", "", ""] for r in FIRST[:4]]
    dialog = roster_by_keys(qtbot, view, xlsx_roster(tmp_path / "后白村名单（打错）.xlsx", rows))
    status = dialog.status.text()
    assert "已移出 1" in status, status  # 钱七, no longer listed; 王六's row refused for its ID: kept
    said = f"{MASK.resident_id(NEW)} 王六 未移除：第 6 行被拒，请更正后重新导入"
    assert said in status and NEW not in status
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert "未移除 1 人" in view.message.text()
    assert ["王六", "新客户"] in [[r[1], r[4]] for r in member_rows(view)]
    assert audit_of(desk.store, "campaign_import")[-1][2]["held"] == [6]


def test_i_loads_rosters_xlsx_and_gb18030_csv_every_row_said_and_the_refused_rows_written_back(
    qtbot: QtBot, desk: Desk, tmp_path: Path
) -> None:
    sign_in(qtbot, desk, "head1")
    view = f7(qtbot, desk.window)
    qtbot.keyClick(view.table, Qt.Key.Key_Down)
    settled(qtbot, view)
    assert view.selected_code() == VILLAGE
    dialog = roster_by_keys(qtbot, view, xlsx_roster(tmp_path / "后白村名单.xlsx", FIRST))
    assert dialog.error.isHidden(), dialog.error.text()
    status = dialog.status.text()
    assert "7 行：本行客户 3，新客户 1，未通过 3 行（其中 1 人保留为未通过成员）" in status
    assert "成员：新增 0，更新 0，未变 5，已移出 0" in status
    refused = [[dialog.table.item(r, c).text() for c in range(4)] for r in range(dialog.table.rowCount())]
    assert [r[0] for r in refused] == ["7", "8", "9"]
    assert refused[0][2] == MASK.resident_id(QIAN) and refused[2][2] == "***"  # a short ID: nothing of it
    assert "姓名与本行记录不一致" in refused[0][3] and "公式" in refused[1][3]
    assert all(i not in str(refused) for i in (QIAN, rid(seq=99)))
    assert dialog.export_button.isVisible() and dialog.export_button.hasFocus()

    qtbot.keyClick(dialog, Qt.Key.Key_E)
    chooser = dialog.findChild(QFileDialog, "refusedFileDialog")
    assert chooser is not None and chooser.isVisible()
    out = tmp_path / "退回村委会.xlsx"
    chooser.selectFile(str(out))
    chooser.accept()
    qtbot.waitUntil(lambda: "已导出" in dialog.status.text(), timeout=10_000)
    assert "未通过的 3 行已导出" in dialog.status.text()
    assert out.stat().st_mode & 0o777 == 0o600
    sheet = load_workbook(out).active
    written = [[c.value for c in row] for row in sheet.iter_rows()]
    assert written[0] == ["行号", "姓名", "身份证号（部分隐藏）", "原因", "reason"]
    assert [r[0] for r in written[1:]] == [7, 8, 9]
    assert written[1][2] == MASK.resident_id(QIAN) and "姓名与本行记录不一致" in written[1][3]
    assert written[1][4] and written[3][2] == "***"
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)  # the formula is text
    assert all(i not in str(written) for i in (QIAN, rid(seq=99)))
    [(who, subject, detail)] = audit_of(desk.store, "campaign_refused_export")
    assert (who, subject, detail["rows"]) == ("head1", VILLAGE, 3)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert view.dialog is None
    qtbot.waitUntil(view.table.hasFocus, timeout=3000)  # the keys are back on the list
    assert "已导入名单 后白村名单.xlsx：新增 0，更新 0，未变 5，已移出 0，未通过 3 行" in view.message.text()

    corrected = [
        [1, "H1", "张三", MAN, "一组", "是", "一般", "村委会 张主任", "13951234567"],  # evaluation changed
        [2, "H1", "李四", WOMAN, "一组", "", "", "", ""],
        [3, "H2", "孙五", NEG, "二组", "", "", "", ""],
        [4, "H3", "钱琪", QIAN, "二组", "", "", "", ""],  # the name corrected
        [5, "H5", "吴九", LATER, "二组", "", "", "", ""],  # joins
    ]  # 王六 is no longer on it
    dialog = roster_by_keys(qtbot, view, gb18030_roster(tmp_path / "后白村名单（更正）.csv", corrected))
    assert dialog.error.isHidden(), dialog.error.text()
    # the bar followed the load to its last stage (the members written), no longer a busy bar
    assert dialog.progress.maximum() == 6 and dialog.progress.value() == 6
    # every line a row up (no title row above the CSV's header): the four kept are updated, 吴九 added
    assert "成员：新增 1，更新 4，未变 0，已移出 1" in dialog.status.text()
    assert not dialog.export_button.isVisible() and not dialog.table.isVisible()  # nothing refused
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert view.detail.tabText(1) == "成员名单 (6)"  # every row listed: 王六 kept, marked removed
    assert view.counts.text().startswith("成员 5：本行客户 4，新客户 1，未通过 0，已移出名单 1")
    assert ["吴九", "新客户"] in [[r[1], r[4]] for r in member_rows(view)]
    assert ["王六", "已移出名单"] in [[r[1], r[4]] for r in member_rows(view)]
    imports = audit_of(desk.store, "campaign_import")
    assert [(w, s) for w, s, _d in imports][-2:] == [("head1", VILLAGE), ("head1", VILLAGE)]
    assert imports[-1][2]["added"] == 1 and imports[-1][2]["removed"] == 1

    broken = tmp_path / "坏文件.xlsx"
    broken.write_bytes(b"not a workbook")
    dialog = roster_by_keys(qtbot, view, broken)
    assert dialog.error.isVisible() and dialog.status.text() == "名单未导入；活动的成员不变"
    assert view.message.text() == dialog.error.text()  # the workspace's line says it too
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert view.detail.tabText(1) == "成员名单 (6)"


def test_c_closes_a_campaign_only_once_confirmed(qtbot: QtBot, desk: Desk) -> None:
    sign_in(qtbot, desk, "head1")
    view = f7(qtbot, desk.window)
    assert view.selected_code() == "ent-某厂-2026"
    box = view.close_selected()
    assert isinstance(box, QMessageBox) and box.isVisible()
    qtbot.keyClick(box, Qt.Key.Key_Return)  # a stray Enter closes nothing
    QApplication.processEvents()
    assert view.dialog is None and campaigns_status(desk.store, "ent-某厂-2026") == "open"
    qtbot.keyClick(view.table, Qt.Key.Key_C)
    box = view.dialog
    assert isinstance(box, QMessageBox) and box.objectName() == "campaignCloseConfirm"
    qtbot.keyClick(box, Qt.Key.Key_Y)
    qtbot.waitUntil(lambda: campaigns_status(desk.store, "ent-某厂-2026") == "closed", timeout=10_000)
    qtbot.waitUntil(lambda: "已结束活动 ent-某厂-2026" in view.message.text(), timeout=10_000)
    settled(qtbot, view)
    closed = [r for r in rows(view) if r[0] == "ent-某厂-2026"]
    assert closed[0][5] == "已结束" and view.selected_code() == "ent-某厂-2026"
    assert not view.import_button.isEnabled() and not view.close_button.isEnabled()
    qtbot.keyClick(view.table, Qt.Key.Key_I)  # a closed campaign takes no roster: no file is asked for
    assert view.dialog is None and view.message.text() == "活动 ent-某厂-2026 已结束，不再接收名单"
    qtbot.keyClick(view.table, Qt.Key.Key_C)
    assert view.dialog is None and view.message.text() == "活动 ent-某厂-2026 已结束"
    assert audit_of(desk.store, "campaign_close")[-1][:2] == ("head1", "ent-某厂-2026")


def campaigns_status(store: Store, code: str) -> str:
    with store.connection() as conn:
        found = conn.execute(text("SELECT status FROM campaign WHERE code = :c"), {"c": code})
        return str(found.scalar_one())


def test_nothing_is_done_while_the_window_is_locked(qtbot: QtBot, desk: Desk, tmp_path: Path) -> None:
    sign_in(qtbot, desk, "head1")
    window = desk.window
    view = f7(qtbot, window)
    qtbot.keyClick(view.table, Qt.Key.Key_Down)
    settled(qtbot, view)
    qtbot.keyClick(view.table, Qt.Key.Key_Return)  # 张三, chosen among the members
    assert view.selected_member() is not None
    dialog = view.new_campaign()
    assert isinstance(dialog, CampaignDialog)
    type_chinese(dialog.group, "前锋村")
    window.lock()
    assert window.is_locked() and not dialog.isVisible()  # the lock hides it, what was typed kept
    assert not window.campaigns_action.isEnabled()
    dialog.confirm()  # (a key that reached it all the same)
    qtbot.waitUntil(lambda: "屏幕已锁定" in dialog.error.text(), timeout=10_000)
    assert dialog.group.text() == "前锋村"
    dialog.reject()
    assert view.choose_roster() is None and view.close_selected() is None and view.new_campaign() is None
    assert view.import_roster(VILLAGE, xlsx_roster(tmp_path / "r.xlsx", FIRST)) is None
    assert view.message.text().startswith("屏幕已锁定")
    with qtbot.assertNotEmitted(view.openCustomer):
        view.open_selected()
    assert window.counter.card is None
    refused = [(w, s, d["action"], d["reason"]) for w, s, d in audit_of(desk.store, "campaign_refused")]
    assert refused == [
        ("head1", "village-前锋村-2026", "create", "screen locked"),
        ("head1", VILLAGE, "import", "screen locked"),
        ("head1", VILLAGE, "close", "screen locked"),
        ("head1", None, "create", "screen locked"),
        ("head1", VILLAGE, "import", "screen locked"),
        ("head1", VILLAGE, "open", "screen locked"),
    ]
    with desk.store.connection() as conn:  # nothing else happened behind the lock
        done = conn.execute(
            text("SELECT count(*) FROM audit_event WHERE action IN ('campaign_create', 'campaign_import', "
                 "'campaign_close', 'lookup')")
        ).scalar_one()  # fmt: skip
    assert done == 4  # the seed's three campaigns and one roster


def test_a_teller_sees_the_branchs_campaigns_and_is_refused_changes_in_the_services_words(
    qtbot: QtBot, desk: Desk, tmp_path: Path
) -> None:
    sign_in(qtbot, desk, "teller1")
    window = desk.window
    assert window.campaigns is None and window.workspaces.count() == 2  # the counter, 今日任务; F7 adds it
    view = f7(qtbot, window)
    assert [r[0] for r in rows(view)] == ["ent-某厂-2026", VILLAGE]
    qtbot.keyClick(view.table, Qt.Key.Key_N)
    dialog = view.dialog
    assert isinstance(dialog, CampaignDialog)
    qtbot.keyClick(dialog.scenario, Qt.Key.Key_Tab)
    type_chinese(dialog.group, "前锋村")
    qtbot.keyClick(dialog.group, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.error.isVisible(), timeout=10_000)
    assert dialog.error.text().startswith("只有总行管理员或网点 0101 的负责人可以新建该网点的活动")
    assert dialog.group.text() == "前锋村"  # what was typed stays
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.keyClick(view.table, Qt.Key.Key_Down)
    settled(qtbot, view)
    dialog = roster_by_keys(qtbot, view, xlsx_roster(tmp_path / "r.xlsx", FIRST))
    assert dialog.error.text().startswith("只有总行管理员或网点 0101 的负责人可以导入名单到该网点的活动")
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.keyClick(view.table, Qt.Key.Key_C)
    box = view.dialog
    assert isinstance(box, QMessageBox)
    qtbot.keyClick(box, Qt.Key.Key_Y)
    qtbot.waitUntil(lambda: "可以结束该网点的活动" in view.message.text(), timeout=10_000)
    assert campaigns_status(desk.store, VILLAGE) == "open"
    refused = [(w, s, d["action"]) for w, s, d in audit_of(desk.store, "campaign_refused")]
    assert refused == [
        ("teller1", "village-前锋村-2026", "create"),
        ("teller1", VILLAGE, "import"),
        ("teller1", VILLAGE, "close"),
    ]


@pytest.fixture(params=["zh_CN", "en"])
def language(request: pytest.FixtureRequest, qapp: QApplication) -> Iterator[str]:
    if not i18n.qm_file("en").exists():
        pytest.fail("the .qm files are built by make (make translations) before the tests")
    i18n.install(qapp, request.param)
    yield request.param
    i18n.install(qapp, i18n.SOURCE_LANGUAGE)


def test_the_workspace_and_its_dialogs_fit_the_420_pixel_window_in_either_language(
    qtbot: QtBot, settings: Settings, memory_keyring: MemoryKeyring, tmp_path: Path, language: str
) -> None:
    QApplication.setFont(install_fonts())
    window = MainWindow(dataclasses.replace(settings, language=language), clock=Clock.on(TODAY))
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=3000)
    window.start()
    assert window.store is not None
    assert window.ctx is not None
    seed(window.ctx, tmp_path)
    window.sign_in(authenticate(window.ctx, "head1", PASSWORD))
    view = f7(qtbot, window)
    assert window.width() == MainWindow.DEFAULT_WIDTH
    qtbot.keyClick(view.table, Qt.Key.Key_Down)
    settled(qtbot, view)
    for page in (0, 1):
        view.detail.setCurrentIndex(page)
        QApplication.processEvents()
        assert not cut_off(view), (page, cut_off(view))
        for table in (view.table, view.members, view.bands):
            if table.isVisible():
                assert table.horizontalScrollBar().maximum() == 0, table.objectName()  # no sideways scroll
    assert not view.table.isColumnHidden(0) and not view.table.isColumnHidden(6)  # the code, the members
    code = view.table.item(view.table.currentRow(), 0)
    assert code.toolTip() == code.text()  # a cut cell says it whole
    dialog = view.new_campaign()
    assert dialog is not None
    for scenario in range(dialog.scenario.count()):
        dialog.scenario.setCurrentIndex(scenario)
        QApplication.processEvents()
        assert not cut_off(dialog), (scenario, cut_off(dialog))
    dialog.reject()
    imported = roster_by_keys(qtbot, view, xlsx_roster(tmp_path / "r.xlsx", FIRST))
    assert not cut_off(imported), cut_off(imported)
    if language == "en":
        assert view.import_button.text() == "Import roster (I)"
        assert window.workspaces.tabText(window.workspaces.indexOf(view)) == "Campaigns"
        assert "Village" in [r[1] for r in rows(view)]
    imported.reject()
