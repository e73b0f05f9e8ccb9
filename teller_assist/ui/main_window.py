"""The main window: a narrow panel beside the teller system."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QByteArray,
    QCoreApplication,
    QEvent,
    QObject,
    QPoint,
    QSettings,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QCloseEvent, QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFrame,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QStatusBar,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from teller_assist.errors import UserFacingError
from teller_assist.identity.resident_id import (
    InvalidResidentId,
    ResidentId,
    parse_resident_id,
    partial_problem,
)
from teller_assist.settings import Settings
from teller_assist.ui.card_panel import CardPanel
from teller_assist.ui.i18n import error_text, pick
from teller_assist.ui.scan_burst import ScanBurst
from teller_assist.ui.session import (
    ApprovalQueue,
    AuthorizeDialog,
    IdleWatcher,
    LockPage,
    LoginDialog,
    WalkinsView,
    approver_text,
)
from teller_assist.ui.status import BackgroundCheck, ConnectionWatch
from teller_assist.ui.tasks import Task
from teller_assist.ui.widgets import ElidedLabel, NoteLabel, keep_on_screen
from teller_assist.ui.words import word

if TYPE_CHECKING:  # these load after the window is painted, or when first needed (cold start at the counter)
    from teller_assist.lookup.card import ApplicationFact, CustomerCard
    from teller_assist.lookup.sources import LocalHook, ReaderWatcher
    from teller_assist.prequal.engine import Decision
    from teller_assist.prequal.policy import Policy
    from teller_assist.security.keys import KeyringUnavailable
    from teller_assist.services.counter import Blocked
    from teller_assist.services.database import CounterStart, Opened
    from teller_assist.services.imports import ImportReport
    from teller_assist.store.applications import ApplicationRecord
    from teller_assist.store.engine import Store
    from teller_assist.store.operators import OperatorRecord
    from teller_assist.ui.import_dialog import ImportDialog
    from teller_assist.ui.operators_dialog import OperatorsDialog
    from teller_assist.ui.print_preview import PrintPreview
    from teller_assist.ui.survey_form import SurveyForm

DEMO_PEOPLE = 20_000


def _prepare_documents(app_url: str) -> None:
    """Warm the document renderer (~0.5 s cold: fonts, ReportLab, the QR code of the app's URL, the
    templates) on a worker thread at start, so the first F8 at the counter does not wait for it."""
    from teller_assist.documents import fonts
    from teller_assist.documents.render import DocumentData, render
    from teller_assist.documents.templates import KINDS

    fonts.register()
    day = dt.date(2000, 1, 1)
    for kind in KINDS:  # a throw-away rendering with made-up words: nothing is kept or logged
        render(
            DocumentData(
                kind, "预热", "预热", "YSX00000000000000", "预热", "0000**********0000",
                100, "0.00", day, day, ("预热",), app_url, day, "00000-00000",
            )
        )


AskDemoMode = Callable[[QWidget, "KeyringUnavailable"], bool]

_OPEN_FAILED = UserFacingError(
    "打开数据库时程序出错，已写入错误报告",
    "the program failed while opening the database; a crash report was written",
    hint_zh="请重新启动程序；如仍出错，请将数据文件夹中的 crash-reports 交给科技部门",
    hint_en="restart the program; if it fails again, give the crash-reports folder in the data folder "
    "to IT support",
)


def ask_demo_mode(parent: QWidget, error: KeyringUnavailable) -> bool:
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(QCoreApplication.translate("MainWindow", "没有系统密钥环"))
    box.setText(
        QCoreApplication.translate("MainWindow", "本机没有可用的系统密钥环服务，无法安全保存数据库密钥。")
    )
    box.setInformativeText(
        QCoreApplication.translate(
            "MainWindow",
            "可以以【演示模式】继续：密钥保存在仅本用户可读的文件中。\n"
            "演示模式只能用于演示数据，不得录入真实客户信息。\n\n是否以演示模式继续？",
        )
    )
    box.setDetailedText(error.describe())
    box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
    box.setDefaultButton(QMessageBox.StandardButton.No)
    return box.exec() == QMessageBox.StandardButton.Yes


def estimated_line_text(decision: Decision) -> str:
    """可授信 30,000元；现有依据支持220,000元（完成调查后可授） (or why not; the reasons are the policy's own
    words). The second figure is what the evidence so far supports, not a ceiling: a survey may add."""
    if not decision.eligible:
        return QCoreApplication.translate("MainWindow", "不可授信：") + "；".join(decision.reasons)
    text = QCoreApplication.translate("MainWindow", "可授信 {0}元，年利率{1}%")
    text = text.format(f"{decision.grantable_limit:,}", decision.annual_rate)
    if decision.potential_limit > decision.grantable_limit:
        more = QCoreApplication.translate("MainWindow", "；现有依据支持{0}元（完成调查后可授）")
        text += more.format(f"{decision.potential_limit:,}")
    return text


def standing_line_text(held: ApplicationFact) -> str:
    """The pre-credit the person holds, as the card's headline: 已签约 264,000元，年利率3.65%，有效期至 …"""
    from teller_assist.ui.card_panel import APPLICATION_ZH

    status = word(APPLICATION_ZH.get(held.status, held.status))
    rate = f"{held.annual_rate_bp / 100:.2f}"
    text = QCoreApplication.translate("MainWindow", "{0} {1}元，年利率{2}%")
    text = text.format(status, f"{held.line:,}", rate)
    if held.valid_until is not None:
        until = QCoreApplication.translate("MainWindow", "，有效期至 {0}")
        text += until.format(held.valid_until.isoformat())
    return text


class _Bridge(QObject):
    """Carries callbacks from source threads (card reader, local hook) into the GUI thread."""

    identified = Signal(object, str)  # (ResidentId, source)
    status = Signal(str)


