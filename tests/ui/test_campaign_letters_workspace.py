"""客群活动's paper for the whole group by the keyboard: L issues the granted members' agreements and
letters on a worker (the folder asked, by default one under the data folder), its progress shown, Esc
cancels between two members and Enter goes on where it stopped, a document issued again comes out as a
副本, the merged files sent to the configured printer; Q records signatures from a list file, the
refused ones listed masked; T loads a market's till records, the refused rows masked; each refused (and
audited) while the window is locked; the roster import's line names its stage."""

from __future__ import annotations

import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import Workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QLabel
from pytestqt.qtbot import QtBot

from teller_assist.identity.masking import Masking
from teller_assist.services import campaign_batches, campaigns, documents
from teller_assist.services.campaigns import IMPORT_STAGE_ZH
from teller_assist.services.clock import Clock
from teller_assist.services.operators import add_operator, authenticate
from teller_assist.settings import Settings
from teller_assist.ui import i18n
from teller_assist.ui.fonts import install_fonts
from teller_assist.ui.main_window import MainWindow
from teller_assist.ui.workspaces.campaigns import (
    IMPORT_STAGES,
    CampaignsWorkspace,
    LettersDialog,
    ListResultDialog,
    RosterImportDialog,
)
from tests.helpers import required
from tests.helpers.context import context_of
from tests.helpers.extracts import COMPANY, MAN, WOMAN, rid
from tests.helpers.keyrings import MemoryKeyring
from tests.helpers.operators import PASSWORD, admin_of
from tests.ui.test_campaign_batches_workspace import choose_village, roster
from tests.ui.test_campaigns_workspace import (
    NEW,
    TODAY,
    VILLAGE,
    Desk,
    audit_of,
    bank_knows,
    f7,
    make_people,
    settled,
    spec,
)
from tests.ui.test_translations import cut_off

MASK = Masking()
MARKET = "market-城南-2026"
STRANGER = rid(seq=77)


def open_desk(qtbot: QtBot, settings: Settings, tmp_path: Path) -> Desk:
    """The village campaign of the batches' tests, its three members granted (teller1 submitted,
    lobby1 approved), and a market campaign with two merchants."""
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
    add_operator(ctx, admin_of(store, "admin1"), login="lobby1", name="测试lobby1", role="lobby_manager",
                 password=PASSWORD, branch_code="0101")  # fmt: skip
    bank_knows(store, tmp_path / "extracts")
    admin = authenticate(ctx, "admin1", PASSWORD)
    campaigns.create_campaign(ctx, admin, spec())
    campaigns.import_roster(ctx, admin, VILLAGE, roster(tmp_path / "村民名单.xlsx"))
    made = campaign_batches.submit_campaign(ctx, authenticate(ctx, "teller1", PASSWORD), VILLAGE)
    campaign_batches.approve_batch(ctx, authenticate(ctx, "lobby1", PASSWORD), made.batch_id)
    campaigns.create_campaign(
        ctx, admin, spec(MARKET, scenario="market", group_name="城南农贸市场", village_groups=())
    )
    book = Workbook()
    for row in (
        ["序号", "姓名", "身份证号", "商铺", "商铺统一社会信用代码"],
        [1, "张三", MAN, "A-12 张记粮油", COMPANY],
        [2, "李四", WOMAN, "B-03 李家水产", ""],
    ):
        book.active.append(row)
    book.save(tmp_path / "商户名单.xlsx")
    campaigns.import_roster(ctx, admin, MARKET, tmp_path / "商户名单.xlsx")
    return Desk(window, store)


@pytest.fixture
def desk(qtbot: QtBot, settings: Settings, memory_keyring: MemoryKeyring, tmp_path: Path) -> Desk:
    return open_desk(qtbot, settings, tmp_path)


def choose(qtbot: QtBot, view: CampaignsWorkspace, code: str) -> None:
    settled(qtbot, view)  # a reading under way would choose the campaign it was asked for
    codes = [view._code_at(r) for r in range(view.table.rowCount())]
    view.table.selectRow(codes.index(code))
    settled(qtbot, view)
    assert view.selected_code() == code


