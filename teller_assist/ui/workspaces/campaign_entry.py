"""客群活动's entry desk: the data-entry grid of a collective visit (整村走访) and, on a community
campaign, the registration desk (社区登记), over ``services.campaign_entry``.

The grid: one row a member, the scenario's survey form as columns, by the keys alone. Type into a cell
(a yes-no question or a consent by ``Y``/``N``, a choice by its number, a figure or a text as it is);
``Tab`` or ``Enter`` keeps the cell and goes on to the next question (past the row's last, the next
row's first), ``Shift+Tab`` back; ``Enter`` on a cell not being typed into opens it, ``Esc`` leaves it as
it was. The row's line follows every key typed (the counter's policy functions, not the database).
Each kept cell keeps the row as the person's survey draft (closing the grid, or a crash, loses nothing
kept); a row complete with both consents is recorded as the member's survey (``campaign survey``'s
checks and audit row). IDs are masked; phones and incomes are shown masked once kept.

The desk (community campaigns): ID, name, phone, both consents, ``Enter`` registers and clears for the
next resident; a bad ID, a duplicate or a name that differs from the bank's record is refused in words,
what was typed kept. ``Ctrl+Tab`` moves between the desk and the grid; ``Esc`` closes.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QKeyEvent, QRegularExpressionValidator
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from teller_assist.campaigns.entry import answer_of, decide_row, shown_answer, typed_text
from teller_assist.errors import UserFacingError
from teller_assist.identity.masking import Masking
from teller_assist.money import yuan_text
from teller_assist.prequal.engine import Decision
from teller_assist.prequal.policy import Field, Form
from teller_assist.prequal.survey import CheckedSurvey
from teller_assist.ui.i18n import error_text, pick
from teller_assist.ui.tasks import Task
from teller_assist.ui.widgets import ERROR_STYLE, error_label

if TYPE_CHECKING:
    from teller_assist.prequal.policy import Policy
    from teller_assist.services.campaign_entry import EntryRow, EntrySheet, Registration
    from teller_assist.services.context import Context
    from teller_assist.services.operators import OperatorRecord
    from teller_assist.ui.workspaces.campaigns import CampaignsWorkspace

Loaded = tuple["EntrySheet", list[tuple[CheckedSurvey, Decision]]]  # a sheet and its rows' lines
GREY = QColor("#5f6368")
RED = QColor("#a11212")
GREEN = QColor("#1e7d32")
DISPLAY = int(Qt.ItemDataRole.DisplayRole)  # the roles as plain numbers: data() is asked thousands of
EDIT = int(Qt.ItemDataRole.EditRole)  # times a frame, and an enum's attribute costs more than the answer
ALIGN = int(Qt.ItemDataRole.TextAlignmentRole)
FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
READ_ONLY = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
EDITABLE = READ_ONLY | Qt.ItemFlag.ItemIsEditable
MASKED_TYPES = ("yuan",)  # incomes, debts, turnover and sales: masked once kept
FIXED = 3  # line, name, ID before the form's questions


class RowState:
    """One row as typed: the answers, the decision they give (computed when first shown), and where it
    stands (recorded as the survey, kept as a draft, or typed but not kept)."""

    __slots__ = ("answers", "brushes", "checked", "decision", "kept", "problem", "row", "saved", "shown")

    def __init__(self, row: EntryRow) -> None:
        self.row = row
        self.answers: dict[str, Any] = dict(row.answers)
        self.checked: CheckedSurvey | None = None
        self.decision: Decision | None = None
        self.saved = row.surveyed and not row.drafted  # recorded, nothing typed since
        self.kept = True  # nothing typed that is not in a draft or the survey
        self.problem: str | None = None  # the last save's refusal
        self.shown: list[str] | None = None  # the row's cells as shown, until something changes
        self.brushes: tuple[QBrush | None, QBrush | None] = (None, None)  # the line's, the status's


class EntryModel(QAbstractTableModel):
    """The grid's rows over the sheet's members: ``edited`` fires when a cell was kept (the dialog keeps
    the row); :meth:`preview` recomputes a row's line from a cell still being typed."""

    edited = Signal(int)

    def __init__(
        self, policy: Policy, today: dt.date, masking: Masking, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.policy, self.today, self.masking = policy, today, masking
        self.sheet: EntrySheet | None = None
        self.form: Form | None = None
        self.fields: tuple[Field, ...] = ()
        self.states: list[RowState] = []
        self._preview: tuple[int, str, Any] | None = None
        self._previewed: tuple[CheckedSurvey, Decision] | None = None  # what the preview decided
        self.line_col = FIXED

    # --- the shape ------------------------------------------------------------------------------------
    def set_sheet(
        self, sheet: EntrySheet, decided: list[tuple[CheckedSurvey, Decision]] | None = None
    ) -> None:
        """The sheet's rows, with their lines when already decided (on the worker that read them: a
        row's line is otherwise decided the first time it is shown, inside that frame)."""
        self.beginResetModel()
        self.sheet, self.form = sheet, sheet.form
        self.fields = sheet.form.fields
        self.states = [RowState(r) for r in sheet.rows]
        for state, (checked, decision) in zip(self.states, decided or (), strict=False):
            state.checked, state.decision = checked, decision
        self._preview = self._previewed = None
        self.line_col = FIXED + len(self.fields)
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.states)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() or self.form is None else FIXED + len(self.fields) + 3

    def field_at(self, column: int) -> Field | None:
        at = column - FIXED
        return self.fields[at] if 0 <= at < len(self.fields) else None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        f = self.field_at(section)
        if role == Qt.ItemDataRole.DisplayRole:
            if f is not None:
                return pick(f.label_zh, f.label_en) + ("*" if f.required else "")
            fixed = [self.tr("行号"), self.tr("姓名"), self.tr("身份证号")]
            after = [self.tr("可授额度"), self.tr("调查后额度"), self.tr("状态")]
            return (fixed + [""] * len(self.fields) + after)[section]
        if role == Qt.ItemDataRole.ToolTipRole and f is not None:
            return pick(f.label_zh, f.label_en) + "\n" + self._how(f)

    def _how(self, f: Field) -> str:
        if f.type in ("boolean", "consent"):
            return self.tr("Y 是 · N 否")
        if f.type == "choice":
            return " · ".join(f"{n} {pick(c.zh, c.en)}" for n, c in enumerate(f.choices, start=1))
        return pick(f.help_zh, f.help_en) or pick(f.label_zh, f.label_en)

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        return EDITABLE if FIXED <= index.column() < self.line_col else READ_ONLY

    # --- the line ---------------------------------------------------------------------------------------
    def answers(self, row: int) -> dict[str, Any]:
        return dict(self.states[row].answers)

    def decided(self, row: int) -> tuple[CheckedSurvey, Decision]:
        """The row's survey checked and its line, computed once for what is kept (a preview not kept)."""
        state = self.states[row]
        if self._preview is not None and self._preview[0] == row:
            if self._previewed is None:
                _, key, answer = self._preview
                assert self.sheet is not None
                self._previewed = decide_row(
                    state.row.card, state.row.evidence, self.sheet.campaign.scenario,
                    state.answers | {key: answer}, self.policy, self.today,
                )  # fmt: skip
            return self._previewed
        if state.decision is None or state.checked is None:
            assert self.sheet is not None
            state.checked, state.decision = decide_row(
                state.row.card, state.row.evidence, self.sheet.campaign.scenario, state.answers,
                self.policy, self.today,
            )  # fmt: skip
        return state.checked, state.decision

    def preview(self, row: int, column: int, text: str) -> None:
        """A key typed into a cell: the row's line as if the cell were kept now."""
        f = self.field_at(column)
        if f is None or not 0 <= row < len(self.states):
            return
        self._preview, self._previewed = (row, f.key, answer_of(f, text)), None
        self._line_changed(row)

    def end_preview(self) -> None:
        if self._preview is not None:
            row = self._preview[0]
            self._preview = self._previewed = None
            self._line_changed(row)

    def _line_changed(self, row: int) -> None:
        self.states[row].shown = None
        self.dataChanged.emit(self.index(row, self.line_col), self.index(row, self.line_col + 2))

    # --- the cells --------------------------------------------------------------------------------------
    def line_text(self, row: int) -> tuple[str, str]:
        _checked, decision = self.decided(row)
        if not decision.eligible:
            return self.tr("不可授信"), ""
        return yuan_text(decision.grantable_fen), yuan_text(decision.potential_fen)

    def status_text(self, row: int) -> str:
        state = self.states[row]
        checked, _decision = self.decided(row)
        if state.problem:
            return state.problem
        if checked.problems:
            return next(iter(checked.problems.values()))
        if state.saved:
            return self.tr("已保存调查")
        left = len(checked.missing)
        if left:
            kept = self.tr("草稿") if state.answers else self.tr("未填")
            return self.tr("{0}·缺{1}项").format(kept, left)
        return self.tr("待保存")

    def cell(self, row: int, column: int) -> str:
        state = self.states[row]
        r = state.row
        if column == 0:
            return str(r.line_no)
        if column == 1:
            return r.name
        if column == 2:
            return r.id_masked
        f = self.field_at(column)
        if f is not None:
            answer = state.answers.get(f.key)
            if answer is None:
                return ""
            if f.type == "mobile" and isinstance(answer, str) and answer.isdigit() and len(answer) == 11:
                return self.masking.phone(answer)
            if f.type in MASKED_TYPES and isinstance(answer, int):
                return self.masking.income(str(answer))
            return shown_answer(f, answer)
        grantable, potential = self.line_text(row)
        if column == self.line_col:
            return grantable
        if column == self.line_col + 1:
            return potential
        return self.status_text(row)

    def _shown(self, row: int) -> list[str]:
        """The row's cells and colours, worked out once until the row changes (a frame asks for each
        cell's every role)."""
        state = self.states[row]
        if state.shown is None:
            state.shown = [self.cell(row, c) for c in range(self.line_col + 3)]
            checked, decision = self.decided(row)
            red = state.problem or checked.problems
            state.brushes = (
                None if decision.eligible else QBrush(RED),
                QBrush(RED if red else GREEN if state.saved else GREY),
            )
        return state.shown

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> Any:
        if role == DISPLAY:
            row = index.row()
            return self._shown(row)[index.column()] if 0 <= row < len(self.states) else None
        if role == FOREGROUND:
            row, column = index.row(), index.column()
            if column < self.line_col or column == self.line_col + 1 or not 0 <= row < len(self.states):
                return None
            self._shown(row)
            return self.states[row].brushes[0 if column == self.line_col else 1]
        if role == ALIGN:
            column = index.column()
            return RIGHT if column in (0, self.line_col, self.line_col + 1) else None
        if role not in (EDIT, TOOLTIP) or not index.isValid() or not 0 <= index.row() < len(self.states):
            return None
        row, column = index.row(), index.column()
        if role == EDIT:
            f = self.field_at(column)
            return typed_text(f, self.states[row].answers.get(f.key)) if f is not None else None
        if role == TOOLTIP and column >= self.line_col:
            _checked, decision = self.decided(row)
            words = list(decision.reasons) or [self.status_text(row)]
            return "\n".join(words)
        return None

    def setData(self, index: QModelIndex | QPersistentModelIndex, value: Any, role: int = 0) -> bool:
        f = self.field_at(index.column())
        if role != Qt.ItemDataRole.EditRole or f is None or not index.isValid():
            return False
        row = index.row()
        state = self.states[row]
        answer = answer_of(f, str(value or ""))
        self._preview = self._previewed = None
        if state.answers.get(f.key) == answer:
            self._line_changed(row)
            return True
        if answer is None:
            state.answers.pop(f.key, None)
        else:
            state.answers[f.key] = answer
        state.checked = state.decision = None
        state.saved, state.kept, state.problem, state.shown = False, False, None, None
        self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))
        self.edited.emit(row)
        return True

    def mark(self, row: int, *, saved: bool = False, kept: bool = False, problem: str | None = None) -> None:
        """After the dialog kept the row: recorded as the survey, kept as a draft, or refused."""
        state = self.states[row]
        state.saved, state.kept, state.problem, state.shown = saved, kept or saved, problem, None
        self.dataChanged.emit(self.index(row, self.line_col + 2), self.index(row, self.line_col + 2))


