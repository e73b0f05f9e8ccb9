"""The survey form of a scenario, generated from the policy file; answers recomputed as they are typed.

Answered by the keys alone, one question after another: a choice by its number (or, where the words
shown are Latin, their first letter), yes and no by ``Y`` and ``N``, a consent by ``Y`` (``N`` takes it
back), each moving on to the next question at once; a figure or a text typed, then ``Enter``;
``Shift+Enter`` goes back one question. ``Tab`` and the mouse work as ever."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QIntValidator, QKeyEvent, QRegularExpressionValidator
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from teller_assist.prequal.policy import Form
from teller_assist.prequal.survey import Survey
from teller_assist.ui.i18n import pick

UNANSWERED = "—"
NAME_KEY = "customer_name"  # the name asked of someone the bank has never seen: kept in the draft, not
# an answer of the policy's form (the submission carries it as the application's name)


class SurveyForm(QWidget):
    """One widget per field of the form; ``changed`` fires on every keystroke or choice."""

    changed = Signal()
    finished = Signal()  # the last question was answered by its key: the counter's next step follows

    def __init__(
        self,
        form: Form,
        parent: QWidget | None = None,
        *,
        phone: str | None = None,
        masked_phone: str | None = None,
        ask_name: bool = False,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("surveyForm")
        self.form = form
        self.widgets: dict[str, QWidget] = {}
        self._keys: dict[QWidget, dict[str, int]] = {}  # a choice's keys: the key typed -> the item
        layout = self._layout = QFormLayout(self)
        layout.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        title = QLabel(f"<b>{pick(form.label_zh, form.label_en)}</b> " + self.tr("调查表"), self)
        layout.addRow(title)
        self.name_edit: QLineEdit | None = None
        if ask_name:  # the agreement names its party: someone new gives their name first
            name = QLineEdit(self)
            name.setObjectName("survey_customer_name")
            name.setMaxLength(30)
            name.setPlaceholderText(self.tr("与身份证上的姓名一致"))
            name.setToolTip(self.tr("本行没有此人的资料：请按身份证填写姓名，协议上将写明"))
            name.textChanged.connect(self.changed)
            layout.addRow(self.tr("客户姓名") + "*", name)
            self.name_edit = name
        for f in form.fields:
            widget: QWidget
            if f.type == "consent":
                box = QCheckBox(pick(f.label_zh, f.label_en) + self.tr("（按 Y）"), self)
                box.toggled.connect(self.changed)
                widget = box
            elif f.type in ("boolean", "choice"):
                combo = QComboBox(self)
                keys: dict[str, int] = {}
                if f.type == "boolean":  # the keys are shown with the words: Y 是, N 否
                    combo.addItem(UNANSWERED + " " + self.tr("按 Y 或 N"), None)
                    combo.addItem("Y " + self.tr("是"), True)
                    combo.addItem("N " + self.tr("否"), False)
                    keys = {"Y": 1, "N": 2}
                else:
                    combo.addItem(UNANSWERED + " " + self.tr("按 1–{0}").format(len(f.choices)), None)
                    words = [pick(c.zh, c.en) for c in f.choices]
                    for number, (c, shown) in enumerate(zip(f.choices, words, strict=True), start=1):
                        combo.addItem(f"{number} {shown}", c.value)
                        if number <= 9:
                            keys[str(number)] = number
                    initials = [w[:1].upper() for w in words]
                    for number, initial in enumerate(initials, start=1):
                        if initial.isascii() and initial.isalpha() and initials.count(initial) == 1:
                            keys.setdefault(initial, number)
                self._keys[combo] = keys
                combo.currentIndexChanged.connect(self.changed)
                widget = combo
            else:
                edit = QLineEdit(self)
                if f.type in ("yuan", "integer"):
                    edit.setValidator(QIntValidator(0, 2_000_000_000, edit))
                elif f.type == "decimal":
                    edit.setValidator(QRegularExpressionValidator(r"\d{0,9}(\.\d{0,4})?", edit))
                elif f.type == "mobile":
                    edit.setValidator(QRegularExpressionValidator(r"1\d{0,10}", edit))
                edit.setPlaceholderText(pick(f.help_zh, f.help_en))
                edit.textChanged.connect(self.changed)
                widget = edit
            widget.setObjectName(f"survey_{f.key}")
            widget.setToolTip(pick(f.help_zh, f.help_en) or pick(f.label_zh, f.label_en))
            self.widgets[f.key] = widget
            if f.type == "consent":
                layout.addRow(widget)
            else:
                layout.addRow(pick(f.label_zh, f.label_en) + ("*" if f.required else ""), widget)
        for widget in self.questions():
            widget.installEventFilter(self)
        self.set_phone_on_file(phone, masked_phone)

    def set_phone_on_file(self, phone: str | None, masked_phone: str | None) -> None:
        """The customer's phone on file: kept as the answer unless a new number is typed, and shown in
        the mobile field's placeholder masked (a form made ahead, at idle, learns it when it is used)."""
        self.prefilled_phone = phone
        for f in self.form.fields:
            edit = self.widgets[f.key]
            if f.type != "mobile" or not isinstance(edit, QLineEdit):
                continue
            if phone:  # the number on file stays masked; typing replaces it with the customer's new one
                edit.setPlaceholderText(
                    self.tr("{m}（预留号码，与客户核对；如有变更请输入新号码）").format(m=masked_phone or "")
                )
            else:
                edit.setPlaceholderText(pick(f.help_zh, f.help_en))

    # --- answered by the keys, one question after another ---------------------------------------------
    def questions(self) -> list[QWidget]:
        """The questions in the order they are asked: a new customer's name, the form's fields."""
        first = [self.name_edit] if self.name_edit is not None else []
        return [*first, *(self.widgets[f.key] for f in self.form.fields)]

    def label_for(self, widget: QWidget) -> QWidget | None:
        """The question's words beside or above its field (None for a tick box, which carries them)."""
        return self._layout.labelForField(widget)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            return isinstance(watched, QWidget) and self._key(watched, event)
        return False

    def _key(self, widget: QWidget, event: QKeyEvent) -> bool:
        """True when the key answered the question or moved between questions (and went no further)."""
        modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if modifiers == Qt.KeyboardModifier.ShiftModifier:
                self.go(widget, -1)
                return True
            if modifiers == Qt.KeyboardModifier.NoModifier:
                self.go(widget, +1)
                return True
            return False  # Ctrl+Enter: the window's (submit)
        if modifiers not in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.ShiftModifier):
            return False
        typed = event.text().upper()
        if isinstance(widget, QComboBox) and widget in self._keys:
            item = self._keys[widget].get(typed)
            if item is not None:
                widget.setCurrentIndex(item)
                self.go(widget, +1)
                return True
            # other letters and figures would pick an item by its words (Qt's search): not here
            return bool(typed) and typed.isprintable() and not typed.isspace()
        if isinstance(widget, QCheckBox) and typed in ("Y", "N"):
            widget.setChecked(typed == "Y")
            self.go(widget, +1)
            return True
        return False

    def go(self, widget: QWidget, step: int) -> None:
        """To the next question (``step`` +1) or back one (-1); past the last, ``finished``."""
        asked = [w for w in self.questions() if w.isEnabled()]
        if widget not in asked:
            return
        at = asked.index(widget) + step
        if at < 0:
            return
        if at >= len(asked):
            self.finished.emit()
            return
        reason = Qt.FocusReason.TabFocusReason if step > 0 else Qt.FocusReason.BacktabFocusReason
        asked[at].setFocus(reason)  # a figure already typed is selected: typing replaces it

    def customer_name(self) -> str | None:
        """The name typed for someone new (None when the bank has the name)."""
        return self.name_edit.text().strip() if self.name_edit is not None else None

    def answers(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.name_edit is not None and self.name_edit.text().strip():
            out[NAME_KEY] = self.name_edit.text().strip()
        for f in self.form.fields:
            widget = self.widgets[f.key]
            if isinstance(widget, QCheckBox):
                out[f.key] = widget.isChecked()
            elif isinstance(widget, QComboBox):
                value = widget.currentData()
                if value is not None:
                    out[f.key] = value
            elif isinstance(widget, QLineEdit):
                text = widget.text().strip()
                if not text and f.type == "mobile" and self.prefilled_phone:
                    out[f.key] = self.prefilled_phone
                elif text:
                    out[f.key] = int(text) if f.type in ("yuan", "integer") and text.isdigit() else text
        return out

    def set_answers(self, answers: dict[str, Any]) -> None:
        """Fill the form from a saved draft (consents are never restored: they are ticked again)."""
        if self.name_edit is not None and isinstance(answers.get(NAME_KEY), str):
            self.name_edit.setText(answers[NAME_KEY])
        for f in self.form.fields:
            if f.key not in answers or f.type == "consent":
                continue
            widget, value = self.widgets[f.key], answers[f.key]
            if isinstance(widget, QComboBox):
                index = widget.findData(value)
                if index >= 0:
                    widget.setCurrentIndex(index)
            elif isinstance(widget, QLineEdit):
                if f.type == "mobile" and value == self.prefilled_phone:
                    continue  # the number on file stays masked, as before
                widget.setText(str(value))
        self.changed.emit()

    def survey(self) -> Survey:
        return Survey(self.form.scenario, self.answers())

    def first_field(self) -> QWidget | None:
        # a new customer's name, then the scenario's own questions; the phone and the consents close it
        if self.name_edit is not None:
            return self.name_edit
        return self.widgets[self.form.fields[0].key] if self.form.fields else None