def kept(settings: Settings) -> list[str]:
    return sorted(p.name for p in (settings.paths.data_dir / "printed").glob("app*.pdf"))


def letters_by_keys(qtbot: QtBot, view: CampaignsWorkspace) -> LettersDialog:
    qtbot.keyClick(view.table, Qt.Key.Key_L)
    dialog = view.dialog
    assert isinstance(dialog, LettersDialog)
    return dialog


def finished(qtbot: QtBot, view: CampaignsWorkspace, dialog: LettersDialog) -> None:
    qtbot.waitUntil(lambda: not dialog.busy and view.action_task is None, timeout=60_000)


def test_l_issues_the_letters_with_progress_cancels_between_two_members_and_goes_on_where_it_stopped(
    qtbot: QtBot, desk: Desk, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    required.program("pdftotext")
    desk.window.sign_in(authenticate(context_of(desk.store), "teller1", PASSWORD))
    view = f7(qtbot, desk.window)
    choose_village(qtbot, view)
    dialog = letters_by_keys(qtbot, view)
    default = settings.paths.data_dir / "campaign-letters" / VILLAGE
    assert dialog.folder.text() == str(default)
    qtbot.waitUntil(dialog.folder.hasFocus, timeout=3000)
    assert not dialog.print_box.isEnabled()  # no printer set: the files only

    # the first member's two documents rendered; the worker waits in the second's until Esc is pressed
    real, first, go, made = documents.rendered, threading.Event(), threading.Event(), []

    def gated(*args, **kwargs):  # type: ignore[no-untyped-def]
        made.append(1)
        if len(made) == 3:
            first.set()
            go.wait(10)
        return real(*args, **kwargs)

    monkeypatch.setattr(documents, "rendered", gated)
    seen: list[tuple[str, int, int]] = []
    dialog.started.connect(lambda *_a: view.action_task.progress.connect(lambda a: seen.append(a)))  # type: ignore[union-attr]
    qtbot.keyClick(dialog.folder, Qt.Key.Key_Return)
    assert dialog.busy and dialog.progress.isVisible() and dialog.close_button.text() == "取消 (Esc)"
    qtbot.waitUntil(first.is_set, timeout=30_000)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)  # cancels; the dialog stays to say where it stopped
    assert dialog.isVisible() and "正在取消" in dialog.status.text()
    go.set()
    finished(qtbot, view, dialog)
    # the member under way when Esc came was finished, recorded and kept; nobody after
    assert "已取消：3 人中已完成 2 人" in dialog.status.text() and dialog.isVisible()
    assert dialog.start_button.text() == "继续 (Enter)"
    assert ("issue", 2, 3) in seen  # the progress came through to the window's thread
    assert len(kept(settings)) == 4
    # the first village group's file, its people all issued, was merged while the run went on
    assert sorted(p.name for p in default.glob("*.pdf")) == ["001-一组.pdf"]
    assert [d["cancelled"] for _w, _s, d in audit_of(desk.store, "campaign_letters")] == [True]

    monkeypatch.setattr(documents, "rendered", real)
    qtbot.keyClick(dialog, Qt.Key.Key_Return)  # on where it stopped
    finished(qtbot, view, dialog)
    assert dialog.run is not None, dialog.error.text()
    said = dialog.status.text()
    assert "已授信 3 人：本次出具原件 2 份、副本 0 份，沿用已出具 4 份" in said, said
    assert str(default) in said and "001-一组.pdf" in said
    assert len(kept(settings)) == 6
    assert "原件 2 份" in view.message.text() and str(default) in view.message.text()
    merged = sorted(p.name for p in default.glob("*.pdf"))
    assert merged == ["001-一组.pdf", "002-二组.pdf"]
    flat = "".join(
        subprocess.run(["pdftotext", str(default / "001-一组.pdf"), "-"], capture_output=True, text=True,
                       check=True).stdout.split()
    )  # fmt: skip
    assert flat.index("张三") < flat.index("李四") and "授信告知函" in flat  # in delivery order, both kinds
    assert MASK.resident_id(MAN) in flat  # the letter masks it (the agreement carries it whole, as ever)
    qtbot.keyClick(dialog, Qt.Key.Key_Return)  # done: Enter closes
    qtbot.waitUntil(lambda: view.dialog is None, timeout=5000)
    settled(qtbot, view)

    # a document lost from the data folder comes out again as a 副本, into another folder typed in
    lost = settings.paths.data_dir / "printed" / kept(settings)[0]
    lost.unlink()
    dialog = letters_by_keys(qtbot, view)
    dialog.folder.selectAll()
    elsewhere = settings.paths.data_dir / "elsewhere"
    qtbot.keyClicks(dialog.folder, str(elsewhere))
    qtbot.keyClick(dialog.folder, Qt.Key.Key_Return)
    finished(qtbot, view, dialog)
    assert dialog.run is not None and (dialog.run.copies, dialog.run.originals) == (1, 0)
    assert "副本 1 份" in dialog.status.text()
    assert sorted(p.name for p in elsewhere.glob("*.pdf")) == ["001-一组.pdf", "002-二组.pdf"]
    runs = [(w, d["cancelled"], d["copies"]) for w, _s, d in audit_of(desk.store, "campaign_letters")]
    assert runs == [("teller1", True, 0), ("teller1", False, 0), ("teller1", False, 1)]


