"""操作员管理: the head-office administrator adds operators, disables them, resets their passwords and
changes their roles, through the same service as ``teller-assist users`` (which checks the role again
and audits each change under the administrator). Refused, and closed, while the window is locked."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFormLayout,
    QGroupBox,
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
from teller_assist.services.operators import ROLE_ZH, ROLES
from teller_assist.ui.i18n import error_text
from teller_assist.ui.session import ERROR_STYLE
from teller_assist.ui.tasks import Task
from teller_assist.ui.words import word

if TYPE_CHECKING:
    from teller_assist.services.context import Context
    from teller_assist.services.operators import OperatorRecord

OK_STYLE = "color: #1b5e20"


class OperatorsDialog(QDialog):
    def __init__(
        self,
        ctx: Context,
        admin: OperatorRecord,
        parent: QWidget | None = None,
        *,
        is_locked: Callable[[], bool] = lambda: False,
    ) -> None:
        super().__init__(parent)
        self.ctx, self.admin, self.is_locked = ctx, admin, is_locked
        self.setObjectName("operatorsDialog")
        self.setWindowTitle(self.tr("操作员管理"))
        self.resize(640, 560)
        layout = QVBoxLayout(self)

        self.table = QTableWidget(0, 5, self)
        self.table.setObjectName("operatorsTable")
        self.table.setHorizontalHeaderLabels(
            [self.tr("登录名"), self.tr("姓名"), self.tr("角色"), self.tr("网点"), self.tr("状态")]
        )
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table)

        chosen = QGroupBox(self.tr("所选操作员"), self)
        chosen_form = QFormLayout(chosen)
        role_row = QHBoxLayout()
        self.role_choice = self._roles(chosen, "roleChoice")
        role_row.addWidget(self.role_choice)
        self.set_role_button = QPushButton(self.tr("修改角色"), chosen)
        self.set_role_button.setObjectName("setRoleButton")
        self.set_role_button.clicked.connect(self.set_role)
        role_row.addWidget(self.set_role_button)
        chosen_form.addRow(self.tr("角色"), role_row)
        self.reset_password = self._password(chosen, "resetPassword")
        chosen_form.addRow(self.tr("一次性密码"), self.reset_password)
        self.reset_password2 = self._password(chosen, "resetPassword2")
        chosen_form.addRow(self.tr("再次输入"), self.reset_password2)
        buttons = QHBoxLayout()
        self.reset_button = QPushButton(self.tr("重置密码"), chosen)
        self.reset_button.setObjectName("resetPasswordButton")
        self.reset_button.clicked.connect(self.reset)
        buttons.addWidget(self.reset_button)
        self.disable_button = QPushButton(self.tr("停用"), chosen)
        self.disable_button.setObjectName("disableOperatorButton")
        self.disable_button.clicked.connect(self.disable)
        buttons.addWidget(self.disable_button)
        chosen_form.addRow(buttons)
        note = QLabel(self.tr("重置后旧密码失效，该操作员下次登录须先设置只有本人知道的新密码。"), chosen)
        note.setWordWrap(True)
        chosen_form.addRow(note)
        layout.addWidget(chosen)

        new = QGroupBox(self.tr("新增操作员"), self)
        new_form = QFormLayout(new)
        self.new_login = QLineEdit(new)
        self.new_login.setObjectName("newLogin")
        new_form.addRow(self.tr("登录名"), self.new_login)
        self.new_name = QLineEdit(new)
        self.new_name.setObjectName("newName")
        new_form.addRow(self.tr("姓名"), self.new_name)
        self.new_role = self._roles(new, "newRole")
        new_form.addRow(self.tr("角色"), self.new_role)
        self.new_branch = QLineEdit(new)
        self.new_branch.setObjectName("newBranch")
        new_form.addRow(self.tr("网点号"), self.new_branch)
        self.new_password = self._password(new, "newOperatorPassword")
        new_form.addRow(self.tr("密码"), self.new_password)
        self.new_password2 = self._password(new, "newOperatorPassword2")
        new_form.addRow(self.tr("再次输入"), self.new_password2)
        self.add_button = QPushButton(self.tr("新增"), new)
        self.add_button.setObjectName("addOperatorButton")
        self.add_button.clicked.connect(self.add)
        new_form.addRow(self.add_button)
        layout.addWidget(new)

        self.message = QLabel("", self)
        self.message.setObjectName("operatorsMessage")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        close = QPushButton(self.tr("关闭"), self)
        close.clicked.connect(self.accept)
        layout.addWidget(close)

        self.task: Task | None = None  # a change on its way to the database
        self.lock_watch = QTimer(self)  # the window locked meanwhile: nothing stays on screen
        self.lock_watch.setInterval(300)
        self.lock_watch.timeout.connect(self._close_if_locked)
        self.lock_watch.start()
        self.refresh()

    def _roles(self, parent: QWidget, name: str) -> QComboBox:
        box = QComboBox(parent)
        box.setObjectName(name)
        for role in ROLES:
            box.addItem(word(ROLE_ZH[role]), role)
        return box

    def _password(self, parent: QWidget, name: str) -> QLineEdit:
        field = QLineEdit(parent)
        field.setObjectName(name)
        field.setEchoMode(QLineEdit.EchoMode.Password)
        return field

    # --- the list ------------------------------------------------------------------------------
    def refresh(self) -> None:
        from teller_assist.services import operators

        rows = operators.list_operators(self.ctx)
        now = dt.datetime.now(dt.UTC)
        self.table.setRowCount(len(rows))
        for i, r in enumerate(rows):
            if not r.active:
                state = self.tr("停用")
            elif r.must_change_password:
                state = self.tr("待设新密码")
            elif r.locked_until is not None and r.locked_until > now:
                state = self.tr("锁定")
            else:
                state = self.tr("正常")
            for j, text in enumerate(
                (r.login, r.name, word(ROLE_ZH.get(r.role, r.role)), r.branch_code or "—", state)
            ):
                self.table.setItem(i, j, QTableWidgetItem(text))

    def selected_login(self) -> str | None:
        row = self.table.currentRow()
        item = self.table.item(row, 0) if row >= 0 else None
        return item.text() if item is not None else None

    def select(self, login: str) -> None:
        for row in range(self.table.rowCount()):
            item = self.table.item(row, 0)
            if item is not None and item.text() == login:
                self.table.selectRow(row)
                return

    # --- the actions, each through the service, on a worker thread ------------------------------
    def _run(self, action: Callable[[], str], then: Callable[[bool], None] | None = None) -> None:
        """Run ``action`` (one service call: adding an operator or resetting a password hashes it with
        Argon2id, ~0.1 s by design) on a worker thread, the buttons off meanwhile; its words or its
        refusal in the dialog, then ``then(done)``. What it needs was read from the fields before."""
        if self.is_locked():
            self._say(self.tr("窗口已锁定，请先解锁"), error=True)
            if then is not None:
                then(False)
            return
        if self.task is not None:
            return  # a double click: the first one is on its way
        buttons = (self.add_button, self.reset_button, self.disable_button, self.set_role_button)
        for button in buttons:
            button.setEnabled(False)
        task = Task(lambda _report, _cancelled: action(), self)

        def finish() -> None:
            task.wait()
            self.task = None
            for button in buttons:
                button.setEnabled(True)

        def succeeded(said: str) -> None:
            finish()
            self.refresh()
            self._say(said, error=False)
            if then is not None:
                then(True)

        def failed(exc: BaseException) -> None:
            finish()
            if not isinstance(exc, UserFacingError):
                raise exc  # a bug: the crash handler writes its report
            self._say(error_text(exc, hint=True), error=True)
            if then is not None:
                then(False)

        task.succeeded.connect(succeeded)
        task.failed.connect(failed)
        self.task = task
        task.start()

    def done(self, result: int) -> None:
        if self.task is not None:  # closed (or locked away) while a change was on its way: it lands first
            self.task.wait()
        super().done(result)

    def _say(self, text: str, *, error: bool) -> None:
        self.message.setStyleSheet(ERROR_STYLE if error else OK_STYLE)
        self.message.setText(text)

    def _chosen(self) -> str | None:
        login = self.selected_login()
        if login is None:
            self._say(
                error_text(
                    UserFacingError("请先在列表中选择一位操作员", "select an operator in the list first")
                ),
                error=True,
            )
        return login

    def _matching(self, first: QLineEdit, second: QLineEdit) -> bool:
        if first.text() == second.text():
            return True
        self._say(
            error_text(UserFacingError("两次输入的密码不一致", "the passwords do not match")), error=True
        )
        return False

    def add(self) -> None:
        from teller_assist.services import operators

        ctx, admin, login, name = self.ctx, self.admin, self.new_login.text(), self.new_name.text()
        role, password = str(self.new_role.currentData()), self.new_password.text()
        branch = self.new_branch.text().strip() or None
        said = self.tr("已新增 {0}")

        def work() -> str:
            record = operators.add_operator(
                ctx, admin, login=login, name=name, role=role, password=password, branch_code=branch
            )
            return said.format(record.login)

        def then(done: bool) -> None:
            if done:
                self.new_login.clear()
                self.new_name.clear()

        matching = self.is_locked() or self._matching(self.new_password, self.new_password2)
        self.new_password.clear()
        self.new_password2.clear()
        if matching:
            self._run(work, then)

    def disable(self) -> None:
        from teller_assist.services import operators

        ctx, admin, login, said = self.ctx, self.admin, self._chosen(), self.tr("已停用 {0}")
        if login is None and not self.is_locked():
            return

        def work() -> str:
            assert login is not None
            return said.format(operators.disable_operator(ctx, admin, login).login)

        self._run(work)

    def reset(self) -> None:
        from teller_assist.services import operators

        ctx, admin, login, one_time = self.ctx, self.admin, self._chosen(), self.reset_password.text()
        said = self.tr("已重置 {0} 的密码：请把一次性密码当面告知本人，其下次登录须设置新密码")
        fine = self.is_locked() or (
            login is not None and self._matching(self.reset_password, self.reset_password2)
        )
        self.reset_password.clear()
        self.reset_password2.clear()
        if not fine:
            return

        def work() -> str:
            assert login is not None
            return said.format(operators.reset_password(ctx, admin, login, one_time).login)

        self._run(work)

    def set_role(self) -> None:
        from teller_assist.services import operators

        ctx, admin, login, role = (
            self.ctx,
            self.admin,
            self._chosen(),
            str(self.role_choice.currentData()),
        )
        said = self.tr("{0} 的角色已改为 {1}")
        if login is None and not self.is_locked():
            return

        def work() -> str:
            assert login is not None
            record = operators.set_role(ctx, admin, login, role)
            return said.format(record.login, word(ROLE_ZH[record.role]))

        self._run(work)

    def _close_if_locked(self) -> None:
        if self.is_locked():
            self.reject()
