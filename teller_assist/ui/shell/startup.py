"""The start-up: the database opened (here and now, or on a worker thread while the login takes keys),
demo mode asked when there is no keyring, what the window says when it cannot open and F5 to try again;
then the overview on the empty counter and the watches on the database and the printer."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from teller_assist.errors import UserFacingError
from teller_assist.ui import heap
from teller_assist.ui.i18n import error_text
from teller_assist.ui.status import BackgroundCheck, ConnectionWatch
from teller_assist.ui.tasks import Task

if TYPE_CHECKING:  # these load after the window is painted (cold start at the counter)
    from teller_assist.services.database import CounterStart
    from teller_assist.ui.main_window import MainWindow

OPEN_FAILED = UserFacingError(
    "打开数据库时程序出错，已写入错误报告",
    "the program failed while opening the database; a crash report was written",
    hint_zh="请重新启动程序；如仍出错，请将数据文件夹中的 crash-reports 交给科技部门",
    hint_en="restart the program; if it fails again, give the crash-reports folder in the data folder "
    "to IT support",
)

PRINTER_CHECK_MS = 60_000


class Startup(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.w = window
        self.opening: Task | None = None  # the database, opening on a worker thread
        self.opening_result: list[CounterStart] = []

    def start(self) -> None:
        """Open the database here and now (asking about demo mode when there is no keyring), then show
        the state. The window's own start opens it on a worker thread instead: ``open_in_background``."""
        from teller_assist.services.database import KeyringUnavailable, open_for_counter

        w = self.w
        try:
            try:
                ready = open_for_counter(w.settings, w._today())
            except KeyringUnavailable as exc:
                if not w._ask_demo(w, exc):
                    self.show_open_error(exc)
                    return
                w.settings = dataclasses.replace(w.settings, key_store="demo-file")
                ready = open_for_counter(w.settings, w._today())
        except UserFacingError as exc:
            self.show_open_error(exc)
            return
        self.started(ready)

    def open_in_background(self, then: Callable[[CounterStart | None], None] | None = None) -> None:
        """Open the database on a worker thread while the window (and the login) take keys; ``then``
        gets what was opened, or None when it could not be (the reason is on the window). The data
        layers are imported on the worker too: importing them is most of the time it takes."""
        w = self.w
        if self.opening is not None:
            return
        w.db_status.setText(self.tr("正在打开数据库…"))
        settings, today, kept = w.settings, w._today(), self.opening_result

        def work(_report: Callable[..., None], _cancelled: Callable[[], bool]) -> CounterStart:
            from teller_assist.services import database

            ready = database.open_for_counter(settings, today)
            kept.append(ready)  # a window closed meanwhile disposes it (closeEvent)
            return ready

        task = Task(work, self)

        def opened(ready: CounterStart) -> None:
            self.opening = None
            kept.clear()
            if w.closing:  # closeEvent disposed it
                return
            self.started(ready)
            if then is not None:
                then(ready)

        def failed(exc: BaseException) -> None:
            from teller_assist.services.database import KeyringUnavailable  # loaded by the worker by now

            self.opening = None
            if w.closing:
                return
            if (
                isinstance(exc, KeyringUnavailable)
                and w.settings.key_store != "demo-file"
                and w._ask_demo(w, exc)
            ):
                w.settings = dataclasses.replace(w.settings, key_store="demo-file")
                self.open_in_background(then)
                return
            said = exc if isinstance(exc, UserFacingError) else OPEN_FAILED
            self.show_open_error(said)
            if then is not None:
                then(None)
            if said is not exc:
                raise exc  # a bug, not a state of the world: the crash handler writes its report

        task.succeeded.connect(opened)
        task.failed.connect(failed)
        self.opening = task
        task.start()

    def started(self, ready: CounterStart) -> None:
        w = self.w
        from teller_assist.services.context import Context

        w.opened = ready.opened
        w.ctx = Context(ready.opened.store, w.settings, ready.policy, w.clock)
        w.has_operators = ready.has_operators
        self.show_overview()
        if ready.policy_problem is not None:
            w.db_status.setText(self.tr("授信政策未载入：") + error_text(ready.policy_problem))
        elif ready.expiry_problem is not None:
            w.db_status.setText(error_text(ready.expiry_problem))
        w.counter.started(w.ctx, w.operator)
        self.start_watches()
        w.data.update_actions()
        heap.settled("started")  # the database layer, the policy, the window: kept for good (ui/heap.py)

    def show_open_error(self, exc: UserFacingError) -> None:
        """The database could not be opened: said where the customer's card would be, with F5 to retry."""
        w = self.w
        w.db_status.setText(self.tr("数据库未打开"))
        w.counter.empty_state.setText(self.tr("无法打开数据库。") + "\n\n" + error_text(exc, hint=True))
        w.counter.retry_button.setVisible(True)  # a server starting, a network back: no restart needed

    def retry_open(self) -> None:
        """F5 after a failed open: the login again, and the database opening behind it."""
        w = self.w
        retry = w.counter.retry_button
        if w.store is not None or self.opening is not None or not retry.isVisible():
            return
        retry.setVisible(False)
        w.counter.empty_state.setText("")
        w.ask_login(demo_if_empty=w.sessions.demo_if_empty)
        self.open_in_background(w.opened_behind_login)

    def finish_opening(self) -> None:
        """The window closes while the database opens: let it finish, then close it."""
        if self.opening is not None:
            self.opening.wait()
            for ready in self.opening_result:
                ready.opened.store.dispose()
            self.opening_result.clear()

    # --- what the empty counter says ---------------------------------------------------------------------
    def refresh_overview(self) -> None:
        from teller_assist.services.database import current_overview as overview

        w = self.w
        if w.opened is None or w.ctx is None:
            return
        w.opened = dataclasses.replace(w.opened, overview=overview(w.ctx))
        self.show_overview()

    def show_overview(self) -> None:
        w = self.w
        assert w.opened is not None
        store, overview = w.opened.store, w.opened.overview
        demo = self.tr("【演示模式】") if store.demo_mode else ""
        w.setWindowTitle(self.tr("柜面授信助手") + (" " + demo if demo else ""))
        where = self.tr("【演示模式】数据库：{0}") if store.demo_mode else self.tr("数据库：{0}")
        w.db_status.setText(where.format(store.short_name))
        w.db_status.setToolTip(store.display)  # the whole path or address, for whoever asks
        if overview.empty:
            w.counter.empty_state.setText(
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
            w.counter.empty_state.setText(
                self.tr("已载入客户 {n} 人，最新数据日期 {d}。\n\n请输入或读取客户身份证号（F2）。")
                .replace("{n}", f"{overview.customers:,}")
                .replace("{d}", latest)
            )

    # --- the database and the printer, watched from a worker thread --------------------------------------
    def start_watches(self) -> None:
        """PostgreSQL: a lost connection shows a banner until it is back. The printer's state, if set."""
        w = self.w
        assert w.store is not None
        if not w.store.is_sqlite:
            w.connection = ConnectionWatch(w.store.ping, parent=w)
            w.connection.changed.connect(self._on_connection)
            w.connection.check.start()
        if w.settings.printer:
            from teller_assist.services.printing import check_printer

            name = w.settings.printer
            w.printer_check = BackgroundCheck(
                lambda: check_printer(name), PRINTER_CHECK_MS, "printer-watch", w
            )
            w.printer_check.result.connect(self._on_printer)
            w.printer_check.start()
        else:
            w.printer_status.setText(self.tr("未设置打印机（打印时选择）"))

    def stop_watches(self) -> None:
        w = self.w
        for check in (w.connection.check if w.connection else None, w.printer_check):
            if check is not None:
                check.stop()

    def _on_connection(self, reachable: bool, problem: UserFacingError | None) -> None:
        w = self.w
        assert w.store is not None
        if not reachable:
            reason = error_text(problem) if problem is not None else ""
            w.counter.banner.setText(
                self.tr("数据库连接中断，正在自动重连。已输入的内容保留在屏幕上，恢复后可继续。")
                + ("\n" + reason if reason else "")
            )
            w.counter.banner.setVisible(True)
            w.db_status.setText(self.tr("数据库：连接中断"))
            return
        w.counter.banner.setVisible(False)
        w.db_status.setText(self.tr("数据库已重新连接：") + w.store.short_name)
        w.counter.connection_back()

    def store_trouble(self) -> None:
        """An operation failed on the database: ask at once whether the connection is gone."""
        if self.w.connection is not None:
            self.w.connection.check.check_now()

    def printer_changed(self) -> None:
        if self.w.printer_check is not None:
            self.w.printer_check.check_now()

    def _on_printer(self, problem: UserFacingError | None) -> None:
        w = self.w
        name = w.settings.printer
        if problem is None:
            w.printer_status.setText(self.tr("打印机 {0} 就绪").format(name))
        else:
            w.printer_status.setText(self.tr("打印机不可用：") + error_text(problem))