def test_l_lists_the_member_whose_agreement_was_refused_masked_and_goes_on_to_the_others(
    qtbot: QtBot, desk: Desk, settings: Settings
) -> None:
    from sqlalchemy import text

    with desk.store.connection() as conn:  # 李四's application lost its name: no agreement for her
        conn.execute(text("UPDATE application SET name = NULL WHERE id_no = :i"), {"i": WOMAN})
        conn.commit()
    desk.window.sign_in(authenticate(context_of(desk.store), "teller1", PASSWORD))
    view = f7(qtbot, desk.window)
    choose_village(qtbot, view)
    dialog = letters_by_keys(qtbot, view)
    qtbot.waitUntil(dialog.folder.hasFocus, timeout=3000)
    qtbot.keyClick(dialog.folder, Qt.Key.Key_Return)
    finished(qtbot, view, dialog)
    assert dialog.run is not None, dialog.error.text()
    said = dialog.status.text()
    assert "本次出具原件 4 份" in said and "未出具 1 人" in said, said
    assert f"{MASK.resident_id(WOMAN)} 李四：" in said and "没有登记客户姓名" in said and WOMAN not in said
    assert "未出具 1 人" in view.message.text()
    assert len(kept(settings)) == 4
    (run,) = [d for _w, _s, d in audit_of(desk.store, "campaign_letters")]
    assert [r["paper"] for r in run["refused"]] == [True]


@pytest.fixture
def paper_desk(
    qtbot: QtBot, printing_settings: Settings, memory_keyring: MemoryKeyring, tmp_path: Path
) -> Desk:
    return open_desk(qtbot, printing_settings, tmp_path)


def test_l_sends_the_print_files_to_the_configured_printer_when_asked(
    qtbot: QtBot, paper_desk: Desk, printing_settings: Settings
) -> None:
    paper_desk.window.sign_in(authenticate(context_of(paper_desk.store), "head1", PASSWORD))
    view = f7(qtbot, paper_desk.window)
    choose_village(qtbot, view)
    dialog = letters_by_keys(qtbot, view)
    assert dialog.print_box.isEnabled() and "TA-PDF" in dialog.print_box.text()
    qtbot.waitUntil(lambda: dialog.isActiveWindow() and dialog.folder.hasFocus(), timeout=3000)
    for _ in range(3):  # Tab past the folder's 选择… and the documents' choice to the printer's box
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert dialog.print_box.hasFocus()
    qtbot.keyClick(dialog.print_box, Qt.Key.Key_Space)
    assert dialog.print_box.isChecked()
    qtbot.keyClick(dialog.print_box, Qt.Key.Key_Return)
    finished(qtbot, view, dialog)
    assert dialog.run is not None, dialog.error.text()
    assert len(dialog.run.printed) == 2 and "已送打印机：2 个文件" in dialog.status.text()
    assert not dialog.error.isVisible()
    assert [d["printer"] for _w, _s, d in audit_of(paper_desk.store, "campaign_letters")] == ["TA-PDF"]


