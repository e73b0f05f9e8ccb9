"""Chinese first, English too, through Qt's tools: the .ts source is complete and current with the
code, the built .qm turns the window English, and at the default size nothing is cut off in either
language, from the empty window through card, survey, submission and approval."""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QWidget
from pytestqt.qtbot import QtBot

from teller_assist.ui import i18n
from teller_assist.ui.main_window import MainWindow
from teller_assist.ui.session import AuthorizeDialog
from teller_assist.ui.widgets import ElidedLabel
from teller_assist.ui.words import WORDS
from tests.helpers.extracts import MAN
from tests.helpers.keyrings import MemoryKeyring
from tests.helpers.operators import PASSWORD, make_operator
from tests.ui.test_card_panel import window_with_data
from tests.ui.test_session import fill_survey_rest

ROOT = Path(__file__).resolve().parents[2]
TS = ROOT / "resources" / "i18n" / "teller_assist_en.ts"
UI = sorted(str(p) for p in (ROOT / "teller_assist" / "ui").rglob("*.py"))  # the workspaces too


def messages(ts: Path) -> dict[tuple[str, str], ET.Element]:
    found = {}
    for ctx in ET.parse(ts).getroot().findall("context"):  # noqa: S314
        name = ctx.findtext("name") or ""
        for m in ctx.findall("message"):
            found[(name, m.findtext("source") or "")] = m.find("translation")
    return found


