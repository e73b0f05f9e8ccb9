"""The main window: a narrow panel beside the teller system. A shell: the menus, the status line, the
lock and the operator's session, hosting the workspaces (the counter; for an approver the approvals
queue and today's walk-ins). It does not know the steps of any flow."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QCoreApplication, QSettings, Qt
from PySide6.QtGui import QAction, QCloseEvent, QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QMainWindow,
    QMessageBox,
    QProgressDialog,
    QStackedWidget,
    QStatusBar,
    QTabWidget,
    QWidget,
)

from teller_assist.errors import UserFacingError
from teller_assist.settings import Settings
from teller_assist.ui.i18n import error_text
from teller_assist.ui.session import IdleWatcher, LockPage, LoginDialog
from teller_assist.ui.status import BackgroundCheck, ConnectionWatch
from teller_assist.ui.tasks import Task
from teller_assist.ui.widgets import ElidedLabel, NoteLabel
from teller_assist.ui.words import word
from teller_assist.ui.workspaces.campaigns import CampaignsWorkspace
from teller_assist.ui.workspaces.counter import CounterWorkspace
from teller_assist.ui.workspaces.lobby import ApprovalQueue, WalkinsView
from teller_assist.ui.workspaces.tasks import TasksWorkspace

if TYPE_CHECKING:  # these load after the window is painted, or when first needed (cold start at the counter)
    from teller_assist.prequal.policy import Policy
    from teller_assist.services.database import CounterStart, KeyringUnavailable, Opened, Store
    from teller_assist.services.imports import ImportReport
    from teller_assist.services.operators import OperatorRecord
    from teller_assist.ui.import_dialog import ImportDialog
    from teller_assist.ui.kpi_dashboard import KpiWindow
    from teller_assist.ui.operators_dialog import OperatorsDialog

DEMO_PEOPLE = 20_000

AskDemoMode = Callable[[QWidget, "KeyringUnavailable"], bool]

_OPEN_FAILED = UserFacingError(
    "打开数据库时程序出错，已写入错误报告",
    "the program failed while opening the database; a crash report was written",
    hint_zh="请重新启动程序；如仍出错，请将数据文件夹中的 crash-reports 交给科技部门",
    hint_en="restart the program; if it fails again, give the crash-reports folder in the data folder "
    "to IT support",
)


def ask_demo_mode(parent: QWidget, error: KeyringUnavailable) -> bool:
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(QCoreApplication.translate("MainWindow", "没有系统密钥环"))
    box.setText(
        QCoreApplication.translate("MainWindow", "本机没有可用的系统密钥环服务，无法安全保存数据库密钥。")
    )
    box.setInformativeText(
        QCoreApplication.translate(
            "MainWindow",
            "可以以【演示模式】继续：密钥保存在仅本用户可读的文件中。\n"
            "演示模式只能用于演示数据，不得录入真实客户信息。\n\n是否以演示模式继续？",
        )
    )
    box.setDetailedText(error.describe())
    box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
    box.setDefaultButton(QMessageBox.StandardButton.No)
    return box.exec() == QMessageBox.StandardButton.Yes



class MainWindow(QMainWindow):
    DEFAULT_WIDTH = 420

    def __init__(
        self,
        settings: Settings,
        *,
        ask_demo: AskDemoMode = ask_demo_mode,
        today: Callable[[], dt.date] = dt.date.today,
    ) -> None:
        super().__init__()
        self.settings = settings
        self._ask_demo = ask_demo
        self._today = today
        self.store: Store | None = None
        self.policy: Policy | None = None
        self.opened: Opened | None = None
        self.opening: Task | None = None  # the database, opening on a worker thread
        self._opening_result: list[CounterStart] = []
        self._closing = False
        self._has_operators = False
        self.login_dialog: LoginDialog | None = None
        self._demo_if_empty = False

        self.setObjectName("mainWindow")
        self.setWindowTitle(self.tr("柜面授信助手"))
        self._fit_default_size()

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
        self.connection: ConnectionWatch | None = None
        self.printer_check: BackgroundCheck | None = None

        # the workspaces: the counter, and for an approver the lobby's queue and today's walk-ins as
        # tabs of their own (each the whole height, whatever the counter shows); locked, only the lock
        self.counter = CounterWorkspace(
            settings,
            self,
            today=today,
            is_locked=lambda: self.is_locked(),
            store_trouble=self._store_trouble,
            printer_changed=lambda: self.printer_check.check_now() if self.printer_check else None,
        )
        self.counter.header.setText(self._header_text())
        self.counter.readerStatus.connect(self.reader_status.setText)
        self.counter.retry_button.clicked.connect(self.retry_open)
        self.workspaces = QTabWidget(self)
        self.workspaces.setObjectName("workspaces")
        self.workspaces.setDocumentMode(True)
        self.workspaces.setTabBarAutoHide(True)
        self.workspaces.addTab(self.counter, self.tr("柜台"))
        self.workspaces.currentChanged.connect(self._workspace_shown)
        self.counter.wanted.connect(lambda: self.workspaces.setCurrentWidget(self.counter))
        self.counter.applicationChanged.connect(self._count_tasks)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.workspaces)
        self.lock_page = LockPage(self.stack)
        self.lock_page.unlocked.connect(self._unlocked)
        self.lock_page.switchRequested.connect(self.logout)
        self.stack.addWidget(self.lock_page)
        self.setCentralWidget(self.stack)
        self.operator: OperatorRecord | None = None
        self.idle = IdleWatcher(settings.idle_lock_minutes, self.lock, self)
        self.queue: ApprovalQueue | None = None
        self.walkins: WalkinsView | None = None
        self.tasks: TasksWorkspace | None = None  # 今日任务, for an officer
        self.campaigns: CampaignsWorkspace | None = None  # 客群活动: a manager's at sign-in, others' on F7
        QShortcut(QKeySequence(Qt.Key.Key_F5), self, self.retry_open)


        data_menu = self.menuBar().addMenu(self.tr("数据(&D)"))
        self.import_action = QAction(self.tr("导入核心系统数据…"), self)
        self.import_action.setObjectName("importAction")
        self.import_action.setShortcut(QKeySequence("Ctrl+I"))
        self.import_action.triggered.connect(self.open_import_dialog)
        self.import_action.setEnabled(False)
        data_menu.addAction(self.import_action)
        self.demo_action = QAction(self.tr("载入演示县数据…"), self)
        self.demo_action.setObjectName("demoAction")
        self.demo_action.triggered.connect(lambda: self.load_demo(ask=True))
        self.demo_action.setEnabled(False)
        data_menu.addAction(self.demo_action)
        session_menu = self.menuBar().addMenu(self.tr("会话(&S)"))
        self.lock_action = QAction(self.tr("锁定屏幕"), self)
        self.lock_action.setObjectName("lockAction")
        self.lock_action.setShortcut(QKeySequence("Ctrl+L"))  # the teller steps away
        self.lock_action.triggered.connect(self.lock)
        session_menu.addAction(self.lock_action)
        self.logout_action = QAction(self.tr("退出登录 / 切换操作员…"), self)
        self.logout_action.setObjectName("logoutAction")
        self.logout_action.setShortcut(QKeySequence("Ctrl+Shift+L"))
        self.logout_action.triggered.connect(self.logout)
        self.logout_action.setEnabled(False)
        session_menu.addAction(self.logout_action)
        tasks_menu = self.menuBar().addMenu(self.tr("任务(&T)"))
        self.tasks_action = QAction(self.tr("今日任务"), self)
        self.tasks_action.setObjectName("tasksAction")
        self.tasks_action.setShortcut(QKeySequence(Qt.Key.Key_F6))
        self.tasks_action.triggered.connect(self.show_tasks)
        self.tasks_action.setEnabled(False)
        tasks_menu.addAction(self.tasks_action)
        self.campaigns_action = QAction(self.tr("客群活动"), self)
        self.campaigns_action.setObjectName("campaignsAction")
        self.campaigns_action.setShortcut(QKeySequence(Qt.Key.Key_F7))
        self.campaigns_action.triggered.connect(self.show_campaigns)
        self.campaigns_action.setEnabled(False)
        tasks_menu.addAction(self.campaigns_action)
        view_menu = self.menuBar().addMenu(self.tr("窗口(&W)"))
        self.stay_on_top_action = QAction(self.tr("保持在最前"), self)
        self.stay_on_top_action.setObjectName("stayOnTopAction")
        self.stay_on_top_action.setCheckable(True)
        self.stay_on_top_action.toggled.connect(self.set_stay_on_top)
        view_menu.addAction(self.stay_on_top_action)
        self.admin_menu = self.menuBar().addMenu(self.tr("管理(&A)"))  # shown to head-office administrators
        self.operators_action = QAction(self.tr("操作员管理…"), self)
        self.operators_action.setObjectName("operatorsAction")
        self.operators_action.triggered.connect(self.open_operators_dialog)
        self.admin_menu.addAction(self.operators_action)
        self.admin_menu.menuAction().setVisible(False)
        self.kpi_action = self.menuBar().addMenu(self.tr("考核(&K)")).addAction(self.tr("考核看板…"))
        self.kpi_action.setObjectName("kpiAction")  # head office and branch heads, once signed in
        self.kpi_action.setEnabled(False)
        self.kpi_action.triggered.connect(self.open_kpi_dashboard)
        self._restore_place()
        self.demo_task: Task | None = None
        self.kpi_window: KpiWindow | None = None
        self.demo_progress: QProgressDialog | None = None
        self._hidden_by_lock: list[QDialog] = []


    # --- start-up ------------------------------------------------------------------------------
    def _header_text(self) -> str:
        branch = self.settings.branch_name or self.tr("未设置网点")
        return f"<b>{self.settings.bank_name}</b> · {branch}"

    def start(self) -> None:
        """Open the database here and now (asking about demo mode when there is no keyring), then show
        the state. The window's own start opens it on a worker thread instead: ``open_in_background``."""
        from teller_assist.services.database import KeyringUnavailable, open_for_counter

        try:
            try:
                ready = open_for_counter(self.settings, self._today())
            except KeyringUnavailable as exc:
                if not self._ask_demo(self, exc):
                    self._show_error(exc)
                    return
                self.settings = dataclasses.replace(self.settings, key_store="demo-file")
                ready = open_for_counter(self.settings, self._today())
        except UserFacingError as exc:
            self._show_error(exc)
            return
        self._started(ready)

    def open_in_background(self, then: Callable[[CounterStart | None], None] | None = None) -> None:
        """Open the database on a worker thread while the window (and the login) take keys; ``then``
        gets what was opened, or None when it could not be (the reason is on the window). The data
        layers are imported on the worker too: importing them is most of the time it takes."""
        if self.opening is not None:
            return
        self.db_status.setText(self.tr("正在打开数据库…"))
        settings, today, kept = self.settings, self._today(), self._opening_result

        def work(_report: Callable[..., None], _cancelled: Callable[[], bool]) -> CounterStart:
            from teller_assist.services import database

            ready = database.open_for_counter(settings, today)
            kept.append(ready)  # a window closed meanwhile disposes it (closeEvent)
            return ready

        task = Task(work, self)

        def opened(ready: CounterStart) -> None:
            self.opening = None
            kept.clear()
            if self._closing:  # closeEvent disposed it
                return
            self._started(ready)
            if then is not None:
                then(ready)

        def failed(exc: BaseException) -> None:
            from teller_assist.services.database import KeyringUnavailable  # loaded by the worker by now

            self.opening = None
            if self._closing:
                return
            if (
                isinstance(exc, KeyringUnavailable)
                and self.settings.key_store != "demo-file"
                and self._ask_demo(self, exc)
            ):
                self.settings = dataclasses.replace(self.settings, key_store="demo-file")
                self.open_in_background(then)
                return
            said = exc if isinstance(exc, UserFacingError) else _OPEN_FAILED
            self._show_error(said)
            if then is not None:
                then(None)
            if said is not exc:
                raise exc  # a bug, not a state of the world: the crash handler writes its report

        task.succeeded.connect(opened)
        task.failed.connect(failed)
        self.opening = task
        task.start()

    def _started(self, ready: CounterStart) -> None:
        self.opened, self.store, self.policy = ready.opened, ready.opened.store, ready.policy
        self._has_operators = ready.has_operators
        self._show_overview()
        if ready.policy_problem is not None:
            self.db_status.setText(self.tr("授信政策未载入：") + error_text(ready.policy_problem))
        elif ready.expiry_problem is not None:
            self.db_status.setText(error_text(ready.expiry_problem))
        self.counter.started(ready, self.settings, self.operator)
        self.start_watches()
        self._update_data_actions()

    # --- the database and the printer, watched from a worker thread --------------------------------------
    PRINTER_CHECK_MS = 60_000

    def start_watches(self) -> None:
        """PostgreSQL: a lost connection shows a banner until it is back. The printer's state, if set."""
        assert self.store is not None
        if not self.store.is_sqlite:
            self.connection = ConnectionWatch(self.store.ping, parent=self)
            self.connection.changed.connect(self._on_connection)
            self.connection.check.start()
        if self.settings.printer:
            from teller_assist.services.printing import check_printer

            name = self.settings.printer
            self.printer_check = BackgroundCheck(
                lambda: check_printer(name), self.PRINTER_CHECK_MS, "printer-watch", self
            )
            self.printer_check.result.connect(self._on_printer)
            self.printer_check.start()
        else:
            self.printer_status.setText(self.tr("未设置打印机（打印时选择）"))

    def _on_connection(self, reachable: bool, problem: UserFacingError | None) -> None:
        assert self.store is not None
        if not reachable:
            reason = error_text(problem) if problem is not None else ""
            self.counter.banner.setText(
                self.tr("数据库连接中断，正在自动重连。已输入的内容保留在屏幕上，恢复后可继续。")
                + ("\n" + reason if reason else "")
            )
            self.counter.banner.setVisible(True)
            self.db_status.setText(self.tr("数据库：连接中断"))
            return
        self.counter.banner.setVisible(False)
        self.db_status.setText(self.tr("数据库已重新连接：") + self.store.short_name)
        self.counter.connection_back()

    def _store_trouble(self) -> None:
        """An operation failed on the database: ask at once whether the connection is gone."""
        if self.connection is not None:
            self.connection.check.check_now()

    def _on_printer(self, problem: UserFacingError | None) -> None:
        name = self.settings.printer
        if problem is None:
            self.printer_status.setText(self.tr("打印机 {0} 就绪").format(name))
        else:
            self.printer_status.setText(self.tr("打印机不可用：") + error_text(problem))

    def _show_error(self, exc: UserFacingError) -> None:
        self.db_status.setText(self.tr("数据库未打开"))
        self.counter.empty_state.setText(
            self.tr("无法打开数据库。")
            + "\n\n"
            + error_text(exc, hint=True)
        )
        self.counter.retry_button.setVisible(True)  # a server starting, a network back: no restart needed

    def retry_open(self) -> None:
        """F5 after a failed open: the login again, and the database opening behind it."""
        retry = self.counter.retry_button
        if self.store is not None or self.opening is not None or not retry.isVisible():
            return
        self.counter.retry_button.setVisible(False)
        self.counter.empty_state.setText("")
        self.ask_login(demo_if_empty=self._demo_if_empty)
        self.open_in_background(self.opened_behind_login)

    def refresh_overview(self) -> None:
        from teller_assist.services.database import current_overview as overview

        if self.opened is None:
            return
        self.opened = dataclasses.replace(self.opened, overview=overview(self.opened.store))
        self._show_overview()

    def _show_overview(self) -> None:
        assert self.opened is not None
        store, overview = self.opened.store, self.opened.overview
        demo = self.tr("【演示模式】") if store.demo_mode else ""
        self.setWindowTitle(self.tr("柜面授信助手") + (" " + demo if demo else ""))
        where = self.tr("【演示模式】数据库：{0}") if store.demo_mode else self.tr("数据库：{0}")
        self.db_status.setText(where.format(store.short_name))
        self.db_status.setToolTip(store.display)  # the whole path or address, for whoever asks
        if overview.empty:
            self.counter.empty_state.setText(
                self.tr(
                    "数据库中还没有客户数据。\n\n"
                    "下一步：由总行人员导入核心系统的夜间数据文件"
                    "（命令 teller-assist import 文件夹），"
                    "或生成演示县数据（teller-assist demo-data --out 文件夹）后导入。\n\n"
                    "之后在上方输入或读取客户身份证号即可查看客户信息。"
                )
            )
        else:
            latest = overview.latest_extract.isoformat() if overview.latest_extract else "—"
            self.counter.empty_state.setText(
                self.tr("已载入客户 {n} 人，最新数据日期 {d}。\n\n请输入或读取客户身份证号（F2）。")
                .replace("{n}", f"{overview.customers:,}")
                .replace("{d}", latest)
            )

    # --- data ---------------------------------------------------------------------------------------
    def _may_load_data(self) -> bool:
        """Imports and the demo county: a head-office administrator's, never on a locked screen."""
        from teller_assist.services.imports import IMPORTER_ROLE

        operator = self.operator
        return (
            self.store is not None
            and operator is not None
            and operator.role == IMPORTER_ROLE
            and operator.active
            and not self.is_locked()
        )

    def _update_data_actions(self) -> None:
        allowed = self._may_load_data()
        self.import_action.setEnabled(allowed)
        self.demo_action.setEnabled(allowed)

    def _data_refusal(self) -> UserFacingError | None:
        """Why this operator may not import now (the menu is greyed out too; this is the action's own
        check, and the service checks the role again)."""
        from teller_assist.services.imports import Importer, ImportRefused

        if self.is_locked():
            return ImportRefused("屏幕已锁定，不能导入", "the screen is locked")
        try:
            Importer.operator(self.operator)
        except ImportRefused as exc:
            return exc
        return None

    def _warn(self, title: str, text: str) -> QMessageBox:
        """A warning over the window that does not hold up the event loop (the work around it goes on)."""
        box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok, self)
        box.setObjectName("warningBox")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        return box

    def say(self, text: str) -> None:
        """A passing message in the status line (a refused action, a finished job)."""
        self.statusBar().showMessage(text, 10_000)

    def open_import_dialog(self) -> ImportDialog | None:
        from teller_assist.ui.import_dialog import ImportDialog

        if self.store is None:
            return None
        refusal = self._data_refusal()
        if refusal is not None:
            self.say(error_text(refusal))
            return None
        dialog = ImportDialog(
            self.store, self.settings, self, operator=self.operator, locked=self.is_locked, today=self._today
        )
        dialog.finished.connect(lambda _result: self.refresh_overview())
        dialog.open()
        return dialog

    def open_operators_dialog(self) -> OperatorsDialog | None:
        """操作员管理, for a signed-in head-office administrator on an unlocked window only."""
        from teller_assist.ui.operators_dialog import OperatorsDialog

        admin = self.operator is not None and self.operator.role == "hq_admin"
        if self.store is None or self.operator is None or not admin or self.is_locked():
            return None
        dialog = OperatorsDialog(self.store, self.operator, self, is_locked=self.is_locked)
        dialog.open()
        return dialog

    def load_demo(self, *, ask: bool, people: int = DEMO_PEOPLE) -> None:
        """Generate and import the demo county in the background, with progress and cancel: a
        head-office administrator's, never while locked, never into a database with real data."""
        from teller_assist.services.imports import Importer, RealDataPresent, demo_county
        from teller_assist.services.imports import real_data_present as holds_real_data

        if self.store is None or self.demo_task is not None:
            return
        refusal = self._data_refusal()
        if refusal is not None:
            self.say(error_text(refusal))
            return
        by = Importer.operator(self.operator)
        try:
            real = holds_real_data(self.store)  # said before asking (the service checks it again)
        except UserFacingError as exc:
            self.say(error_text(exc))
            return
        if real:
            self._warn(self.tr("演示数据"), error_text(RealDataPresent.for_this_database(), hint=True))
            return
        if ask:
            answer = QMessageBox.question(
                self,
                self.tr("载入演示数据"),
                self.tr("生成并导入一个{n}人的演示县（虚构数据），用于熟悉软件。是否继续？").format(
                    n=f"{people:,}"
                ),
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        store, work_dir, today = self.store, self.settings.paths.data_dir, self._today()

        def work(report, cancelled):
            return demo_county(
                store, work_dir, by=by, people=people, today=today, progress=report, cancelled=cancelled
            )

        progress = QProgressDialog(self.tr("正在生成并导入演示县数据…"), self.tr("取消"), 0, 1000, self)
        progress.setObjectName("demoProgress")
        progress.setWindowTitle(self.tr("演示数据"))
        progress.setMinimumDuration(0)
        progress.setAutoClose(False)
        progress.setAutoReset(False)
        task = Task(work, self)
        progress.canceled.connect(task.cancel)
        task.progress.connect(lambda args: progress.setValue(int(1000 * args[1] / args[2]) if args[2] else 0))
        task.succeeded.connect(self._demo_loaded)
        task.failed.connect(self._demo_failed)
        self.demo_task, self.demo_progress = task, progress
        progress.show()
        task.start()

    def _end_demo(self) -> None:
        if self.demo_task is not None:
            self.demo_task.wait()
        if self.demo_progress is not None:
            self._forget_hidden(self.demo_progress)
            self.demo_progress.close()
        self.demo_task = self.demo_progress = None

    def _demo_loaded(self, report: ImportReport) -> None:
        self._end_demo()
        self.refresh_overview()
        if report.exit_code == 2:
            failed = [f.error or "" for f in report.files if f.status == "refused"]
            self._warn(self.tr("演示数据"), self.tr("部分文件未能导入：") + "\n".join(failed))

    def _demo_failed(self, exc: BaseException) -> None:
        self._end_demo()
        from teller_assist.services.imports import ImportCancelled

        if isinstance(exc, ImportCancelled):
            self.say(error_text(exc))
        elif isinstance(exc, UserFacingError):
            self._warn(self.tr("演示数据"), error_text(exc, hint=True))
        else:
            raise exc


    # --- operators, the idle lock, submission and approval ----------------------------------------------
    def ask_login(self, *, demo_if_empty: bool = False) -> LoginDialog:
        """Ask who is at the keyboard, at once: the database may still be opening behind the dialog
        (see ``opened_behind_login``); on a database without operators the first administrator is
        asked instead. Cancelled: the window closes. Signed in on a database without customers: the demo
        county is offered (or, from ``make run``, loaded)."""
        first_admin = self.store is not None and not self._has_operators
        dialog = LoginDialog(self.store, self, first_admin=first_admin)
        self.login_dialog, self._demo_if_empty = dialog, demo_if_empty

        def accepted() -> None:
            self.login_dialog = None
            if dialog.operator is None:
                return
            self.sign_in(dialog.operator)
            if self.opened is not None and self.opened.overview.empty and self._may_load_data():
                self.load_demo(ask=not demo_if_empty)

        dialog.accepted.connect(accepted)
        dialog.rejected.connect(self.close)
        dialog.open()
        return dialog

    def opened_behind_login(self, ready: CounterStart | None) -> None:
        """The database opened (or could not) while the login was asked: hand it the store, or ask for
        the first administrator instead, or (not opened) take the dialog away: the window says why."""
        dialog = self.login_dialog
        if dialog is None or dialog.store is not None:
            return
        if ready is not None and ready.has_operators:
            dialog.set_store(ready.opened.store)
            return
        dialog.rejected.disconnect(self.close)
        dialog.reject()
        dialog.deleteLater()
        self.login_dialog = None
        if ready is not None:  # a new database: its first administrator, then the login
            self.ask_login(demo_if_empty=self._demo_if_empty)

    def sign_in(self, operator: OperatorRecord) -> None:
        from teller_assist.prequal.workflow import authority
        from teller_assist.vocabulary import ROLE_ZH

        if self.operator is not None:
            self._end_session()  # (the window's own logout audits; this is a sign-in over another)
        self.operator = operator
        self.kpi_action.setEnabled(operator.role in ("hq_admin", "branch_head"))
        self.admin_menu.menuAction().setVisible(operator.role == "hq_admin")
        self._has_operators = True  # the next login (after a switch) is a login, not a first administrator
        self.counter.header.setText(
            self._header_text()
            + " · "
            + self.tr("{0}（{1}）").format(operator.name, word(ROLE_ZH.get(operator.role, operator.role)))
        )
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self.idle)
        self.idle.start()
        if self.store is not None and self.policy is not None and authority(self.policy, operator.role):
            self.queue = ApprovalQueue(
                self.store,
                self.policy,
                self.settings.masking,
                lambda: self.operator,
                self._today,
                self,
                sms_sender=self.settings.bank_short_name,
            )
            self.walkins = WalkinsView(
                self.store, self.settings.masking, lambda: self.operator, self._today, self
            )
            self.queue.refreshed.connect(self.walkins.refresh)
            self.queue.refreshed.connect(self._count_waiting)
            self.queue.refreshed.connect(self._lock_waiting)
            self.workspaces.addTab(self.queue, self.tr("待审批"))
            self.workspaces.addTab(self.walkins, self.tr("今日到店"))
            self.queue.refreshed.connect(self._count_tasks)  # the change watch: cheap, not audited
            self.queue.start()
        from teller_assist.services.targets import OFFICER_ROLES

        if self.store is not None and self.policy is not None and operator.role in OFFICER_ROLES:
            self.tasks = TasksWorkspace(
                self.store,
                self.policy,
                self.settings.masking,
                lambda: self.operator,
                self._today,
                self.is_locked,
                self,
            )
            self.tasks.openCustomer.connect(lambda id_no: self._open_card(id_no, "task"))
            self.tasks.counted.connect(self._show_task_count)
            self.workspaces.insertTab(1, self.tasks, self.tr("今日任务"))
            self.tasks_action.setEnabled(True)
            self.tasks.recount()
        self.campaigns_action.setEnabled(self.store is not None and self.policy is not None)
        if operator.role in ("hq_admin", "branch_head"):
            self._campaigns_tab()
        self.logout_action.setEnabled(True)
        self._update_data_actions()
        self.counter.sign_in(operator)

    def logout(self) -> LoginDialog | None:
        """退出登录 / 切换操作员: this operator's session ends (audited), the screen is cleared (a survey
        in progress is kept as a draft), and the login is asked for whoever comes next. Waits for a
        print or the demo county in progress: their work belongs to this session."""
        from teller_assist.services import audit

        if self.operator is None or self.store is None:
            return None
        if self.counter.print_task is not None or self.demo_task is not None:
            self.say(self.tr("正在打印或导入，完成后再退出登录"))
            return None
        for dialog in self.findChildren(QDialog):  # the session's own dialogs go with it
            if dialog.isVisible() or dialog in self._hidden_by_lock:
                dialog.reject()
        self._hidden_by_lock = []
        if self.is_locked():
            self.stack.setCurrentIndex(0)
        self.counter.next_customer()
        who = self.operator.login
        self._end_session()
        try:
            audit.log(self.store, "logout", operator=who, purpose="switch")
        except UserFacingError as exc:
            self.say(error_text(exc))
        return self.ask_login()

    def _end_session(self) -> None:
        """Nothing of the last operator stays: the lobby's tabs, the idle timer, the header's name."""
        self.idle.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self.idle)
        for working in (self.tasks, self.campaigns):
            if working is not None:
                working.stop()  # before any tab goes: nothing more is read for this operator
        for view in (self.queue, self.walkins):
            if view is None:
                continue
            if isinstance(view, ApprovalQueue):
                view.stop()
            self.workspaces.removeTab(self.workspaces.indexOf(view))
            view.deleteLater()
        self.queue = self.walkins = None
        if self.tasks is not None:
            self.workspaces.removeTab(self.workspaces.indexOf(self.tasks))
            self.tasks.deleteLater()
            self.tasks = None
        if self.campaigns is not None:
            self.workspaces.removeTab(self.workspaces.indexOf(self.campaigns))
            self.campaigns.deleteLater()
            self.campaigns = None
        self.tasks_action.setEnabled(False)
        self.campaigns_action.setEnabled(False)
        self.tasks_status.setText("")
        self.lock_page.set_waiting(0, 0)
        self.operator = None
        self._close_kpi_window()
        self.kpi_action.setEnabled(False)
        self.counter.sign_in(None)
        self.admin_menu.menuAction().setVisible(False)
        self.counter.header.setText(self._header_text())
        self.logout_action.setEnabled(False)
        self._update_data_actions()

    def _count_waiting(self) -> None:
        """The queue's tab says how many wait, so it is seen from the counter's tab too."""
        if self.queue is None:
            return
        index = self.workspaces.indexOf(self.queue)
        waiting = len(self.queue.rows)
        self.workspaces.setTabText(
            index, self.tr("待审批 ({0})").format(waiting) if waiting else self.tr("待审批")
        )

    # --- 今日任务 ------------------------------------------------------------------------------------------
    def show_tasks(self) -> None:
        """F6 (任务 → 今日任务): the officer's list, read again, the focus on it."""
        if self.tasks is None or self.is_locked():
            return
        if self.workspaces.currentWidget() is self.tasks:
            self.tasks.activate()
        else:
            self.workspaces.setCurrentWidget(self.tasks)  # _workspace_shown reads it

    def _workspace_shown(self, _index: int) -> None:
        if self.tasks is not None and self.workspaces.currentWidget() is self.tasks:
            self.tasks.activate()
        if self.campaigns is not None and self.workspaces.currentWidget() is self.campaigns:
            self.campaigns.activate()

    # --- 客群活动 ------------------------------------------------------------------------------------------
    def _campaigns_tab(self) -> CampaignsWorkspace | None:
        if self.campaigns is None and self.store is not None and self.policy is not None:
            self.campaigns = CampaignsWorkspace(
                self.store, self.policy, self.settings.masking, lambda: self.operator, self._today,
                self.is_locked, self,
            )  # fmt: skip
            self.campaigns.openCustomer.connect(lambda id_no: self._open_card(id_no, "campaign"))
            self.workspaces.addTab(self.campaigns, self.tr("客群活动"))
        return self.campaigns

    def show_campaigns(self) -> None:
        """F7 (任务 → 客群活动): the campaigns the operator may see, read again, the focus on them."""
        view = None if self.operator is None or self.is_locked() else self._campaigns_tab()
        if view is None:
            return
        if self.workspaces.currentWidget() is view:
            view.activate()
        else:
            self.workspaces.setCurrentWidget(view)  # _workspace_shown reads it

    def _count_tasks(self) -> None:
        if self.tasks is not None:
            self.tasks.recount()

    def _show_task_count(self, count: int | None) -> None:
        """The status bar and the tab say how many tasks the officer has today (nothing while locked)."""
        shown = count is not None and not self.is_locked() and self.operator is not None
        self.tasks_status.setText(self.tr("今日任务 {0} 项").format(count) if shown else "")
        if self.tasks is not None:
            index = self.workspaces.indexOf(self.tasks)
            self.workspaces.setTabText(
                index, self.tr("今日任务 ({0})").format(count) if shown and count else self.tr("今日任务")
            )

    REVEAL_SECONDS = 30


    def open_kpi_dashboard(self) -> None:
        from teller_assist.ui.kpi_dashboard import open_dashboard

        self._close_kpi_window()
        self.kpi_window = open_dashboard(
            self, self.store, self.policy, self.settings.masking, self.operator, self._today, self.is_locked
        )
        if self.kpi_window is not None:
            self.kpi_window.dashboard.personActivated.connect(self._open_from_kpi)

    def _open_from_kpi(self, id_no: str) -> None:
        """Enter on a person in the 考核 list: their card at the counter (a lookup, audited as such)."""
        self._open_card(id_no, "kpi")

    def _open_card(self, id_no: str, source: str) -> None:
        """A person's card at the counter from another workspace (考核, 今日任务): a lookup, audited with
        where it came from."""
        from teller_assist.identity.resident_id import InvalidResidentId, parse_resident_id

        if self.is_locked() or self.operator is None:
            return
        try:
            rid = parse_resident_id(id_no, today=self._today())
        except InvalidResidentId:
            return
        if QGuiApplication.platformName() != "offscreen":  # (that platform cannot raise a window)
            self.raise_()
        self.activateWindow()
        self.workspaces.setCurrentWidget(self.counter)
        self.counter.show_customer(rid, source)

    def _close_kpi_window(self) -> None:
        """The 考核 window belongs to the operator who opened it: it goes when they sign out or switch."""
        window, self.kpi_window = self.kpi_window, None
        if window is not None:
            window.close()
            window.deleteLater()

    def is_locked(self) -> bool:
        return self.stack.currentWidget() is self.lock_page

    def lock(self) -> None:
        """Hide every customer detail until the same operator unlocks (idle timeout, or by hand)."""
        from teller_assist.services import audit

        if self.operator is None or self.store is None or self.is_locked():
            return
        self.stack.setCurrentWidget(self.lock_page)
        self._update_data_actions()
        if self.kpi_window is not None:
            self.kpi_window.dashboard.watch_lock()  # the figures go at once, not at the next tick
        # a dialog open over the window (import, preview, 主管授权) goes with the lock, and comes back
        self._hidden_by_lock = [d for d in self.findChildren(QDialog) if d.isVisible()]
        for dialog in self._hidden_by_lock:
            dialog.finished.connect(lambda _result, d=dialog: self._forget_hidden(d))
            dialog.destroyed.connect(lambda _obj=None, d=dialog: self._forget_hidden(d))
            dialog.hide()
        self.counter.locking()  # a reveal ends with the lock
        self.tasks_status.setText("")  # nothing of the officer's day on a locked screen
        self.tasks_action.setEnabled(False)
        self.campaigns_action.setEnabled(False)
        self.lock_page.lock_for(self.store, self.operator)
        self._lock_waiting()
        audit.log(self.store, "lock", operator=self.operator.login)

    def _lock_waiting(self) -> None:
        """An approver's lock page counts the customers waiting for a decision (refreshed with the queue)."""
        rows = self.queue.rows if self.queue is not None else []
        now = dt.datetime.now(dt.UTC)
        longest = max((int((now - r.submitted_at).total_seconds() // 60) for r in rows), default=0)
        self.lock_page.set_waiting(len(rows), max(0, longest))

    def _unlocked(self) -> None:
        self.stack.setCurrentIndex(0)
        self._update_data_actions()
        self.idle.start()
        self.counter._focus_id()
        self.tasks_action.setEnabled(self.tasks is not None)
        self.campaigns_action.setEnabled(self.store is not None and self.policy is not None)
        self._count_tasks()
        hidden, self._hidden_by_lock = self._hidden_by_lock, []
        for dialog in hidden:
            dialog.show()

    def _forget_hidden(self, dialog: QDialog) -> None:
        """A dialog the lock hid was finished meanwhile (its job done): it does not come back."""
        if dialog in self._hidden_by_lock:
            self._hidden_by_lock.remove(dialog)


    # --- the window's place beside the teller system ---------------------------------------------------
    def _window_state(self) -> QSettings:
        """Where the window sat and whether it stays on top: a small file in the data folder, per user."""
        return QSettings(str(self.settings.paths.data_dir / "window.ini"), QSettings.Format.IniFormat)

    DEFAULT_HEIGHT = 640

    def _fit_default_size(self) -> None:
        """420 × 640, or less on a smaller screen: never taller than the screen it opens on."""
        room = (self.screen() or QGuiApplication.primaryScreen()).availableGeometry()
        self.resize(self.DEFAULT_WIDTH, min(self.DEFAULT_HEIGHT, room.height() - 40))

    def _restore_place(self) -> None:
        state = self._window_state()
        geometry = state.value("geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
            # a place saved on a larger screen comes back inside this one
            room = (self.screen() or QGuiApplication.primaryScreen()).availableGeometry()
            if self.height() > room.height() or self.width() > room.width():
                self.resize(min(self.width(), room.width()), min(self.height(), room.height() - 40))
            if not room.intersects(self.frameGeometry()):
                self.move(room.topLeft())
        self.stay_on_top_action.setChecked(str(state.value("stay_on_top", "false")).lower() == "true")

    def set_stay_on_top(self, on: bool) -> None:
        """Keep the window above the teller system (the setting survives a restart)."""
        visible = self.isVisible()
        self.setWindowFlag(Qt.WindowType.WindowStaysOnTopHint, on)
        if visible:
            self.show()  # changing a window flag hides the window until it is shown again

    def _save_place(self) -> None:
        state = self._window_state()
        state.setValue("geometry", self.saveGeometry())
        state.setValue("stay_on_top", self.stay_on_top_action.isChecked())
        state.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        self._closing = True
        if self.opening is not None:  # closed while the database opened: let it finish, then close it
            self.opening.wait()
            for ready in self._opening_result:
                ready.opened.store.dispose()
            self._opening_result.clear()
        with contextlib.suppress(OSError):
            self._save_place()
        self.counter.shut()
        for check in (self.connection.check if self.connection else None, self.printer_check):
            if check is not None:
                check.stop()
        self.idle.stop()
        if self.queue is not None:
            self.queue.stop()
        for working in (self.tasks, self.campaigns):
            if working is not None:
                working.stop()
        if self.operator is not None and self.store is not None:
            from teller_assist.services import audit

            audit.log(self.store, "logout", operator=self.operator.login)
        if self.demo_task is not None:
            self.demo_task.cancel()
            self.demo_task.wait()
        if self.store is not None:
            self.store.dispose()
        super().closeEvent(event)
