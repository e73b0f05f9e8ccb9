"""Who is at the keyboard: the login, the first administrator, the idle lock and the supervisor's
authorisation at the counter (主管授权). The lobby's queue and walk-ins are a workspace of their own
(``ui/workspaces/lobby.py``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from teller_assist.errors import UserFacingError
from teller_assist.money import yuan_text
from teller_assist.ui.i18n import error_text
from teller_assist.ui.tasks import Task
from teller_assist.ui.widgets import ERROR_STYLE as ERROR_STYLE  # the operators dialog's red too
from teller_assist.ui.widgets import CentredOver, grow_to_fit
from teller_assist.ui.words import word

if TYPE_CHECKING:
    from teller_assist.prequal.policy import Policy
    from teller_assist.services.applications import ApplicationRecord
    from teller_assist.services.context import Context
    from teller_assist.services.operators import OperatorRecord


class KeysMeanwhile(QObject):
    """The keys typed into ``fields`` while a password is checked (正在核验, on a worker thread) are the
    teller's next ones, often the next customer's ID: kept (a read-only field would lose them), then
    ``replay``ed, in order, to whichever widget of ``window`` has the focus as each arrives once the
    check let the teller in (the ID field; the survey once an ID identified itself), or ``drop``ped
    after a refusal: they are neither a customer's nor, unseen, a password (a scanner's Enter would
    try them as one)."""

    def __init__(
        self, fields: tuple[QWidget, ...], busy: Callable[[], bool], window: QWidget, parent: QObject
    ) -> None:
        super().__init__(parent)
        self._busy, self._window = busy, window
        self.keys: list[tuple[Qt.Key, Qt.KeyboardModifier, str]] = []
        for field in fields:
            field.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and self._busy():
            assert isinstance(event, QKeyEvent)
            self.keys.append((Qt.Key(event.key()), event.modifiers(), event.text()))
            return True
        return False

    def drop(self) -> None:
        self.keys = []

    def replay(self) -> None:
        typed, self.keys = self.keys, []
        for key, modifiers, text in typed:
            target = QApplication.focusWidget() or self._window.window().focusWidget()
            if target is None or not target.isVisible():
                return
            for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                QApplication.sendEvent(target, QKeyEvent(kind, key, modifiers, text))


class LoginDialog(QDialog):
    """The operator logs in; on a database without operators it asks for the first administrator.

    At a cold start the dialog is up before the database is open (``store`` None): the teller types
    meanwhile, and a login asked for early is carried out as soon as ``set_store`` hands it the store.
    An operator whose password an administrator reset signs in with the one-time password and must
    then set a new one (``newPassword``, ``newPassword2``) before the window opens for them.
    """

    def __init__(
        self, ctx: Context | None, parent: QWidget | None = None, *, first_admin: bool = False
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx  # None: the database is still opening
        self._pending = False  # Enter was pressed before the database was open
        self._one_time: str | None = None  # the reset password, while a new one is being set
        self.first_admin = first_admin
        self.operator: OperatorRecord | None = None
        self.task: Task | None = None  # the password being checked, on a worker thread
        self.setObjectName("firstAdminDialog" if first_admin else "loginDialog")
        if parent is not None:  # over the window wherever the desktop places it
            self.centred = CentredOver(self, parent.window())
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
        fields = (self.login, self.name, self.password, self.password2, self.new_password, self.new_password2)
        # typed while the login is checked: for the window behind, once signed in
        self.kept = KeysMeanwhile(fields, lambda: self.task is not None, parent or self, self)

    def set_context(self, ctx: Context) -> None:
        """The database is open: a login asked for meanwhile goes ahead now."""
        self.ctx = ctx
        if self._pending:
            self._pending = False
            self.button.setEnabled(True)
            self.error.clear()
            self.try_login()

    @property
    def changing_password(self) -> bool:
        return self._one_time is not None

    def try_login(self) -> None:
        """Check the login (Argon2id, ~0.1 s by design) on a worker thread: the dialog says 正在核验 at
        once, the typed login stays and so does the focus. Enter and the default button arrive together;
        the second is ignored."""
        from teller_assist.services import operators

        if self.ctx is None:  # still opening: said, and done when it is open
            self._pending = True
            self.button.setEnabled(False)
            self.error.setStyleSheet("")  # news, not an error
            self.error.setText(self.tr("正在打开数据库，打开后自动登录…"))
            return
        if self.task is not None:
            return
        if self._one_time is not None:
            self._set_new_password()
            return
        ctx, first_admin, name = self.ctx, self.first_admin, self.name.text()
        login, password = self.login.text().strip(), self.password.text()
        if first_admin and password != self.password2.text():
            self._refused(UserFacingError("两次输入的密码不一致", "the passwords do not match"))
            return

        def work(_report: Callable[..., None], _cancelled: Callable[[], bool]) -> OperatorRecord:
            if first_admin:
                operators.add_first_admin(ctx, login=login, name=name, password=password)
            return operators.authenticate(ctx, login, password, purpose="window")

        def signed_in(record: OperatorRecord) -> None:
            self.password.clear()
            self.password2.clear()
            if record.must_change_password:
                self._ask_new_password(password)
                return
            self.operator = record
            self.accept()

        self._check(work, signed_in, self._refused)

    def _refused(self, exc: UserFacingError) -> None:
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setText(error_text(exc, hint=True))
        grow_to_fit(self)
        self.password.clear()
        self.password.setFocus()

    def _check(
        self,
        work: Callable[[Callable[..., None], Callable[[], bool]], OperatorRecord],
        then: Callable[[OperatorRecord], None],
        refused: Callable[[UserFacingError], None],
    ) -> None:
        """Run ``work`` (a password check) on a worker thread, the fields read-only meanwhile; ``then``
        or ``refused`` on the GUI thread. A dialog closed meanwhile drops the answer."""
        fields = (self.login, self.name, self.password, self.password2, self.new_password, self.new_password2)
        was_read_only = [f.isReadOnly() for f in fields]
        for field in fields:
            field.setReadOnly(True)
        self.button.setEnabled(False)
        self.error.setStyleSheet("")  # news, not an error
        self.error.setText(self.tr("正在核验…"))
        task = Task(work, self)

        def finish() -> bool:
            task.wait()
            if self.task is not task:  # closed while checking
                return False
            self.task = None
            for field, read_only in zip(fields, was_read_only, strict=True):
                field.setReadOnly(read_only)
            self.button.setEnabled(True)
            return True

        def succeeded(record: OperatorRecord) -> None:
            if finish():
                then(record)
                if self.operator is not None:  # signed in: the keys typed meanwhile go to the window
                    self.kept.replay()
            self.kept.drop()  # (a new password asked: not typed into it unseen)

        def failed(exc: BaseException) -> None:
            self.kept.drop()
            if not finish():
                return
            if not isinstance(exc, UserFacingError):
                raise exc  # a bug: the crash handler writes its report
            refused(exc)

        task.succeeded.connect(succeeded)
        task.failed.connect(failed)
        self.task = task
        task.start()

    def done(self, result: int) -> None:
        """Closed (or cancelled) while a check runs: it is let finish, and its answer dropped."""
        task, self.task = self.task, None
        if task is not None:
            task.wait()
        super().done(result)

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

        assert self.ctx is not None and self._one_time is not None
        ctx, login, one_time = self.ctx, self.login.text().strip(), self._one_time
        new = self.new_password.text()

        def refused(exc: UserFacingError) -> None:
            self.error.setStyleSheet(ERROR_STYLE)
            self.error.setText(error_text(exc, hint=True))
            self.new_password.clear()
            self.new_password2.clear()
            self.new_password.setFocus()

        if new != self.new_password2.text():
            refused(UserFacingError("两次输入的密码不一致", "the passwords do not match"))
            return

        def work(_report: Callable[..., None], _cancelled: Callable[[], bool]) -> OperatorRecord:
            return operators.change_password(ctx, login, one_time, new, purpose="window")

        def changed(record: OperatorRecord) -> None:
            self._one_time = None
            self.new_password.clear()
            self.new_password2.clear()
            self.operator = record
            self.accept()

        self._check(work, changed, refused)


def approver_text(policy: Policy, line_fen: int) -> str:
    """Whom the teller calls for 主管授权 on a line of ``line_fen``, from the policy's authority table:
    需网点负责人授权（大堂经理权限至 50,000 元）."""
    from teller_assist.prequal.workflow import approvers_for
    from teller_assist.vocabulary import ROLE_ZH

    def role(code: str) -> str:
        return word(ROLE_ZH.get(code, code))

    roles = approvers_for(policy, line_fen)
    if not roles:
        return QCoreApplication.translate("AuthorizeDialog", "额度超出所有角色的审批权限")
    either = QCoreApplication.translate("AuthorizeDialog", "或")
    text = QCoreApplication.translate("AuthorizeDialog", "需{0}授权").format(either.join(map(role, roles)))
    up_to = QCoreApplication.translate("AuthorizeDialog", "{0}权限至 {1} 元")
    short = [
        up_to.format(role(r), yuan_text(limit_fen))
        for r, limit_fen in sorted(policy.approval_fen.items(), key=lambda x: x[1])
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
        policy: Policy,
        application: ApplicationRecord,
        approve: Callable[[str, str], ApplicationRecord],
        parent: QWidget | None = None,
        *,
        who: str = "",
    ) -> None:
        super().__init__(parent)
        self.policy, self.application = policy, application
        self._approve = approve  # the counter flow's 主管授权: the approver checked, then the approval
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
                yuan_text(application.line_fen),
                rate_text(application.annual_rate_bp),
                who,
                application.maker_login,
            )
            + "\n"
            + approver_text(policy, application.line_fen),
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
        """Check the approver (Argon2id, ~0.1 s by design) and approve, through the counter flow, on a
        worker thread: the dialog says 正在核验 at once. Enter and the default button arrive together;
        the second is ignored."""
        if self.task is not None:
            return
        login, password = self.login.text(), self.password.text()
        self.password.clear()
        approve = self._approve

        def work(_report: Callable[..., None], _cancelled: Callable[[], bool]) -> ApplicationRecord:
            return approve(login, password)

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
        self.ctx: Context | None = None
        self.operator: OperatorRecord | None = None
        self.task: Task | None = None  # the password being checked, on a worker thread
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
        self.kept = KeysMeanwhile((self.password,), lambda: self.task is not None, self, self)
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

    def lock_for(self, ctx: Context, operator: OperatorRecord) -> None:
        self.ctx, self.operator = ctx, operator
        self.label.setText(
            self.tr("屏幕已锁定，客户信息已隐藏。\n仅 {0}（{1}）可以解锁。").format(
                operator.name, operator.login
            )
        )
        self.error.setStyleSheet(ERROR_STYLE)
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
        """Check the password on a worker thread (Argon2id, ~0.1 s): the page says 正在核验 meanwhile,
        and the switch to another operator waits for the answer. The unlock is audited there too."""
        from teller_assist.services import audit
        from teller_assist.services.operators import LoginFailed, PasswordChangeRequired, authenticate

        assert self.ctx is not None and self.operator is not None
        if self.task is not None:
            return
        ctx, login, password = self.ctx, self.operator.login, self.password.text()

        def work(_report: Callable[..., None], _cancelled: Callable[[], bool]) -> None:
            record = authenticate(ctx, login, password, purpose="unlock")
            if record.must_change_password:  # reset meanwhile: the one-time password opens no session
                raise PasswordChangeRequired(record.login)
            audit.note(ctx, "unlock", operator=login)

        def finish() -> None:
            task.wait()
            self.task = None
            self.password.setReadOnly(False)
            self.button.setEnabled(True)
            self.switch_button.setEnabled(True)
            self.password.clear()

        def unlocked(_none: None) -> None:
            finish()
            self.error.setText("")
            self.unlocked.emit()
            self.kept.replay()

        def refused(exc: BaseException) -> None:
            finish()
            self.kept.drop()
            if not isinstance(exc, UserFacingError):
                raise exc  # a bug: the crash handler writes its report
            wrong = isinstance(exc, LoginFailed) and exc.message_en == self.WRONG_LOGIN_ANSWER
            # only the password was asked: say so (a locked account says its own words)
            self.error.setStyleSheet(ERROR_STYLE)
            self.error.setText(self.tr("密码错误，请重新输入") if wrong else error_text(exc))
            self.password.setFocus()

        self.password.setReadOnly(True)
        self.button.setEnabled(False)
        self.switch_button.setEnabled(False)
        self.error.setStyleSheet("")  # news, not an error
        self.error.setText(self.tr("正在核验…"))
        task = Task(work, self)
        task.succeeded.connect(unlocked)
        task.failed.connect(refused)
        self.task = task
        task.start()
