"""The window's menus: 数据 (import, the demo county), 会话 (lock, switch operator), 任务 (今日任务,
客群活动), 窗口 (stay on top), 管理 (operators, for head office) and 考核. Each action calls the window;
what may be done now is the window's parts' to say (they enable and disable the actions)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu

if TYPE_CHECKING:
    from teller_assist.ui.main_window import MainWindow


class Menus(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.w = window

    def _action(
        self, menu: QMenu, text: str, name: str, slot: Callable[[], object], keys: QKeySequence | None = None
    ) -> QAction:
        action = QAction(text, self.w)
        action.setObjectName(name)
        if keys is not None:
            action.setShortcut(keys)
        action.triggered.connect(lambda _checked=False: slot())
        menu.addAction(action)
        return action

    def build(self) -> None:
        w = self.w
        bar = w.menuBar()
        data_menu = bar.addMenu(self.tr("数据(&D)"))
        w.import_action = self._action(
            data_menu,
            self.tr("导入核心系统数据…"),
            "importAction",
            w.open_import_dialog,
            QKeySequence("Ctrl+I"),
        )
        w.demo_action = self._action(
            data_menu, self.tr("载入演示县数据…"), "demoAction", lambda: w.load_demo(ask=True)
        )
        session_menu = bar.addMenu(self.tr("会话(&S)"))
        w.lock_action = self._action(  # the teller steps away
            session_menu, self.tr("锁定屏幕"), "lockAction", w.lock, QKeySequence("Ctrl+L")
        )
        w.logout_action = self._action(
            session_menu,
            self.tr("退出登录 / 切换操作员…"),
            "logoutAction",
            w.logout,
            QKeySequence("Ctrl+Shift+L"),
        )
        tasks_menu = bar.addMenu(self.tr("任务(&T)"))
        w.tasks_action = self._action(
            tasks_menu, self.tr("今日任务"), "tasksAction", w.show_tasks, QKeySequence(Qt.Key.Key_F6)
        )
        w.campaigns_action = self._action(
            tasks_menu, self.tr("客群活动"), "campaignsAction", w.show_campaigns, QKeySequence(Qt.Key.Key_F7)
        )
        view_menu = bar.addMenu(self.tr("窗口(&W)"))
        w.stay_on_top_action = QAction(self.tr("保持在最前"), w)
        w.stay_on_top_action.setObjectName("stayOnTopAction")
        w.stay_on_top_action.setCheckable(True)
        w.stay_on_top_action.toggled.connect(w.set_stay_on_top)
        view_menu.addAction(w.stay_on_top_action)
        w.admin_menu = bar.addMenu(self.tr("管理(&A)"))  # shown to head-office administrators
        w.operators_action = self._action(
            w.admin_menu, self.tr("操作员管理…"), "operatorsAction", w.open_operators_dialog
        )
        w.admin_menu.menuAction().setVisible(False)
        kpi_menu = bar.addMenu(self.tr("考核(&K)"))  # head office and branch heads, once signed in
        w.kpi_action = self._action(kpi_menu, self.tr("考核看板…"), "kpiAction", w.open_kpi_dashboard)
        for action in (w.import_action, w.demo_action, w.logout_action, w.tasks_action):
            action.setEnabled(False)  # until someone who may is signed in
        for action in (w.campaigns_action, w.kpi_action):
            action.setEnabled(False)
