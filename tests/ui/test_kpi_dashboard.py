"""The 考核 dashboard on a small demo county with its year of history: the tiles say what the service
says, the league table sorts as numbers, Enter drills from the county to a branch to an officer to the
people (masked), Enter on a person hands their ID to the window, and a locked window shows nothing.
Every figure and list is asked for as the signed-in operator and audited under them. The menu entry is
there for head office and branch heads only; their window goes with the lock and with their session."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from teller_assist.demo.county import generate_county
from teller_assist.kpi.definitions import COUNTY, HEADLINE, Scope
from teller_assist.prequal.policy import Policy, default_policy_path, load_policy
from teller_assist.services import kpi
from teller_assist.services.clock import Clock
from teller_assist.services.context import Context
from teller_assist.services.demo_history import load_history
from teller_assist.services.imports import import_paths
from teller_assist.settings import Settings
from teller_assist.store.engine import Store
from teller_assist.ui.fonts import install_fonts
from teller_assist.ui.kpi_dashboard import KpiDashboard
from teller_assist.ui.main_window import MainWindow
from tests.helpers.keyrings import MemoryKeyring
from tests.helpers.operators import admin_of, make_operator

AS_OF = dt.date(2026, 11, 28)


@pytest.fixture
def policy() -> Policy:
    return load_policy(default_policy_path())


@pytest.fixture
def county(sqlite_store: Store, policy: Policy, tmp_path: Path) -> Store:
    admin_of(sqlite_store, "admin1")  # head office first; the demo's staff come with the history
    summary = generate_county(tmp_path / "c", people=1_500, seed=3, as_of=AS_OF, processes=1, history=True)
    assert import_paths(sqlite_store, [tmp_path / "c"], today=AS_OF).exit_code == 0
    assert summary.history is not None
    load_history(sqlite_store, summary.history, policy, as_of=AS_OF)
    kpi.refresh(sqlite_store, AS_OF, policy)
    return sqlite_store


def audited(store: Store, action: str, operator: str) -> int:
    from sqlalchemy import text

    with store.connection() as conn:
        return int(
            conn.execute(
                text("SELECT COUNT(*) FROM audit_event WHERE action = :a AND operator = :o"),
                {"a": action, "o": operator},
            ).scalar_one()
        )


def loaded(qtbot: QtBot, dashboard: KpiDashboard, action: object) -> None:
    with qtbot.waitSignal(dashboard.loaded, timeout=30_000):
        action()  # type: ignore[operator]


def test_tiles_league_drill_down_and_people(
    qtbot: QtBot, county: Store, policy: Policy, settings: Settings
) -> None:
    QApplication.setFont(install_fonts())
    locked = [False]
    admin = admin_of(county)
    ctx = Context(county, settings, policy, Clock.on(AS_OF))
    dashboard = KpiDashboard(ctx, operator=admin, is_locked=lambda: locked[0])
    qtbot.addWidget(dashboard)
    dashboard.resize(1200, 760)
    dashboard.show()
    loaded(qtbot, dashboard, dashboard.refresh)

    expected = kpi.dashboard(county, policy, COUNTY, AS_OF)
    for tile in expected.tiles:
        shown = dashboard.tiles[tile.kpi]
        assert shown.value.text() == tile.now.text()
        assert f"{tile.now.numerator:,}" in shown.behind.text() or tile.kpi.name == "DRAWN"
    assert "全县" in dashboard.breadcrumb.text()
    assert "授信政策" in dashboard.status.text() and AS_OF.isoformat() in dashboard.status.text()
    assert dashboard.trend_view.chart().series() and dashboard.flow_view.chart().series()
    # the weekly flows: the struck people beside the granted, signed and first drawn, as the service counts
    bars = {b.label(): b for b in dashboard.flow_view.chart().series()[0].barSets()}
    struck = [f.people_view.struck for f in expected.view.flows]
    assert [int(bars["销号"].at(i)) for i in range(bars["销号"].count())] == struck and sum(struck) > 0

    # the league table: one row per branch, first by the completion of their indicators
    model = dashboard.league_proxy
    assert model.rowCount() == len(expected.view.children) >= 12
    head = dashboard.league.horizontalHeader()
    completion = head.sortIndicatorSection()
    assert model.headerData(completion, Qt.Orientation.Horizontal) == "完成率"
    done = [float(model.index(r, completion).data().rstrip("%")) for r in range(model.rowCount())]
    assert done == sorted(done, reverse=True)
    # ... sorted by numbers not by text
    eligible = 1
    dashboard.league.sortByColumn(eligible, Qt.SortOrder.DescendingOrder)
    values = [int(model.index(r, eligible).data().replace(",", "")) for r in range(model.rowCount())]
    assert values == sorted(values, reverse=True)

    # Enter on a branch: its officers
    dashboard.league.setFocus()
    dashboard.league.selectRow(0)
    branch = model.index(0, 0).data(Qt.ItemDataRole.UserRole + 2)
    loaded(qtbot, dashboard, lambda: qtbot.keyClick(dashboard.league, Qt.Key.Key_Return))
    assert dashboard.scope == Scope("branch", branch)
    assert f"网点 {branch}" in dashboard.breadcrumb.text()
    officers = [model.index(r, 0).data() for r in range(model.rowCount())]
    assert f"zh{branch}" in officers  # the branch head keeps a share of the branch's targets
    assert all(o.startswith((f"jr{branch}", f"zh{branch}")) for o in officers)
    figures = kpi.view(county, policy, Scope("branch", branch), AS_OF)
    assert dashboard.tiles[HEADLINE[1]].value.text() == figures.total.stock.signing.text()

    # ... an officer, then the people behind the number, masked; Enter hands the ID to the window
    dashboard.league.setFocus()
    dashboard.league.selectRow(0)
    loaded(qtbot, dashboard, lambda: qtbot.keyClick(dashboard.league, Qt.Key.Key_Return))
    assert dashboard.scope.kind == "officer"
    lists = audited(county, "kpi_people", admin.login)
    loaded(qtbot, dashboard, lambda: dashboard.show_people("signed"))
    assert audited(county, "kpi_people", admin.login) == lists + 1  # a list of people, under who saw it
    assert audited(county, "kpi_view", admin.login) >= 3  # the county, the branch, the officer
    people = dashboard.people_proxy
    assert people.rowCount() > 0
    shown_ids = [people.index(r, 0).data() for r in range(people.rowCount())]
    assert all("*" in i and len(i) == 18 for i in shown_ids)
    with qtbot.waitSignal(dashboard.personActivated, timeout=3000) as opened:
        dashboard.people.setFocus()
        dashboard.people.selectRow(0)
        qtbot.keyClick(dashboard.people, Qt.Key.Key_Return)
    id_no = opened.args[0]
    assert len(id_no) == 18 and "*" not in id_no
    assert id_no[:4] == shown_ids[0][:4] and id_no[-4:] == shown_ids[0][-4:]
    everything = " ".join(w.text() for w in dashboard.findChildren(QLabel)) + " ".join(
        str(people.index(r, c).data()) for r in range(people.rowCount()) for c in range(people.columnCount())
    )
    assert id_no not in everything

    # Backspace goes back up
    qtbot.keyClick(dashboard, Qt.Key.Key_Backspace)
    assert dashboard.people_category is None and dashboard.scope.kind == "officer"
    loaded(qtbot, dashboard, lambda: qtbot.keyClick(dashboard, Qt.Key.Key_Backspace))
    assert dashboard.scope == Scope("branch", branch)

    # locked: nothing shown, nothing computed
    locked[0] = True
    qtbot.waitUntil(lambda: dashboard.stack.currentIndex() == 1, timeout=3000)
    assert dashboard.locked_label.isVisible()
    generation = dashboard._generation
    dashboard.refresh()
    assert dashboard._generation == generation
    locked[0] = False
    qtbot.waitUntil(lambda: dashboard.stack.currentIndex() == 0, timeout=3000)
    dashboard.wait()


def test_the_menu_entry_is_for_head_office_and_branch_heads(
    qtbot: QtBot, settings: Settings, memory_keyring: MemoryKeyring, tmp_path: Path
) -> None:
    from tests.ui.test_card_panel import window_with_data

    window: MainWindow = window_with_data(qtbot, settings, tmp_path)
    assert window.store is not None
    assert not window.kpi_action.isEnabled()  # a teller
    window.open_kpi_dashboard()
    assert window.kpi_window is None
    head = make_operator(window.store, "head1", "branch_head")
    window.sign_in(head)
    assert window.kpi_action.isEnabled()
    window.kpi_action.trigger()
    assert window.kpi_window is not None
    assert window.kpi_window.dashboard.top == Scope("branch", "0101")  # their own branch, and no higher
    window.kpi_window.dashboard.wait()
    window.kpi_window.close()
    admin = make_operator(window.store, "admin1", "hq_admin")
    window.sign_in(admin)
    window.open_kpi_dashboard()
    assert window.kpi_window is not None and window.kpi_window.dashboard.top == COUNTY
    room = window.kpi_window.screen().availableGeometry()  # a counter PC's 1366 × 768: all of it on it
    assert room.contains(window.kpi_window.frameGeometry())
    window.kpi_window.dashboard.wait()
    window.kpi_window.close()


def test_a_branch_heads_window_goes_with_the_lock_and_their_session_and_opens_cards(
    qtbot: QtBot, settings: Settings, memory_keyring: MemoryKeyring, tmp_path: Path
) -> None:
    from tests.ui.test_card_panel import MAN, window_with_data

    window: MainWindow = window_with_data(qtbot, settings, tmp_path)
    assert window.store is not None
    head = make_operator(window.store, "head1", "branch_head")
    window.sign_in(head)
    window.open_kpi_dashboard()
    assert window.kpi_window is not None
    dashboard = window.kpi_window.dashboard
    dashboard.wait()
    qtbot.waitUntil(lambda: dashboard.dashboard is not None, timeout=30_000)
    # a person handed over by the list (Enter there, see above): their card at the counter, looked up
    # as the operator
    before = audited(window.store, "lookup", "head1")
    dashboard.personActivated.emit(MAN)
    assert window.counter.card is not None and window.counter.card.rid.value == MAN
    assert audited(window.store, "lookup", "head1") == before + 1
    # the lock hides the figures at once, and opens nothing
    window.lock()
    assert dashboard.stack.currentIndex() == 1
    dashboard.personActivated.emit(MAN)
    assert audited(window.store, "lookup", "head1") == before + 1  # nothing looked up
    window.open_kpi_dashboard()
    assert window.kpi_window is None  # nor a new 考核 window while locked
    # switching to another operator closes the last one's 考核 window
    window.stack.setCurrentIndex(0)  # (unlocked by hand: the lock page's own test types the password)
    window.open_kpi_dashboard()
    assert window.kpi_window is not None
    first = window.kpi_window
    first.dashboard.wait()
    teller = make_operator(window.store, "teller2", "teller")
    window.sign_in(teller)
    assert window.kpi_window is None and not first.isVisible()
    assert not window.kpi_action.isEnabled()
