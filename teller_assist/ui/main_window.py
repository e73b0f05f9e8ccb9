"""The main window: a narrow panel beside the teller system. A shell: the menus, the status line, the
lock and the operator's session, hosting the workspaces (the counter; for an approver the approvals
queue and today's walk-ins; for an officer 今日任务; 客群活动). It does not know the steps of any flow.

It only assembles; its parts live in ``ui/shell/``: the start-up and the watches (``startup``), the
operator's session and the lock (``sessions``), the workspaces hosted per operator (``hosted``), the
data menu's jobs (``data``) and the window's place (``place``). Messages to the user go through
``ui/messages.py``, background work through ``ui/tasks.py``."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QMainWindow,
    QMenu,
    QProgressDialog,
    QStackedWidget,
    QStatusBar,
    QTabWidget,
    QWidget,
)

from teller_assist.services.clock import SYSTEM_CLOCK, Clock
from teller_assist.settings import Settings
from teller_assist.ui import messages
from teller_assist.ui.session import IdleWatcher, LockPage, LoginDialog
from teller_assist.ui.shell import menus, place
from teller_assist.ui.shell.data import DEMO_PEOPLE, DataJobs
from teller_assist.ui.shell.hosted import Hosted
from teller_assist.ui.shell.sessions import Sessions
from teller_assist.ui.shell.startup import Startup
from teller_assist.ui.status import BackgroundCheck, ConnectionWatch
from teller_assist.ui.tasks import Task
from teller_assist.ui.widgets import ElidedLabel, NoteLabel
from teller_assist.ui.workspaces.counter import CounterWorkspace

if TYPE_CHECKING:  # these load after the window is painted, or when first needed (cold start at the counter)
    from teller_assist.prequal.policy import Policy
    from teller_assist.services.context import Context
    from teller_assist.services.database import CounterStart, KeyringUnavailable, Opened, Store
    from teller_assist.services.operators import OperatorRecord
    from teller_assist.ui.import_dialog import ImportDialog
    from teller_assist.ui.kpi_dashboard import KpiWindow
    from teller_assist.ui.operators_dialog import OperatorsDialog
    from teller_assist.ui.workspaces.campaigns import CampaignsWorkspace
    from teller_assist.ui.workspaces.lobby import ApprovalQueue, WalkinsView
    from teller_assist.ui.workspaces.tasks import TasksWorkspace

AskDemoMode = Callable[[QWidget, "KeyringUnavailable"], bool]


def ask_demo_mode(parent: QWidget, error: KeyringUnavailable) -> bool:
    return messages.ask(
        parent,
        QCoreApplication.translate("MainWindow", "没有系统密钥环"),
        QCoreApplication.translate("MainWindow", "本机没有可用的系统密钥环服务，无法安全保存数据库密钥。"),
        informative=QCoreApplication.translate(
            "MainWindow",
            "可以以【演示模式】继续：密钥保存在仅本用户可读的文件中。\n"
            "演示模式只能用于演示数据，不得录入真实客户信息。\n\n是否以演示模式继续？",
        ),
        details=error.describe(),
        warn=True,
        default_yes=False,
        name="demoModeQuestion",
    )


class MainWindow(QMainWindow):
    DEFAULT_WIDTH, DEFAULT_HEIGHT = place.DEFAULT_WIDTH, place.DEFAULT_HEIGHT
    # the menus' actions and the 管理 menu (ui/shell/menus.py makes them)
    import_action: QAction
    demo_action: QAction
    lock_action: QAction
    logout_action: QAction
    tasks_action: QAction
    campaigns_action: QAction
    stay_on_top_action: QAction
    operators_action: QAction
    kpi_action: QAction
    admin_menu: QMenu

    def __init__(
        self,
        settings: Settings,
        *,
        ask_demo: AskDemoMode = ask_demo_mode,
        clock: Clock = SYSTEM_CLOCK,
    ) -> None:
        super().__init__()
        self.settings = settings
        self._ask_demo = ask_demo
        self.clock = clock  # the day every workspace reads by and the moment the services stamp
        self._today = clock.today
        self.ctx: Context | None = None  # what the services take: made when the database opens
        self.opened: Opened | None = None
        self.operator: OperatorRecord | None = None
        self.has_operators = False  # a login, not the first administrator, is asked
        self.closing = False
        self.login_dialog: LoginDialog | None = None
        self.connection: ConnectionWatch | None = None
        self.printer_check: BackgroundCheck | None = None
        self.queue: ApprovalQueue | None = None
        self.walkins: WalkinsView | None = None
        self.tasks: TasksWorkspace | None = None  # 今日任务, for an officer
        self.campaigns: CampaignsWorkspace | None = None  # 客群活动: a manager's at sign-in, others' on F7
        self.kpi_window: KpiWindow | None = None
        self.demo_task: Task | None = None
        self.demo_progress: QProgressDialog | None = None
        self.startup, self.sessions, self.hosted, self.data = (
            Startup(self),
            Sessions(self),
            Hosted(self),
            DataJobs(self),
        )

        self.setObjectName("mainWindow")
        self.setWindowTitle(self.tr("柜面授信助手"))
        place.fit_default_size(self)
        status = QStatusBar(self)
        status.setObjectName("statusBar")
        self.setStatusBar(status)
        self.db_status = ElidedLabel("", status)
        self.db_status.setObjectName("databaseStatus")
        status.addWidget(self.db_status, 3)
        self.reader_status = ElidedLabel("", status, hide_when_empty=True)  # only with a card reader
        self.reader_status.setObjectName("readerStatus")
        status.addWidget(self.reader_status, 2)
        self.printer_status = ElidedLabel("", status)
        self.printer_status.setObjectName("printerStatus")
        status.addWidget(self.printer_status, 2)
        self.tasks_status = NoteLabel("", status)  # an officer's, signed in, unlocked; short: never cut
        self.tasks_status.setObjectName("tasksStatus")
        self.tasks_status.setWordWrap(False)
        status.insertWidget(0, self.tasks_status)

        # the workspaces: the counter, and for an approver the lobby's queue and today's walk-ins as
        # tabs of their own (each the whole height, whatever the counter shows); locked, only the lock
        self.counter = CounterWorkspace(
            settings,
            self,
            today=clock.today,
            is_locked=lambda: self.is_locked(),
            store_trouble=self.startup.store_trouble,
            printer_changed=self.startup.printer_changed,
        )
        self.counter.header.setText(self.sessions.header_text())
        self.counter.readerStatus.connect(self.reader_status.setText)
        self.counter.retry_button.clicked.connect(self.retry_open)
        self.workspaces = QTabWidget(self)
        self.workspaces.setObjectName("workspaces")
        self.workspaces.setDocumentMode(True)
        self.workspaces.setTabBarAutoHide(True)
        self.workspaces.addTab(self.counter, self.tr("柜台"))
        self.workspaces.currentChanged.connect(self.hosted.shown)
        self.counter.wanted.connect(lambda: self.workspaces.setCurrentWidget(self.counter))
        self.counter.applicationChanged.connect(self.hosted.count_tasks)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.workspaces)
        self.lock_page = LockPage(self.stack)
        self.lock_page.unlocked.connect(self.sessions.unlocked)
        self.lock_page.switchRequested.connect(self.logout)
        self.stack.addWidget(self.lock_page)
        self.setCentralWidget(self.stack)
        self.idle = IdleWatcher(settings.idle_lock_minutes, self.lock, self)
        QShortcut(QKeySequence(Qt.Key.Key_F5), self, self.retry_open)
        menus.Menus(self).build()
        place.restore_place(self, self.settings, self.stay_on_top_action)

    # --- what the tests, the start-up (ui/app.py) and the menus call: each part's own ------------------
    def start(self) -> None:
        self.startup.start()

    def open_in_background(self, then: Callable[[CounterStart | None], None] | None = None) -> None:
        self.startup.open_in_background(then)

    def retry_open(self) -> None:
        self.startup.retry_open()

    def refresh_overview(self) -> None:
        self.startup.refresh_overview()

    def ask_login(self, *, demo_if_empty: bool = False) -> LoginDialog:
        return self.sessions.ask_login(demo_if_empty=demo_if_empty)

    def opened_behind_login(self, ready: CounterStart | None) -> None:
        self.sessions.opened_behind_login(ready)

    def sign_in(self, operator: OperatorRecord) -> None:
        self.sessions.sign_in(operator)

    def logout(self) -> LoginDialog | None:
        return self.sessions.logout()

    def lock(self) -> None:
        self.sessions.lock()

    @property
    def store(self) -> Store | None:
        return None if self.ctx is None else self.ctx.store

    @property
    def policy(self) -> Policy | None:
        return None if self.ctx is None else self.ctx.policy

    def is_locked(self) -> bool:
        return self.stack.currentWidget() is self.lock_page

    def show_tasks(self) -> None:
        self.hosted.show_tasks()

    def show_campaigns(self) -> None:
        self.hosted.show_campaigns()

    def open_kpi_dashboard(self) -> None:
        self.hosted.open_kpi_dashboard()

    def open_import_dialog(self) -> ImportDialog | None:
        return self.data.open_import_dialog()

    def open_operators_dialog(self) -> OperatorsDialog | None:
        return self.data.open_operators_dialog()

    def load_demo(self, *, ask: bool, people: int = DEMO_PEOPLE) -> None:
        self.data.load_demo(ask=ask, people=people)

    def set_stay_on_top(self, on: bool) -> None:
        place.set_stay_on_top(self, on)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.closing = True
        self.startup.finish_opening()  # closed while the database opened: let it finish, then close it
        with contextlib.suppress(OSError):
            place.save_place(self, self.settings, self.stay_on_top_action)
        self.counter.shut()
        self.startup.stop_watches()
        self.idle.stop()
        self.hosted.stop()
        self.sessions.settle()  # the lock's audit row, before the logout's and the store closing
        if self.operator is not None and self.ctx is not None:
            from teller_assist.services import audit

            audit.note(self.ctx, "logout", operator=self.operator.login)
        self.data.stop()
        if self.store is not None:
            self.store.dispose()
        super().closeEvent(event)
