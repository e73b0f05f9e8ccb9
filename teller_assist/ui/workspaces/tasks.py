"""今日任务: the signed-in officer's tasks of the day (a branch head's: also the branch's, or one
officer's), over ``services.task_desk`` (the listing, role check and audit are ``services.targets``').

Keyboard first: ↑↓ choose a task, ``Enter`` opens the person's card at the counter, ``R`` asks what
happened and one more key says it — ``1`` done, ``2`` not reached, ``3`` declined (then the reason,
``Enter``), ``4`` appointment (then the date, ``Enter``; the task comes back that day). Every read and
write runs on a worker thread; a refusal is said in the dialog (what was typed stays) or under the list.
The figure for the status bar (``counted``) is computed here too, on a worker, without auditing.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QDate, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDateTimeEdit,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from teller_assist.errors import UserFacingError
from teller_assist.targets.tasks import KIND_ZH, OUTCOME_ZH
from teller_assist.ui.i18n import error_text
from teller_assist.ui.scan_burst import BURST_GAP_SECONDS, ID_CHARACTERS
from teller_assist.ui.tasks import Task, kept_or_released
from teller_assist.ui.widgets import ERROR_STYLE, error_label, grow_to_fit, keep_on_screen
from teller_assist.ui.words import word
from teller_assist.ui.workspaces.lobby import fit_columns

if TYPE_CHECKING:
    from teller_assist.services.context import Context
    from teller_assist.services.operators import OperatorRecord
    from teller_assist.services.targets import Recorded
    from teller_assist.services.task_desk import DeskList, DeskTask, Scope

OUTCOME_KEYS = {  # the second key: the outcome it records
    Qt.Key.Key_1: "done",
    Qt.Key.Key_2: "not_reached",
    Qt.Key.Key_3: "declined",
    Qt.Key.Key_4: "appointment",
}
OVERDUE = QColor("#a11212")
DIGIT_SETTLE_MS = 80  # a person's digit is acted on this much later: a scanner's next character comes first


def _yuan(fen: int | None) -> str:
    if fen is None:
        return "—"
    whole, cents = divmod(fen, 100)
    return f"{whole:,}" if not cents else f"{whole:,}.{cents:02d}"


def _who(task: DeskTask) -> str:
    return f"{task.line.name or ''} {task.line.id_masked}".strip()


class TasksWorkspace(QWidget):
    """The 今日任务 tab."""

    openCustomer = Signal(str)  # a resident ID: the window opens this person's card at the counter
    counted = Signal(object)  # the signed-in officer's tasks today (int), or None: nothing to show
    loaded = Signal()  # the list on screen is the latest asked for

    COLUMNS = (
        QT_TRANSLATE_NOOP("TasksWorkspace", "任务"),
        QT_TRANSLATE_NOOP("TasksWorkspace", "客户"),
        QT_TRANSLATE_NOOP("TasksWorkspace", "截止"),
        QT_TRANSLATE_NOOP("TasksWorkspace", "额度"),  # in yuan, as the detail line says: room for the ID
        QT_TRANSLATE_NOOP("TasksWorkspace", "客户经理"),
    )
    STRETCH = 1  # the customer
    OFFICER_COLUMN = 4
    FIRST_ROWS = 200  # the first screen (and more): read first and filled at once, the rest after
    MORE_ROWS = 1_000  # rows filled per turn of the event loop, so keys and scrolling stay live

    def __init__(
        self,
        ctx: Context,
        operator: Callable[[], OperatorRecord | None],
        is_locked: Callable[[], bool],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx, self.store, self.policy, self.masking = ctx, ctx.store, ctx.in_force(), ctx.settings.masking
        self._operator, self._today, self.is_locked = operator, ctx.today, is_locked
        self.setObjectName("tasksView")
        self.listing: DeskList | None = None
        self._filling = 0  # the listing whose rows are being filled (a newer one stops an older's)
        self.scopes: tuple[Scope, ...] = ()
        self.scope: Scope | None = None
        self.load_task: Task | None = None
        self.count_task: Task | None = None
        self.record_task: Task | None = None
        self._load_again = self._count_again = False
        self._stopped = False
        self.dialog: OutcomeDialog | None = None

        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.scope_label = QLabel(self.tr("查看(&V)"), self)
        self.scope_box = QComboBox(self)
        self.scope_box.setObjectName("tasksScope")
        self.scope_label.setBuddy(self.scope_box)  # Alt+V
        self.scope_box.activated.connect(self._scope_chosen)
        bar.addWidget(self.scope_label)
        bar.addWidget(self.scope_box, 1)
        layout.addLayout(bar)
        self.scope_label.setVisible(False)  # a branch head's only: everyone else sees their own
        self.scope_box.setVisible(False)
        self.summary = QLabel(self.tr("正在读取今日任务…"), self)
        self.summary.setObjectName("tasksSummary")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.notes = QLabel("", self)
        self.notes.setObjectName("tasksNotes")
        self.notes.setWordWrap(True)
        self.notes.setStyleSheet("QLabel { color: #8a5a00; }")
        self.notes.setVisible(False)
        layout.addWidget(self.notes)
        self.table = QTableWidget(0, len(self.COLUMNS), self)
        self.table.setObjectName("tasksTable")
        self.table.setHorizontalHeaderLabels([self.tr(str(c)) for c in self.COLUMNS])
        fit_columns(self.table, stretch=self.STRETCH)
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setColumnHidden(self.OFFICER_COLUMN, True)
        self.table.itemSelectionChanged.connect(self._show_detail)
        self.table.doubleClicked.connect(lambda _index: self.open_selected())
        self.table.installEventFilter(self)
        layout.addWidget(self.table, 1)
        self.detail = QLabel("", self)
        self.detail.setObjectName("taskDetail")
        self.detail.setWordWrap(True)
        layout.addWidget(self.detail)
        buttons = QHBoxLayout()
        self.open_button = QPushButton(self.tr("打开客户卡片 (Enter)"), self)
        self.open_button.setObjectName("tasksOpenButton")
        self.open_button.clicked.connect(lambda _checked=False: self.open_selected())
        buttons.addWidget(self.open_button)
        self.record_button = QPushButton(self.tr("登记结果 (R)"), self)
        self.record_button.setObjectName("tasksRecordButton")
        self.record_button.clicked.connect(lambda _checked=False: self.record_selected())
        buttons.addWidget(self.record_button)
        layout.addLayout(buttons)
        self.message = QLabel("", self)
        self.message.setObjectName("tasksMessage")
        self.message.setWordWrap(True)
        self.message.setVisible(False)
        layout.addWidget(self.message)
        self.keys = QLabel(
            self.tr("↑↓ 选择 · Enter 打开客户卡片\nR 登记结果，再按 1 已完成 · 2 未联系上 · 3 拒绝 · 4 预约"),
            self,
        )
        self.keys.setObjectName("tasksKeys")
        self.keys.setWordWrap(True)
        self.keys.setStyleSheet("QLabel { color: #5f6368; }")
        layout.addWidget(self.keys)
        self._enable_actions()

    # --- the shell's calls ----------------------------------------------------------------------------
    def activate(self) -> None:
        """Shown (F6, or its tab): the list read again, the focus on it."""
        self.table.setFocus(Qt.FocusReason.TabFocusReason)
        self.refresh()

    def stop(self) -> None:
        """The session ends: the work under way finishes (its answers are dropped) before the store goes."""
        self._stopped = True
        # a database that does not answer: the work is let go and ends on its own
        self.load_task = kept_or_released(self.load_task)
        self.count_task = kept_or_released(self.count_task)
        self.record_task = kept_or_released(self.record_task)
        if self.dialog is not None:
            self.dialog.reject()

    # --- the list ----------------------------------------------------------------------------------------
    def say(self, text: str, *, refusal: bool = False) -> None:
        """The workspace's line for results and refusals (the same words as the command line's)."""
        self.message.setText(text)
        self.message.setStyleSheet(f"QLabel {{ {ERROR_STYLE}; }}" if refusal else "")
        self.message.setVisible(bool(text))

    def refresh(self) -> None:
        """Read the list again on a worker thread (one reading at a time; one more after it if asked)."""
        from teller_assist.services import task_desk

        operator = self._operator()
        if self._stopped or operator is None:
            return
        if self.is_locked():
            self.say(error_text(task_desk.LOCKED), refusal=True)
            return
        if self.load_task is not None:
            self._load_again = True
            return
        ctx, scope, need_scopes, first = self.ctx, self.scope, not self.scopes, self.FIRST_ROWS

        def work(report: Callable[..., None], _cancelled: Callable[[], bool]) -> tuple[Any, DeskList]:
            chosen = task_desk.scopes(ctx, operator) if need_scopes else None
            shown = scope or (chosen[0] if chosen else task_desk.Scope(officer=operator.login))
            page = task_desk.listing(ctx, operator, shown, first=first)
            if page.complete:
                return chosen, page
            report(chosen, page)  # the first screen now (read without the whole list), the rest after
            return chosen, task_desk.listing(ctx, operator, shown)

        task = Task(work, self)
        task.progress.connect(self._first_page)
        task.succeeded.connect(self._loaded)
        task.failed.connect(self._load_failed)
        self.load_task = task
        task.start()

    def _end_load(self) -> bool:
        """The reading is over; True when its answer is still wanted."""
        if self.load_task is not None:
            self.load_task.wait()
            self.load_task.deleteLater()
        self.load_task = None
        if self._stopped:
            return False
        if self._load_again:
            self._load_again = False
            self.refresh()
            return False
        return True

    def _loaded(self, result: tuple[tuple[Scope, ...] | None, DeskList]) -> None:
        if not self._end_load():
            return
        chosen, listing = result
        if chosen is not None:
            self._set_scopes(chosen)
        self.scope = listing.scope
        self._show(listing)
        self.loaded.emit()

    def _first_page(self, result: tuple[tuple[Scope, ...] | None, DeskList]) -> None:
        """A long list's first lines, shown while the whole list is read (unless a newer reading is
        asked for: its own first lines come)."""
        if self._stopped or self._load_again:
            return
        chosen, page = result
        if chosen is not None:
            self._set_scopes(chosen)
        self.scope = page.scope
        self._show(page)

    def _load_failed(self, exc: BaseException) -> None:
        if not self._end_load():
            return
        if not isinstance(exc, UserFacingError):
            raise exc  # a bug, not a state of the world: the crash handler writes its report
        self.listing = None
        self.table.setRowCount(0)
        self.summary.setText(self.tr("今日任务未能读取"))
        self.say(error_text(exc, hint=True), refusal=True)
        self._enable_actions()
        self.loaded.emit()

    def _set_scopes(self, scopes: tuple[Scope, ...]) -> None:
        self.scopes = scopes
        self.scope_box.clear()
        for i, s in enumerate(scopes):
            if i == 0:
                text = self.tr("我的任务")
            elif s.branch is not None:
                text = self.tr("全网点 {0}").format(s.branch)
            else:
                text = f"{s.name or ''}（{s.officer}）" if s.name else str(s.officer)
            self.scope_box.addItem(text)
        several = len(scopes) > 1
        self.scope_label.setVisible(several)
        self.scope_box.setVisible(several)

    def _scope_chosen(self, index: int) -> None:
        if 0 <= index < len(self.scopes) and self.scopes[index] != self.scope:
            self.scope = self.scopes[index]
            self.refresh()
            self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def _show(self, listing: DeskList) -> None:
        before = self.selected()
        keep = None if before is None else (before.id_no, before.line.kind, before.line.campaign)
        self.listing = listing
        branch = listing.scope.branch is not None
        self.table.setColumnHidden(self.OFFICER_COLUMN, not branch)
        if listing.scope in self.scopes:
            self.scope_box.setCurrentIndex(self.scopes.index(listing.scope))
        counts = self.tr("，").join(f"{word(KIND_ZH[k])} {n}" for k, n in listing.counts.items() if n)
        self.summary.setText(
            self.tr("今日任务 {0} 项").format(listing.total) + (self.tr("：") + counts if counts else "")
            if listing.total
            else self.tr("今日没有待办任务")
        )
        self.notes.setText("\n".join(listing.notes))
        self.notes.setVisible(bool(listing.notes))
        self.table.setRowCount(len(listing.tasks))
        row_to_select = 0
        if keep is not None:
            row_to_select = next(
                (i for i, t in enumerate(listing.tasks) if keep == (t.id_no, t.line.kind, t.line.campaign)), 0
            )
        self._filling += 1
        first = min(len(listing.tasks), self.FIRST_ROWS)
        self._fill(listing, 0, first)
        if first <= row_to_select < len(listing.tasks):
            self._fill(listing, row_to_select, row_to_select + 1)  # the chosen line, shown with its words
        if first < len(listing.tasks):
            filling = self._filling
            QTimer.singleShot(0, self, lambda: self._fill_more(filling, first))
        if listing.tasks:
            self.table.selectRow(row_to_select)
            self.table.setCurrentCell(row_to_select, 0)
        self._show_detail()
        self._enable_actions()

    def _fill(self, listing: DeskList, start: int, end: int) -> None:
        for i in range(start, end):
            t = listing.tasks[i]
            line = t.line
            kind = word(KIND_ZH[line.kind]) + (self.tr("（预约）") if line.appointment else "")
            due = "—" if line.due_on is None else line.due_on.strftime("%m-%d")
            cells = [kind, _who(t), due, _yuan(line.value_fen), line.officer or self.tr("未分配")]
            tips = [
                kind,
                _who(t),
                self._due_text(t),
                _yuan(line.value_fen),
                cells[4],
            ]
            for j, value in enumerate(cells):
                item = QTableWidgetItem(value)
                item.setToolTip(tips[j])  # whole, however narrow the column
                if j == 2 and line.overdue:
                    item.setForeground(QBrush(OVERDUE))
                self.table.setItem(i, j, item)

    def _fill_more(self, filling: int, start: int) -> None:
        """The next rows of a long list, while it is still the one shown."""
        listing = self.listing
        if self._stopped or filling != self._filling or listing is None:
            return
        end = min(len(listing.tasks), start + self.MORE_ROWS)
        self._fill(listing, start, end)
        if end < len(listing.tasks):
            QTimer.singleShot(0, self, lambda: self._fill_more(filling, end))

    def _due_text(self, t: DeskTask) -> str:
        line = t.line
        if line.due_on is None:
            return self.tr("无截止日期")
        return line.due_on.isoformat() + (self.tr("（已逾期）") if line.overdue else "")

    def selected(self) -> DeskTask | None:
        if self.listing is None:
            return None
        index = self.table.currentRow()
        rows = self.listing.tasks
        return rows[index] if 0 <= index < len(rows) and self.table.selectedItems() else None

    def _show_detail(self) -> None:
        t = self.selected()
        if t is None:
            self.detail.setText("")
            self._enable_actions()
            return
        line = t.line
        parts = [
            word(KIND_ZH[line.kind]) + (self.tr("（预约今日）") if line.appointment else ""),
            _who(t),
            self.tr("截止 {0}").format(self._due_text(t)),
            self.tr("额度 {0} 元").format(_yuan(line.value_fen)) if line.value_fen is not None else "",
            self.tr("名单 {0}").format(line.campaign),
            self.tr("客户经理 {0}").format(line.officer) if line.officer else self.tr("未分配"),
        ]
        self.detail.setText(" · ".join(p for p in parts if p))
        self._enable_actions()

    def _enable_actions(self) -> None:
        chosen = self.selected() is not None
        self.open_button.setEnabled(chosen)
        self.record_button.setEnabled(chosen)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.table and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            key = event.key()
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not event.modifiers():
                self.open_selected()
                return True
            if key == Qt.Key.Key_R and not (
                event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier & ~Qt.KeyboardModifier.ShiftModifier
            ):
                self.record_selected()
                return True
        return super().eventFilter(watched, event)

    # --- the keys --------------------------------------------------------------------------------------
    def open_selected(self) -> None:
        """Enter: the person's card at the counter (the window looks them up, audited as from a task)."""
        from teller_assist.services.task_desk import LOCKED

        t = self.selected()
        if t is None:
            return
        if self.is_locked():
            self.say(error_text(LOCKED), refusal=True)
            return
        self.openCustomer.emit(t.id_no)

    def record_selected(self) -> OutcomeDialog | None:
        """R: what happened on the selected task, asked in a small dialog (one more key)."""
        from teller_assist.services.task_desk import LOCKED

        t = self.selected()
        if t is None or self.dialog is not None:
            return None
        if self.is_locked():
            self.say(error_text(LOCKED), refusal=True)
            return None
        dialog = OutcomeDialog(t, self._today(), self)
        dialog.chosen.connect(lambda *args: self._record(dialog, t, *args))
        dialog.finished.connect(lambda _result: self._dialog_closed(dialog))
        self.dialog = dialog
        dialog.open()
        dialog.activateWindow()  # the next key is the outcome's
        keep_on_screen(dialog)
        return dialog

    def _dialog_closed(self, dialog: OutcomeDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None
        dialog.deleteLater()
        self.window().activateWindow()  # the keys come back to the list: the next R, Enter, ↑↓
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def _record(
        self,
        dialog: OutcomeDialog,
        t: DeskTask,
        outcome: str,
        reason: str | None,
        appointment_on: dt.date | None,
        for_good: bool,
    ) -> None:
        from teller_assist.services import task_desk

        if self.record_task is not None:
            return
        ctx, operator, locked = self.ctx, self._operator(), self.is_locked()

        def work(_report: Callable[..., None], _cancelled: Callable[[], bool]) -> Recorded:
            return task_desk.record(
                ctx,
                operator,
                t,
                outcome,
                reason=reason,
                appointment_on=appointment_on,
                for_good=for_good,
                locked=locked,
            )

        def done(recorded: Recorded) -> None:
            self._end_record()
            if self._stopped:
                return
            text = self.tr("已登记：{0} {1} → {2}").format(
                _who(t), word(KIND_ZH[recorded.kind]), word(OUTCOME_ZH[recorded.outcome])
            )
            if appointment_on is not None:
                text += self.tr("（{0} 再次提醒）").format(appointment_on.isoformat())
            if recorded.struck:
                text += self.tr("；已销号")
            self.say(text)
            if self.dialog is dialog:  # (closed by Esc meanwhile: the line above says it was recorded)
                dialog.accept()
            self.refresh()
            self.recount()

        def failed(exc: BaseException) -> None:
            self._end_record()
            open_still = self.dialog is dialog
            if not isinstance(exc, UserFacingError):
                if open_still:
                    dialog.reject()
                raise exc
            if self._stopped:
                return
            if open_still:
                dialog.refused(exc)  # said where it was asked, what was typed kept
            else:
                self.say(error_text(exc, hint=True), refusal=True)

        task = Task(work, self)
        task.succeeded.connect(done)
        task.failed.connect(failed)
        self.record_task = task
        dialog.set_busy(True)
        task.start()

    def _end_record(self) -> None:
        if self.record_task is not None:
            self.record_task.wait()
            self.record_task.deleteLater()
        self.record_task = None

    # --- the status bar's figure -------------------------------------------------------------------------
    def recount(self) -> None:
        """Count the signed-in officer's tasks on a worker; ``counted`` says the figure (None: hide it)."""
        from teller_assist.services import task_desk

        operator = self._operator()
        if self._stopped:
            return
        if operator is None or self.is_locked():
            self.counted.emit(None)
            return
        if self.count_task is not None:
            self._count_again = True
            return
        ctx = self.ctx

        def work(_report: Callable[..., None], _cancelled: Callable[[], bool]) -> int | None:
            return task_desk.count_today(ctx, operator)

        def done(n: int | None) -> None:
            if not self._end_count():
                return
            self.counted.emit(None if self.is_locked() or self._operator() is not operator else n)

        def failed(exc: BaseException) -> None:
            if not self._end_count():
                return
            if not isinstance(exc, UserFacingError):
                raise exc
            self.counted.emit(None)  # a database away for a moment: no figure rather than a wrong one

        task = Task(work, self)
        task.succeeded.connect(done)
        task.failed.connect(failed)
        self.count_task = task
        task.start()

    def _end_count(self) -> bool:
        if self.count_task is not None:
            self.count_task.wait()
            self.count_task.deleteLater()
        self.count_task = None
        if self._stopped:
            return False
        if self._count_again:
            self._count_again = False
            self.recount()
            return False
        return True


class OutcomeDialog(QDialog):
    """登记结果: the outcome by one key (1–4); a refusal declined asks the reason, an appointment the
    date, each confirmed by Enter. A refusal from the service is said here and what was typed stays."""

    chosen = Signal(str, object, object, bool)  # outcome, reason, appointment date, for good

    def __init__(self, task: DeskTask, today: dt.date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.task, self.today = task, today
        self.outcome: str | None = None
        self.busy = False
        self.setObjectName("outcomeDialog")
        self.setWindowTitle(self.tr("登记任务结果"))
        layout = QVBoxLayout(self)
        summary = QLabel(f"{word(KIND_ZH[task.line.kind])} · {_who(task)}", self)
        summary.setObjectName("outcomeTask")
        summary.setWordWrap(True)
        layout.addWidget(summary)
        self.pages = QStackedWidget(self)
        layout.addWidget(self.pages)

        choose = QWidget(self.pages)
        choose_layout = QVBoxLayout(choose)
        choose_layout.setContentsMargins(0, 0, 0, 0)
        choose_layout.addWidget(QLabel(self.tr("按数字键选择结果："), choose))
        self.choices: dict[str, QPushButton] = {}
        labels = {
            "done": self.tr("1 已完成"),
            "not_reached": self.tr("2 未联系上"),
            "declined": self.tr("3 客户拒绝…"),
            "appointment": self.tr("4 已预约…"),
        }
        for outcome, text in labels.items():
            button = QPushButton(text, choose)
            button.setObjectName(f"outcome_{outcome}")
            button.setAutoDefault(False)  # Enter chooses nothing here: a digit does
            button.clicked.connect(lambda _checked=False, o=outcome: self.choose(o))
            choose_layout.addWidget(button)
            self.choices[outcome] = button
        self.pages.addWidget(choose)

        declined = QWidget(self.pages)
        declined_layout = QVBoxLayout(declined)
        declined_layout.setContentsMargins(0, 0, 0, 0)
        declined_layout.addWidget(QLabel(self.tr("客户拒绝的原因（必填）："), declined))
        self.reason = QLineEdit(declined)
        self.reason.setObjectName("outcomeReason")
        self.reason.setMaxLength(200)
        self.reason.setPlaceholderText(self.tr("例如：已在他行贷款、暂无资金需求"))
        declined_layout.addWidget(self.reason)
        self.for_good = QCheckBox(self.tr("不再跟进（销号）"), declined)
        self.for_good.setObjectName("outcomeForGood")
        declined_layout.addWidget(self.for_good)
        self.pages.addWidget(declined)

        appointment = QWidget(self.pages)
        appointment_layout = QVBoxLayout(appointment)
        appointment_layout.setContentsMargins(0, 0, 0, 0)
        appointment_layout.addWidget(QLabel(self.tr("预约日期（当天任务重新出现）："), appointment))
        self.date = QDateEdit(appointment)
        self.date.setObjectName("outcomeDate")
        self.date.setDisplayFormat("yyyy-MM-dd")
        first = QDate(today.year, today.month, today.day)
        self.date.setMinimumDate(first)
        self.date.setMaximumDate(first.addDays(366))
        self.date.setDate(first.addDays(1))
        appointment_layout.addWidget(self.date)
        hint = QLabel(self.tr("↑↓ 改日期，Enter 确认"), appointment)
        hint.setStyleSheet("QLabel { color: #5f6368; }")
        appointment_layout.addWidget(hint)
        self.pages.addWidget(appointment)

        self.error = error_label("outcomeError", self)
        layout.addWidget(self.error)
        buttons = QHBoxLayout()
        self.confirm_button = QPushButton(self.tr("确认 (Enter)"), self)
        self.confirm_button.setObjectName("outcomeConfirm")
        self.confirm_button.clicked.connect(lambda _checked=False: self.confirm())
        self.confirm_button.setVisible(False)
        buttons.addWidget(self.confirm_button)
        cancel = QPushButton(self.tr("取消 (Esc)"), self)
        cancel.setObjectName("outcomeCancel")
        cancel.setAutoDefault(False)
        cancel.clicked.connect(self.reject)
        buttons.addWidget(cancel)
        layout.addLayout(buttons)
        self._digit: str | None = None  # a digit pressed, chosen a moment later unless a scan follows
        self._digit_timer = QTimer(self)
        self._digit_timer.setSingleShot(True)
        self._digit_timer.setInterval(DIGIT_SETTLE_MS)
        self._digit_timer.timeout.connect(self._digit_chosen)
        self._last_key = 0.0
        self._scan_seen = False
        # on what can hold the focus only (not the dialog too): each key is seen once
        for widget in (
            self.reason,
            self.date,
            self.for_good,
            self.confirm_button,
            cancel,
            *self.choices.values(),
        ):
            widget.installEventFilter(self)
        self.pages.currentChanged.connect(self._fit_page)
        self.pages.setCurrentIndex(0)
        self._fit_page(0)
        self.choices["done"].setFocus()
        self.setMinimumWidth(self.MIN_WIDTH)

    MIN_WIDTH = 360  # the reason's example and the date's words in view, in either language

    def _fit_page(self, index: int) -> None:
        """The dialog as tall as the page it shows (a stack is as tall as its tallest page otherwise)."""
        for i in range(self.pages.count()):
            page = self.pages.widget(i)
            policy = QSizePolicy.Policy.Preferred if i == index else QSizePolicy.Policy.Ignored
            if page is not None:
                page.setSizePolicy(policy, policy)
        self.pages.adjustSize()
        self.adjustSize()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        outcome = OUTCOME_KEYS.get(Qt.Key(event.key()))
        if self.pages.currentIndex() == 0 and outcome is not None:
            event.accept()
            self._digit = outcome  # chosen once it is clear that no scan follows (see eventFilter)
            self._digit_timer.start()
            return
        super().keyPressEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """A card scanned while this dialog is open types an ID and Enter within milliseconds: its digits
        would choose an outcome, and its Enter confirm a reason or a date made of the ID. Keys that come
        that fast are a scan, not a person: they are dropped, and nothing is recorded."""
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        key_text = event.text()
        if key_text not in ID_CHARACTERS and event.key() not in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            return False
        now = time.monotonic()
        fast = now - self._last_key <= BURST_GAP_SECONDS  # since the last ID character
        if key_text in ID_CHARACTERS:
            self._last_key = now
        if not fast:
            return False
        self._digit_timer.stop()
        if not self._scan_seen:
            self._scan_seen = True
            self._say(self.tr("这是扫码输入，结果未登记；请关闭本窗口 (Esc) 后再读卡"))
        return True

    def _digit_chosen(self) -> None:
        outcome, self._digit = self._digit, None
        if outcome is not None and not self._scan_seen:
            self.choose(outcome)

    def choose(self, outcome: str) -> None:
        """The second key: done and not reached are recorded at once; declined and appointment ask first."""
        if self.busy:
            return
        self.outcome = outcome
        if outcome in ("done", "not_reached"):
            self.confirm()
            return
        page = 1 if outcome == "declined" else 2
        self.pages.setCurrentIndex(page)
        self.confirm_button.setVisible(True)
        self.confirm_button.setDefault(True)  # Enter in the reason or the date confirms
        field = self.reason if outcome == "declined" else self.date
        field.setFocus()
        if outcome == "appointment":
            self.date.setCurrentSection(QDateTimeEdit.Section.DaySection)
        grow_to_fit(self)

    def confirm(self) -> None:
        outcome = self.outcome
        if outcome is None or self.busy:
            return
        reason: str | None = None
        day: dt.date | None = None
        if outcome == "declined":
            reason = self.reason.text().strip()
            if not reason:
                self._say(self.tr("请填写客户拒绝的原因"))
                self.reason.setFocus()
                return
        if outcome == "appointment":
            d = self.date.date()
            day = dt.date(d.year(), d.month(), d.day())
        self.chosen.emit(outcome, reason, day, outcome == "declined" and self.for_good.isChecked())

    def set_busy(self, busy: bool) -> None:
        """While the outcome is recorded: nothing more is chosen or typed (Esc still closes)."""
        self.busy = busy
        self.pages.setEnabled(not busy)
        self.confirm_button.setEnabled(not busy)

    def refused(self, exc: UserFacingError) -> None:
        self.set_busy(False)
        self._say(error_text(exc, hint=True))
        focus = {1: self.reason, 2: self.date}.get(self.pages.currentIndex(), self.choices["done"])
        focus.setFocus()

    def _say(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))
        grow_to_fit(self)