def test_alt_d_chooses_the_letters_alone_and_the_agreements_join_them_on_a_later_run(
    qtbot: QtBot, desk: Desk, settings: Settings
) -> None:
    """The members told of their line by letter first; the agreements printed later, the letters kept."""
    desk.window.sign_in(authenticate(context_of(desk.store), "teller1", PASSWORD))
    view = f7(qtbot, desk.window)
    choose_village(qtbot, view)
    dialog = letters_by_keys(qtbot, view)
    qtbot.waitUntil(lambda: dialog.isActiveWindow() and dialog.folder.hasFocus(), timeout=3000)
    assert dialog.kinds.currentText() == "协议和告知函"  # both, unless asked
    qtbot.keyClick(dialog, Qt.Key.Key_D, Qt.KeyboardModifier.AltModifier)
    assert dialog.kinds.hasFocus()
    qtbot.keyClick(dialog.kinds, Qt.Key.Key_Down)
    assert dialog.kinds.currentText() == "仅告知函"
    qtbot.keyClick(dialog.kinds, Qt.Key.Key_Return)
    finished(qtbot, view, dialog)
    assert dialog.run is not None, dialog.error.text()
    assert (dialog.run.kinds, dialog.run.originals) == (("letter",), 3)
    assert len(kept(settings)) == 3 and all("-letter-0" in name for name in kept(settings))
    qtbot.keyClick(dialog, Qt.Key.Key_Return)  # done: Enter closes
    qtbot.waitUntil(lambda: view.dialog is None, timeout=5000)
    settled(qtbot, view)

    dialog = letters_by_keys(qtbot, view)  # both again: only the agreements are issued
    qtbot.waitUntil(lambda: dialog.isActiveWindow() and dialog.folder.hasFocus(), timeout=3000)
    assert dialog.kinds.currentText() == "协议和告知函"
    qtbot.keyClick(dialog.folder, Qt.Key.Key_Return)
    finished(qtbot, view, dialog)
    assert dialog.run is not None, dialog.error.text()
    assert (dialog.run.originals, dialog.run.kept_before) == (3, 3)
    assert "本次出具原件 3 份、副本 0 份，沿用已出具 3 份" in dialog.status.text()
    runs = [d["documents"] for _w, _s, d in audit_of(desk.store, "campaign_letters")]
    assert runs == [["letter"], ["agreement", "letter"]]


def choose_file(
    qtbot: QtBot, view: CampaignsWorkspace, key: Qt.Key, name: str, path: Path
) -> ListResultDialog:
    qtbot.keyClick(view.table, key)
    chooser = view.dialog
    assert isinstance(chooser, QFileDialog) and chooser.objectName() == name
    chooser.selectFile(str(path))
    chooser.accept()
    qtbot.waitUntil(lambda: isinstance(view.dialog, ListResultDialog), timeout=3000)
    dialog = view.dialog
    assert isinstance(dialog, ListResultDialog)
    qtbot.waitUntil(lambda: dialog.done_, timeout=20_000)
    settled(qtbot, view)
    return dialog


