"""Who is at the keyboard: the login, the first administrator, the idle lock, the supervisor's
authorisation at the counter (主管授权), and the approval queue a lobby manager watches."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLayout,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from teller_assist.errors import UserFacingError
from teller_assist.identity.masking import Masking
from teller_assist.ui.i18n import error_text
from teller_assist.ui.tasks import Task
from teller_assist.ui.words import word

if TYPE_CHECKING:
    from teller_assist.prequal.policy import Policy
    from teller_assist.store.applications import ApplicationRecord
    from teller_assist.store.engine import Store
    from teller_assist.store.operators import OperatorRecord


ERROR_STYLE = "color: #b00020"  # a refusal under a login or an authorisation, in the bank's red


def grow_to_fit(dialog: QWidget) -> None:
    """After a word-wrapped message grew (a refusal and its hint), make the dialog tall enough for it,
    so its fields keep their height instead of being squeezed (a top-level layout does not count a
    wrapped label's lines by itself)."""
    layout = dialog.layout()
    if layout is None:
        return
    layout.activate()
    need = dialog.heightForWidth(dialog.width()) if dialog.hasHeightForWidth() else -1
    need = max(need, layout.totalMinimumSize().height(), dialog.sizeHint().height())
    if dialog.height() < need:
        dialog.resize(dialog.width(), need)


class LoginDialog(QDialog):
    """The operator logs in; on a database without operators it asks for the first administrator.

    At a cold start the dialog is up before the database is open (``store`` None): the teller types
    meanwhile, and a login asked for early is carried out as soon as ``set_store`` hands it the store.
    An operator whose password an administrator reset signs in with the one-time password and must
    then set a new one (``newPassword``, ``newPassword2``) before the window opens for them.
    """

    def __init__(
        self, store: Store | None, parent: QWidget | None = None, *, first_admin: bool = False
    ) -> None:
        super().__init__(parent)
        self.store = store
        self._pending = False  # Enter was pressed before the database was open
        self._one_time: str | None = None  # the reset password, while a new one is being set
        self.first_admin = first_admin
        self.operator: OperatorRecord | None = None
        self.setObjectName("firstAdminDialog" if first_admin else "loginDialog")
        self.setWindowTitle(self.tr("创建首个管理员") if first_admin else self.tr("操作员登录"))
        layout = QVBoxLayout(self)
        if first_admin:
            intro = QLabel(self.tr("这是首次启动：请创建总行管理员账户，之后用它为柜员和主管开户。"), self)
            intro.setWordWrap(True)
            layout.addWidget(intro)
        form = QFormLayout()
        self.login = QLineEdit(self)
        self.login.setObjectName("loginUser")
        form.addRow(self.tr("登录名"), self.login)
        self.name = QLineEdit(self)
        self.name.setObjectName("adminName")
        if first_admin:
            form.addRow(self.tr("姓名"), self.name)
        self.password = QLineEdit(self)
        self.password.setObjectName("loginPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow(self.tr("密码"), self.password)
        self.password2 = QLineEdit(self)
        self.password2.setObjectName("adminPassword2")
        self.password2.setEchoMode(QLineEdit.EchoMode.Password)
        if first_admin:
            form.addRow(self.tr("再次输入"), self.password2)
        else:  # kept for try_login, but outside the layout: hidden, not drawn over the login's first row
            self.name.hide()
            self.password2.hide()
        layout.addLayout(form)
        self.change_box = QWidget(self)  # shown when a reset password must be replaced
        self.change_box.setObjectName("newPasswordBox")
        change_form = QFormLayout(self.change_box)
        change_form.setContentsMargins(0, 0, 0, 0)
        self.new_password = QLineEdit(self.change_box)
        self.new_password.setObjectName("newPassword")
        self.new_password.setEchoMode(QLineEdit.EchoMode.Password)
        change_form.addRow(self.tr("新密码"), self.new_password)
        self.new_password2 = QLineEdit(self.change_box)
        self.new_password2.setObjectName("newPassword2")
        self.new_password2.setEchoMode(QLineEdit.EchoMode.Password)
        change_form.addRow(self.tr("再次输入"), self.new_password2)
        self.change_box.hide()
        layout.addWidget(self.change_box)
        self.error = QLabel("", self)
        self.error.setObjectName("loginError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet(ERROR_STYLE)
        layout.addWidget(self.error)
        self.button = QPushButton(self.tr("创建并登录") if first_admin else self.tr("登录"), self)
        self.button.setObjectName("loginButton")
        self.button.setDefault(True)
        self.button.clicked.connect(self.try_login)
        layout.addWidget(self.button)
        self.password.returnPressed.connect(self.try_login)
        self.new_password.returnPressed.connect(self.new_password2.setFocus)
        self.new_password2.returnPressed.connect(self.try_login)

    def set_store(self, store: Store) -> None:
        """The database is open: a login asked for meanwhile goes ahead now."""
        self.store = store
        if self._pending:
            self._pending = False
            self.button.setEnabled(True)
            self.error.clear()
            self.try_login()

    @property
    def changing_password(self) -> bool:
        return self._one_time is not None

    def try_login(self) -> None:
        from teller_assist.services import operators

        if self.store is None:  # still opening: said, and done when it is open
            self._pending = True
            self.button.setEnabled(False)
            self.error.setStyleSheet("")  # news, not an error
            self.error.setText(self.tr("正在打开数据库，打开后自动登录…"))
            return
        if self._one_time is not None:
            self._set_new_password()
            return
        login, password = self.login.text().strip(), self.password.text()
        try:
            if self.first_admin:
                if password != self.password2.text():
                    raise UserFacingError("两次输入的密码不一致", "the passwords do not match")
                operators.add_first_admin(self.store, login=login, name=self.name.text(), password=password)
            record = operators.authenticate(self.store, login, password, purpose="window")
        except UserFacingError as exc:
            self.error.setStyleSheet(ERROR_STYLE)
            self.error.setText(error_text(exc, hint=True))
            grow_to_fit(self)
            self.password.clear()
            self.password.setFocus()
            return
        self.password.clear()
        self.password2.clear()
        if record.must_change_password:
            self._ask_new_password(password)
            return
        self.operator = record
        self.accept()

    def _ask_new_password(self, one_time: str) -> None:
        """The password was reset by an administrator: nothing opens until the operator sets their own."""
        self._one_time = one_time
        self.login.setReadOnly(True)
        self.password.setEnabled(False)
        self.change_box.show()
        self.button.setText(self.tr("设置新密码并登录"))
        self.error.setStyleSheet("")  # news, not an error
        self.error.setText(self.tr("管理员已重置您的密码：请设置只有您知道的新密码后继续。"))
        self.new_password.setFocus()

    def _set_new_password(self) -> None:
        from teller_assist.services import operators

        assert self.store is not None and self._one_time is not None
        new = self.new_password.text()
        try:
            if new != self.new_password2.text():
                raise UserFacingError("两次输入的密码不一致", "the passwords do not match")
            record = operators.change_password(
                self.store, self.login.text().strip(), self._one_time, new, purpose="window"
            )
        except UserFacingError as exc:
            self.error.setStyleSheet(ERROR_STYLE)
            self.error.setText(error_text(exc, hint=True))
            self.new_password.clear()
            self.new_password2.clear()
            self.new_password.setFocus()
            return
        self._one_time = None
        self.new_password.clear()
        self.new_password2.clear()
        self.operator = record
        self.accept()


def approver_text(policy: Policy, line: int) -> str:
    """Whom the teller calls for 主管授权 on ``line`` yuan, from the policy's authority table:
    需网点负责人授权（大堂经理权限至 50,000 元）."""
    from teller_assist.prequal.workflow import approvers_for
    from teller_assist.security.passwords import ROLE_ZH

    def role(code: str) -> str:
        return word(ROLE_ZH.get(code, code))

    roles = approvers_for(policy, line)
    if not roles:
        return QCoreApplication.translate("AuthorizeDialog", "额度超出所有角色的审批权限")
    either = QCoreApplication.translate("AuthorizeDialog", "或")
    text = QCoreApplication.translate("AuthorizeDialog", "需{0}授权").format(either.join(map(role, roles)))
    up_to = QCoreApplication.translate("AuthorizeDialog", "{0}权限至 {1} 元")
    short = [
        up_to.format(role(r), f"{limit:,}")
        for r, limit in sorted(policy.approval.items(), key=lambda x: x[1])
        if r not in roles
    ]
    if short:
        joined = QCoreApplication.translate("AuthorizeDialog", "；").join(short)
        text += QCoreApplication.translate("AuthorizeDialog", "（{0}）").format(joined)
    return text


class AuthorizeDialog(QDialog):
    """主管授权: the approver authorises on the teller's screen with their own login and password."""

    def __init__(
        self,
        store: Store,
        policy: Policy,
        application: ApplicationRecord,
        today: dt.date,
        parent: QWidget | None = None,
        *,
        who: str = "",
        sms_sender: str | None = None,
        approve: Callable[[str, str], ApplicationRecord] | None = None,
    ) -> None:
        super().__init__(parent)
        self.store, self.policy, self.application, self.today = store, policy, application, today
        self._approve = approve  # the counter flow's 主管授权, when the counter asks
        self.sms_sender = sms_sender
        self.result_record: ApplicationRecord | None = None
        self.task: Task | None = None
        self.setObjectName("authorizeDialog")
        self.setWindowTitle(self.tr("主管授权"))
        layout = QVBoxLayout(self)
        # the dialog grows with what it says (a refusal and its hint), never squeezing the fields
        layout.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)
        from teller_assist.prequal.workflow import rate_text

        summary = QLabel(
            self.tr("申请 {0}：{3}\n额度 {1} 元，年利率 {2}%，经办 {4}").format(
                application.id,
                f"{application.line:,}",
                rate_text(application.annual_rate_bp),
                who,
                application.maker_login,
            )
            + "\n"
            + approver_text(policy, application.line),
            self,
        )
        summary.setObjectName("authorizeSummary")
        summary.setWordWrap(True)
        layout.addWidget(summary)
        form = QFormLayout()
        self.login = QLineEdit(self)
        self.login.setObjectName("approverLogin")
        form.addRow(self.tr("主管登录名"), self.login)
        self.password = QLineEdit(self)
        self.password.setObjectName("approverPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow(self.tr("主管密码"), self.password)
        layout.addLayout(form)
        self.error = QLabel("", self)
        self.error.setObjectName("authorizeError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet(ERROR_STYLE)
        layout.addWidget(self.error)
        buttons = QHBoxLayout()
        self.button = QPushButton(self.tr("授权批准"), self)
        self.button.setObjectName("authorizeButton")
        self.button.setDefault(True)
        self.button.clicked.connect(self.authorize)
        buttons.addWidget(self.button)
        cancel = QPushButton(self.tr("取消"), self)
        cancel.clicked.connect(self.reject)
        buttons.addWidget(cancel)
        layout.addLayout(buttons)
        self.password.returnPressed.connect(self.authorize)

    def authorize(self) -> None:
        """Check the approver (Argon2id, ~0.1 s by design) and approve, on a worker thread: the dialog
        says 正在核验 at once. Enter and the default button arrive together; the second is ignored."""
        from teller_assist.services import applications as apps
        from teller_assist.services.operators import authenticate

        if self.task is not None:
            return
        store, policy, application, today, sms = (
            self.store,
            self.policy,
            self.application,
            self.today,
            self.sms_sender,
        )
        login, password = self.login.text(), self.password.text()
        self.password.clear()
        approve = self._approve

        def work(_report: Callable[..., None], _cancelled: Callable[[], bool]) -> ApplicationRecord:
            if approve is not None:
                return approve(login, password)
            approver = authenticate(store, login, password, purpose="authorize")
            return apps.approve(
                store,
                policy,
                application.id,
                apps.Actor.here(approver),
                today=today,
                expected_version=application.version,
                sms_sender=sms,
            )

        self.button.setEnabled(False)
        self.error.setStyleSheet("")
        self.error.setText(self.tr("正在核验…"))
        task = Task(work, self)
        task.succeeded.connect(self._authorized)
        task.failed.connect(self._refused)
        self.task = task
        task.start()

    def _done(self) -> None:
        if self.task is not None:
            self.task.wait()
        self.task = None
        self.button.setEnabled(True)

    def _authorized(self, record: ApplicationRecord) -> None:
        self._done()
        self.result_record = record
        self.accept()

    def _refused(self, exc: BaseException) -> None:
        self._done()
        if not isinstance(exc, UserFacingError):
            raise exc
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setText(error_text(exc, hint=True))
        grow_to_fit(self)
        self.password.setFocus()


class IdleWatcher(QObject):
    """Calls ``on_idle`` after ``minutes`` without a key press or mouse use anywhere in the app."""

    ACTIVITY = frozenset(
        {QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove, QEvent.Type.Wheel}
    )

    def __init__(self, minutes: float, on_idle: Callable[[], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(max(1, int(minutes * 60_000)))
        self.timer.timeout.connect(on_idle)

    def start(self) -> None:
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in self.ACTIVITY and self.timer.isActive():
            self.timer.start()
        return False


class LockPage(QWidget):
    """What the screen shows while locked: no customer data, only who may unlock it, how many customers
    wait for an approver (a count, no names), and a way to hand the desk to another operator."""

    unlocked = Signal()
    switchRequested = Signal()  # another operator takes the desk: the locked one is signed out

    WRONG_LOGIN_ANSWER = "wrong login or password"  # services.operators' one answer for either mistake

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("lockScreen")
        self.store: Store | None = None
        self.operator: OperatorRecord | None = None
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        self.label = QLabel("", self)
        self.label.setObjectName("lockLabel")
        self.label.setWordWrap(True)
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.label)
        self.waiting = QLabel("", self)
        self.waiting.setObjectName("lockWaiting")
        self.waiting.setWordWrap(True)
        self.waiting.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.waiting.setStyleSheet("QLabel { color: #a11212; font-weight: bold; }")
        self.waiting.setVisible(False)
        layout.addWidget(self.waiting)
        self.password = QLineEdit(self)
        self.password.setObjectName("unlockPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(self.tr("输入密码解锁"))
        self.password.returnPressed.connect(self.try_unlock)
        layout.addWidget(self.password)
        self.error = QLabel("", self)
        self.error.setObjectName("unlockError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet(ERROR_STYLE)
        layout.addWidget(self.error)
        self.button = QPushButton(self.tr("解锁"), self)
        self.button.setObjectName("unlockButton")
        self.button.clicked.connect(self.try_unlock)
        layout.addWidget(self.button)
        self.switch_button = QPushButton(self.tr("切换操作员…"), self)
        self.switch_button.setObjectName("switchOperatorButton")
        self.switch_button.setToolTip(self.tr("退出当前操作员（记录审计），由另一位操作员登录"))
        self.switch_button.clicked.connect(self.switchRequested)
        layout.addWidget(self.switch_button)
        layout.addStretch(2)

    def lock_for(self, store: Store, operator: OperatorRecord) -> None:
        self.store, self.operator = store, operator
        self.label.setText(
            self.tr("屏幕已锁定，客户信息已隐藏。\n仅 {0}（{1}）可以解锁。").format(
                operator.name, operator.login
            )
        )
        self.error.setText("")
        self.password.clear()
        self.password.setFocus()

    def set_waiting(self, count: int, longest_minutes: int) -> None:
        """An approver's locked screen says that customers wait (how many, how long), never who."""
        self.waiting.setText(
            self.tr("有 {0} 位客户在等待审批，最长已等 {1} 分钟").format(count, longest_minutes)
            if count
            else ""
        )
        self.waiting.setVisible(bool(count))

    def try_unlock(self) -> None:
        from teller_assist.services import audit
        from teller_assist.services.operators import LoginFailed, PasswordChangeRequired, authenticate

        assert self.store is not None and self.operator is not None
        try:
            record = authenticate(self.store, self.operator.login, self.password.text(), purpose="unlock")
            if record.must_change_password:  # reset meanwhile: the one-time password opens no session
                raise PasswordChangeRequired(record.login)
        except UserFacingError as exc:
            wrong = isinstance(exc, LoginFailed) and exc.message_en == self.WRONG_LOGIN_ANSWER
            # only the password was asked: say so (a locked account says its own words)
            self.error.setText(self.tr("密码错误，请重新输入") if wrong else error_text(exc))
            self.password.clear()
            return
        self.password.clear()
        audit.log(self.store, "unlock", operator=self.operator.login)
        self.unlocked.emit()


class _Wake(QObject):
    changed = Signal()


def fit_columns(table: QTableWidget, *, stretch: int) -> None:
    """Columns as wide as their contents, one stretching over the rest: a 420-pixel window shows the
    whole row without scrolling sideways (a cut cell gives its text in its tooltip)."""
    header = table.horizontalHeader()
    for col in range(table.columnCount()):
        mode = QHeaderView.ResizeMode.Stretch if col == stretch else QHeaderView.ResizeMode.ResizeToContents
        header.setSectionResizeMode(col, mode)


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
        store: Store,
        masking: Masking,
        operator: Callable[[], OperatorRecord | None],
        today: Callable[[], dt.date],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.store, self.masking, self._operator, self._today = store, masking, operator, today
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

    def refresh(self) -> None:
        from teller_assist.prequal.workflow import STATUS_ZH
        from teller_assist.services import walkins

        operator = self._operator()
        try:
            today = walkins.today(self.store, self._today(), operator.branch_code if operator else None)
        except UserFacingError as exc:
            self.summary.setText(error_text(exc))
            return
        counts = self.tr("，").join(f"{word(walkins.STAGE_ZH[s])} {n}" for s, n in today.counts.items())
        now = dt.datetime.now(dt.UTC)
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
                f"{w.line:,}" if w.line else "",
                w.operator or "",
            ]
            for j, value in enumerate(cells):
                item = QTableWidgetItem(value)
                item.setToolTip(value)  # whole, however narrow the column
                self.table.setItem(i, j, item)


class ApprovalQueue(QWidget):
    """Applications waiting for a decision, oldest first, with how long each customer has waited.
    Refreshed within two seconds of any change: PostgreSQL NOTIFY, or a one-second poll on SQLite."""

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
        store: Store,
        policy: Policy,
        masking: Masking,
        operator: Callable[[], OperatorRecord | None],
        today: Callable[[], dt.date],
        parent: QWidget | None = None,
        *,
        sms_sender: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.store, self.policy, self.masking = store, policy, masking
        self.sms_sender = sms_sender
        self._operator, self._today = operator, today
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

        self._wake = _Wake(self)
        self._wake.changed.connect(self.refresh)
        self._seen_seq = -1
        self._stop = threading.Event()
        self._listener: threading.Thread | None = None
        self.poll = QTimer(self)
        self.poll.setInterval(1000)
        self.poll.timeout.connect(self._poll)
        self.clock = QTimer(self)  # waiting times tick on screen
        self.clock.setInterval(15_000)
        self.clock.timeout.connect(self._render)

    def start(self) -> None:
        self.refresh()
        self.clock.start()
        if self.store.is_sqlite:
            self.poll.start()
            return
        from teller_assist.store.notify import listen_for_applications

        self._listener = threading.Thread(
            target=listen_for_applications,
            args=(self.store, self._wake.changed.emit, self._stop),
            name="approval-queue-listener",
            daemon=True,
        )
        self._listener.start()

    def stop(self) -> None:
        self.poll.stop()
        self.clock.stop()
        self._stop.set()
        if self._listener is not None:
            self._listener.join(timeout=3)
            self._listener = None

    def _poll(self) -> None:
        from teller_assist.store.audit import last_seq

        if self._stop.is_set():
            return
        try:
            seq = last_seq(self.store)
        except UserFacingError:
            return
        if seq != self._seen_seq:
            self._seen_seq = seq
            self.refresh()

    def refresh(self) -> None:
        from teller_assist.services import applications as apps

        if self._stop.is_set():  # a wake-up queued before stop() must not reopen a closed store
            return
        try:
            operator = self._operator()
            self.rows = apps.queue(self.store, branch_code=operator.branch_code if operator else None)
        except UserFacingError as exc:
            self.message.setText(error_text(exc))
            return
        self._render()
        self.refreshed.emit()

    def _render(self) -> None:
        now = dt.datetime.now(dt.UTC)
        self.table.setRowCount(len(self.rows))
        for i, r in enumerate(self.rows):
            waited = max(0, int((now - r.submitted_at).total_seconds() // 60))
            cells: list[Any] = [
                self.tr("{0} 分钟").format(waited),
                str(r.id),
                f"{r.name or ''} {self.masking.resident_id(r.id_no)}",
                f"{r.line:,}",
                r.maker_login,
            ]
            for j, value in enumerate(cells):
                item = QTableWidgetItem(value)
                item.setToolTip(value)  # whole, however narrow the column
                self.table.setItem(i, j, item)
        if self.rows and not self.table.selectedItems():
            self.table.selectRow(0)
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
        actor = apps.Actor.here(operator)
        try:
            if approve:
                done = apps.approve(
                    self.store,
                    self.policy,
                    record.id,
                    actor,
                    today=self._today(),
                    expected_version=record.version,
                    sms_sender=self.sms_sender,
                )
            else:
                done = apps.reject(
                    self.store, self.policy, record.id, actor, reason, expected_version=record.version
                )
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
                record.id, who, f"{record.line:,}", record.maker_login
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