def test_the_english_source_is_complete_and_current_with_the_code(tmp_path: Path) -> None:
    lupdate = Path(sys.executable).with_name("pyside6-lupdate")
    fresh = tmp_path / "fresh.ts"
    shutil.copy(TS, fresh)
    out = subprocess.run(
        [
            str(lupdate),
            *UI,
            "-locations",
            "none",
            "-source-language",
            "zh_CN",
            "-target-language",
            "en",
            "-ts",
            str(fresh),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "0 new" in out.stdout, "strings in the code are missing from the .ts: run make update-translations"
    now = messages(fresh)
    assert set(now) == set(messages(TS)), "the .ts holds strings the code no longer has"
    unfinished = [k for k, t in now.items() if t is None or t.get("type") in ("unfinished", "vanished")]
    assert not unfinished, unfinished
    empty = [k for k, t in now.items() if not (t is not None and (t.text or "").strip())]
    assert not empty, empty
    # placeholders survive translation, so .format() fills the same holes in both languages
    for (_ctx, source), translation in now.items():
        assert translation is not None
        for hole in ("{0}", "{1}", "{2}", "{3}", "{4}", "{n}", "{d}", "{m}", "{p}", "{r}", "{f}"):
            assert (hole in source) == (hole in (translation.text or "")), (source, translation.text)


def test_the_domain_vocabulary_is_all_marked_for_translation() -> None:
    from teller_assist.campaigns.campaign import GROUP_ZH
    from teller_assist.campaigns.campaign import STATUS_ZH as CAMPAIGN_ZH
    from teller_assist.campaigns.members import MEMBER_STATUS_ZH
    from teller_assist.campaigns.roster import SCENARIO_ZH
    from teller_assist.documents.templates import KINDS
    from teller_assist.prequal.bands import BANDS
    from teller_assist.prequal.group import EVALUATION_ZH
    from teller_assist.prequal.workflow import STATUS_ZH
    from teller_assist.security.passwords import ROLE_ZH
    from teller_assist.services.walkins import STAGE_ZH
    from teller_assist.targets.tasks import KIND_ZH as TASK_ZH
    from teller_assist.targets.tasks import OUTCOME_ZH
    from teller_assist.ui.card_panel import APPLICATION_ZH, KIND_ZH
    from teller_assist.vocabulary import NEGATIVE_ZH, TAG_ZH, UTILITY_ZH

    for table in (
        STATUS_ZH,
        APPLICATION_ZH,
        STAGE_ZH,
        ROLE_ZH,
        KINDS,
        KIND_ZH,
        NEGATIVE_ZH,
        TAG_ZH,
        UTILITY_ZH,
        TASK_ZH,
        OUTCOME_ZH,
        SCENARIO_ZH,
        GROUP_ZH,
        CAMPAIGN_ZH,
        MEMBER_STATUS_ZH,
        EVALUATION_ZH,
        {label: label for label, _low, _high in BANDS},
    ):
        assert set(table.values()) <= set(WORDS), set(table.values()) - set(WORDS)


@pytest.fixture(params=["zh_CN", "en"])
def language(request: pytest.FixtureRequest, qapp: QApplication) -> Iterator[str]:
    if not i18n.qm_file("en").exists():
        pytest.fail("the .qm files are built by make (make translations) before the tests")
    i18n.install(qapp, request.param)
    yield request.param
    i18n.install(qapp, i18n.SOURCE_LANGUAGE)


def cut_off(window: QWidget) -> list[str]:
    """Visible labels and buttons narrower than their text needs (word-wrapped labels may wrap, an
    elided one must give its whole text in its tooltip)."""
    problems = []
    for w in window.findChildren(QWidget):
        if not w.isVisible() or w.width() <= 0:
            continue
        if isinstance(w, ElidedLabel):
            if w.elided() and w.text() not in w.toolTip():
                problems.append(f"label {w.objectName()!r} elided without its text in the tooltip")
            continue
        if isinstance(w, QLabel) and not w.wordWrap() and w.text() and w.width() < w.sizeHint().width():
            problems.append(f"label {w.objectName() or w.text()!r}: {w.width()} < {w.sizeHint().width()}")
        if isinstance(w, QAbstractButton) and w.text() and w.width() < w.sizeHint().width():
            problems.append(f"button {w.objectName() or w.text()!r}: {w.width()} < {w.sizeHint().width()}")
    return problems


def check_states(qtbot: QtBot, window: MainWindow, seen: list[str]) -> None:
    def look(state: str) -> None:
        QApplication.processEvents()
        assert window.width() <= MainWindow.DEFAULT_WIDTH, (state, window.width())
        problems = cut_off(window)
        assert not problems, (state, problems)
        seen.append(window.findChild(QWidget, "submitButton").text())  # type: ignore[union-attr]

    look("signed in, empty")
    qtbot.keyClicks(window.counter.id_input, MAN)
    look("card and survey")
    fill_survey_rest(qtbot, window)
    qtbot.keyClicks(window.counter.survey_form.widgets["household_income"], "50000")  # type: ignore[union-attr]
    qtbot.keyClicks(window.counter.survey_form.widgets["debts"], "0")  # type: ignore[union-attr]
    look("survey complete")
    qtbot.keyClick(window, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    look("submitted")
    dialog = window.counter.authorize_at_counter()
    assert isinstance(dialog, AuthorizeDialog)
    assert not cut_off(dialog), cut_off(dialog)
    dialog.login.setText("head1")
    dialog.password.setText(PASSWORD)
    dialog.authorize()
    counter = window.counter
    qtbot.waitUntil(lambda: counter.application is not None and counter.application.status == "approved")
    look("approved")


def test_the_window_speaks_the_language_set_and_nothing_is_cut_off(
    qtbot: QtBot, settings: object, memory_keyring: MemoryKeyring, tmp_path: Path, language: str
) -> None:
    window = window_with_data(qtbot, dataclasses.replace(settings, language=language), tmp_path)  # type: ignore[type-var]
    assert window.store is not None
    make_operator(window.store, "head1", "branch_head")
    seen: list[str] = []
    check_states(qtbot, window, seen)
    if language == "en":
        assert window.windowTitle().startswith("Teller Assist")
        assert window.counter.signed_button.text() == "Customer signed (F9)"
        assert window.counter.print_button.text() == "Preview and print (F8)"
        headline = window.counter.card_panel.estimated_line.text()
        assert headline.startswith("Approved, to sign: ¥220,000 at 3.65% a year"), headline
        assert "Approved: agreement YSX" in window.counter.application_status.text()
        assert seen[0] == "Submit (Ctrl+Enter)"
    else:
        assert window.windowTitle().startswith("柜面授信助手")
        assert window.counter.signed_button.text() == "客户已签字 (F9)"
        assert window.counter.card_panel.estimated_line.text().startswith("已批准，待签约 220,000元")
        assert "已批准：协议号 YSX" in window.counter.application_status.text()


def test_a_missing_translation_is_said_plainly(
    qapp: QApplication, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(i18n, "QM_DIR", tmp_path)
    with pytest.raises(i18n.MissingTranslation) as caught:
        i18n.install(qapp, "en")
    assert "make" in caught.value.describe()
    assert i18n.current() == "zh_CN"


def test_the_dialogs_and_the_lobby_view_are_not_cut_off(
    qtbot: QtBot, settings: object, memory_keyring: MemoryKeyring, tmp_path: Path, language: str
) -> None:
    from teller_assist.ui.import_dialog import ImportDialog
    from teller_assist.ui.session import LoginDialog

    window = window_with_data(qtbot, dataclasses.replace(settings, language=language), tmp_path)  # type: ignore[type-var]
    assert window.store is not None
    dialogs: list[QWidget] = [
        LoginDialog(window.ctx, window, first_admin=True),
        LoginDialog(window.ctx, window),
        ImportDialog(window.ctx, window, operator=window.operator),
    ]
    for dialog in dialogs:
        dialog.show()
        QApplication.processEvents()
        assert not cut_off(dialog), (type(dialog).__name__, cut_off(dialog))
        dialog.close()
    # the lobby manager's tabs: the approval queue and today's walk-ins, beside the counter; 今日任务
    window.sign_in(make_operator(window.store, "head1", "branch_head"))
    assert window.queue is not None and window.walkins is not None and window.tasks is not None
    for tab in (window.queue, window.walkins, window.tasks):
        window.workspaces.setCurrentWidget(tab)
        QApplication.processEvents()
        qtbot.waitUntil(lambda: window.tasks is not None and window.tasks.load_task is None, timeout=10_000)
        assert tab.isVisible() and not cut_off(tab), cut_off(tab)
    if language == "en":
        assert window.queue.approve_button.text() == "Approve"
        assert window.workspaces.tabText(window.workspaces.indexOf(window.queue)) == "To approve"
        assert window.tasks.record_button.text() == "Record outcome (R)"