def test_q_records_signatures_from_a_list_the_refused_listed_masked(
    qtbot: QtBot, desk: Desk, tmp_path: Path
) -> None:
    desk.window.sign_in(authenticate(context_of(desk.store), "teller1", PASSWORD))
    view = f7(qtbot, desk.window)
    choose_village(qtbot, view)
    dialog = letters_by_keys(qtbot, view)
    qtbot.keyClick(dialog.folder, Qt.Key.Key_Return)
    finished(qtbot, view, dialog)
    dialog.accept()
    qtbot.waitUntil(lambda: view.dialog is None, timeout=5000)
    settled(qtbot, view)
    listing = tmp_path / "已签约.csv"
    listing.write_text(
        f"身份证号,姓名\n{MAN},张三\n{STRANGER},某人\n{NEW},王六\n{MAN},张三\n", encoding="gb18030"
    )
    result = choose_file(qtbot, view, Qt.Key.Key_Q, "signListFileDialog", listing)
    assert "登记签约 2 人，未登记 2 人" in result.status.text()
    assert result.rows() == [
        [MASK.resident_id(STRANGER), "", f"不是活动 {VILLAGE} 的成员"],
        [MASK.resident_id(MAN), "", "名单中重复"],
        [MASK.resident_id(MAN), "张三", "已签约"],
        [MASK.resident_id(NEW), "王六", "已签约"],
    ]
    shown = " ".join(" ".join(r) for r in result.rows()) + result.status.text() + view.message.text()
    assert all(i not in shown for i in (MAN, STRANGER, NEW))
    assert [d["signed"] for w, _s, d in audit_of(desk.store, "campaign_sign")] == [2]
    assert len(audit_of(desk.store, "sign")) == 2
    if language == "en":
        assert "收银" not in result.status.text()
    qtbot.keyClick(result, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: view.dialog is None, timeout=5000)
    settled(qtbot, view)
    assert "签约" in view.progress.text()


def test_k_records_one_members_signature_by_id_masked_and_refused_in_words(
    qtbot: QtBot, desk: Desk
) -> None:
    import datetime as dt

    from teller_assist.kpi.definitions import Scope
    from teller_assist.services import kpi
    from teller_assist.ui.workspaces.campaigns import SignOneDialog

    kpi.set_indicator(  # head office's indicator for the campaign: 2 people signed in November
        desk.ctx, authenticate(desk.ctx, "admin1", PASSWORD), Scope("campaign", VILLAGE), people=2,
        granted=False, starts_on=dt.date(2026, 11, 1), ends_on=dt.date(2026, 11, 30),
    )  # fmt: skip
    desk.window.sign_in(authenticate(context_of(desk.store), "teller1", PASSWORD))
    view = f7(qtbot, desk.window)
    choose_village(qtbot, view)
    dialog = letters_by_keys(qtbot, view)
    qtbot.keyClick(dialog.folder, Qt.Key.Key_Return)
    finished(qtbot, view, dialog)
    dialog.accept()
    qtbot.waitUntil(lambda: view.dialog is None, timeout=5000)
    settled(qtbot, view)

    qtbot.keyClick(view.table, Qt.Key.Key_K)
    one = view.dialog
    assert isinstance(one, SignOneDialog)
    qtbot.waitUntil(one.id_edit.hasFocus, timeout=3000)
    bad = MAN[:-1] + ("1" if MAN[-1] == "0" else "0")
    qtbot.keyClicks(one.id_edit, bad)
    qtbot.keyClick(one.id_edit, Qt.Key.Key_Return)  # refused as typed, kept to be put right
    assert one.error.isVisible() and "身份证号无效" in one.error.text() and one.id_edit.text() == bad
    assert audit_of(desk.store, "sign") == []
    one.id_edit.clear()
    qtbot.keyClicks(one.id_edit, MAN)
    qtbot.keyClick(one.id_edit, Qt.Key.Key_Return)
    assert one.id_edit.text() in (MASK.resident_id(MAN), "")  # masked once entered
    qtbot.waitUntil(lambda: not one.busy and "张三" in one.outcome.text(), timeout=10_000)
    assert one.outcome.text() == f"{MASK.resident_id(MAN)} 张三 已签约" and MAN not in view.message.text()
    assert len(audit_of(desk.store, "sign")) == 1
    qtbot.keyClicks(one.id_edit, MAN)  # again: refused in words, through the same service
    qtbot.keyClick(one.id_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not one.busy and "未登记" in one.outcome.text(), timeout=10_000)
    assert "已签约" in one.outcome.text() and MAN not in one.outcome.text()
    assert [d["refused"] for _w, _s, d in audit_of(desk.store, "campaign_sign")] == [0, 1]
    # the campaign's progress says how far its indicator is, as the KPIs count it
    qtbot.waitUntil(lambda: "已签约 1 人，完成 50.00%" in view.progress.text(), timeout=10_000)
    assert "指标 签约2人（2026-11-01至2026-11-30）" in view.progress.text()
    # locked between K and Enter: refused in the dialog, audited
    qtbot.keyClicks(one.id_edit, NEW)
    desk.window.lock()
    one.submit()
    assert "屏幕已锁定" in one.error.text() and len(audit_of(desk.store, "sign")) == 1
    assert [d["action"] for _w, _s, d in audit_of(desk.store, "campaign_refused")][-1:] == ["sign"]


