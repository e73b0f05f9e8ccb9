"""The lobby: the approvals waiting for a decision (待审批) and today's walk-ins (今日到店), the tabs an
approver's window shows beside the counter. The queue refreshes within two seconds of a change on any
desktop: the change watch (``services.changes``) runs on a worker thread and only wakes the view; the
GUI thread never polls the database."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from teller_assist.errors import UserFacingError
from teller_assist.money import yuan_text
from teller_assist.ui.i18n import error_text
from teller_assist.ui.tasks import Task
from teller_assist.ui.widgets import ERROR_STYLE, grow_to_fit
from teller_assist.ui.words import word

if TYPE_CHECKING:
    from teller_assist.services.applications import ApplicationRecord
    from teller_assist.services.context import Context
    from teller_assist.services.operators import OperatorRecord
    from teller_assist.services.walkins import Today


def fit_columns(table: QTableWidget, *, stretch: int) -> None:
    """Columns as wide as their contents, one stretching over the rest: a 420-pixel window shows the
    whole row without scrolling sideways (a cut cell gives its text in its tooltip)."""
    header = table.horizontalHeader()
    for col in range(table.columnCount()):
        mode = QHeaderView.ResizeMode.Stretch if col == stretch else QHeaderView.ResizeMode.ResizeToContents
        header.setSectionResizeMode(col, mode)


class _Reader(QObject):
    """A list's reading on a worker thread through the window's one door (``ui.tasks``), one at a time:
    asked again while one is under way, the one under way is dropped when it ends and one more is read, so
    an older answer never replaces a newer one. A refusal (the database gone, say) goes to ``failed`` and
    the list shown stays; after ``stop`` nothing is read or shown."""

    def __init__(
        self, parent: QObject, show: Callable[[Any], None], failed: Callable[[UserFacingError], None]
    ) -> None:
        super().__init__(parent)
        self._show, self._failed = show, failed
        self.task: Task | None = None
        self._again: Callable[[], Any] | None = None
        self._generation = 0  # bumped by every reading asked and by stop: only the latest is shown
        self._stopped = False

    def read(self, work: Callable[[], Any]) -> None:
        if self._stopped:
            return
        self._generation += 1
        if self.task is not None:
            self._again = work  # after the one under way, whose answer is already old
            return
        generation = self._generation
        task = Task(lambda _report, _cancelled: work(), self)
        task.succeeded.connect(lambda result: self._done(task, generation, result, None))
        task.failed.connect(lambda exc: self._done(task, generation, None, exc))
        self.task = task
        task.start()

    def _done(self, task: Task, generation: int, result: Any, exc: BaseException | None) -> None:
        task.wait()
        task.deleteLater()
        if self.task is task:
            self.task = None
        again, self._again = self._again, None
        if self._stopped:
            return
        if again is not None:
            self.read(again)
            return
        if generation != self._generation:
            return
        if exc is None:
            self._show(result)
        elif isinstance(exc, UserFacingError):
            self._failed(exc)
        else:
            raise exc  # a bug, not a state of the world: the crash handler writes its report

    def busy(self) -> bool:
        return self.task is not None

    def wait(self, msecs: int = 10_000) -> None:
        """For closing and tests: wait for the reading under way (its answer still arrives as a signal)."""
        if self.task is not None:
            self.task.wait(msecs)

    def stop(self) -> None:
        self._stopped = True
        self._again = None
        self._generation += 1
        if self.task is not None:
            self.task.wait_or_release()  # a database that does not answer: the reading ends on its own
            self.task = None


class WalkinsView(QWidget):
    """Today's walk-ins at this branch: how many reached each step, and each person's progress."""

    STRETCH = 1  # the customer
    COLUMNS = (
        QT_TRANSLATE_NOOP("WalkinsView", "到店"),
        QT_TRANSLATE_NOOP("WalkinsView", "客户"),
        QT_TRANSLATE_NOOP("WalkinsView", "进度"),
        QT_TRANSLATE_NOOP("WalkinsView", "额度（元）"),
        QT_TRANSLATE_NOOP("WalkinsView", "柜员"),
    )

    def __init__(
        self,
        ctx: Context,
        operator: Callable[[], OperatorRecord | None],
        parent: QWidget | None = None,
        *,
        is_locked: Callable[[], bool] = lambda: False,
    ) -> None:
        super().__init__(parent)
        self.ctx, self.store, self.masking = ctx, ctx.store, ctx.settings.masking
        self._operator, self._today = operator, ctx.today
        self._is_locked = is_locked
        self.setObjectName("walkinsView")
        layout = QVBoxLayout(self)
        self.summary = QLabel("", self)
        self.summary.setObjectName("walkinsSummary")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.table = QTableWidget(0, len(self.COLUMNS), self)
        self.table.setObjectName("walkinsTable")
        self.table.setHorizontalHeaderLabels([self.tr(str(c)) for c in self.COLUMNS])
        fit_columns(self.table, stretch=self.STRETCH)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        layout.addWidget(self.table)
        self.reader = _Reader(self, self._show, self._read_failed)
        self.day: Today | None = None  # the last day read: kept when a later reading fails

    def refresh(self) -> None:
        """Read the day again on a worker thread (not while the window is locked: on unlock, see
        ``Hosted.unlocked``); the GUI thread only shows the records."""
        from teller_assist.services import walkins

        operator = self._operator()
        if operator is None or self._is_locked():
            return
        ctx, branch = self.ctx, operator.branch_code
        self.reader.read(lambda: walkins.today(ctx, branch))

    def stop(self) -> None:
        """Nothing more is read or shown (sign-out): a reading under way is waited for and dropped."""
        self.reader.stop()

    def _read_failed(self, exc: UserFacingError) -> None:
        self.summary.setText(error_text(exc))  # the table keeps the last day read

    def _show(self, today: Today) -> None:
        from teller_assist.prequal.workflow import STATUS_ZH
        from teller_assist.services import walkins

        self.day = today
        counts = self.tr("，").join(f"{word(walkins.STAGE_ZH[s])} {n}" for s, n in today.counts.items())
        now = self.ctx.now()  # the clock the services stamp with
        waiting = self.tr("；").join(
            self.tr("{0} 已等 {1} 分钟").format(
                w.name or self.masking.resident_id(w.id_no),
                int((now - (w.submitted_at or now)).total_seconds() // 60),
            )
            for w in today.waiting
        )
        self.summary.setText(
            self.tr("今日到店 {0} 人：{1}").format(len(today.rows), counts)
            + ("\n" + self.tr("仍在等待：") + waiting if waiting else "")
        )
        self.table.setRowCount(len(today.rows))
        for i, w in enumerate(today.rows):
            stage = STATUS_ZH.get(w.status, w.status) if w.status else walkins.STAGE_ZH[walkins.stage(w)]
            progress = word(stage)
            cells = [
                w.first_seen.astimezone().strftime("%H:%M"),
                f"{w.name or ''} {self.masking.resident_id(w.id_no)}".strip(),
                progress,
                yuan_text(w.line_fen) if w.line_fen else "",
                w.operator or "",
            ]
            for j, value in enumerate(cells):
                item = QTableWidgetItem(value)
                item.setToolTip(value)  # whole, however narrow the column
                self.table.setItem(i, j, item)


class ApprovalQueue(QWidget):
    """Applications waiting for a decision, oldest first, with how long each customer has waited.
    Refreshed within two seconds of any change: the change watch (PostgreSQL NOTIFY, or the audit head
    read once a second on SQLite) runs on a worker thread between ``start`` and ``stop``."""

    COLUMNS = (
        QT_TRANSLATE_NOOP("ApprovalQueue", "等待"),
        QT_TRANSLATE_NOOP("ApprovalQueue", "申请"),
        QT_TRANSLATE_NOOP("ApprovalQueue", "客户"),
        QT_TRANSLATE_NOOP("ApprovalQueue", "额度（元）"),
        QT_TRANSLATE_NOOP("ApprovalQueue", "经办"),
    )
    refreshed = Signal()  # after each refresh: other views of the day follow it
    STRETCH = 2  # the customer

    def __init__(
        self,
        ctx: Context,
        operator: Callable[[], OperatorRecord | None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx, self.store, self.policy, self.masking = ctx, ctx.store, ctx.in_force(), ctx.settings.masking
        self.sms_sender = ctx.settings.bank_short_name
        self._operator, self._today = operator, ctx.today
        self.setObjectName("approvalQueue")
        self.rows: list[ApplicationRecord] = []
        layout = QVBoxLayout(self)
        self.table = QTableWidget(0, len(self.COLUMNS), self)
        self.table.setObjectName("approvalTable")
        self.table.setHorizontalHeaderLabels([self.tr(str(c)) for c in self.COLUMNS])
        fit_columns(self.table, stretch=self.STRETCH)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.itemSelectionChanged.connect(self._show_factors)
        layout.addWidget(self.table)
        self.factors = QLabel("", self)  # what the selected line rests on, as recorded at submission
        self.factors.setObjectName("queueFactors")
        self.factors.setWordWrap(True)
        self.factors.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.factors)
        buttons = QHBoxLayout()
        self.approve_button = QPushButton(self.tr("批准"), self)
        self.approve_button.setObjectName("queueApproveButton")
        self.approve_button.clicked.connect(self.approve_selected)
        buttons.addWidget(self.approve_button)
        self.reject_button = QPushButton(self.tr("拒绝…"), self)
        self.reject_button.setObjectName("queueRejectButton")
        self.reject_button.clicked.connect(lambda _checked=False: self.reject_selected())
        buttons.addWidget(self.reject_button)
        layout.addLayout(buttons)
        self.message = QLabel("", self)
        self.message.setObjectName("queueMessage")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)

        self._stop = threading.Event()
        self.reader = _Reader(self, self._show, self._read_failed)
        self.watch: Task | None = None  # the change watch, on a worker thread while the queue is shown
        self.clock = QTimer(self)  # waiting times tick on screen
        self.clock.setInterval(15_000)
        self.clock.timeout.connect(self._render)

    def start(self) -> None:
        """Show the queue now, then refresh it after every change the watch reports."""
        from teller_assist.services.changes import watch_applications

        self.refresh()
        self.clock.start()
        ctx, stop = self.ctx, self._stop

        def work(report: Callable[..., None], _cancelled: Callable[[], bool]) -> None:
            watch_applications(ctx, report, stop)  # each report wakes the GUI thread: refresh

        task = Task(work, self)
        task.progress.connect(lambda _args: self.refresh())
        task.failed.connect(self._watch_failed)
        self.watch = task
        task.start()

    def stop(self) -> None:
        """End the watch (within a second) before the store it reads is closed."""
        self.clock.stop()
        self._stop.set()
        self.reader.stop()
        if self.watch is not None:
            self.watch.cancel()
            self.watch.wait_or_release()
            self.watch = None

    def _watch_failed(self, exc: BaseException) -> None:
        if not isinstance(exc, UserFacingError):
            raise exc  # a bug, not a state of the world: the crash handler writes its report
        self.message.setText(error_text(exc))

    def refresh(self) -> None:
        """Read the queue again on a worker thread; the GUI thread only shows the records. It goes on
        while the window is locked: the lock page counts who waits (not who they are) from it."""
        from teller_assist.services import applications as apps

        if self._stop.is_set():  # a wake-up queued before stop() must not reopen a closed store
            return
        operator = self._operator()
        if operator is None:
            return
        ctx, branch = self.ctx, operator.branch_code
        self.reader.read(lambda: apps.queue(ctx, branch_code=branch))

    def _read_failed(self, exc: UserFacingError) -> None:
        self.message.setText(error_text(exc))  # the table keeps the last queue read

    def _show(self, rows: list[ApplicationRecord]) -> None:
        chosen = self.selected()  # (of the rows shown until now)
        self.rows = rows
        self._render(chosen)
        self.refreshed.emit()

    def _render(self, chosen: ApplicationRecord | None = None) -> None:
        """The rows, with ``chosen`` (else the selected one) still selected wherever it moved."""
        now = self.ctx.now()  # the clock the services stamp with
        chosen = chosen or self.selected()
        self.table.blockSignals(True)  # (one _show_factors below, not one a cell)
        self.table.setRowCount(len(self.rows))
        for i, r in enumerate(self.rows):
            waited = max(0, int((now - r.submitted_at).total_seconds() // 60))
            cells: list[Any] = [
                self.tr("{0} 分钟").format(waited),
                str(r.id),
                f"{r.name or ''} {self.masking.resident_id(r.id_no)}",
                yuan_text(r.line_fen),
                r.maker_login,
            ]
            for j, value in enumerate(cells):
                item = QTableWidgetItem(value)
                item.setToolTip(value)  # whole, however narrow the column
                self.table.setItem(i, j, item)
        row = next((i for i, r in enumerate(self.rows) if chosen is not None and r.id == chosen.id), None)
        if row is not None:
            self.table.selectRow(row)
        elif self.rows and (chosen is not None or not self.table.selectedItems()):
            self.table.selectRow(0)  # the selected one was decided: the next who waits longest
        self.table.blockSignals(False)
        self._show_factors()

    def _show_factors(self) -> None:
        from teller_assist.services.applications import applied_factors

        r = self.selected()
        if r is None:
            self.factors.setText("")
            return
        evidence = [self.masking.amounts(e) for e in applied_factors(r)]  # a lobby screen: incomes masked
        lines = [self.tr("申请 {0} 的依据：").format(r.id)] + ["✓ " + e for e in evidence]
        self.factors.setText("\n".join(lines))

    def selected(self) -> ApplicationRecord | None:
        index = self.table.currentRow()
        return self.rows[index] if 0 <= index < len(self.rows) else None

    def approve_selected(self) -> None:
        record = self.selected()
        if record is not None:
            self._decide(record, approve=True)

    def reject_selected(self, reason: str | None = None) -> RejectDialog | None:
        """拒绝…: ask the reason (the teller and the customer read it), then reject the application
        that was selected when the button was pressed, whatever the queue shows meanwhile."""
        record = self.selected()
        if record is None:
            return None
        if reason is not None:
            self._decide(record, approve=False, reason=reason)
            return None
        who = f"{record.name or ''} {self.masking.resident_id(record.id_no)}".strip()
        decide = lambda text: self._decide(record, approve=False, reason=text)  # noqa: E731
        dialog = RejectDialog(record, who, decide, self)
        dialog.open()
        return dialog

    def _decide(
        self, record: ApplicationRecord, *, approve: bool, reason: str = ""
    ) -> UserFacingError | None:
        """Approve or reject ``record``; the refusal, if any, is said under the queue and returned."""
        from teller_assist.services import applications as apps

        operator = self._operator()
        if operator is None:
            return UserFacingError("请先登录", "sign in first")
        # stamped by the window's clock, under this workstation
        actor = apps.Actor(operator, self.ctx.workstation)
        try:
            if approve:
                done = apps.approve(
                    self.ctx, record.id, actor, expected_version=record.version, sms_sender=self.sms_sender
                )
            else:
                done = apps.reject(self.ctx, record.id, actor, reason, expected_version=record.version)
        except UserFacingError as exc:
            self.message.setText(error_text(exc))
            self.refresh()
            return exc
        self.message.setText(
            self.tr("申请 {0} 已批准，协议号 {1}").format(done.id, done.agreement_no)
            if approve
            else self.tr("申请 {0} 已拒绝").format(done.id)
        )
        self.refresh()
        return None


class RejectDialog(QDialog):
    """拒绝: the approver writes the reason; a refusal (someone decided first, no authority) is said here
    and the reason stays as typed."""

    def __init__(
        self,
        record: ApplicationRecord,
        who: str,
        on_reject: Callable[[str], UserFacingError | None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._on_reject = on_reject
        self.setObjectName("rejectDialog")
        self.setWindowTitle(self.tr("拒绝申请"))
        layout = QVBoxLayout(self)
        summary = QLabel(
            self.tr("申请 {0}：{1}\n额度 {2} 元，经办 {3}").format(
                record.id, who, yuan_text(record.line_fen), record.maker_login
            ),
            self,
        )
        summary.setWordWrap(True)
        layout.addWidget(summary)
        layout.addWidget(QLabel(self.tr("拒绝原因（柜员和客户会看到）："), self))
        self.reason = QLineEdit(self)
        self.reason.setObjectName("rejectReason")
        self.reason.setMaxLength(200)
        layout.addWidget(self.reason)
        self.error = QLabel("", self)
        self.error.setObjectName("rejectError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet(ERROR_STYLE)
        layout.addWidget(self.error)
        buttons = QHBoxLayout()
        self.button = QPushButton(self.tr("确认拒绝"), self)
        self.button.setObjectName("rejectConfirmButton")
        self.button.setDefault(True)
        self.button.clicked.connect(self.confirm)
        buttons.addWidget(self.button)
        cancel = QPushButton(self.tr("取消"), self)
        cancel.clicked.connect(self.reject)
        buttons.addWidget(cancel)
        layout.addLayout(buttons)  # Enter in the reason presses the default button: once

    def confirm(self) -> None:
        reason = self.reason.text().strip()
        if not reason:
            self.error.setText(self.tr("请填写拒绝原因"))
            self.reason.setFocus()
            return
        refused = self._on_reject(reason)
        if refused is not None:
            self.error.setText(error_text(refused, hint=True))
            grow_to_fit(self)
            return
        self.accept()