class CellDelegate(QStyledItemDelegate):
    """A cell typed into: each key recomputes the row's line; ``Enter`` keeps it and goes on, as Tab."""

    def __init__(self, model: EntryModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.editor: QLineEdit | None = None

    def createEditor(
        self, parent: QWidget, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QWidget:
        editor = QLineEdit(parent)
        editor.setObjectName("entryCellEditor")
        f = self.model.field_at(index.column())
        if f is not None and f.type in ("yuan", "integer"):
            editor.setValidator(QRegularExpressionValidator(r"\d{0,10}", editor))
        elif f is not None and f.type == "mobile":
            editor.setValidator(QRegularExpressionValidator(r"1\d{0,10}", editor))
        elif f is not None and f.type == "decimal":
            editor.setValidator(QRegularExpressionValidator(r"\d{0,9}(\.\d{0,4})?", editor))
        row, column = index.row(), index.column()
        editor.textEdited.connect(lambda text: self.model.preview(row, column, text))
        self.editor = editor
        editor.destroyed.connect(lambda *_a: self._gone(editor))
        return editor

    def _gone(self, editor: QLineEdit) -> None:
        if self.editor is editor:
            self.editor = None

    def destroyEditor(self, editor: QWidget, index: QModelIndex | QPersistentModelIndex) -> None:
        if self.editor is editor:
            self.editor = None
        self.model.end_preview()
        super().destroyEditor(editor, index)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Enter in the cell: kept, and on to the next question (as Tab); every other key Qt's."""
        if event.type() == QEvent.Type.KeyPress and isinstance(watched, QLineEdit):
            assert isinstance(event, QKeyEvent)
            plain = not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and plain:
                self.commitData.emit(watched)
                self.closeEditor.emit(watched, QAbstractItemDelegate.EndEditHint.EditNextItem)
                return True
        return super().eventFilter(watched, event)

    def keep_open(self) -> None:
        """The cell being typed into kept now (the grid closes)."""
        if self.editor is not None:
            self.commitData.emit(self.editor)


class EntryView(QTableView):
    """Tab and Enter walk the questions only (line, name, ID and the line's columns are read, not typed);
    past a row's last question, the next row's first."""

    def __init__(self, model: EntryModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.entry = model
        self.setModel(model)
        self.setObjectName("entryGrid")
        self.delegate = CellDelegate(model, self)
        self.setItemDelegate(self.delegate)
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.AnyKeyPressed
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.DoubleClicked
        )
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.setTabKeyNavigation(True)
        self.setWordWrap(False)
        self.setAlternatingRowColors(True)
        header = self.verticalHeader()
        header.setVisible(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header.setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        # a question's words from their start when its column is narrower (whole in the tooltip)
        left = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        self.horizontalHeader().setDefaultAlignment(left)

    def moveCursor(
        self, cursorAction: QAbstractItemView.CursorAction, modifiers: Qt.KeyboardModifier
    ) -> QModelIndex:
        forward = cursorAction == QAbstractItemView.CursorAction.MoveNext
        back = cursorAction == QAbstractItemView.CursorAction.MovePrevious
        model = self.entry
        current = self.currentIndex()
        if not (forward or back) or not current.isValid() or not model.fields:
            return super().moveCursor(cursorAction, modifiers)
        first, last = FIXED, FIXED + len(model.fields) - 1
        row, col = current.row(), current.column()
        if forward:
            row, col = (row, col + 1) if first <= col < last else (row + (col >= last), first)
        else:
            row, col = (row, col - 1) if first < col <= last else (row - (col <= first), last)
        if not 0 <= row < model.rowCount():
            return current
        return model.index(row, col)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        plain = not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        current = self.currentIndex()
        enter = event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and plain and current.isValid()
        if enter and self.state() != QAbstractItemView.State.EditingState:
            if self.entry.field_at(current.column()) is None:
                self.setCurrentIndex(self.entry.index(current.row(), FIXED))
            self.edit(self.currentIndex())
            return
        super().keyPressEvent(event)


class RegistrationDesk(QWidget):
    """社区登记: ID, name, phone, both consents, Enter; cleared for the next one once registered."""

    register = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("registrationDesk")
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.id_edit = QLineEdit(self)
        self.id_edit.setObjectName("deskId")
        self.id_edit.setMaxLength(18)
        self.id_edit.setValidator(QRegularExpressionValidator(r"[0-9]{0,17}[0-9Xx]?", self.id_edit))
        self.id_edit.setPlaceholderText(self.tr("18位身份证号"))
        self.name_edit = QLineEdit(self)
        self.name_edit.setObjectName("deskName")
        self.name_edit.setMaxLength(30)
        self.name_edit.setPlaceholderText(self.tr("与身份证上的姓名一致"))
        self.phone_edit = QLineEdit(self)
        self.phone_edit.setObjectName("deskPhone")
        self.phone_edit.setValidator(QRegularExpressionValidator(r"1\d{0,10}", self.phone_edit))
        self.credit_box = QCheckBox(self.tr("同意查询征信（按 Y）"), self)
        self.credit_box.setObjectName("deskConsentCredit")
        self.info_box = QCheckBox(self.tr("同意处理个人信息（按 Y）"), self)
        self.info_box.setObjectName("deskConsentInfo")
        form.addRow(self.tr("身份证号") + "*", self.id_edit)
        form.addRow(self.tr("姓名") + "*", self.name_edit)
        form.addRow(self.tr("手机号") + "*", self.phone_edit)
        form.addRow(self.credit_box)
        form.addRow(self.info_box)
        box = QWidget(self)  # a desk's fields as wide as an ID, not the window
        box.setMaximumWidth(640)
        box.setLayout(form)
        form.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(box)
        self.register_button = QPushButton(self.tr("登记 (Enter)"), self)
        self.register_button.setObjectName("deskRegister")
        self.register_button.setAutoDefault(False)
        self.register_button.clicked.connect(lambda _checked=False: self.register.emit())
        row = QHBoxLayout()
        row.addWidget(self.register_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.error = error_label("deskError", self)
        layout.addWidget(self.error)
        self.done_line = QLabel("", self)
        self.done_line.setObjectName("deskDone")
        self.done_line.setWordWrap(True)
        layout.addWidget(self.done_line)
        self.recent = QLabel("", self)
        self.recent.setObjectName("deskRecent")
        self.recent.setWordWrap(True)
        self.recent.setStyleSheet("QLabel { color: #5f6368; }")
        layout.addWidget(self.recent)
        layout.addStretch(1)
        self.registered: list[str] = []
        for w in self.questions():
            w.installEventFilter(self)

    def questions(self) -> list[QWidget]:
        return [self.id_edit, self.name_edit, self.phone_edit, self.credit_box, self.info_box]

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        plain = not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        asked = self.questions()
        if watched not in asked:
            return False
        assert isinstance(watched, QWidget)
        at = asked.index(watched)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and plain:
            if at == len(asked) - 1:
                self.register.emit()
            else:
                asked[at + 1].setFocus(Qt.FocusReason.TabFocusReason)
            return True
        if isinstance(watched, QCheckBox) and event.text().upper() in ("Y", "N") and plain:
            watched.setChecked(event.text().upper() == "Y")
            if at < len(asked) - 1:
                asked[at + 1].setFocus(Qt.FocusReason.TabFocusReason)
            return True
        return False

    def entered(self) -> tuple[str, str, str, tuple[bool, bool]]:
        return (
            self.id_edit.text().strip(),
            self.name_edit.text().strip(),
            self.phone_edit.text().strip(),
            (self.credit_box.isChecked(), self.info_box.isChecked()),
        )

    def refused(self, text: str, where: QWidget | None = None) -> None:
        self.error.setText(text)
        self.error.setVisible(True)
        self.done_line.setText("")
        (where or self.id_edit).setFocus(Qt.FocusReason.OtherFocusReason)

    def registered_one(self, done: Registration) -> None:
        self.error.setVisible(False)
        status = self.tr("本行客户") if done.status == "matched" else self.tr("新客户")
        again = self.tr("（曾被名单移出，重新登记）") if done.again else ""
        line_fen = done.decision.grantable_fen if done.decision.eligible else 0
        self.done_line.setText(
            self.tr("已登记：第{0}行 {1} {2}，{3}，可授基础额度 {4} 元{5}").format(
                done.line_no, done.name, done.id_masked, status, yuan_text(line_fen), again
            )
        )
        self.registered.insert(0, f"{done.line_no} {done.name} {done.id_masked}")
        self.recent.setText(self.tr("本次已登记 {0} 人：").format(len(self.registered))
                            + "；".join(self.registered[:5]))  # fmt: skip
        for edit in (self.id_edit, self.name_edit, self.phone_edit):
            edit.clear()
        self.credit_box.setChecked(False)
        self.info_box.setChecked(False)
        self.id_edit.setFocus(Qt.FocusReason.OtherFocusReason)


class EntryDialog(QDialog):
    """The grid (and, on a community campaign, the desk first) for one campaign."""

    loaded = Signal()
    kept = Signal(int)  # a row kept (a draft, or recorded as the survey)

    def __init__(
        self,
        ctx: Context,
        operator: Callable[[], OperatorRecord | None],
        is_locked: Callable[[], bool],
        code: str,
        scenario: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx, self.policy, self.masking = ctx, ctx.in_force(), ctx.settings.masking
        self.today = ctx.today()  # the day the rows' lines are computed for while the grid is open
        self._operator, self.is_locked = operator, is_locked
        self.code, self.scenario = code, scenario
        self.setObjectName("campaignEntry")
        self.setWindowTitle(self.tr("客群录入 — {0}").format(code))
        self.load_task: Task | None = None
        self._reload = False
        self.last_line_ms: float | None = None

        layout = QVBoxLayout(self)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("entryTabs")
        self.desk: RegistrationDesk | None = None
        if scenario == "community":
            self.desk = RegistrationDesk(self.tabs)
            self.desk.register.connect(self.register)
            self.tabs.addTab(self.desk, self.tr("社区登记"))
        page = QWidget(self.tabs)
        page_layout = QVBoxLayout(page)
        page_layout.setContentsMargins(0, 4, 0, 0)
        self.model = EntryModel(self.policy, self.today, self.masking, self)
        self.model.edited.connect(self.keep_row)
        self.view = EntryView(self.model, page)
        page_layout.addWidget(self.view, 1)
        self.summary = QLabel(self.tr("正在读取成员…"), page)
        self.summary.setObjectName("entrySummary")
        self.summary.setWordWrap(True)
        page_layout.addWidget(self.summary)
        self.tabs.addTab(page, self.tr("走访调查录入"))
        self.grid_page = page
        layout.addWidget(self.tabs, 1)
        self.error = error_label("entryError", self)
        layout.addWidget(self.error)
        keys = QLabel(
            self.tr("直接输入 · Tab/Enter 保留并到下一项 · Shift+Tab 上一项 · Y/N 是否 · 数字选选项 · "
                    "Esc 撤销本格/关闭 · Ctrl+Tab 登记/录入"),
            self,
        )  # fmt: skip
        keys.setObjectName("entryKeys")
        keys.setWordWrap(True)
        keys.setStyleSheet("QLabel { color: #5f6368; }")
        layout.addWidget(keys)
        self.tabs.currentChanged.connect(self._tab_changed)
        self.resize(1300, 700)

    # --- reading ---------------------------------------------------------------------------------------
    def load(self) -> None:
        """Read the sheet on a worker thread (the members, their cards and drafts)."""
        from teller_assist.services import campaign_entry

        if self.load_task is not None:
            self._reload = True
            return
        ctx, policy, today = self.ctx, self.policy, self.today
        operator, locked, code = self._operator(), self.is_locked(), self.code

        def work(_report: Callable[..., None], _cancelled: Callable[[], bool]) -> Loaded:
            sheet = campaign_entry.open_sheet(ctx, operator, code, locked=locked)
            scenario = sheet.campaign.scenario
            return sheet, [
                decide_row(r.card, r.evidence, scenario, r.answers, policy, today) for r in sheet.rows
            ]

        task = Task(work, self)
        task.succeeded.connect(self._loaded)
        task.failed.connect(self._load_failed)
        self.load_task = task
        task.start()

    def _done_loading(self) -> bool:
        task, self.load_task = self.load_task, None
        if task is not None:
            task.wait()
            task.deleteLater()
        if self._reload:
            self._reload = False
            self.load()
            return False
        return True

    def _loaded(self, loaded: Loaded) -> None:
        if not self._done_loading():
            return
        self.model.set_sheet(*loaded)
        self._fit_columns()
        self._summarise()
        if self.model.rowCount():
            self.view.setCurrentIndex(self.model.index(self._first_open_row(), FIXED))
        if self.tabs.currentWidget() is self.grid_page:
            self.view.setFocus(Qt.FocusReason.OtherFocusReason)
        self.loaded.emit()

    def _fit_columns(self) -> None:
        """Every column on a 1366-pixel screen: the line, the name and the masked ID whole; each question
        as wide as its answers (a yes-no or a consent narrow, its header cut and whole in its tooltip);
        the lines as wide as their figures."""
        header = self.view.horizontalHeader()
        for col in range(FIXED):
            self.view.resizeColumnToContents(col)
        em = self.view.fontMetrics().horizontalAdvance("0")
        wide = {"boolean": 7, "consent": 7, "yuan": 10, "integer": 8, "decimal": 8, "mobile": 12}
        for col, f in enumerate(self.model.fields, start=FIXED):
            header.resizeSection(col, em * wide.get(f.type, 12) + 12)
        for col in (self.model.line_col, self.model.line_col + 1):
            header.resizeSection(col, max(header.sectionSizeHint(col), em * 9 + 12))
        header.resizeSection(self.model.line_col + 2, em * 16 + 12)

    def _first_open_row(self) -> int:
        return next((i for i, s in enumerate(self.model.states) if not s.saved), 0)

    def _load_failed(self, exc: BaseException) -> None:
        if not self._done_loading():
            return
        if not isinstance(exc, UserFacingError):
            raise exc
        self.say(error_text(exc, hint=True))
        self.summary.setText(self.tr("未能读取成员"))
        self.loaded.emit()

    def _summarise(self) -> None:
        states = self.model.states
        saved = sum(s.saved for s in states)
        drafted = sum(1 for s in states if not s.saved and s.answers)
        self.summary.setText(
            self.tr("{0}：{1} 名成员 · 已保存调查 {2} · 草稿 {3}").format(
                self.code, len(states), saved, drafted
            )
        )

    def say(self, text: str) -> None:
        self.error.setText(text)
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setVisible(bool(text))

    # --- keeping a row ---------------------------------------------------------------------------------
    def keep_row(self, row: int) -> None:
        """A cell kept: the row recorded as the survey when complete, else kept as a draft; a refusal is
        said (the row stays as typed, marked not kept)."""
        from teller_assist.services import campaign_entry

        sheet, state = self.model.sheet, self.model.states[row]
        assert sheet is not None
        checked, _decision = self.model.decided(row)
        try:
            if checked.complete:
                recorded = campaign_entry.save_row(
                    self.ctx, self._operator(), sheet, state.row, state.answers, locked=self.is_locked(),
                )  # fmt: skip
                self.model.mark(row, saved=True)
                self.say("")
                self.summary.setText(
                    self.tr("第{0}行 {1} 的调查已保存").format(recorded.line_no, state.row.name)
                )
            else:
                campaign_entry.keep_draft(self.ctx, self._operator(), sheet, state.row, state.answers,
                                          locked=self.is_locked())  # fmt: skip
                self.model.mark(row, kept=True)
                self._summarise()
        except UserFacingError as exc:
            self.model.mark(row, problem=self.tr("未保存"))
            self.say(error_text(exc, hint=True))
            return
        self.kept.emit(row)

    # --- registering -----------------------------------------------------------------------------------
    def register(self) -> None:
        from teller_assist.services import campaign_entry

        assert self.desk is not None
        raw_id, name, phone, consents = self.desk.entered()
        try:
            done = campaign_entry.register(
                self.ctx, self._operator(), self.code, raw_id=raw_id, name=name, phone=phone,
                consents=consents, locked=self.is_locked(),
            )  # fmt: skip
        except UserFacingError as exc:
            where = self._field_for(exc)
            self.desk.refused(error_text(exc, hint=True), where)
            return
        self.desk.registered_one(done)
        self._reload = self.load_task is not None
        self._stale = True

    def _field_for(self, exc: UserFacingError) -> QWidget | None:
        assert self.desk is not None
        text = exc.message_zh
        if "姓名" in text:
            return self.desk.name_edit
        if "手机" in text:
            return self.desk.phone_edit
        if "同意" in text:
            return self.desk.credit_box
        return self.desk.id_edit

    _stale = False

    def _tab_changed(self, index: int) -> None:
        if self.tabs.widget(index) is self.grid_page:
            if self._stale:
                self._stale = False
                self.load()
            self.view.setFocus(Qt.FocusReason.OtherFocusReason)
        elif self.desk is not None:
            self.desk.id_edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        if self.desk is not None:
            self.desk.id_edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def done(self, result: int) -> None:
        self.view.delegate.keep_open()  # the cell being typed into is kept, not dropped
        if self.load_task is not None:
            self.load_task.wait()
        super().done(result)

    # --- measuring (the benchmark's) ---------------------------------------------------------------------
    def timed_preview(self, row: int, column: int, text: str) -> float:
        """Milliseconds from a key's text to the row's new line read back as shown."""
        start = time.perf_counter()
        self.model.preview(row, column, text)
        self.model.data(self.model.index(row, self.model.line_col))
        return (time.perf_counter() - start) * 1000


def open_entry(workspace: CampaignsWorkspace) -> EntryDialog | None:
    """G in 客群活动: the chosen campaign's entry grid (and desk); refused while locked, as the
    workspace's other actions are."""
    line = workspace.selected()
    if workspace.dialog is not None or workspace._operator() is None or line is None:
        return None
    if workspace._locked_refusal("entry", line.campaign.code):
        return None
    dialog = EntryDialog(
        workspace.ctx,
        workspace._operator,
        workspace.is_locked,
        line.campaign.code,
        line.campaign.scenario,
        workspace,
    )
    workspace._open_dialog(dialog)
    dialog.load()
    return dialog