def till_file(path: Path) -> Path:
    book = Workbook()
    for row in (
        ["序号", "经营者姓名", "身份证号", "商铺统一社会信用代码", "月份", "销售额（元）"],
        [1, "张三", MAN, "", "2026-05", "90000.00"],
        [2, "张三", "", COMPANY, "2026/09", "81,000.50"],
        [3, "王五", STRANGER, "", "2026-09", 50000],  # not on the campaign
    ):
        book.active.append(row)
    book.save(path)
    return path


def test_t_loads_a_markets_till_records_the_refused_rows_masked_and_only_for_a_market(
    qtbot: QtBot, desk: Desk, tmp_path: Path
) -> None:
    desk.window.sign_in(authenticate(context_of(desk.store), "head1", PASSWORD))
    view = f7(qtbot, desk.window)
    choose_village(qtbot, view)
    assert not view.till_button.isEnabled()
    qtbot.keyClick(view.table, Qt.Key.Key_T)
    assert view.dialog is None and "收银记录只用于整市场活动" in view.message.text()
    choose(qtbot, view, MARKET)
    assert view.till_button.isEnabled()
    result = choose_file(qtbot, view, Qt.Key.Key_T, "tillFileDialog", till_file(tmp_path / "收银.xlsx"))
    assert "3 行，商户 1 户共 2 个月，有变化 1 户，未通过 1 行" in result.status.text()
    [row] = result.rows()
    assert row[0] == "4" and row[1] == MASK.resident_id(STRANGER) and "不在本活动的名单上" in row[2]
    assert STRANGER not in " ".join(row)
    [(who, code, detail)] = audit_of(desk.store, "campaign_till_import")
    assert (who, code, detail["months"], detail["refused_rows"]) == ("head1", MARKET, 2, 1)


def test_l_q_and_t_are_refused_and_audited_while_locked(qtbot: QtBot, desk: Desk, tmp_path: Path) -> None:
    desk.window.sign_in(authenticate(context_of(desk.store), "head1", PASSWORD))
    view = f7(qtbot, desk.window)
    choose(qtbot, view, MARKET)
    desk.window.lock()
    assert desk.window.is_locked()
    assert view.letters_selected() is None and view.choose_sign_list() is None and view.choose_till() is None
    assert view.sign_list(MARKET, tmp_path / "x.csv") is None and view.sign_one() is None
    assert view.import_till(MARKET, till_file(tmp_path / "收银.xlsx")) is None
    assert view.message.text().startswith("屏幕已锁定")
    refused = [(w, d["action"], d["reason"]) for w, _s, d in audit_of(desk.store, "campaign_refused")]
    assert refused == [
        ("head1", "letters", "screen locked"),
        ("head1", "sign", "screen locked"),
        ("head1", "import_till", "screen locked"),
        ("head1", "sign", "screen locked"),
        ("head1", "sign", "screen locked"),
        ("head1", "import_till", "screen locked"),
    ]
    assert (
        audit_of(desk.store, "campaign_till_import") == [] and audit_of(desk.store, "campaign_letters") == []
    )


def test_a_run_started_then_locked_is_refused_by_the_desk(qtbot: QtBot, desk: Desk) -> None:
    """The lock comes between L and Enter: the run is refused in the dialog, audited, nothing issued."""
    desk.window.sign_in(authenticate(context_of(desk.store), "head1", PASSWORD))
    view = f7(qtbot, desk.window)
    choose_village(qtbot, view)
    dialog = letters_by_keys(qtbot, view)
    desk.window.lock()
    dialog.start()
    assert "屏幕已锁定" in dialog.error.text() and not dialog.busy
    assert [d["action"] for _w, _s, d in audit_of(desk.store, "campaign_refused")] == ["letters"]
    assert audit_of(desk.store, "campaign_letters") == []


