"""The workspaces the shell hosts for the signed-in operator, beside the counter: for an approver the
approvals queue and today's walk-ins, for an officer 今日任务, 客群活动 (a manager's at sign-in, others'
on F7), and the 考核 window. Made at sign-in, stopped and gone at sign-out; a person chosen in any of them
opens at the counter, audited with where it came from."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QGuiApplication

if TYPE_CHECKING:  # each loads when it is first made (sign-in, F7), not before the login is painted
    from teller_assist.services.operators import OperatorRecord
    from teller_assist.ui.main_window import MainWindow
    from teller_assist.ui.workspaces.campaigns import CampaignsWorkspace


class Hosted(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.w = window

    def sign_in(self, operator: OperatorRecord) -> None:
        from teller_assist.prequal.workflow import authority_fen
        from teller_assist.services.targets import OFFICER_ROLES

        w = self.w
        if w.ctx is not None and w.ctx.policy is not None and authority_fen(w.ctx.policy, operator.role):
            from teller_assist.ui.workspaces.lobby import ApprovalQueue, WalkinsView

            w.queue = ApprovalQueue(w.ctx, lambda: w.operator, w)
            w.walkins = WalkinsView(w.ctx, lambda: w.operator, w, is_locked=w.is_locked)
            w.queue.refreshed.connect(w.walkins.refresh)
            w.queue.refreshed.connect(self.count_waiting)
            w.queue.refreshed.connect(w.sessions.lock_waiting)
            w.workspaces.addTab(w.queue, self.tr("待审批"))
            w.workspaces.addTab(w.walkins, self.tr("今日到店"))
            w.queue.refreshed.connect(self.count_tasks)  # the change watch: cheap, not audited
            w.queue.start()
        if w.ctx is not None and w.ctx.policy is not None and operator.role in OFFICER_ROLES:
            from teller_assist.ui.workspaces.tasks import TasksWorkspace

            w.tasks = TasksWorkspace(w.ctx, lambda: w.operator, w.is_locked, w)
            w.tasks.openCustomer.connect(lambda id_no: self.open_card(id_no, "task"))
            w.tasks.counted.connect(self.show_task_count)
            w.workspaces.insertTab(1, w.tasks, self.tr("今日任务"))
            w.tasks_action.setEnabled(True)
            w.tasks.recount()
        w.campaigns_action.setEnabled(w.ctx is not None and w.ctx.policy is not None)
        if operator.role in ("hq_admin", "branch_head"):
            self.campaigns_tab()

    def sign_out(self) -> None:
        """Nothing read for the last operator any more, and their tabs and 考核 window gone."""
        w = self.w
        self.stop()  # before any tab goes: nothing more is read for this operator
        for view in (w.queue, w.walkins, w.tasks, w.campaigns):
            if view is not None:
                w.workspaces.removeTab(w.workspaces.indexOf(view))
                view.deleteLater()
        w.queue = w.walkins = w.tasks = w.campaigns = None
        w.tasks_action.setEnabled(False)
        w.campaigns_action.setEnabled(False)
        w.tasks_status.setText("")
        self.close_kpi_window()

    def stop(self) -> None:
        w = self.w
        if w.queue is not None:
            w.queue.stop()
        if w.walkins is not None:
            w.walkins.stop()
        for working in (w.tasks, w.campaigns):
            if working is not None:
                working.stop()

    def locking(self) -> None:
        w = self.w
        w.tasks_status.setText("")
        w.tasks_action.setEnabled(False)
        w.campaigns_action.setEnabled(False)

    def unlocked(self) -> None:
        w = self.w
        w.tasks_action.setEnabled(w.tasks is not None)
        w.campaigns_action.setEnabled(w.ctx is not None and w.ctx.policy is not None)
        if w.walkins is not None:
            w.walkins.refresh()  # not read while locked
        self.count_tasks()

    def count_waiting(self) -> None:
        """The queue's tab says how many wait, so it is seen from the counter's tab too."""
        w = self.w
        if w.queue is None:
            return
        waiting = len(w.queue.rows)
        w.workspaces.setTabText(
            w.workspaces.indexOf(w.queue),
            self.tr("待审批 ({0})").format(waiting) if waiting else self.tr("待审批"),
        )

    def shown(self, _index: int) -> None:
        w = self.w
        for view in (w.tasks, w.campaigns):
            if view is not None and w.workspaces.currentWidget() is view:
                view.activate()

    # --- 今日任务 ------------------------------------------------------------------------------------------
    def show_tasks(self) -> None:
        """F6 (任务 → 今日任务): the officer's list, read again, the focus on it."""
        w = self.w
        if w.tasks is None or w.is_locked():
            return
        if w.workspaces.currentWidget() is w.tasks:
            w.tasks.activate()
        else:
            w.workspaces.setCurrentWidget(w.tasks)  # shown() reads it

    def count_tasks(self) -> None:
        if self.w.tasks is not None:
            self.w.tasks.recount()

    def show_task_count(self, count: int | None) -> None:
        """The status bar and the tab say how many tasks the officer has today (nothing while locked)."""
        w = self.w
        shown = count is not None and not w.is_locked() and w.operator is not None
        w.tasks_status.setText(self.tr("今日任务 {0} 项").format(count) if shown else "")
        if w.tasks is not None:
            w.workspaces.setTabText(
                w.workspaces.indexOf(w.tasks),
                self.tr("今日任务 ({0})").format(count) if shown and count else self.tr("今日任务"),
            )

    # --- 客群活动 ------------------------------------------------------------------------------------------
    def campaigns_tab(self) -> CampaignsWorkspace | None:
        w = self.w
        if w.campaigns is None and w.ctx is not None and w.ctx.policy is not None:
            from teller_assist.ui.workspaces.campaigns import CampaignsWorkspace

            w.campaigns = CampaignsWorkspace(w.ctx, lambda: w.operator, w.is_locked, w)
            w.campaigns.openCustomer.connect(lambda id_no: self.open_card(id_no, "campaign"))
            w.workspaces.addTab(w.campaigns, self.tr("客群活动"))
        return w.campaigns

    def show_campaigns(self) -> None:
        """F7 (任务 → 客群活动): the campaigns the operator may see, read again, the focus on them."""
        w = self.w
        view = None if w.operator is None or w.is_locked() else self.campaigns_tab()
        if view is None:
            return
        if w.workspaces.currentWidget() is view:
            view.activate()
        else:
            w.workspaces.setCurrentWidget(view)  # shown() reads it

    # --- 考核 ----------------------------------------------------------------------------------------------
    def open_kpi_dashboard(self) -> None:
        from teller_assist.ui.kpi_dashboard import open_dashboard

        w = self.w
        self.close_kpi_window()
        w.kpi_window = open_dashboard(w, w.ctx, w.operator, w.is_locked)
        if w.kpi_window is not None:  # Enter on a person in the 考核 list: their card at the counter
            w.kpi_window.dashboard.personActivated.connect(lambda id_no: self.open_card(id_no, "kpi"))

    def close_kpi_window(self) -> None:
        """The 考核 window belongs to the operator who opened it: it goes when they sign out or switch."""
        window, self.w.kpi_window = self.w.kpi_window, None
        if window is not None:
            window.close()
            window.deleteLater()

    def open_card(self, id_no: str, source: str) -> None:
        """A person's card at the counter from another workspace (考核, 今日任务, 客群活动): a lookup,
        audited with where it came from."""
        from teller_assist.identity.resident_id import InvalidResidentId, parse_resident_id

        w = self.w
        if w.is_locked() or w.operator is None:
            return
        try:
            rid = parse_resident_id(id_no, today=w._today())
        except InvalidResidentId:
            return
        if QGuiApplication.platformName() != "offscreen":  # (that platform cannot raise a window)
            w.raise_()
        w.activateWindow()
        w.workspaces.setCurrentWidget(w.counter)
        w.counter.show_customer(rid, source)
