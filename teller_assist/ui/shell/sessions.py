"""The operator's session at the window: the login asked at once (the database may still be opening
behind it), the first administrator on a new database, sign-in, the idle and the manual lock, unlock,
and the switch to another operator. Every step is audited through the services."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication, QDialog

from teller_assist.errors import UserFacingError
from teller_assist.ui import messages
from teller_assist.ui.i18n import error_text
from teller_assist.ui.session import LoginDialog
from teller_assist.ui.tasks import Task
from teller_assist.ui.words import word

if TYPE_CHECKING:
    from teller_assist.services.database import CounterStart
    from teller_assist.services.operators import OperatorRecord
    from teller_assist.ui.main_window import MainWindow


class Sessions(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.w = window
        self.demo_if_empty = False
        self.hidden_by_lock: list[QDialog] = []  # dialogs the lock took away, back on unlock
        self.lock_audit: Task | None = None  # the lock's audit row, written on a worker thread

    def header_text(self) -> str:
        settings = self.w.settings
        branch = settings.branch_name or self.tr("未设置网点")
        return f"<b>{settings.bank_name}</b> · {branch}"

    # --- login -------------------------------------------------------------------------------------------
    def ask_login(self, *, demo_if_empty: bool = False) -> LoginDialog:
        """Ask who is at the keyboard, at once: the database may still be opening behind the dialog
        (see ``opened_behind_login``); on a database without operators the first administrator is
        asked instead. Cancelled: the window closes. Signed in on a database without customers: the demo
        county is offered (or, from ``make run``, loaded)."""
        w = self.w
        first_admin = w.ctx is not None and not w.has_operators
        dialog = LoginDialog(w.ctx, w, first_admin=first_admin)
        w.login_dialog, self.demo_if_empty = dialog, demo_if_empty

        def accepted() -> None:
            w.login_dialog = None
            if dialog.operator is None:
                return
            w.sign_in(dialog.operator)
            if w.opened is not None and w.opened.overview.empty and w.data.may_load():
                w.load_demo(ask=not demo_if_empty)

        dialog.accepted.connect(accepted)
        dialog.rejected.connect(w.close)
        dialog.open()
        return dialog

    def opened_behind_login(self, ready: CounterStart | None) -> None:
        """The database opened (or could not) while the login was asked: hand it the store, or ask for
        the first administrator instead, or (not opened) take the dialog away: the window says why."""
        w = self.w
        dialog = w.login_dialog
        if dialog is None or dialog.ctx is not None:
            return
        if ready is not None and ready.has_operators and w.ctx is not None:
            dialog.set_context(w.ctx)
            return
        dialog.rejected.disconnect(w.close)
        dialog.reject()
        dialog.deleteLater()
        w.login_dialog = None
        if ready is not None:  # a new database: its first administrator, then the login
            w.ask_login(demo_if_empty=self.demo_if_empty)

    def sign_in(self, operator: OperatorRecord) -> None:
        from teller_assist.vocabulary import ROLE_ZH

        w = self.w
        if w.operator is not None:
            self.end_session()  # (the window's own logout audits; this is a sign-in over another)
        w.operator = operator
        w.kpi_action.setEnabled(operator.role in ("hq_admin", "branch_head"))
        w.admin_menu.menuAction().setVisible(operator.role == "hq_admin")
        w.has_operators = True  # the next login (after a switch) is a login, not a first administrator
        w.counter.header.setText(
            self.header_text()
            + " · "
            + self.tr("{0}（{1}）").format(operator.name, word(ROLE_ZH.get(operator.role, operator.role)))
        )
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(w.idle)
        w.idle.start()
        w.hosted.sign_in(operator)
        w.logout_action.setEnabled(True)
        w.data.update_actions()
        w.counter.sign_in(operator)

    # --- logout / switch ---------------------------------------------------------------------------------
    def logout(self) -> LoginDialog | None:
        """退出登录 / 切换操作员: this operator's session ends (audited), the screen is cleared (a survey
        in progress is kept as a draft), and the login is asked for whoever comes next. Waits for a
        print or the demo county in progress: their work belongs to this session."""
        from teller_assist.services import audit

        w = self.w
        if w.operator is None or w.ctx is None:
            return None
        if w.counter.print_task is not None or w.demo_task is not None:
            messages.say(w, self.tr("正在打印或导入，完成后再退出登录"))
            return None
        for dialog in w.findChildren(QDialog):  # the session's own dialogs go with it
            if dialog.isVisible() or dialog in self.hidden_by_lock:
                dialog.reject()
        self.hidden_by_lock = []
        if w.is_locked():
            w.stack.setCurrentIndex(0)
        w.counter.next_customer()
        who = w.operator.login
        self.settle()  # the lock's row before the logout's
        self.end_session()
        try:
            audit.note(w.ctx, "logout", operator=who, purpose="switch")
        except UserFacingError as exc:
            messages.say(w, error_text(exc))
        return w.ask_login()

    def end_session(self) -> None:
        """Nothing of the last operator stays: the lobby's tabs, the idle timer, the header's name."""
        w = self.w
        w.idle.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(w.idle)
        w.hosted.sign_out()
        w.lock_page.set_waiting(0, 0)
        w.operator = None
        w.kpi_action.setEnabled(False)
        w.counter.sign_in(None)
        w.admin_menu.menuAction().setVisible(False)
        w.counter.header.setText(self.header_text())
        w.logout_action.setEnabled(False)
        w.data.update_actions()

    # --- the lock ------------------------------------------------------------------------------------------
    def lock(self) -> None:
        """Hide every customer detail until the same operator unlocks (idle timeout, or by hand)."""
        from teller_assist.services import audit

        w = self.w
        if w.operator is None or w.ctx is None or w.is_locked():
            return
        w.stack.setCurrentWidget(w.lock_page)
        w.data.update_actions()
        if w.kpi_window is not None:
            w.kpi_window.dashboard.watch_lock()  # the figures go at once, not at the next tick
        # a dialog open over the window (import, preview, 主管授权) goes with the lock, and comes back
        self.hidden_by_lock = [d for d in w.findChildren(QDialog) if d.isVisible()]
        for dialog in self.hidden_by_lock:
            dialog.finished.connect(lambda _result, d=dialog: self.forget_hidden(d))
            dialog.destroyed.connect(lambda _obj=None, d=dialog: self.forget_hidden(d))
            dialog.hide()
        w.counter.locking()  # a reveal ends with the lock
        w.hosted.locking()  # nothing of the officer's day on a locked screen
        w.lock_page.lock_for(w.ctx, w.operator)
        self.lock_waiting()
        ctx, login = w.ctx, w.operator.login  # the row is written behind the lock, not before it

        def work(_report: Callable[..., None], _cancelled: Callable[[], bool]) -> None:
            audit.note(ctx, "lock", operator=login)

        self.settle()  # (a lock's row before the next one)
        task = Task(work, self)
        task.failed.connect(self._lock_audit_failed)
        task.finished.connect(lambda: self._lock_audited(task))
        self.lock_audit = task
        task.start()

    def _lock_audit_failed(self, exc: BaseException) -> None:
        if not isinstance(exc, UserFacingError):
            raise exc  # a bug: the crash handler writes its report
        messages.say(self.w, error_text(exc))  # the screen is locked all the same

    def _lock_audited(self, task: Task) -> None:
        task.wait()
        if self.lock_audit is task:
            self.lock_audit = None
        task.deleteLater()

    def settle(self) -> None:
        """Wait for the lock's audit row (before the session's next row, or the store closing)."""
        if self.lock_audit is not None:
            self.lock_audit.wait()

    def lock_waiting(self) -> None:
        """An approver's lock page counts the customers waiting for a decision (refreshed with the queue)."""
        w = self.w
        rows = w.queue.rows if w.queue is not None else []
        now = w.clock.now()  # the clock the services stamp with
        longest = max((int((now - r.submitted_at).total_seconds() // 60) for r in rows), default=0)
        w.lock_page.set_waiting(len(rows), max(0, longest))

    def unlocked(self) -> None:
        w = self.w
        w.stack.setCurrentIndex(0)
        w.data.update_actions()
        w.idle.start()
        w.counter._focus_id()
        w.hosted.unlocked()
        hidden, self.hidden_by_lock = self.hidden_by_lock, []
        for dialog in hidden:
            dialog.show()

    def forget_hidden(self, dialog: QDialog) -> None:
        """A dialog the lock hid was finished meanwhile (its job done): it does not come back."""
        if dialog in self.hidden_by_lock:
            self.hidden_by_lock.remove(dialog)