def test_the_import_dialogs_line_names_the_stage_in_either_language(qtbot: QtBot, qapp: QApplication) -> None:
    assert {k: str(v) for k, v in IMPORT_STAGES.items()} == IMPORT_STAGE_ZH
    dialog = RosterImportDialog(VILLAGE, Path("名单.xlsx"))
    qtbot.addWidget(dialog)
    dialog.stage.emit("match", 40, 100)
    assert dialog.status.text().startswith("匹配本行客户 40/100…") and dialog.progress.value() == 40
    dialog.stage.emit("read", 0, 1)
    assert dialog.status.text().startswith("读取文件…")
    i18n.install(qapp, "en")
    try:
        english = RosterImportDialog(VILLAGE, Path("名单.xlsx"))
        qtbot.addWidget(english)
        english.stage.emit("decide", 7, 9)
        assert "测算" not in english.status.text() and "7/9" in english.status.text()
        assert english.status.text().split(" 7/9")[0].isascii()
    finally:
        i18n.install(qapp, i18n.SOURCE_LANGUAGE)


@pytest.fixture(params=["zh_CN", "en"])
def language(request: pytest.FixtureRequest, qapp: QApplication) -> Iterator[str]:
    if not i18n.qm_file("en").exists():
        pytest.fail("the .qm files are built by make (make translations) before the tests")
    i18n.install(qapp, request.param)
    yield request.param
    i18n.install(qapp, i18n.SOURCE_LANGUAGE)


def test_the_new_keys_and_dialogs_fit_the_420_pixel_window_in_either_language(
    qtbot: QtBot, desk: Desk, language: str, tmp_path: Path
) -> None:
    desk.window.sign_in(authenticate(context_of(desk.store), "head1", PASSWORD))
    view = f7(qtbot, desk.window)
    choose_village(qtbot, view)
    QApplication.processEvents()
    assert desk.window.width() == MainWindow.DEFAULT_WIDTH
    assert not cut_off(view), cut_off(view)
    dialog = letters_by_keys(qtbot, view)
    QApplication.processEvents()
    assert not cut_off(dialog), cut_off(dialog)
    for label in dialog.findChildren(QLabel):  # a wrapped line has the height of all its lines
        if label.isVisible() and label.wordWrap():
            assert label.height() >= label.heightForWidth(label.width()), label.text()
    qtbot.keyClick(dialog.folder, Qt.Key.Key_Return)
    finished(qtbot, view, dialog)
    QApplication.processEvents()
    assert not cut_off(dialog), cut_off(dialog)
    dialog.accept()
    qtbot.waitUntil(lambda: view.dialog is None, timeout=5000)
    choose(qtbot, view, MARKET)
    result = choose_file(qtbot, view, Qt.Key.Key_T, "tillFileDialog", till_file(tmp_path / "收银.xlsx"))
    QApplication.processEvents()
    assert not cut_off(result), cut_off(result)
    qtbot.keyClick(result, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: view.dialog is None, timeout=5000)
    choose_village(qtbot, view)
    qtbot.keyClick(view.table, Qt.Key.Key_K)  # one signature: the dialog and its refusal fit too
    one = view.dialog
    assert one is not None and one.objectName() == "signOneDialog"
    qtbot.keyClicks(one.id_edit, "3211831985")  # type: ignore[attr-defined]
    qtbot.keyClick(one.id_edit, Qt.Key.Key_Return)  # type: ignore[attr-defined]
    QApplication.processEvents()
    assert one.error.isVisible() and not cut_off(one), cut_off(one)  # type: ignore[attr-defined]
    if language == "en":
        assert view.letters_button.text() == "Letters (L)"
        assert "Invalid resident ID" in one.error.text()  # type: ignore[attr-defined]