class MainWindow(QMainWindow):
    DEFAULT_WIDTH = 420
    customerIdentified = Signal(object, str)

    def __init__(
        self,
        settings: Settings,
        *,
        ask_demo: AskDemoMode = ask_demo_mode,
        today: Callable[[], dt.date] = dt.date.today,
    ) -> None:
        super().__init__()
        self.settings = settings
        self._ask_demo = ask_demo
        self._today = today
        self.store: Store | None = None
        self.opened: Opened | None = None
        self.opening: Task | None = None  # the database, opening on a worker thread
        self._opening_result: list[CounterStart] = []
        self._closing = False
        self._has_operators = False
        self.login_dialog: LoginDialog | None = None
        self._demo_if_empty = False

        self.setObjectName("mainWindow")
        self.setWindowTitle(self.tr("柜面授信助手"))
        self._fit_default_size()

        # The counter page, top to bottom: who and where; the ID; the card's summary (name, badges,
        # the headline); then one scrolling part with the card's details, the survey and the factors,
        # so nothing is cut at 768 pixels; then the next step's buttons, always in view.
        central = QWidget(self)
        central.setObjectName("counterPage")
        layout = QVBoxLayout(central)
        self.banner = QLabel("", central)  # the database is away: said at the top, in red, until it is back
        self.banner.setObjectName("connectionBanner")
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet("QLabel { background: #b00020; color: white; padding: 6px; }")
        self.banner.setVisible(False)
        layout.addWidget(self.banner)
        self.header = QLabel(self._header_text(), central)
        self.header.setObjectName("header")
        self.header.setWordWrap(True)
        layout.addWidget(self.header)

        self.id_input = QLineEdit(central)
        self.id_input.setObjectName("idInput")
        self.id_input.setPlaceholderText(self.tr("读卡、扫码或输入身份证号（F2）"))
        self.id_input.setMaxLength(24)
        self._shown_id = ""  # the masked ID of the customer on screen
        self._showing_id = False
        self.id_input.textChanged.connect(self._on_id_changed)
        self.id_input.returnPressed.connect(self._on_id_entered)
        layout.addWidget(self.id_input)

        self.id_feedback = NoteLabel("", central)
        self.id_feedback.setObjectName("idFeedback")
        layout.addWidget(self.id_feedback)

        self.card_panel = CardPanel(settings.masking, central)
        self.card_panel.revealRequested.connect(self.reveal)
        layout.addWidget(self.card_panel)
        self.flow_blocked = QLabel("", central)  # why no survey and no submission for this person
        self.flow_blocked.setObjectName("flowBlocked")
        self.flow_blocked.setWordWrap(True)
        self.flow_blocked.setStyleSheet("QLabel { color: #a11212; }")
        self.flow_blocked.setVisible(False)
        layout.addWidget(self.flow_blocked)

        self.empty_state = QLabel("", central)
        self.empty_state.setObjectName("emptyState")
        self.empty_state.setWordWrap(True)
        self.empty_state.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.empty_state.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.empty_state, 1)

        self.content_scroll = QScrollArea(central)
        self.content_scroll.setObjectName("cardScroll")
        self.content_scroll.setWidgetResizable(True)
        self.content_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.content_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.content_scroll.setVisible(False)
        self.content = QWidget(self.content_scroll)
        self.content.setObjectName("cardContent")
        content_layout = self._content_layout = QVBoxLayout(self.content)
        content_layout.setContentsMargins(0, 0, 4, 0)
        content_layout.addWidget(self.card_panel.body)
        self.survey_area = QWidget(self.content)  # the survey form goes here when it opens
        self.survey_area.setObjectName("surveyArea")
        self._survey_layout = QVBoxLayout(self.survey_area)
        self._survey_layout.setContentsMargins(0, 0, 0, 0)
        self.survey_area.setVisible(False)
        content_layout.addWidget(self.survey_area)
        self.factors_label = QLabel("", self.content)
        self.factors_label.setObjectName("factors")
        self.factors_label.setWordWrap(True)
        self.factors_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.factors_label.setVisible(False)
        content_layout.addWidget(self.factors_label)
        content_layout.addStretch(1)
        self.content_scroll.setWidget(self.content)
        layout.addWidget(self.content_scroll, 1)

        self.retry_button = QPushButton(self.tr("重新打开数据库 (F5)"), central)  # after a failed open
        self.retry_button.setObjectName("retryOpenButton")
        self.retry_button.setVisible(False)
        self.retry_button.clicked.connect(self.retry_open)
        layout.addWidget(self.retry_button)

        self.card: CustomerCard | None = None
        self.policy: Policy | None = None
        self.decision: Decision | None = None
        self.survey_form: SurveyForm | None = None
        self.survey_button = QPushButton(self.tr("填写调查表 (F3)"), central)
        self.survey_button.setObjectName("surveyButton")
        self.survey_button.setVisible(False)
        self.survey_button.clicked.connect(lambda: self.open_survey())
        layout.addWidget(self.survey_button)
        self.submit_button = QPushButton(self.tr("提交审批 (Ctrl+Enter)"), central)
        self.submit_button.setObjectName("submitButton")
        self.submit_button.setVisible(False)
        self.submit_button.clicked.connect(self.submit)
        layout.addWidget(self.submit_button)
        self.application_status = QLabel("", central)
        self.application_status.setObjectName("applicationStatus")
        self.application_status.setWordWrap(True)
        self.application_status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.application_status.setVisible(False)
        layout.addWidget(self.application_status)
        self.counter_authorize_button = QPushButton(self.tr("主管授权 (F4)"), central)
        self.counter_authorize_button.setObjectName("counterAuthorizeButton")
        self.counter_authorize_button.setVisible(False)
        self.counter_authorize_button.clicked.connect(self.authorize_at_counter)
        layout.addWidget(self.counter_authorize_button)
        QShortcut(QKeySequence("Ctrl+Return"), self, self.submit)
        QShortcut(QKeySequence("Ctrl+Enter"), self, self.submit)
        QShortcut(QKeySequence(Qt.Key.Key_F4), self, self.authorize_at_counter)
        self.print_button = QPushButton(self.tr("预览并打印协议和告知函 (F8)"), central)
        self.print_button.setObjectName("printButton")
        self.print_button.setVisible(False)
        self.print_button.clicked.connect(self.preview_documents)
        layout.addWidget(self.print_button)
        self.signed_button = QPushButton(self.tr("客户已签字 (F9)"), central)
        self.signed_button.setObjectName("signedButton")
        self.signed_button.setVisible(False)
        self.signed_button.clicked.connect(self.mark_signed)
        layout.addWidget(self.signed_button)

        # the workspaces: the counter, and for an approver the lobby's queue and today's walk-ins as
        # tabs of their own (each the whole height, whatever the counter shows); locked, only the lock
        self.workspaces = QTabWidget(self)
        self.workspaces.setObjectName("workspaces")
        self.workspaces.setDocumentMode(True)
        self.workspaces.setTabBarAutoHide(True)
        self.workspaces.addTab(central, self.tr("柜台"))
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.workspaces)
        self.lock_page = LockPage(self.stack)
        self.lock_page.unlocked.connect(self._unlocked)
        self.lock_page.switchRequested.connect(self.logout)
        self.stack.addWidget(self.lock_page)
        self.setCentralWidget(self.stack)
        self.operator: OperatorRecord | None = None
        self.application: ApplicationRecord | None = None
        self.idle = IdleWatcher(settings.idle_lock_minutes, self.lock, self)
        self.queue: ApprovalQueue | None = None
        self.walkins: WalkinsView | None = None

        status = QStatusBar(self)
        status.setObjectName("statusBar")
        self.setStatusBar(status)
        self.db_status = ElidedLabel("", status)
        self.db_status.setObjectName("databaseStatus")
        status.addWidget(self.db_status, 3)
        self.reader_status = ElidedLabel("", status, hide_when_empty=True)  # only with a card reader
        self.reader_status.setObjectName("readerStatus")
        status.addWidget(self.reader_status, 2)
        self.printer_status = ElidedLabel("", status)
        self.printer_status.setObjectName("printerStatus")
        status.addWidget(self.printer_status, 2)
        self.connection: ConnectionWatch | None = None
        self.printer_check: BackgroundCheck | None = None

        self.preview: PrintPreview | None = None
        self.print_task: Task | None = None
        self._submitted_text, self._submitted_clock = "", 0.0  # the wait for the approver, shown
        self._approver_text = ""  # whom the teller calls for 主管授权
        self.draft_timer = QTimer(self)  # save what is typed, shortly after the typing pauses
        self.draft_timer.setSingleShot(True)
        self.draft_timer.setInterval(400)
        self.draft_timer.timeout.connect(self._save_draft)
        self.decision_watch = QTimer(self)  # while submitted: has someone decided elsewhere?
        self.decision_watch.setInterval(1000)
        self.decision_watch.timeout.connect(self._check_decision)
        self.f8 = QShortcut(QKeySequence(Qt.Key.Key_F8), self, self.preview_documents)
        QShortcut(QKeySequence(Qt.Key.Key_F9), self, self.mark_signed)
        QShortcut(QKeySequence(Qt.Key.Key_F3), self, self.open_survey)
        self._bridge = _Bridge(self)
        self._bridge.identified.connect(self.customerIdentified)
        self._bridge.status.connect(self.reader_status.setText)
        self.customerIdentified.connect(self.show_customer)
        self.reader_watcher: ReaderWatcher | None = None
        self.local_hook: LocalHook | None = None
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.next_customer)

        QShortcut(QKeySequence(Qt.Key.Key_F2), self, self._focus_id)
        # a scanner's burst into any other field of the window still lands in the ID field
        self.scan_burst = ScanBurst(
            self, self.id_input, self._scanned, today=self._today, paused=lambda: self.is_locked()
        )
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.installEventFilter(self.scan_burst)
            app.focusChanged.connect(self._keep_in_view)
        QShortcut(QKeySequence(Qt.Key.Key_F5), self, self.retry_open)

        data_menu = self.menuBar().addMenu(self.tr("数据(&D)"))
        self.import_action = QAction(self.tr("导入核心系统数据…"), self)
        self.import_action.setObjectName("importAction")
        self.import_action.setShortcut(QKeySequence("Ctrl+I"))
        self.import_action.triggered.connect(self.open_import_dialog)
        self.import_action.setEnabled(False)
        data_menu.addAction(self.import_action)
        self.demo_action = QAction(self.tr("载入演示县数据…"), self)
        self.demo_action.setObjectName("demoAction")
        self.demo_action.triggered.connect(lambda: self.load_demo(ask=True))
        self.demo_action.setEnabled(False)
        data_menu.addAction(self.demo_action)
        session_menu = self.menuBar().addMenu(self.tr("会话(&S)"))
        self.lock_action = QAction(self.tr("锁定屏幕"), self)
        self.lock_action.setObjectName("lockAction")
        self.lock_action.setShortcut(QKeySequence("Ctrl+L"))  # the teller steps away
        self.lock_action.triggered.connect(self.lock)
        session_menu.addAction(self.lock_action)
        self.logout_action = QAction(self.tr("退出登录 / 切换操作员…"), self)
        self.logout_action.setObjectName("logoutAction")
        self.logout_action.setShortcut(QKeySequence("Ctrl+Shift+L"))
        self.logout_action.triggered.connect(self.logout)
        self.logout_action.setEnabled(False)
        session_menu.addAction(self.logout_action)
        view_menu = self.menuBar().addMenu(self.tr("窗口(&W)"))
        self.stay_on_top_action = QAction(self.tr("保持在最前"), self)
        self.stay_on_top_action.setObjectName("stayOnTopAction")
        self.stay_on_top_action.setCheckable(True)
        self.stay_on_top_action.toggled.connect(self.set_stay_on_top)
        view_menu.addAction(self.stay_on_top_action)
        self.admin_menu = self.menuBar().addMenu(self.tr("管理(&A)"))  # shown to head-office administrators
        self.operators_action = QAction(self.tr("操作员管理…"), self)
        self.operators_action.setObjectName("operatorsAction")
        self.operators_action.triggered.connect(self.open_operators_dialog)
        self.admin_menu.addAction(self.operators_action)
        self.admin_menu.menuAction().setVisible(False)
        self._restore_place()
        self.demo_task: Task | None = None
        self.demo_progress: QProgressDialog | None = None
        self._hidden_by_lock: list[QDialog] = []
        self._warming: threading.Thread | None = None  # the document renderer, warming up

    # --- start-up ------------------------------------------------------------------------------
    def _header_text(self) -> str:
        branch = self.settings.branch_name or self.tr("未设置网点")
        return f"<b>{self.settings.bank_name}</b> · {branch}"

    def start(self) -> None:
        """Open the database here and now (asking about demo mode when there is no keyring), then show
        the state. The window's own start opens it on a worker thread instead: ``open_in_background``."""
        from teller_assist.security.keys import KeyringUnavailable
        from teller_assist.services.database import open_for_counter

        try:
            try:
                ready = open_for_counter(self.settings, self._today())
            except KeyringUnavailable as exc:
                if not self._ask_demo(self, exc):
                    self._show_error(exc)
                    return
                self.settings = dataclasses.replace(self.settings, key_store="demo-file")
                ready = open_for_counter(self.settings, self._today())
        except UserFacingError as exc:
            self._show_error(exc)
            return
        self._started(ready)

    def open_in_background(self, then: Callable[[CounterStart | None], None] | None = None) -> None:
        """Open the database on a worker thread while the window (and the login) take keys; ``then``
        gets what was opened, or None when it could not be (the reason is on the window). The data
        layers are imported on the worker too: importing them is most of the time it takes."""
        if self.opening is not None:
            return
        self.db_status.setText(self.tr("正在打开数据库…"))
        settings, today, kept = self.settings, self._today(), self._opening_result

        def work(_report: Callable[..., None], _cancelled: Callable[[], bool]) -> CounterStart:
            from teller_assist.services import database

            ready = database.open_for_counter(settings, today)
            kept.append(ready)  # a window closed meanwhile disposes it (closeEvent)
            return ready

        task = Task(work, self)

        def opened(ready: CounterStart) -> None:
            self.opening = None
            kept.clear()
            if self._closing:  # closeEvent disposed it
                return
            self._started(ready)
            if then is not None:
                then(ready)

        def failed(exc: BaseException) -> None:
            from teller_assist.security.keys import KeyringUnavailable  # loaded by the worker by now

            self.opening = None
            if self._closing:
                return
            if (
                isinstance(exc, KeyringUnavailable)
                and self.settings.key_store != "demo-file"
                and self._ask_demo(self, exc)
            ):
                self.settings = dataclasses.replace(self.settings, key_store="demo-file")
                self.open_in_background(then)
                return
            said = exc if isinstance(exc, UserFacingError) else _OPEN_FAILED
            self._show_error(said)
            if then is not None:
                then(None)
            if said is not exc:
                raise exc  # a bug, not a state of the world: the crash handler writes its report

        task.succeeded.connect(opened)
        task.failed.connect(failed)
        self.opening = task
        task.start()

    def _started(self, ready: CounterStart) -> None:
        self.opened, self.store, self.policy = ready.opened, ready.opened.store, ready.policy
        self._has_operators = ready.has_operators
        self._show_overview()
        if ready.policy_problem is not None:
            self.db_status.setText(self.tr("授信政策未载入：") + error_text(ready.policy_problem))
        elif ready.expiry_problem is not None:
            self.db_status.setText(error_text(ready.expiry_problem))
        url = self.settings.app_download_url
        warming = threading.Thread(target=_prepare_documents, args=(url,), name="warm-documents", daemon=True)
        warming.start()
        self._warming = warming
        self.start_sources()
        self.start_watches()
        self._update_data_actions()
        QTimer.singleShot(self.WARM_UP_MS, self._warm_up)  # while the teller signs in

    # --- the first customer should not wait for what could be loaded before they came ----------------
    WARM_UP_MS = 1000
    WARM_UP_ID = "11010519491231002X"  # the standard's own example: valid, and nobody at this bank

    def _warm_up(self) -> None:
        """Load, once and at idle, what the first lookup and the first preview would otherwise load
        while the customer waits: the decision engine, the card's prepared statements, the modules the
        first card and survey use, the card's rich text and the survey's widgets laid out and drawn
        once with their fonts (on throw-away widgets, never shown), QtPdf."""
        from PySide6.QtCore import QBuffer, QIODevice, QSize
        from PySide6.QtGui import QPageSize, QPainter, QPdfWriter

        from teller_assist.identity import names  # noqa: F401  (the first card's modules)
        from teller_assist.services import applications, audit, counter  # noqa: F401
        from teller_assist.services.lookup import lookup
        from teller_assist.services.prequal import decide_for_card
        from teller_assist.ui.print_preview import load_pdf
        from teller_assist.ui.survey_form import SurveyForm

        if self.store is None:
            return
        with contextlib.suppress(UserFacingError, InvalidResidentId):
            nobody = parse_resident_id(self.WARM_UP_ID, today=self._today())
            card = lookup(self.store, nobody, as_of=self._today())
            if self.policy is not None:
                decide_for_card(card, None, self.policy, self._today())
            holder = QWidget()  # never shown: the panel's details live beside it, in its parent
            panel = CardPanel(self.settings.masking, holder)
            panel.resize(max(self.card_panel.width(), 360), 480)
            panel.show_card(card)
            panel.grab()
            panel.body.grab()
            holder.deleteLater()
        if self.policy is not None and "walk_in" in self.policy.forms:
            holder = QWidget()
            SurveyForm(self.policy.forms["walk_in"], holder, ask_name=True).grab()
            holder.deleteLater()
        buffer = QBuffer()
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        writer = QPdfWriter(buffer)
        writer.setPageSize(QPageSize(QPageSize.PageSizeId.A6))
        QPainter(writer).end()
        with contextlib.suppress(UserFacingError):
            load_pdf(bytes(buffer.data().data())).render(0, QSize(8, 8))

    # --- the database and the printer, watched from a worker thread --------------------------------------
    PRINTER_CHECK_MS = 60_000

    def start_watches(self) -> None:
        """PostgreSQL: a lost connection shows a banner until it is back. The printer's state, if set."""
        assert self.store is not None
        if not self.store.is_sqlite:
            self.connection = ConnectionWatch(self.store.ping, parent=self)
            self.connection.changed.connect(self._on_connection)
            self.connection.check.start()
        if self.settings.printer:
            from teller_assist.services.printing import check_printer

            name = self.settings.printer
            self.printer_check = BackgroundCheck(
                lambda: check_printer(name), self.PRINTER_CHECK_MS, "printer-watch", self
            )
            self.printer_check.result.connect(self._on_printer)
            self.printer_check.start()
        else:
            self.printer_status.setText(self.tr("未设置打印机（打印时选择）"))

    def _on_connection(self, reachable: bool, problem: UserFacingError | None) -> None:
        assert self.store is not None
        if not reachable:
            reason = error_text(problem) if problem is not None else ""
            self.banner.setText(
                self.tr("数据库连接中断，正在自动重连。已输入的内容保留在屏幕上，恢复后可继续。")
                + ("\n" + reason if reason else "")
            )
            self.banner.setVisible(True)
            self.db_status.setText(self.tr("数据库：连接中断"))
            return
        self.banner.setVisible(False)
        self.db_status.setText(self.tr("数据库已重新连接：") + self.store.short_name)
        if self.survey_form is not None and self.application is None:
            self.draft_timer.start()  # a draft that could not be saved meanwhile is saved now

    def _store_trouble(self) -> None:
        """An operation failed on the database: ask at once whether the connection is gone."""
        if self.connection is not None:
            self.connection.check.check_now()

    def _on_printer(self, problem: UserFacingError | None) -> None:
        name = self.settings.printer
        if problem is None:
            self.printer_status.setText(self.tr("打印机 {0} 就绪").format(name))
        else:
            self.printer_status.setText(self.tr("打印机不可用：") + error_text(problem))

    def _show_error(self, exc: UserFacingError) -> None:
        self.db_status.setText(self.tr("数据库未打开"))
        self.empty_state.setText(
            self.tr("无法打开数据库。")
            + "\n\n"
            + error_text(exc, hint=True)
        )
        self.retry_button.setVisible(True)  # a server still starting, a network back: no restart needed

    def retry_open(self) -> None:
        """F5 after a failed open: the login again, and the database opening behind it."""
        if self.store is not None or self.opening is not None or not self.retry_button.isVisible():
            return
        self.retry_button.setVisible(False)
        self.empty_state.setText("")
        self.ask_login(demo_if_empty=self._demo_if_empty)
        self.open_in_background(self.opened_behind_login)

    def refresh_overview(self) -> None:
        from teller_assist.store.queries import overview

        if self.opened is None:
            return
        self.opened = dataclasses.replace(self.opened, overview=overview(self.opened.store))
        self._show_overview()

    def _show_overview(self) -> None:
        assert self.opened is not None
        store, overview = self.opened.store, self.opened.overview
        demo = self.tr("【演示模式】") if store.demo_mode else ""
        self.setWindowTitle(self.tr("柜面授信助手") + (" " + demo if demo else ""))
        where = self.tr("【演示模式】数据库：{0}") if store.demo_mode else self.tr("数据库：{0}")
        self.db_status.setText(where.format(store.short_name))
        self.db_status.setToolTip(store.display)  # the whole path or address, for whoever asks
        if overview.empty:
            self.empty_state.setText(
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
            self.empty_state.setText(
                self.tr("已载入客户 {n} 人，最新数据日期 {d}。\n\n请输入或读取客户身份证号（F2）。")
                .replace("{n}", f"{overview.customers:,}")
                .replace("{d}", latest)
            )

    # --- data ---------------------------------------------------------------------------------------
    def _may_load_data(self) -> bool:
        """Imports and the demo county: a head-office administrator's, never on a locked screen."""
        from teller_assist.services.imports import IMPORTER_ROLE

        operator = self.operator
        return (
            self.store is not None
            and operator is not None
            and operator.role == IMPORTER_ROLE
            and operator.active
            and not self.is_locked()
        )

    def _update_data_actions(self) -> None:
        allowed = self._may_load_data()
        self.import_action.setEnabled(allowed)
        self.demo_action.setEnabled(allowed)

    def _data_refusal(self) -> UserFacingError | None:
        """Why this operator may not import now (the menu is greyed out too; this is the action's own
        check, and the service checks the role again)."""
        from teller_assist.services.imports import Importer, ImportRefused

        if self.is_locked():
            return ImportRefused("屏幕已锁定，不能导入", "the screen is locked")
        try:
            Importer.operator(self.operator)
        except ImportRefused as exc:
            return exc
        return None

    def _warn(self, title: str, text: str) -> QMessageBox:
        """A warning over the window that does not hold up the event loop (the work around it goes on)."""
        box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok, self)
        box.setObjectName("warningBox")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        return box

    def say(self, text: str) -> None:
        """A passing message in the status line (a refused action, a finished job)."""
        self.statusBar().showMessage(text, 10_000)

    def open_import_dialog(self) -> ImportDialog | None:
        from teller_assist.ui.import_dialog import ImportDialog

        if self.store is None:
            return None
        refusal = self._data_refusal()
        if refusal is not None:
            self.say(error_text(refusal))
            return None
        dialog = ImportDialog(
            self.store, self.settings, self, operator=self.operator, locked=self.is_locked, today=self._today
        )
        dialog.finished.connect(lambda _result: self.refresh_overview())
        dialog.open()
        return dialog

    def open_operators_dialog(self) -> OperatorsDialog | None:
        """操作员管理, for a signed-in head-office administrator on an unlocked window only."""
        from teller_assist.ui.operators_dialog import OperatorsDialog

        admin = self.operator is not None and self.operator.role == "hq_admin"
        if self.store is None or self.operator is None or not admin or self.is_locked():
            return None
        dialog = OperatorsDialog(self.store, self.operator, self, is_locked=self.is_locked)
        dialog.open()
        return dialog

    def load_demo(self, *, ask: bool, people: int = DEMO_PEOPLE) -> None:
        """Generate and import the demo county in the background, with progress and cancel: a
        head-office administrator's, never while locked, never into a database with real data."""
        from teller_assist.services.imports import Importer, RealDataPresent, demo_county
        from teller_assist.store.queries import holds_real_data

        if self.store is None or self.demo_task is not None:
            return
        refusal = self._data_refusal()
        if refusal is not None:
            self.say(error_text(refusal))
            return
        by = Importer.operator(self.operator)
        try:
            real = holds_real_data(self.store)  # said before asking (the service checks it again)
        except UserFacingError as exc:
            self.say(error_text(exc))
            return
        if real:
            self._warn(self.tr("演示数据"), error_text(RealDataPresent.for_this_database(), hint=True))
            return
        if ask:
            answer = QMessageBox.question(
                self,
                self.tr("载入演示数据"),
                self.tr("生成并导入一个{n}人的演示县（虚构数据），用于熟悉软件。是否继续？").format(
                    n=f"{people:,}"
                ),
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        store, work_dir, today = self.store, self.settings.paths.data_dir, self._today()

        def work(report, cancelled):
            return demo_county(
                store, work_dir, by=by, people=people, today=today, progress=report, cancelled=cancelled
            )

        progress = QProgressDialog(self.tr("正在生成并导入演示县数据…"), self.tr("取消"), 0, 1000, self)
        progress.setObjectName("demoProgress")
        progress.setWindowTitle(self.tr("演示数据"))
        progress.setMinimumDuration(0)
        progress.setAutoClose(False)
        progress.setAutoReset(False)
        task = Task(work, self)
        progress.canceled.connect(task.cancel)
        task.progress.connect(lambda args: progress.setValue(int(1000 * args[1] / args[2]) if args[2] else 0))
        task.succeeded.connect(self._demo_loaded)
        task.failed.connect(self._demo_failed)
        self.demo_task, self.demo_progress = task, progress
        progress.show()
        task.start()

    def _end_demo(self) -> None:
        if self.demo_task is not None:
            self.demo_task.wait()
        if self.demo_progress is not None:
            self._forget_hidden(self.demo_progress)
            self.demo_progress.close()
        self.demo_task = self.demo_progress = None

    def _demo_loaded(self, report: ImportReport) -> None:
        self._end_demo()
        self.refresh_overview()
        if report.exit_code == 2:
            failed = [f.error or "" for f in report.files if f.status == "refused"]
            self._warn(self.tr("演示数据"), self.tr("部分文件未能导入：") + "\n".join(failed))

    def _demo_failed(self, exc: BaseException) -> None:
        self._end_demo()
        from teller_assist.services.imports import ImportCancelled

        if isinstance(exc, ImportCancelled):
            self.say(error_text(exc))
        elif isinstance(exc, UserFacingError):
            self._warn(self.tr("演示数据"), error_text(exc, hint=True))
        else:
            raise exc

    # --- identification (validation as the characters arrive) ------------------------------------
    def _focus_id(self) -> None:
        self.id_input.setFocus()
        self.id_input.selectAll()

    def _scanned(self, rid: ResidentId) -> None:
        """A scanner typed an ID into some other field (see ScanBurst): it is this customer's ID."""
        self._focus_id()
        self.customerIdentified.emit(rid, "typed")

    def _on_id_changed(self, text: str) -> None:
        if self._showing_id:
            return  # the masked ID of the customer on screen, not typing
        problem = partial_problem(text)
        self.id_feedback.setText(pick(problem.zh, problem.en) if problem else "")
        if problem is None and len(text.strip()) == 18:
            # a complete ID whose check digit holds needs no Enter (a scanner's trailing Enter is ignored)
            try:
                rid = parse_resident_id(text, today=self._today())
            except InvalidResidentId as exc:
                self.id_feedback.setText(pick(exc.rule.zh, exc.rule.en))
                return
            self.customerIdentified.emit(rid, "typed")

    def _on_id_entered(self) -> None:
        if self.card is not None and self.id_input.text() == self._shown_id:
            return  # Enter after an ID that identified itself (typed, or a scanner's suffix)
        try:
            rid = parse_resident_id(self.id_input.text(), today=self._today())
        except InvalidResidentId as exc:
            self.id_feedback.setText(pick(exc.rule.zh, exc.rule.en))
            return
        self.customerIdentified.emit(rid, "typed")

    def show_customer(self, rid: ResidentId, source: str = "typed") -> None:
        """The one place every source ends: look the customer up and show the card."""
        from teller_assist.services import applications as apps
        from teller_assist.services import audit
        from teller_assist.services.lookup import lookup

        if self.store is None:
            self.id_feedback.setText(self.tr("数据库未打开，无法查询"))
            return
        if self.is_locked():
            return  # nothing is shown, or looked up, on a locked screen
        if self.operator is None:
            self.id_feedback.setText(self.tr("请先登录"))
            return
        if self.draft_timer.isActive():  # the previous customer's survey, saved before it goes
            self.draft_timer.stop()
            self._save_draft()
        try:
            card = lookup(self.store, rid, as_of=self._today())
            audit.log(self.store, "lookup", operator=self.operator.login, subject=rid.value, purpose=source)
            held = card.open_application
            application = apps.get(self.store, held.id) if held is not None else None
        except UserFacingError as exc:
            self.id_feedback.setText(error_text(exc))
            self._store_trouble()
            return
        self.card = card
        self.application = application  # a pre-credit this person holds: its next step, not a new one
        self.decision_watch.stop()
        self._shown_id = self.settings.masking.resident_id(rid.value)
        self._showing_id = True
        try:
            self.id_input.setText(self._shown_id)
        finally:
            self._showing_id = False
        self.id_feedback.setText(
            {
                "typed": "",
                "clipboard": self.tr("已从剪贴板读取"),
                "reader": self.tr("已读取身份证"),
                "hook": self.tr("柜员系统已推送"),
            }.get(source, "")
        )
        self.empty_state.setVisible(False)
        self.content_scroll.setVisible(True)
        self.content_scroll.verticalScrollBar().setValue(0)
        self.card_panel.show_card(card)
        self._close_survey()
        self.survey_button.setVisible(self.policy is not None)
        self.recompute()
        self._show_application()
        if self._blocked() is None:
            self.open_survey()  # prompt the survey straight away: the teller's next step, no key needed

    # --- pre-qualification and the survey ----------------------------------------------------------
    def recompute(self) -> None:
        """The estimated line from the card and whatever the survey holds so far."""
        from teller_assist.services.prequal import decide_for_card

        if self.card is None or self.policy is None:
            return
        survey = self.survey_form.survey() if self.survey_form is not None else None
        try:
            decision = decide_for_card(self.card, survey, self.policy, self._today())
        except UserFacingError as exc:
            self.card_panel.estimated_line.setText(error_text(exc))
            return
        self.decision = decision
        held = self.card.open_application
        # the headline: the line the person holds, when there is one; else what the data support now
        self.card_panel.set_headline(
            standing_line_text(held) if held is not None else estimated_line_text(decision),
            alert=held is None and not decision.eligible,
        )
        blocked = self._blocked()
        self.flow_blocked.setText(pick(blocked.zh, blocked.en) if blocked is not None else "")
        # said in red when it stops the teller; an application on its way says its own next step below
        in_progress = self.application is not None and self.application.status in ("submitted", "approved")
        self.flow_blocked.setVisible(blocked is not None and not in_progress)
        self.survey_button.setEnabled(blocked is None)
        self.survey_button.setVisible(self.policy is not None and not in_progress)
        self.survey_button.setToolTip(self.flow_blocked.text())
        name_problem = self._name_problem()
        self.submit_button.setVisible(self.survey_form is not None and self.application is None)
        self.submit_button.setEnabled(
            blocked is None and decision.eligible and decision.survey_complete and name_problem is None
        )
        if self.survey_form is not None:
            shown = self.card_panel.current_masking()  # incomes masked unless revealed (audited)
            lines = [("✓ " if f.applies else "· ") + shown.amounts(f.evidence) for f in decision.factors]
            if decision.missing:
                labels = {f.key: pick(f.label_zh, f.label_en) for f in self.survey_form.form.fields}
                missing = self.tr("、").join(labels.get(k, k) for k in decision.missing)
                lines.append(self.tr("尚缺：") + missing)
            if name_problem is not None:
                lines.append(self.tr("客户姓名：") + name_problem)
            lines.extend(decision.problems.values())
            self.factors_label.setText("\n".join(lines))

    def _name_problem(self) -> str | None:
        """Why the name typed for someone new cannot go on the agreement (None: fine, or not asked)."""
        from teller_assist.identity.names import name_problem

        name = self.survey_form.customer_name() if self.survey_form is not None else None
        if name is None:
            return None
        problem = name_problem(name)
        return pick(*problem) if problem is not None else None

    def _blocked(self) -> Blocked | None:
        """Why the person on screen gets no survey and no submission (an open pre-credit, not eligible)."""
        from teller_assist.services.counter import survey_blocked

        if self.card is None:
            return None
        if self.application is not None and self.application.status in ("submitted", "approved", "signed"):
            return survey_blocked(self.card, None) or self._held_here()
        return survey_blocked(self.card, self.decision)

    def _held_here(self) -> Blocked:
        from teller_assist.services.counter import Blocked

        assert self.application is not None
        return Blocked(
            "该客户的申请已提交，不能再次申请", f"application {self.application.id} is already submitted"
        )

    def open_survey(self, scenario: str = "walk_in") -> None:
        """F3: the scenario's form (walk-in at the counter), the first field focused; refused, with the
        reason beside the card, for someone who holds an open pre-credit or whom the policy excludes."""
        if self.card is None or self.policy is None or not self.card_panel.isVisible() or self.is_locked():
            return
        if self.survey_form is None and self._blocked() is not None:
            self.flow_blocked.setVisible(True)
            return
        if self.survey_form is None:
            form = self.policy.forms[scenario]
            masked = self.settings.masking.phone(self.card.phone) if self.card.phone else None
            from teller_assist.ui.survey_form import SurveyForm

            self.survey_form = SurveyForm(
                form, phone=self.card.phone, masked_phone=masked, ask_name=not self.card.name
            )
            self.survey_form.changed.connect(self.recompute)
            self._survey_layout.addWidget(self.survey_form)
            self._restore_draft()
            self.survey_form.changed.connect(self.draft_timer.start)
        self.survey_area.setVisible(True)
        self.factors_label.setVisible(True)
        self.recompute()
        self._scroll_to(self.survey_area)  # the survey at the top of the scrolling part, the card above
        first = self.survey_form.first_field()
        if first is not None and first.isEnabled():
            first.setFocus()

    def _keep_in_view(self, _old: QWidget | None, new: QWidget | None) -> None:
        """The field that takes the focus in the scrolling part is scrolled into view (Tab, a click, F3)."""
        if new is not None and self.content.isAncestorOf(new):
            self.content_scroll.ensureWidgetVisible(new, 8, 24)

    def _scroll_to(self, widget: QWidget) -> None:
        """Bring ``widget`` to the top of the card's scrolling part, laid out now (not at the next turn
        of the event loop), so the keys that follow land where the teller sees."""
        QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
        self._content_layout.activate()
        top = widget.mapTo(self.content, QPoint(0, 0)).y()
        self.content_scroll.verticalScrollBar().setValue(top)

    def _restore_draft(self) -> None:
        """Offer back what was typed for this person before a crash, a restart or Esc."""
        from teller_assist.services import drafts

        if self.store is None or self.card is None or self.survey_form is None:
            return
        try:
            draft = drafts.load(self.store, self.card.rid.value)
        except UserFacingError:
            return
        if draft is None or draft.survey.scenario != self.survey_form.form.scenario:
            return
        self.survey_form.set_answers(draft.survey.answers)
        self.id_feedback.setText(
            self.tr("已恢复 {0} 未提交的调查表，请核对后重新勾选客户同意").format(
                draft.saved_at.astimezone().strftime("%m-%d %H:%M")
            )
        )

    def _save_draft(self) -> None:
        from teller_assist.services import drafts

        if self.store is None or self.card is None or self.survey_form is None or self.operator is None:
            return
        if self.application is not None:
            return  # submitted: the application holds the answers now
        try:
            drafts.save(self.store, self.card.rid.value, self.survey_form.survey(), self.operator.login)
        except UserFacingError as exc:
            self.id_feedback.setText(self.tr("调查表草稿未能保存（内容仍在屏幕上）：") + error_text(exc))
            self._store_trouble()

    def _close_survey(self) -> None:
        if self.survey_form is not None:
            self.survey_form.hide()
            self._survey_layout.removeWidget(self.survey_form)
            self.survey_form.deleteLater()
            self.survey_form = None
        self.survey_area.setVisible(False)
        self.factors_label.setVisible(False)
        self.factors_label.setText("")

    def next_customer(self) -> None:
        """Esc: clear everything on screen and wait for the next customer (a survey in progress stays
        saved as a draft and comes back when this person is identified again)."""
        if self.is_locked():
            return
        if self.draft_timer.isActive():
            self.draft_timer.stop()
            self._save_draft()
        self.decision_watch.stop()
        self.card = None
        self.decision = None
        self.application = None
        self.submit_button.setVisible(False)
        self.application_status.setVisible(False)
        self.counter_authorize_button.setVisible(False)
        self.print_button.setVisible(False)
        self.signed_button.setVisible(False)
        self._close_survey()
        self.survey_button.setVisible(False)
        self.flow_blocked.setVisible(False)
        self.card_panel.clear()
        self.id_input.clear()
        self.id_feedback.setText("")
        self.empty_state.setVisible(True)
        self.content_scroll.setVisible(False)
        self._focus_id()

    # --- operators, the idle lock, submission and approval ----------------------------------------------
    def ask_login(self, *, demo_if_empty: bool = False) -> LoginDialog:
        """Ask who is at the keyboard, at once: the database may still be opening behind the dialog
        (see ``opened_behind_login``); on a database without operators the first administrator is
        asked instead. Cancelled: the window closes. Signed in on a database without customers: the demo
        county is offered (or, from ``make run``, loaded)."""
        first_admin = self.store is not None and not self._has_operators
        dialog = LoginDialog(self.store, self, first_admin=first_admin)
        self.login_dialog, self._demo_if_empty = dialog, demo_if_empty

        def accepted() -> None:
            self.login_dialog = None
            if dialog.operator is None:
                return
            self.sign_in(dialog.operator)
            if self.opened is not None and self.opened.overview.empty and self._may_load_data():
                self.load_demo(ask=not demo_if_empty)

        dialog.accepted.connect(accepted)
        dialog.rejected.connect(self.close)
        dialog.open()
        return dialog

    def opened_behind_login(self, ready: CounterStart | None) -> None:
        """The database opened (or could not) while the login was asked: hand it the store, or ask for
        the first administrator instead, or (not opened) take the dialog away: the window says why."""
        dialog = self.login_dialog
        if dialog is None or dialog.store is not None:
            return
        if ready is not None and ready.has_operators:
            dialog.set_store(ready.opened.store)
            return
        dialog.rejected.disconnect(self.close)
        dialog.reject()
        dialog.deleteLater()
        self.login_dialog = None
        if ready is not None:  # a new database: its first administrator, then the login
            self.ask_login(demo_if_empty=self._demo_if_empty)

    def sign_in(self, operator: OperatorRecord) -> None:
        from teller_assist.prequal.workflow import authority
        from teller_assist.security.passwords import ROLE_ZH

        if self.operator is not None:
            self._end_session()  # (the window's own logout audits; this is a sign-in over another)
        self.operator = operator
        self.admin_menu.menuAction().setVisible(operator.role == "hq_admin")
        self._has_operators = True  # the next login (after a switch) is a login, not a first administrator
        self.header.setText(
            self._header_text()
            + " · "
            + self.tr("{0}（{1}）").format(operator.name, word(ROLE_ZH.get(operator.role, operator.role)))
        )
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self.idle)
        self.idle.start()
        if self.store is not None and self.policy is not None and authority(self.policy, operator.role):
            self.queue = ApprovalQueue(
                self.store,
                self.policy,
                self.settings.masking,
                lambda: self.operator,
                self._today,
                self,
                sms_sender=self.settings.bank_short_name,
            )
            self.walkins = WalkinsView(
                self.store, self.settings.masking, lambda: self.operator, self._today, self
            )
            self.queue.refreshed.connect(self.walkins.refresh)
            self.queue.refreshed.connect(self._count_waiting)
            self.queue.refreshed.connect(self._lock_waiting)
            self.workspaces.addTab(self.queue, self.tr("待审批"))
            self.workspaces.addTab(self.walkins, self.tr("今日到店"))
            self.queue.start()
        self.logout_action.setEnabled(True)
        self._update_data_actions()
        self._focus_id()

    def logout(self) -> LoginDialog | None:
        """退出登录 / 切换操作员: this operator's session ends (audited), the screen is cleared (a survey
        in progress is kept as a draft), and the login is asked for whoever comes next. Waits for a
        print or the demo county in progress: their work belongs to this session."""
        from teller_assist.services import audit

        if self.operator is None or self.store is None:
            return None
        if self.print_task is not None or self.demo_task is not None:
            self.say(self.tr("正在打印或导入，完成后再退出登录"))
            return None
        for dialog in self.findChildren(QDialog):  # the session's own dialogs go with it
            if dialog.isVisible() or dialog in self._hidden_by_lock:
                dialog.reject()
        self._hidden_by_lock = []
        if self.is_locked():
            self.stack.setCurrentIndex(0)
        self.next_customer()
        who = self.operator.login
        self._end_session()
        try:
            audit.log(self.store, "logout", operator=who, purpose="switch")
        except UserFacingError as exc:
            self.say(error_text(exc))
        return self.ask_login()

    def _end_session(self) -> None:
        """Nothing of the last operator stays: the lobby's tabs, the idle timer, the header's name."""
        self.idle.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self.idle)
        for view in (self.queue, self.walkins):
            if view is None:
                continue
            if isinstance(view, ApprovalQueue):
                view.stop()
            self.workspaces.removeTab(self.workspaces.indexOf(view))
            view.deleteLater()
        self.queue = self.walkins = None
        self.lock_page.set_waiting(0, 0)
        self.operator = None
        self.admin_menu.menuAction().setVisible(False)
        self.header.setText(self._header_text())
        self.logout_action.setEnabled(False)
        self._update_data_actions()

    def _count_waiting(self) -> None:
        """The queue's tab says how many wait, so it is seen from the counter's tab too."""
        if self.queue is None:
            return
        index = self.workspaces.indexOf(self.queue)
        waiting = len(self.queue.rows)
        self.workspaces.setTabText(
            index, self.tr("待审批 ({0})").format(waiting) if waiting else self.tr("待审批")
        )

    REVEAL_SECONDS = 30

    def reveal(self) -> None:
        """Show the full ID, phone and incomes for a short while; the reveal is an audited action."""
        from teller_assist.services import audit

        if self.card is None or self.operator is None or self.store is None or self.is_locked():
            return
        try:
            audit.log(
                self.store,
                "reveal",
                operator=self.operator.login,
                subject=self.card.rid.value,
                purpose="counter",
                detail={"fields": ["resident_id", "phone", "income"]},
            )
        except UserFacingError as exc:  # no audit row, no reveal
            self.id_feedback.setText(error_text(exc))
            return
        card = self.card
        self.card_panel.show_card(card, revealed=True)
        self.recompute()  # the decision's words, with the incomes in full
        QTimer.singleShot(self.REVEAL_SECONDS * 1000, lambda: self._remask(card))

    def _remask(self, card: CustomerCard) -> None:
        if self.card is card and self.card_panel.revealed:
            self.card_panel.show_card(card)
            self.recompute()

    def is_locked(self) -> bool:
        return self.stack.currentWidget() is self.lock_page

    def lock(self) -> None:
        """Hide every customer detail until the same operator unlocks (idle timeout, or by hand)."""
        from teller_assist.services import audit

        if self.operator is None or self.store is None or self.is_locked():
            return
        self.stack.setCurrentWidget(self.lock_page)
        self._update_data_actions()
        # a dialog open over the window (import, preview, 主管授权) goes with the lock, and comes back
        self._hidden_by_lock = [d for d in self.findChildren(QDialog) if d.isVisible()]
        for dialog in self._hidden_by_lock:
            dialog.finished.connect(lambda _result, d=dialog: self._forget_hidden(d))
            dialog.destroyed.connect(lambda _obj=None, d=dialog: self._forget_hidden(d))
            dialog.hide()
        if self.card is not None and self.card_panel.revealed:
            self.card_panel.show_card(self.card)  # a reveal ends with the lock
            self.recompute()
        self.lock_page.lock_for(self.store, self.operator)
        self._lock_waiting()
        audit.log(self.store, "lock", operator=self.operator.login)

    def _lock_waiting(self) -> None:
        """An approver's lock page counts the customers waiting for a decision (refreshed with the queue)."""
        rows = self.queue.rows if self.queue is not None else []
        now = dt.datetime.now(dt.UTC)
        longest = max((int((now - r.submitted_at).total_seconds() // 60) for r in rows), default=0)
        self.lock_page.set_waiting(len(rows), max(0, longest))

    def _unlocked(self) -> None:
        self.stack.setCurrentIndex(0)
        self._update_data_actions()
        self.idle.start()
        self._focus_id()
        hidden, self._hidden_by_lock = self._hidden_by_lock, []
        for dialog in hidden:
            dialog.show()

    def _forget_hidden(self, dialog: QDialog) -> None:
        """A dialog the lock hid was finished meanwhile (its job done): it does not come back."""
        if dialog in self._hidden_by_lock:
            self._hidden_by_lock.remove(dialog)

    def submit(self) -> None:
        """Ctrl+Enter: submit for approval. The line is recomputed by the service from stored data."""
        from teller_assist.services import applications as apps

        if (
            self.store is None
            or self.policy is None
            or self.operator is None
            or self.card is None
            or self.survey_form is None
            or self.application is not None
            or self.is_locked()
        ):
            return
        try:
            record = apps.submit(
                self.store,
                self.policy,
                self.card.rid,
                self.survey_form.survey(),
                apps.Actor.here(self.operator),
                today=self._today(),
                name=self.survey_form.customer_name(),
            )
        except UserFacingError as exc:
            self.application_status.setText(error_text(exc))  # the survey stays as typed
            self.application_status.setVisible(True)
            self._store_trouble()
            return
        self.application = record
        self.draft_timer.stop()
        self._discard_draft(record.id_no)
        self.survey_form.setEnabled(False)  # what was submitted is the application's now: read only
        self._refresh_card()
        self._show_application()
        self.counter_authorize_button.setFocus()

    def _show_application(self) -> None:
        """The application of the person on screen, and the one next step it allows: 主管授权 (F4)
        while submitted, the documents (F8) once approved, the signature (F9) once the agreement was
        printed; nothing more once signed."""
        from teller_assist.prequal.workflow import STATUS_ZH, rate_text
        from teller_assist.services import applications as apps

        app = self.application
        status = app.status if app is not None else None
        self.submit_button.setVisible(self.survey_form is not None and app is None)
        self.counter_authorize_button.setVisible(status == "submitted")
        self.print_button.setVisible(status in ("approved", "signed"))
        signable = False
        if app is not None and status == "approved" and self.store is not None:
            with contextlib.suppress(UserFacingError):
                signable = apps.agreement_issued(self.store, app.id)
        self.signed_button.setVisible(signable)
        if self.survey_form is not None and app is not None:
            self.survey_form.setEnabled(False)
        self.application_status.setVisible(app is not None)
        if app is None:
            self.decision_watch.stop()
            return
        if status == "submitted":
            assert self.policy is not None
            self._submitted_text = self.tr("已提交申请 {0}：额度 {1} 元，年利率 {2}%，等待审批").format(
                app.id, f"{app.line:,}", rate_text(app.annual_rate_bp)
            )
            self._approver_text = approver_text(self.policy, app.line) + " (F4)"  # whom to call before F4
            waited = max(0.0, (dt.datetime.now(dt.UTC) - app.submitted_at).total_seconds())
            self._submitted_clock = time.monotonic() - waited
            self.application_status.setText(self._submitted_text + "\n" + self._approver_text)
            if not self.decision_watch.isActive():
                self.decision_watch.start()  # a remote approver may decide on another desktop
        elif status == "approved":
            text = self.tr("已批准：协议号 {0}，额度 {1} 元，有效期至 {2}").format(
                app.agreement_no, f"{app.line:,}", app.valid_until
            )
            if not signable:
                text += "\n" + self.tr("请预览并打印协议 (F8)，客户签字后按 F9 登记")
            self.application_status.setText(text)
        elif status == "signed":
            self.application_status.setText(self.tr("已签约：协议号 {0}").format(app.agreement_no))
        else:
            reason = self.tr("：") + app.reject_reason if app.reject_reason else ""
            self.application_status.setText(
                self.tr("申请 {0} {1}{2}").format(app.id, word(STATUS_ZH.get(app.status, app.status)), reason)
            )

    def _discard_draft(self, id_no: str) -> None:
        from teller_assist.services import drafts

        if self.store is not None:
            with contextlib.suppress(UserFacingError):  # an orphan draft is purged after 30 days
                drafts.discard(self.store, id_no)

    def _check_decision(self) -> None:
        """Once a second while the customer waits: show a decision made in the approval queue."""
        from teller_assist.services import applications as apps

        app = self.application
        if self.store is None or app is None or app.status != "submitted":
            self.decision_watch.stop()
            return
        try:
            now = apps.get(self.store, app.id)
        except UserFacingError:
            return  # the database is away for a moment: try again next second
        if now.status == "submitted":  # the customer waits: say for how long
            waited = int(time.monotonic() - self._submitted_clock)
            self.application_status.setText(
                self._submitted_text
                + self.tr("（已等 {0}:{1}）").format(waited // 60, f"{waited % 60:02d}")
                + "\n"
                + self._approver_text
            )
            return
        self.decision_watch.stop()
        if now.status == "approved":
            self._approved(now)
            return
        self.application = now
        self._refresh_card()
        self._show_application()

    def preview_documents(self) -> PrintPreview | None:
        """F8: the documents the service issues for the counter (the agreement, the customer's
        authorisation, the letter) in a preview; 打印 prints them all."""
        from teller_assist.services.documents import COUNTER_KINDS, preview
        from teller_assist.ui.print_preview import Preview, PrintPreview

        app = self.application
        if self.store is None or app is None or app.status not in ("approved", "signed") or self.is_locked():
            return None
        self._documents_ready()
        try:
            pages = preview(self.store, self.settings, app.id, COUNTER_KINDS, self._today())
        except UserFacingError as exc:
            self.application_status.setText(error_text(exc))
            return None
        self.preview = PrintPreview([Preview(t, pdf) for t, pdf in pages], self.print_documents, self)
        # the window's F8 would be ambiguous with the preview's own F8 (print) while it is open
        self.f8.setEnabled(False)
        self.preview.finished.connect(lambda _result: self.f8.setEnabled(True))
        self.preview.open()
        return self.preview

    def _documents_ready(self) -> None:
        """The renderer's warm-up has finished: ReportLab's font subsetting is not for two threads at
        once (a preview asked for in the first second raced it once)."""
        if self._warming is not None:
            self._warming.join()
            self._warming = None

    def print_documents(self) -> None:
        """Issue each document (original or 副本, audited), keep it in the data folder, print it.

        The printer is chosen here (a dialog may ask). The window answers at once with 正在打印 and
        stays usable: issuing and keeping run on a worker thread; the documents are then loaded here,
        on the GUI thread, and a second worker rasterises them at 300 dpi and spools them without
        making or destroying a Qt object (see ``print_preview.print_document`` for why)."""
        from teller_assist.documents.templates import KINDS
        from teller_assist.services.documents import COUNTER_KINDS, issue
        from teller_assist.services.printing import save_copy
        from teller_assist.ui.print_preview import choose_printer, load_pdf, prepare_printing, print_document

        app, preview, store, operator = self.application, self.preview, self.store, self.operator
        if store is None or operator is None or app is None or preview is None:
            return
        if self.print_task is not None:
            return  # already printing
        self._documents_ready()
        try:
            printer = choose_printer(self.settings.printer, self)
            problem: UserFacingError | None = None
        except UserFacingError as exc:
            printer, problem = None, exc
        if printer is None and problem is None:
            return  # the teller closed the print dialog
        folder = self.settings.paths.data_dir / "printed"
        settings, today = self.settings, self._today()
        destination = printer.printerName() if printer else "file (printer unavailable)"
        copy_text = self.tr("（副本{0}）")
        Issued = list[tuple[str, bytes]]
        Spooled = tuple[list[str], object]

        def issue_all(_report: Callable[..., None], _cancelled: Callable[[], bool]) -> tuple[Issued, object]:
            issued_all: Issued = []
            for kind in COUNTER_KINDS:
                try:
                    issued = issue(
                        store,
                        settings,
                        app.id,
                        kind,
                        operator=operator.login,
                        destination=destination,
                        today=today,
                    )
                except UserFacingError as exc:
                    return issued_all, exc
                label = word(KINDS[kind]) + (copy_text.format(issued.copy_no) if issued.copy_no else "")
                # kept in the data folder, whatever happens to the printer
                save_copy(issued.pdf, folder, f"app{app.id}-{kind}-{issued.copy_no}")
                issued_all.append((label, issued.pdf))
            return issued_all, problem

        def report(done: list[str], trouble: UserFacingError | None) -> None:
            if trouble is not None:
                text = self.tr("未能打印：{0}。文书已保存在 {1}，可稍后打印。")
                text = text.format(error_text(trouble), folder)
            else:
                text = self.tr("已送打印机 {0}：{1}").format(destination, "、".join(done))
            self._print_finished(app.id, preview, text, printed=trouble is None)

        def failed(exc: BaseException) -> None:
            self._print_finished(app.id, preview, self.tr("打印出错：{0}").format(exc), printed=False)
            raise exc  # a bug, not a printer problem: the crash handler keeps its report

        def issued(result: tuple[Issued, UserFacingError | None]) -> None:
            issued_all, trouble = result
            if self.print_task is not None:
                self.print_task.wait()
            if printer is None or trouble is not None:
                self.print_task = None
                report([], trouble)
                return
            prepare_printing()
            documents = [(label, load_pdf(pdf, self)) for label, pdf in issued_all]

            def spool(_report: Callable[..., None], _cancelled: Callable[[], bool]) -> Spooled:
                done: list[str] = []
                for label, document in documents:
                    try:
                        print_document(printer, document, label)
                    except UserFacingError as exc:
                        return done, exc
                    done.append(label)
                return done, None

            def let_go() -> None:  # on the GUI thread, which they belong to
                for _label, document in documents:
                    document.deleteLater()

            def spooled(result: tuple[list[str], UserFacingError | None]) -> None:
                let_go()
                report(*result)

            def spool_failed(exc: BaseException) -> None:
                let_go()
                failed(exc)

            task = Task(spool, self)
            task.succeeded.connect(spooled)
            task.failed.connect(spool_failed)
            self.print_task = task
            task.start()

        preview.print_button.setEnabled(False)
        preview.message.setText(self.tr("正在打印…"))
        self.application_status.setText(self.tr("正在打印…"))
        task = Task(issue_all, self)
        task.succeeded.connect(issued)
        task.failed.connect(failed)
        self.print_task = task
        task.start()

    def _print_finished(self, app_id: int, preview: PrintPreview, text: str, *, printed: bool) -> None:
        if self.print_task is not None:
            self.print_task.wait()
        self.print_task = None
        preview.print_button.setEnabled(True)
        preview.message.setText(text)
        if self.printer_check is not None:
            self.printer_check.check_now()
        current = self.application is not None and self.application.id == app_id
        if current:
            self._show_application()  # issued: F9 is offered now
            self.application_status.setText(text)
        if printed and preview.isVisible():  # printed: back to the counter flow, where F9 marks the signature
            preview.accept()
            self.activateWindow()  # the keys come back here (F9) even when the print ended in the background
            if current and self.signed_button.isVisible():
                self.signed_button.setFocus()

    def mark_signed(self) -> QMessageBox | None:
        """F9: the customer signed the printed agreement. Offered only once the agreement was issued,
        and confirmed first (Enter), so a stray key records no signature."""
        from teller_assist.services import applications as apps

        app = self.application
        if self.store is None or self.operator is None or app is None or app.status != "approved":
            return None
        if self.is_locked() or self.findChild(QMessageBox, "signConfirm") is not None:
            return None
        try:
            issued = apps.agreement_issued(self.store, app.id)
        except UserFacingError as exc:
            self.application_status.setText(error_text(exc))
            return None
        if not issued:
            self.application_status.setText(self.tr("协议尚未打印：请先预览并打印 (F8)，客户签字后再按 F9"))
            return None
        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("登记客户签字"),
            self.tr("客户已在打印的预授信协议（协议号 {0}）上签字？").format(app.agreement_no),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self,
        )
        box.setObjectName("signConfirm")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.button(QMessageBox.StandardButton.Yes).setText(self.tr("已签字 (Enter)"))
        box.button(QMessageBox.StandardButton.No).setText(self.tr("尚未签字 (Esc)"))
        box.setDefaultButton(QMessageBox.StandardButton.Yes)
        box.setEscapeButton(QMessageBox.StandardButton.No)
        box.finished.connect(lambda result: self._signed(app, result == QMessageBox.StandardButton.Yes))
        box.open()
        keep_on_screen(box)
        return box

    def _signed(self, app: ApplicationRecord, confirmed: bool) -> None:
        from teller_assist.services import applications as apps

        if not confirmed or self.store is None or self.operator is None or self.application is not app:
            self.activateWindow()
            return
        try:
            self.application = apps.sign(
                self.store,
                app.id,
                apps.Actor.here(self.operator),
                today=self._today(),
                expected_version=app.version,
            )
        except UserFacingError as exc:
            self.application_status.setText(error_text(exc))
            return
        self._refresh_card()
        self._show_application()
        self.activateWindow()
        self._focus_id()  # signed: the next key is the next customer's ID

    def _refresh_card(self) -> None:
        """Re-read the card of the customer at the counter (its pre-credit changed)."""
        from teller_assist.services.lookup import lookup

        if self.store is None or self.card is None:
            return
        try:
            self.card = lookup(self.store, self.card.rid, as_of=self._today())
        except UserFacingError:
            return
        self.card_panel.show_card(self.card, revealed=self.card_panel.revealed)
        self.recompute()
        if self.survey_form is not None:  # the details grew or shrank: the survey stays where it was seen
            self._scroll_to(self.survey_area)

    def authorize_at_counter(self) -> AuthorizeDialog | None:
        """F4: the supervisor approves on this screen with their own credentials."""
        if self.store is None or self.policy is None or self.application is None or self.is_locked():
            return None
        if self.application.status != "submitted":
            return None
        app = self.application
        who = f"{app.name or ''} {self.settings.masking.resident_id(app.id_no)}".strip()
        dialog = AuthorizeDialog(
            self.store,
            self.policy,
            app,
            self._today(),
            self,
            who=who,
            sms_sender=self.settings.bank_short_name,
        )
        dialog.accepted.connect(lambda: self._approved(dialog.result_record))
        dialog.open()
        return dialog

    def _approved(self, record: ApplicationRecord | None) -> None:
        if record is None:
            return
        self.application = record
        self._refresh_card()
        self._show_application()
        self.activateWindow()  # the supervisor's dialog has closed: F8 is the teller's next key
        self.print_button.setFocus()

    # --- identification sources ----------------------------------------------------------------------
    def start_sources(self) -> None:
        """Start the opt-in sources the settings ask for: clipboard watch, card reader, local hook."""
        from teller_assist.lookup.ga467 import open_serial
        from teller_assist.lookup.sources import LocalHook, ReaderWatcher
        from teller_assist.security.keys import hook_token

        if self.settings.clipboard_watch:
            QGuiApplication.clipboard().dataChanged.connect(self._on_clipboard)
        if self.settings.card_reader:
            device = self.settings.card_reader
            self.reader_watcher = ReaderWatcher(
                lambda: open_serial(device),
                lambda rid: self._bridge.identified.emit(rid, "reader"),
                self._bridge.status.emit,
                today=self._today,
            )
            self.reader_watcher.start()
        if self.settings.local_hook_port:
            try:
                demo = self.store is not None and self.store.demo_mode
                token = hook_token(self.settings.paths.data_dir / "DEMO-MODE-hook.token" if demo else None)
                self.local_hook = LocalHook(
                    token,
                    lambda rid: self._bridge.identified.emit(rid, "hook"),
                    today=self._today,
                    port=self.settings.local_hook_port,
                )
                self.local_hook.start()
            except (UserFacingError, OSError) as exc:
                message = error_text(exc) if isinstance(exc, UserFacingError) else str(exc)
                self.reader_status.setText(self.tr("柜员系统接口未启动：") + message)

    def _on_clipboard(self) -> None:
        from teller_assist.lookup.sources import clipboard_candidate

        rid = clipboard_candidate(QGuiApplication.clipboard().text(), self._today())
        if rid is not None and (self.card is None or self.card.rid != rid):
            self.customerIdentified.emit(rid, "clipboard")

    def stop_sources(self) -> None:
        if self.reader_watcher is not None:
            self.reader_watcher.stop()
            self.reader_watcher = None
        if self.local_hook is not None:
            self.local_hook.stop()
            self.local_hook = None

    # --- the window's place beside the teller system ---------------------------------------------------
    def _window_state(self) -> QSettings:
        """Where the window sat and whether it stays on top: a small file in the data folder, per user."""
        return QSettings(str(self.settings.paths.data_dir / "window.ini"), QSettings.Format.IniFormat)

    DEFAULT_HEIGHT = 640

    def _fit_default_size(self) -> None:
        """420 × 640, or less on a smaller screen: never taller than the screen it opens on."""
        room = (self.screen() or QGuiApplication.primaryScreen()).availableGeometry()
        self.resize(self.DEFAULT_WIDTH, min(self.DEFAULT_HEIGHT, room.height() - 40))

    def _restore_place(self) -> None:
        state = self._window_state()
        geometry = state.value("geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
            # a place saved on a larger screen comes back inside this one
            room = (self.screen() or QGuiApplication.primaryScreen()).availableGeometry()
            if self.height() > room.height() or self.width() > room.width():
                self.resize(min(self.width(), room.width()), min(self.height(), room.height() - 40))
            if not room.intersects(self.frameGeometry()):
                self.move(room.topLeft())
        self.stay_on_top_action.setChecked(str(state.value("stay_on_top", "false")).lower() == "true")

    def set_stay_on_top(self, on: bool) -> None:
        """Keep the window above the teller system (the setting survives a restart)."""
        visible = self.isVisible()
        self.setWindowFlag(Qt.WindowType.WindowStaysOnTopHint, on)
        if visible:
            self.show()  # changing a window flag hides the window until it is shown again

    def _save_place(self) -> None:
        state = self._window_state()
        state.setValue("geometry", self.saveGeometry())
        state.setValue("stay_on_top", self.stay_on_top_action.isChecked())
        state.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        self._closing = True
        if self.opening is not None:  # closed while the database opened: let it finish, then close it
            self.opening.wait()
            for ready in self._opening_result:
                ready.opened.store.dispose()
            self._opening_result.clear()
        with contextlib.suppress(OSError):
            self._save_place()
        self.stop_sources()
        for check in (self.connection.check if self.connection else None, self.printer_check):
            if check is not None:
                check.stop()
        self.idle.stop()
        if self.queue is not None:
            self.queue.stop()
        if self.operator is not None and self.store is not None:
            from teller_assist.services import audit

            audit.log(self.store, "logout", operator=self.operator.login)
        if self.demo_task is not None:
            self.demo_task.cancel()
            self.demo_task.wait()
        if self.print_task is not None:
            self.print_task.wait()  # a job half-spooled is finished, not cut off
        if self.store is not None:
            self.store.dispose()
        super().closeEvent(event)
