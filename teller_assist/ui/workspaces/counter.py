"""The counter: a thin view of the counter flow (``services.counter_flow``). The flow holds the customer,
the decision, the survey and the application and says what is allowed; this page shows it, takes the
keys (F2 F3 F4 F8 F9 Esc Ctrl+Enter) and runs what would wait on a worker thread."""

from __future__ import annotations

import contextlib
import datetime as dt
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QScrollArea,
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
from teller_assist.money import yuan_text
from teller_assist.prequal.workflow import OPEN, Status
from teller_assist.settings import Settings
from teller_assist.ui import heap, messages
from teller_assist.ui.card_panel import CardPanel
from teller_assist.ui.i18n import error_text, pick
from teller_assist.ui.scan_burst import ScanBurst
from teller_assist.ui.session import AuthorizeDialog, approver_text
from teller_assist.ui.tasks import Task, detached
from teller_assist.ui.widgets import NoteLabel, keep_on_screen
from teller_assist.ui.words import word

if TYPE_CHECKING:
    from teller_assist.lookup.card import ApplicationFact, CustomerCard
    from teller_assist.lookup.sources import LocalHook, ReaderWatcher
    from teller_assist.prequal.engine import Decision
    from teller_assist.prequal.policy import Policy
    from teller_assist.prequal.survey import Survey
    from teller_assist.services import task_desk
    from teller_assist.services.applications import ApplicationRecord
    from teller_assist.services.context import Context
    from teller_assist.services.counter_flow import CounterFlow
    from teller_assist.services.documents import Issued as IssuedDocument
    from teller_assist.services.operators import OperatorRecord
    from teller_assist.services.printing import PrintRun
    from teller_assist.ui.print_preview import PrintPreview
    from teller_assist.ui.survey_form import SurveyForm


def _prepare_documents(app_url: str) -> None:
    """Warm the document renderer (~0.5 s cold: fonts, ReportLab, the QR code of the app's URL, the
    templates) on a worker thread at start, so the first F8 at the counter does not wait for it."""
    from teller_assist.documents import fonts
    from teller_assist.documents.render import DocumentData, render
    from teller_assist.documents.templates import KINDS

    with heap.building("documents"):  # ~350,000 objects, half of them kept: see ui/heap.py
        fonts.register()
        day = dt.date(2000, 1, 1)
        for kind in KINDS:  # a throw-away rendering with made-up words: nothing is kept or logged
            render(
                DocumentData(
                    kind, "预热", "预热", "YSX00000000000000", "预热", "0000**********0000",
                    100, "0.00", day, day, ("预热",), app_url, day, "00000-00000",
                )
            )


def estimated_line_text(decision: Decision) -> str:
    """可授信 30,000元；现有依据支持220,000元（完成调查后可授） (or why not; the reasons are the policy's own
    words). The second figure is what the evidence so far supports, not a ceiling: a survey may add."""
    if not decision.eligible:
        return QCoreApplication.translate("MainWindow", "不可授信：") + "；".join(decision.reasons)
    text = QCoreApplication.translate("MainWindow", "可授信 {0}元，年利率{1}%")
    text = text.format(yuan_text(decision.grantable_fen), decision.annual_rate)
    if decision.potential_fen > decision.grantable_fen:
        more = QCoreApplication.translate("MainWindow", "；现有依据支持{0}元（完成调查后可授）")
        text += more.format(yuan_text(decision.potential_fen))
    return text


def standing_line_text(held: ApplicationFact) -> str:
    """The pre-credit the person holds, as the card's headline: 已签约 264,000元，年利率3.65%，有效期至 …"""
    from teller_assist.ui.card_panel import APPLICATION_ZH

    status = word(APPLICATION_ZH.get(held.status, held.status))
    rate = f"{held.annual_rate_bp / 100:.2f}"
    text = QCoreApplication.translate("MainWindow", "{0} {1}元，年利率{2}%")
    text = text.format(status, yuan_text(held.line_fen), rate)
    if held.valid_until is not None:
        until = QCoreApplication.translate("MainWindow", "，有效期至 {0}")
        text += until.format(held.valid_until.isoformat())
    return text


class CounterWorkspace(QWidget):
    """The counter page, top to bottom: who and where; the ID; the card's summary (name, badges, the
    headline); then one scrolling part with the card's details, the survey and the factors, so nothing
    is cut at 768 pixels; then the next step's buttons, always in view."""

    customerIdentified = Signal(object, str)
    readerStatus = Signal(str)  # the card reader's or the local hook's state, for the status line
    wanted = Signal()  # a customer comes to the counter (F2, a card read, a task): the shell shows it
    applicationChanged = Signal()  # submitted or signed here: the officer's tasks may have changed
    _identified = Signal(object, str)  # from a source's thread into the GUI thread

    REVEAL_SECONDS = 30
    WARM_UP_MS = 1000
    DOCUMENTS_QUIET_MS = 1500
    WARM_UP_ID = "11010519491231002X"  # the standard's own example: valid, and nobody at this bank

    def __init__(
        self,
        settings: Settings,
        host: QWidget,
        *,
        today: Callable[[], dt.date],
        is_locked: Callable[[], bool],
        store_trouble: Callable[[], None],
        printer_changed: Callable[[], None],
    ) -> None:
        super().__init__(host)
        self.settings, self._host, self._today, self.is_locked = settings, host, today, is_locked
        self._store_trouble, self._printer_changed = store_trouble, printer_changed
        self.flow: CounterFlow | None = None
        self.setObjectName("counterPage")
        layout = QVBoxLayout(self)
        self.banner = QLabel("", self)  # the database is away: said at the top, in red, until it is back
        self.banner.setObjectName("connectionBanner")
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet("QLabel { background: #b00020; color: white; padding: 6px; }")
        self.banner.setVisible(False)
        layout.addWidget(self.banner)
        self.header = QLabel("", self)
        self.header.setObjectName("header")
        self.header.setWordWrap(True)
        layout.addWidget(self.header)

        self.id_input = QLineEdit(self)
        self.id_input.setObjectName("idInput")
        self.id_input.setPlaceholderText(self.tr("读卡、扫码或输入身份证号（F2）"))
        self.id_input.setMaxLength(24)
        self._shown_id = ""  # the masked ID of the customer on screen
        self._showing_id = False
        self.id_input.textChanged.connect(self._on_id_changed)
        self.id_input.returnPressed.connect(self._on_id_entered)
        layout.addWidget(self.id_input)
        self.id_feedback = NoteLabel("", self)
        self.id_feedback.setObjectName("idFeedback")
        layout.addWidget(self.id_feedback)

        self.card_panel = CardPanel(settings.masking, self)
        self.card_panel.revealRequested.connect(self.reveal)
        layout.addWidget(self.card_panel)
        self.target_flag = QLabel("", self)  # a walk-in who is a target: said with their task of today
        self.target_flag.setObjectName("targetFlag")
        self.target_flag.setWordWrap(True)
        self.target_flag.setStyleSheet(
            "QLabel { background: #e8f0fe; color: #174ea6; padding: 4px; border-radius: 4px; }"
        )
        self.target_flag.setVisible(False)
        self._flag_tasks: list[Task] = []  # reading whether the person on screen is a target
        self._flag_generation = 0
        layout.addWidget(self.target_flag)
        self.flow_blocked = QLabel("", self)  # why no survey and no submission for this person
        self.flow_blocked.setObjectName("flowBlocked")
        self.flow_blocked.setWordWrap(True)
        self.flow_blocked.setStyleSheet("QLabel { color: #a11212; }")
        self.flow_blocked.setVisible(False)
        layout.addWidget(self.flow_blocked)

        self.empty_state = QLabel("", self)
        self.empty_state.setObjectName("emptyState")
        self.empty_state.setWordWrap(True)
        self.empty_state.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.empty_state.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.empty_state, 1)

        self.content_scroll = QScrollArea(self)
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

        self.retry_button = self._button(
            self.tr("重新打开数据库 (F5)"), "retryOpenButton", layout)  # a failed open
        self.survey_form: SurveyForm | None = None
        # forms made ahead at idle, by scenario and whether the name is asked: the customer's card does
        # not wait for a form's widgets to be made (see _spare_survey)
        self._spare_forms: dict[tuple[str, bool], SurveyForm] = {}
        self.survey_button = self._button(
            self.tr("填写调查表 (F3)"), "surveyButton", layout, lambda: self.open_survey())
        self.submit_button = self._button(
            self.tr("提交审批 (Ctrl+Enter)"), "submitButton", layout, self.submit)
        self.application_status = QLabel("", self)
        self.application_status.setObjectName("applicationStatus")
        self.application_status.setWordWrap(True)
        self.application_status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.application_status.setVisible(False)
        layout.addWidget(self.application_status)
        self.counter_authorize_button = self._button(
            self.tr("主管授权 (F4)"), "counterAuthorizeButton", layout, self.authorize_at_counter
        )
        self.print_button = self._button(
            self.tr("预览并打印协议和告知函 (F8)"), "printButton", layout, self.preview_documents)
        self.signed_button = self._button(
            self.tr("客户已签字 (F9)"), "signedButton", layout, self.mark_signed)

        # the keys work anywhere in the window (the handlers refuse what the moment does not allow)
        for key, slot in (
            (QKeySequence("Ctrl+Return"), self.submit),
            (QKeySequence("Ctrl+Enter"), self.submit),
            (QKeySequence(Qt.Key.Key_F4), self.authorize_at_counter),
            (QKeySequence(Qt.Key.Key_F9), self.mark_signed),
            (QKeySequence(Qt.Key.Key_F3), self.open_survey),
            (QKeySequence(Qt.Key.Key_Escape), self._esc),
            (QKeySequence(Qt.Key.Key_F2), self._f2),
        ):
            QShortcut(key, host, slot)
        self.f8 = QShortcut(QKeySequence(Qt.Key.Key_F8), host, self.preview_documents)

        self.preview: PrintPreview | None = None
        self.authorize_dialog: AuthorizeDialog | None = None  # 主管授权, while it is open
        self.print_task: Task | None = None
        self._poll_task: Task | None = None
        self._submitted_text, self._submitted_clock = "", 0.0  # the wait for the approver, shown
        self._approver_text = ""  # whom the teller calls for 主管授权
        self.draft_timer = QTimer(self)  # save what is typed, shortly after the typing pauses
        self.draft_timer.setSingleShot(True)
        self.draft_timer.setInterval(400)
        self.draft_timer.timeout.connect(self._save_draft_in_background)
        # drafts on their way to the database (one write at a time, on a worker thread): the write under
        # way, its outcome once known, and the drafts waiting their turn (the newest of each person)
        self._draft_task: tuple[Task, _DraftToWrite, list[BaseException | None]] | None = None
        self._drafts_waiting: dict[str, _DraftToWrite] = {}
        self.decision_watch = QTimer(self)  # while submitted: has someone decided elsewhere?
        self.decision_watch.setInterval(1000)
        self.decision_watch.timeout.connect(self._check_decision)
        self._identified.connect(self.customerIdentified)
        self.customerIdentified.connect(self.show_customer)
        self.reader_watcher: ReaderWatcher | None = None
        self.local_hook: LocalHook | None = None
        self._warming: threading.Thread | None = None  # the document renderer, warming up
        # ... started after the window's own warm-up, once the counter has been quiet for a moment (no
        # sign-in, no key in the ID field) or the survey is being answered: on its own thread it would
        # take the interpreter's lock from a card being made
        self._warm_documents = QTimer(self)
        self._warm_documents.setSingleShot(True)
        self._warm_documents.setInterval(self.DOCUMENTS_QUIET_MS)
        self._warm_documents.timeout.connect(self._start_documents_warm_up)
        self._documents_url: str | None = None  # the app's URL, until the warm-up starts (None after)
        # a scanner's burst into any other field of the window still lands in the ID field
        self.scan_burst = ScanBurst(host, self.id_input, self._scanned, today=today, paused=is_locked)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.installEventFilter(self.scan_burst)
            app.focusChanged.connect(self._keep_in_view)

    def _button(
        self, text: str, name: str, layout: QVBoxLayout, slot: Callable[[], object] | None = None
    ) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(name)
        button.setVisible(False)
        button.setAutoDefault(True)  # the focus waits on the next step's button: Enter presses it
        if slot is not None:
            button.clicked.connect(lambda _checked=False: slot())
        layout.addWidget(button)
        return button

    # --- what the flow holds, for whoever reads the screen --------------------------------------------
    @property
    def card(self) -> CustomerCard | None:
        return self.flow.card if self.flow is not None else None

    @property
    def decision(self) -> Decision | None:
        return self.flow.decision if self.flow is not None else None

    @property
    def application(self) -> ApplicationRecord | None:
        return self.flow.application if self.flow is not None else None

    @property
    def policy(self) -> Policy | None:
        return self.flow.policy if self.flow is not None else None

    # --- the shell's calls: the database opened, who signed in, the lock ------------------------------
    def started(self, ctx: Context, operator: OperatorRecord | None) -> None:
        from teller_assist.services.counter_flow import CounterFlow

        self.settings = ctx.settings
        self.flow = CounterFlow(ctx, locked=self.is_locked)
        self.flow.sign_in(operator)
        self._documents_url = ctx.settings.app_download_url  # warmed after the window's own warm-up
        self.start_sources(ctx.store.demo_mode)
        QTimer.singleShot(self.WARM_UP_MS, self._warm_up_at_idle)  # while the teller signs in

    def sign_in(self, operator: OperatorRecord | None) -> None:
        self._not_quiet()  # a card may be typed at once: the documents wait for a quiet moment
        if self.flow is not None:
            self.flow.sign_in(operator)
        if operator is not None:
            self._focus_id()

    def locking(self) -> None:
        """The screen locks: a reveal ends with it, and the survey as typed is written (on a worker
        thread: the lock does not wait for it)."""
        self.draft_timer.stop()
        self._save_draft_in_background()
        if self.card is not None and self.card_panel.revealed:
            self.card_panel.show_card(self.card)
            self.show_decision()

    def connection_back(self) -> None:
        if self.survey_form is not None and self.application is None:
            self.draft_timer.start()  # a draft that could not be saved meanwhile is saved now

    def shut(self) -> None:
        """The window closes: the sources stop, the work in progress is finished, not cut off."""
        self.stop_sources()
        self.decision_watch.stop()
        self.draft_timer.stop()
        self._settle_drafts()  # the drafts on their way, and the last keys typed, written before it goes
        if self.flow is not None:
            with contextlib.suppress(UserFacingError):  # closed all the same; what was saved before stays
                self.flow.save_draft()
        for task in (self._poll_task, self.print_task, *self._flag_tasks):
            if task is not None:
                task.wait()

    # --- the first customer should not wait for what could be loaded before they came ----------------
    def _warm_up(self) -> None:
        """Load, once, what the first lookup and the first preview would otherwise load while the
        customer waits (every part of :meth:`_warm_up_parts`, now)."""
        for part in self._warm_up_parts():
            part()

    def _warm_up_at_idle(self) -> None:
        """The warm-up at idle, one part an event-loop turn: no part holds the loop for long, so a card
        read or an ID typed meanwhile is answered between two parts (the reader's check: no stall over
        50 ms)."""
        parts = list(self._warm_up_parts())

        def next_part() -> None:
            if parts and self.flow is not None:
                parts.pop(0)()
                QTimer.singleShot(0, self, next_part)  # dropped if the workspace goes meanwhile

        next_part()

    def _warm_up_parts(self) -> tuple[Callable[[], None], ...]:
        """The decision engine, the card's prepared statements and the lookup's audit row rehearsed; the
        card's rich text and the survey's widgets laid out and drawn once with their fonts (on
        throw-away widgets, never shown); the statements of the draft, the flag and the application;
        QtPdf; then the documents' renderer, at the next quiet moment."""
        return (
            self._warm_lookup,
            self._warm_card,
            self._warm_own_card,
            self._warm_reads,
            self._make_spare_forms,
            self._warm_pdf,
            self._warm_documents_next,
        )

    def _warm_card_data(self) -> CustomerCard | None:
        from teller_assist.services.lookup import lookup

        flow = self.flow
        if flow is None:
            return None
        try:
            nobody = parse_resident_id(self.WARM_UP_ID, today=self._today())
            return lookup(flow.ctx, nobody, as_of=self._today())
        except (UserFacingError, InvalidResidentId):
            return None

    def _warm_lookup(self) -> None:
        from teller_assist.services import audit
        from teller_assist.services.prequal import decide_for_card

        flow, card = self.flow, self._warm_card_data()
        if flow is None or card is None:
            return
        with contextlib.suppress(UserFacingError):
            audit.rehearse(flow.ctx)  # the first lookup's audit row: prepared, then rolled back
            if flow.policy is not None:
                decide_for_card(card, None, flow.policy, self._today())

    def _warm_card(self) -> None:
        card = self._warm_card_data()
        if card is None:
            return
        holder = QWidget()  # never shown: the panel's details live beside it, in its parent
        panel = CardPanel(self.settings.masking, holder)
        panel.resize(max(self.card_panel.width(), 360), 480)
        panel.show_card(card)
        panel.grab()
        panel.body.grab()
        holder.deleteLater()

    def _warm_own_card(self) -> None:
        if self.card is not None or self.card_panel.card is not None:
            return
        card = self._warm_card_data()
        if card is not None:
            # the window's own panel laid out and drawn once in its place (into a pixmap; cleared
            # before the event loop could paint it), so the first customer's card is not the first
            self.card_panel.show_card(card)
            self.grab()
            self.card_panel.clear()

    def _warm_reads(self) -> None:
        from teller_assist.services import applications, drafts, task_desk

        flow = self.flow
        if flow is None:
            return
        with contextlib.suppress(UserFacingError):
            drafts.load(flow.ctx, self.WARM_UP_ID)  # the first survey's draft read: its statement ready
            task_desk.prepare_flag(flow.ctx, self.WARM_UP_ID)  # a listed walk-in's flag: statements ready
        with contextlib.suppress(UserFacingError):  # a customer holding a line: their application's reads
            applications.get(flow.ctx, 0)  # (no application 0: the statement compiled, nothing found)
        with contextlib.suppress(UserFacingError):
            applications.agreement_issued(flow.ctx, 0)

    def _warm_pdf(self) -> None:
        from PySide6.QtCore import QBuffer, QIODevice, QSize
        from PySide6.QtGui import QPageSize, QPainter, QPdfWriter

        from teller_assist.ui.print_preview import load_pdf

        buffer = QBuffer()
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        writer = QPdfWriter(buffer)
        writer.setPageSize(QPageSize(QPageSize.PageSizeId.A6))
        QPainter(writer).end()
        with contextlib.suppress(UserFacingError):
            load_pdf(bytes(buffer.data().data())).render(0, QSize(8, 8))

    def _warm_documents_next(self) -> None:
        heap.settled("warm")  # the statements, the forms, QtPdf: kept for good (ui/heap.py)
        if self.flow is not None and self._documents_url is not None:
            self._warm_documents.start()  # then the documents' renderer, at the next quiet moment

    # --- identification (validation as the characters arrive) ------------------------------------
    def _focus_id(self) -> None:
        self.id_input.setFocus()
        self.id_input.selectAll()

    def _f2(self) -> None:
        """F2 from any workspace: the counter, the focus in the ID field."""
        self.wanted.emit()
        self._focus_id()

    def _scanned(self, rid: ResidentId) -> None:
        """A scanner typed an ID into some other field (see ScanBurst): it is this customer's ID."""
        self._focus_id()
        self.customerIdentified.emit(rid, "typed")

    def _on_id_changed(self, text: str) -> None:
        if self._showing_id:
            return  # the masked ID of the customer on screen, not typing
        self._not_quiet()
        problem = partial_problem(text)
        self.id_feedback.setText(pick(problem.zh, problem.en) if problem else "")
        if problem is None and len(text.strip()) == 18:
            # a complete ID whose check digit holds needs no Enter (a scanner's trailing Enter is ignored)
            try:
                rid = parse_resident_id(text, today=self._today())
            except InvalidResidentId as exc:
                self._not_an_id(text, exc)
                return
            self.customerIdentified.emit(rid, "typed")

    def _on_id_entered(self) -> None:
        if self.card is not None and self.id_input.text() == self._shown_id:
            return  # Enter after an ID that identified itself (typed, or a scanner's suffix)
        try:
            rid = parse_resident_id(self.id_input.text(), today=self._today())
        except InvalidResidentId as exc:
            self._not_an_id(self.id_input.text(), exc)
            return
        self.customerIdentified.emit(rid, "typed")

    def _not_an_id(self, text: str, exc: InvalidResidentId) -> None:
        """A whole ID typed that is not a valid one: the rule it breaks is said, what was typed stays to be
        corrected, and the customer on screen before goes (kept as at Esc: their survey as a draft). The
        keys that act on the customer at the counter (F3, F8, F9) must not act on the previous one while
        the field holds another person's number."""
        if self.card is not None and text != self._shown_id:
            self.next_customer()
            self.id_input.setText(text)
        self.id_feedback.setText(pick(exc.rule.zh, exc.rule.en))

    def show_customer(self, rid: ResidentId, source: str = "typed") -> None:
        """The one place every source ends: look the customer up and show the card."""
        flow = self.flow
        if flow is None:
            self.id_feedback.setText(self.tr("数据库未打开，无法查询"))
            return
        if self.is_locked():
            return  # nothing is shown, or looked up, on a locked screen
        if flow.operator is None:
            self.id_feedback.setText(self.tr("请先登录"))
            return
        self.wanted.emit()  # a card read or a scan while another workspace is in front comes here
        self.draft_timer.stop()
        if not self._save_draft():  # the previous customer's survey stays on screen until it is kept
            return
        try:
            flow.identify(rid, source)
        except UserFacingError as exc:
            self.id_feedback.setText(error_text(exc))
            self._store_trouble()
            return
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
        assert flow.card is not None
        self.card_panel.show_card(flow.card)
        self._check_target()
        self._close_survey()
        self.survey_button.setVisible(flow.policy is not None)
        self.show_decision()
        self._show_application()
        if flow.blocked() is None:
            self.open_survey()  # prompt the survey straight away: the teller's next step, no key needed

    # --- pre-qualification and the survey ----------------------------------------------------------
    def recompute(self) -> None:
        """The answers changed: the flow decides again, the screen follows."""
        if self.flow is not None and self.survey_form is not None:
            self.flow.update_survey(self.survey_form.survey(), self.survey_form.customer_name())
        self.show_decision()

    def show_decision(self) -> None:
        """The estimated line, what stops the teller, the buttons and the factors, from the flow."""
        from teller_assist.services.counter_flow import Action

        flow = self.flow
        if flow is None or flow.card is None or flow.policy is None:
            return
        decision = flow.decision
        if flow.decision_problem is not None or decision is None:
            if flow.decision_problem is not None:
                self.card_panel.estimated_line.setText(error_text(flow.decision_problem))
            return
        held = flow.card.open_application
        # the headline: the line the person holds, when there is one; else what the data support now
        self.card_panel.set_headline(
            standing_line_text(held) if held is not None else estimated_line_text(decision),
            alert=held is None and not decision.eligible,
        )
        blocked = flow.blocked()
        self.flow_blocked.setText(pick(blocked.zh, blocked.en) if blocked is not None else "")
        # said in red when it stops the teller; an application on its way says its own next step below,
        # and so does one signed at this counter a moment ago (its customer is not "returning")
        app = self.application
        in_progress = app is not None and (
            app.status in OPEN or (app.status == Status.SIGNED and flow.printed)
        )
        self.flow_blocked.setVisible(blocked is not None and not in_progress)
        self.survey_button.setEnabled(blocked is None)
        self.survey_button.setVisible(not in_progress)
        self.survey_button.setToolTip(self.flow_blocked.text())
        name_problem = flow.name_problem()
        self.submit_button.setVisible(self.survey_form is not None and self.application is None)
        self.submit_button.setEnabled(flow.why_not(Action.SUBMIT) is None)
        if self.survey_form is not None:
            shown = self.card_panel.current_masking()  # incomes masked unless revealed (audited)
            lines = [("✓ " if f.applies else "· ") + shown.amounts(f.evidence) for f in decision.factors]
            if decision.missing:
                labels = {f.key: pick(f.label_zh, f.label_en) for f in self.survey_form.form.fields}
                missing = self.tr("、").join(labels.get(k, k) for k in decision.missing)
                lines.append(self.tr("尚缺：") + missing)
            if name_problem is not None:
                lines.append(self.tr("客户姓名：") + pick(*name_problem))
            lines.extend(decision.problems.values())
            self.factors_label.setText("\n".join(lines))

    def open_survey(self, scenario: str = "walk_in") -> None:
        """F3: the scenario's form (walk-in at the counter), the first field focused; refused, with the
        reason beside the card, for someone who holds an open pre-credit or whom the policy excludes."""
        from teller_assist.services.counter_flow import Action

        flow = self.flow
        if flow is None or flow.card is None or flow.policy is None or self.is_locked():
            return
        if not self.card_panel.isVisible():
            return
        if self.survey_form is None:
            if flow.why_not(Action.SURVEY) is not None:
                self.flow_blocked.setVisible(True)
                return
            try:
                draft = flow.open_survey(scenario)
            except UserFacingError:
                draft = None  # the draft could not be read: the survey opens empty
            card = flow.card
            masked = self.settings.masking.phone(card.phone) if card.phone else None
            self.survey_form = self._spare_survey(scenario, ask_name=not card.name)
            self.survey_form.set_phone_on_file(card.phone, masked)
            self.survey_form.changed.connect(self.recompute)
            self.survey_form.finished.connect(self._survey_answered)
            self._survey_layout.addWidget(self.survey_form)
            self.survey_form.show()
            if draft is not None:  # what was typed for this person before a crash, a restart or Esc
                self.survey_form.set_answers(draft.survey.answers)
                self.id_feedback.setText(
                    self.tr("已恢复 {0} 未提交的调查表，请核对后重新勾选客户同意").format(
                        draft.saved_at.astimezone().strftime("%m-%d %H:%M")
                    )
                )
            self.survey_form.changed.connect(self.draft_timer.start)
            self.survey_form.changed.connect(self._survey_begun)
        self.survey_area.setVisible(True)
        self.factors_label.setVisible(True)
        self.recompute()
        self._scroll_to(self.survey_area)  # the survey at the top of the scrolling part, the card above
        first = self.survey_form.first_field()
        if first is not None and first.isEnabled():
            first.setFocus()

    def _spare_survey(self, scenario: str, *, ask_name: bool) -> SurveyForm:
        """The scenario's form, empty: the one made ahead if it is there (and of the policy in force),
        else made now."""
        from teller_assist.ui.survey_form import SurveyForm

        assert self.flow is not None and self.flow.policy is not None
        form = self.flow.policy.forms[scenario]
        spare = self._spare_forms.pop((scenario, ask_name), None)
        if spare is not None and spare.form is form:
            return spare
        if spare is not None:
            spare.deleteLater()
        return SurveyForm(form, ask_name=ask_name)

    def _make_spare_forms(self) -> None:
        """At idle, the walk-in form made ahead, for a customer the bank knows and for one it does not,
        laid out and drawn once off screen, so the next card's survey only has to be shown."""
        from teller_assist.ui.survey_form import SurveyForm

        flow = self.flow
        if flow is None or flow.policy is None or "walk_in" not in flow.policy.forms:
            return
        for ask_name in (False, True):
            if ("walk_in", ask_name) not in self._spare_forms:
                spare = SurveyForm(flow.policy.forms["walk_in"], self, ask_name=ask_name)
                spare.hide()  # the counter's child, never shown where it is made (the survey area shows it)
                spare.grab()
                self._spare_forms[("walk_in", ask_name)] = spare

    def _survey_answered(self) -> None:
        """The last question was answered by its key: on to submitting (Enter or Ctrl+Enter) when the
        survey is complete, else back to the first question still unanswered."""
        from teller_assist.services.counter_flow import Action

        form, flow = self.survey_form, self.flow
        if form is None or flow is None:
            return
        if flow.may(Action.SUBMIT) and self.submit_button.isVisible():
            self.submit_button.setFocus(Qt.FocusReason.TabFocusReason)
            return
        missing = flow.decision.missing if flow.decision is not None else ()
        if form.name_edit is not None and flow.name_problem() is not None:
            form.name_edit.setFocus(Qt.FocusReason.TabFocusReason)
            return
        for key in missing:
            widget = form.widgets.get(key)
            if widget is not None and widget.isEnabled():
                widget.setFocus(Qt.FocusReason.TabFocusReason)
                return

    def _keep_in_view(self, _old: QWidget | None, new: QWidget | None) -> None:
        """The field that takes the focus in the scrolling part is scrolled into view (Tab, a click, F3,
        Enter from the question before), with the words of its question."""
        if new is not None and self.content.isAncestorOf(new):
            self.content_scroll.ensureWidgetVisible(new, 8, 24)
            label = self.survey_form.label_for(new) if self.survey_form is not None else None
            if label is not None:
                self.content_scroll.ensureWidgetVisible(label, 8, 8)

    def _scroll_to(self, widget: QWidget) -> None:
        """Bring ``widget`` to the top of the card's scrolling part, laid out now (not at the next turn
        of the event loop), so the keys that follow land where the teller sees."""
        QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
        self._content_layout.activate()
        top = widget.mapTo(self.content, QPoint(0, 0)).y()
        self.content_scroll.verticalScrollBar().setValue(top)

    def _save_draft(self) -> bool:
        """Keep what was typed, now, before the survey goes from the screen (True when kept, or nothing
        to keep); a failure is said, the survey stays. The drafts on their way are written first, so a
        newer draft is never overwritten by an older one."""
        self.draft_timer.stop()
        self._settle_drafts()
        if self.flow is None:
            return True
        try:
            self.flow.save_draft()
        except UserFacingError as exc:
            self._draft_failed(exc)
            return False
        return True

    def _draft_failed(self, exc: BaseException) -> None:
        if not isinstance(exc, UserFacingError):
            raise exc  # a bug: the crash handler writes its report
        self.id_feedback.setText(self.tr("调查表草稿未能保存（内容仍在屏幕上）：") + error_text(exc))
        self._store_trouble()

    def _save_draft_in_background(self) -> None:
        """Typing paused (or the window locks): what was typed since the last save is written on a worker
        thread, one write at a time; a newer draft of the same person waiting its turn replaces the older,
        and a write under way is followed by the newer one."""
        flow = self.flow
        if flow is None:
            return
        taken = flow.take_draft()
        if taken is not None:
            self._drafts_waiting[taken[0]] = _DraftToWrite(flow.ctx, *taken)
        self._write_next_draft()

    def _write_next_draft(self) -> None:
        from teller_assist.services import drafts

        if self._draft_task is not None or not self._drafts_waiting:
            return
        draft = self._drafts_waiting.pop(next(iter(self._drafts_waiting)))
        outcome: list[BaseException | None] = []

        def work(_report: Callable[..., None], _cancelled: Callable[[], bool]) -> None:
            try:
                drafts.save(draft.ctx, draft.id_no, draft.survey, draft.operator)
            except BaseException as exc:
                outcome.append(exc)
                raise
            outcome.append(None)

        task = Task(work, self)
        task.finished.connect(lambda: self._draft_written(task))
        self._draft_task = (task, draft, outcome)
        task.start()

    def _draft_written(self, task: Task) -> None:
        task.wait()
        task.deleteLater()
        if self._draft_task is None or self._draft_task[0] is not task:
            return  # settled meanwhile (``_settle_drafts``), its outcome dealt with there
        _task, draft, outcome = self._draft_task
        self._draft_task = None
        failure = outcome[0] if outcome else None
        if failure is not None:
            if self.flow is not None:
                self.flow.draft_not_saved(draft.id_no)  # saved again when typing pauses or it goes
            self._draft_failed(failure)
            return
        self._write_next_draft()

    def _settle_drafts(self) -> None:
        """Wait for the draft being written and write the ones waiting, here and now: before a survey
        leaves the screen (the next customer, Esc, a switch of operator, closing), what was typed is in
        the database. A draft that cannot be written is said; the one on screen stays unsaved."""
        from teller_assist.services import drafts

        if self._draft_task is not None:
            task, draft, outcome = self._draft_task
            task.wait()
            self._draft_task = None
            if not outcome or outcome[0] is not None:  # failed: written again below, unless a newer waits
                self._drafts_waiting.setdefault(draft.id_no, draft)
        waiting, self._drafts_waiting = self._drafts_waiting, {}
        for draft in waiting.values():
            try:
                drafts.save(draft.ctx, draft.id_no, draft.survey, draft.operator)
            except UserFacingError as exc:
                if self.flow is not None:
                    self.flow.draft_not_saved(draft.id_no)
                self._draft_failed(exc)

    def _close_survey(self) -> None:
        if self.survey_form is not None:
            self.survey_form.hide()
            self._survey_layout.removeWidget(self.survey_form)
            self.survey_form.deleteLater()
            self.survey_form = None
            QTimer.singleShot(0, self._make_spare_forms)  # the next customer's, made while none waits
        self.survey_area.setVisible(False)
        self.factors_label.setVisible(False)
        self.factors_label.setText("")

    def _esc(self) -> None:
        """Esc anywhere in the window clears the counter, when the counter is what the teller sees; in
        another workspace (客群活动's list, 今日任务) it is that workspace's, and the keys stay there
        (they went to the hidden ID field before)."""
        if self.isVisible():
            self.next_customer()

    def next_customer(self) -> None:
        """Esc: clear everything on screen and wait for the next customer (a survey in progress stays
        saved as a draft and comes back when this person is identified again)."""
        if self.is_locked():
            return
        self.draft_timer.stop()
        self._settle_drafts()
        if self.flow is not None:
            self.flow.leave()
        self.decision_watch.stop()
        for widget in (
            self.submit_button,
            self.application_status,
            self.counter_authorize_button,
            self.print_button,
            self.signed_button,
            self.survey_button,
            self.flow_blocked,
        ):
            widget.setVisible(False)
        self._close_survey()
        self.card_panel.clear()
        self._flag_generation += 1
        self._show_flag(())
        self.id_input.clear()
        self.id_feedback.setText("")
        self.empty_state.setVisible(True)
        self.content_scroll.setVisible(False)
        self._focus_id()

    def reveal(self) -> None:
        """Show the full ID, phone and incomes for a short while; the reveal is an audited action."""
        from teller_assist.services.counter_flow import CounterRefused

        if self.flow is None:
            return
        try:
            card = self.flow.reveal()
        except CounterRefused:
            return
        except UserFacingError as exc:  # no audit row, no reveal
            self.id_feedback.setText(error_text(exc))
            return
        self.card_panel.show_card(card, revealed=True)
        self.show_decision()  # the decision's words, with the incomes in full
        QTimer.singleShot(self.REVEAL_SECONDS * 1000, lambda: self._remask(card))

    def _remask(self, card: CustomerCard) -> None:
        if self.card is card and self.card_panel.revealed:
            self.card_panel.show_card(card)
            self.show_decision()

    # --- submission, approval, documents, signature --------------------------------------------------
    def submit(self) -> None:
        """Ctrl+Enter: submit for approval. The line is recomputed by the service from stored data."""
        from teller_assist.services.counter_flow import CounterRefused

        if self.flow is None or self.survey_form is None or self.is_locked():
            return
        self.recompute()  # the answers as they are on screen now
        self._settle_drafts()  # no draft written after the submission discards it
        try:
            self.flow.submit()
        except CounterRefused:
            return
        except UserFacingError as exc:
            self.application_status.setText(error_text(exc))  # the survey stays as typed
            self.application_status.setVisible(True)
            self._store_trouble()
            return
        self.draft_timer.stop()
        self.survey_form.setEnabled(False)  # what was submitted is the application's now: read only
        self._card_changed()
        self._show_application()
        self.counter_authorize_button.setFocus()  # Enter (or F4) opens 主管授权 again after 取消
        if self.flow.approvable_here():  # a supervisor of this branch may approve it: ask them now
            self.authorize_at_counter()

    def _card_changed(self) -> None:
        """The card of the customer at the counter was read again (their pre-credit changed)."""
        if self.card is None:
            return
        self.card_panel.show_card(self.card, revealed=self.card_panel.revealed)
        self.show_decision()
        if self.survey_form is not None:  # the details grew or shrank: the survey stays where it was seen
            self._scroll_to(self.survey_area)
        self._check_target()  # signed here: the target is struck
        self.applicationChanged.emit()

    # --- a walk-in who is a target -------------------------------------------------------------------
    def _check_target(self) -> None:
        """Whether the person on screen is an open target, and their task today, read on a worker; the
        line shows when the answer comes, if the same person is still on screen."""
        from teller_assist.services import task_desk

        flow = self.flow
        self._flag_generation += 1
        if flow is None or flow.card is None or flow.operator is None or not flow.card.targets:
            # on no list (the card read every list's rows for them): nothing to ask, and no worker
            # competing with the card's first paint
            self._show_flag(())
            return
        generation, rid = self._flag_generation, flow.card.rid
        ctx, operator = flow.ctx, flow.operator

        def work(_report: Callable[..., None], _cancelled: Callable[[], bool]) -> object:
            return task_desk.walk_in_flag(ctx, operator, rid.value)

        task = Task(work, self)

        def done(flags: tuple[task_desk.Flag, ...]) -> None:
            self._end_flag(task)
            if generation == self._flag_generation and self.card is not None and self.card.rid == rid:
                self._show_flag(flags)

        def failed(exc: BaseException) -> None:
            self._end_flag(task)
            if not isinstance(exc, UserFacingError):
                raise exc  # a bug: the crash handler writes its report
            if generation == self._flag_generation:
                self.target_flag.setText(self.tr("未能读取目标名单：") + error_text(exc))
                self.target_flag.setVisible(True)

        task.succeeded.connect(done)
        task.failed.connect(failed)
        self._flag_tasks.append(task)
        task.start()

    def _end_flag(self, task: Task) -> None:
        task.wait()
        if task in self._flag_tasks:
            self._flag_tasks.remove(task)
        task.deleteLater()

    def _show_flag(self, flags: tuple[task_desk.Flag, ...]) -> None:
        from teller_assist.targets.tasks import KIND_ZH

        me = self.flow.operator.login if self.flow is not None and self.flow.operator is not None else None
        lines = []
        for f in flags:
            if f.officer is None:
                who = self.tr("未分配客户经理")
            elif f.officer == me:
                who = self.tr("您负责")
            else:
                who = self.tr("客户经理 {0}").format(f.officer)
            about = self.tr("（名单 {0} · {1}）").format(f.campaign, who)
            if f.signed_today:
                lines.append(self.tr("本行目标客户：今日已签约，已销号") + about)
            elif f.kind is not None:
                lines.append(self.tr("本行目标客户，今日任务：{0}").format(word(KIND_ZH[f.kind])) + about)
            else:
                lines.append(self.tr("本行目标客户：今日无待办任务") + about)
        self.target_flag.setText("\n".join(lines))
        self.target_flag.setVisible(bool(lines))

    def _show_application(self) -> None:
        """The application of the person on screen, and the one next step it allows: 主管授权 (F4)
        while submitted, the documents (F8) once approved, the signature (F9) once the agreement was
        printed; nothing more once signed."""
        from teller_assist.prequal.workflow import STATUS_ZH, rate_text

        flow = self.flow
        app = flow.application if flow is not None else None
        status = app.status if app is not None else None
        self.submit_button.setVisible(self.survey_form is not None and app is None)
        self.counter_authorize_button.setVisible(status == Status.SUBMITTED)
        self.print_button.setVisible(status in (Status.APPROVED, Status.SIGNED))
        signable = False
        if flow is not None and app is not None and status == Status.APPROVED:
            flow.refresh_issued()
            signable = flow.issued
        self.signed_button.setVisible(signable)
        if self.survey_form is not None and app is not None:
            self.survey_form.setEnabled(False)
        self.application_status.setVisible(app is not None)
        if app is None:
            self.decision_watch.stop()
            return
        if status == Status.SUBMITTED:
            assert flow is not None and flow.policy is not None
            self._submitted_text = self.tr("已提交申请 {0}：额度 {1} 元，年利率 {2}%，等待审批").format(
                app.id, yuan_text(app.line_fen), rate_text(app.annual_rate_bp)
            )
            self._approver_text = approver_text(flow.policy, app.line_fen) + " (F4)"  # whom to call before F4
            waited = max(0.0, (flow.ctx.now() - app.submitted_at).total_seconds())
            self._submitted_clock = time.monotonic() - waited
            self.application_status.setText(self._submitted_text + "\n" + self._approver_text)
            if not self.decision_watch.isActive():
                self.decision_watch.start()  # a remote approver may decide on another desktop
        elif status == Status.APPROVED:
            text = self.tr("已批准：协议号 {0}，额度 {1} 元，有效期至 {2}").format(
                app.agreement_no, yuan_text(app.line_fen), app.valid_until
            )
            if not signable:
                text += "\n" + self.tr("请预览并打印协议 (F8)，客户签字后按 F9 登记")
            self.application_status.setText(text)
        elif status == Status.SIGNED:
            self.application_status.setText(self.tr("已签约：协议号 {0}").format(app.agreement_no))
        else:
            reason = self.tr("：") + app.reject_reason if app.reject_reason else ""
            self.application_status.setText(
                self.tr("申请 {0} {1}{2}").format(app.id, word(STATUS_ZH.get(app.status, app.status)), reason)
            )

    def _check_decision(self) -> None:
        """Once a second while the customer waits: has a decision been made in the approval queue? Read
        on a worker thread (a slow database never holds up the counter)."""
        flow = self.flow
        app = flow.application if flow is not None else None
        if flow is None or app is None or app.status != Status.SUBMITTED:
            self.decision_watch.stop()
            return
        if self._poll_task is not None:
            return  # the last look has not answered yet

        def look(_report: Callable[..., None], _cancelled: Callable[[], bool]) -> ApplicationRecord | None:
            return flow.poll_decision()

        task = Task(look, self)
        task.succeeded.connect(self._polled)
        task.failed.connect(self._poll_failed)
        self._poll_task = task
        task.start()

    def _end_poll(self) -> None:
        if self._poll_task is not None:
            self._poll_task.wait()
        self._poll_task = None

    def _poll_failed(self, exc: BaseException) -> None:
        self._end_poll()
        if not isinstance(exc, UserFacingError):
            raise exc  # a bug: the crash handler keeps its report
        # the database is away for a moment: try again next second

    def _polled(self, now: ApplicationRecord | None) -> None:
        self._end_poll()
        app = self.application
        if now is None or app is None or now.id != app.id or app.status != Status.SUBMITTED:
            return
        if now.status == Status.SUBMITTED:  # the customer waits: say for how long
            waited = int(time.monotonic() - self._submitted_clock)
            self.application_status.setText(
                self._submitted_text
                + self.tr("（已等 {0}:{1}）").format(waited // 60, f"{waited % 60:02d}")
                + "\n"
                + self._approver_text
            )
            return
        self.decision_watch.stop()
        self._close_authorize()
        if now.status == Status.APPROVED:
            self._approved(now)
            return
        assert self.flow is not None
        self.flow.decided(now)
        self._card_changed()
        self._show_application()

    def authorize_at_counter(self) -> AuthorizeDialog | None:
        """F4: the supervisor approves on this screen with their own credentials (checked on a worker)."""
        from teller_assist.services.counter_flow import Action

        flow = self.flow
        if flow is None or not flow.may(Action.AUTHORIZE):
            return None
        if self.authorize_dialog is not None and self.authorize_dialog.isVisible():
            self.authorize_dialog.activateWindow()  # open already (after Ctrl+Enter): one dialog
            return self.authorize_dialog
        app = flow.application
        assert app is not None and flow.policy is not None
        who = f"{app.name or ''} {self.settings.masking.resident_id(app.id_no)}".strip()
        sms = self.settings.bank_short_name
        dialog = AuthorizeDialog(
            flow.policy,
            app,
            lambda login, password: flow.authorize(login, password, sms_sender=sms),
            self._host,
            who=who,
        )
        dialog.accepted.connect(lambda: self._approved(dialog.result_record))
        dialog.finished.connect(lambda _result: self._authorize_closed(dialog))
        self.authorize_dialog = dialog
        dialog.open()
        return dialog

    def _authorize_closed(self, dialog: AuthorizeDialog) -> None:
        if self.authorize_dialog is dialog:
            self.authorize_dialog = None
        if self.counter_authorize_button.isVisible():  # cancelled: 主管授权 stays one key (Enter) away
            self._host.activateWindow()
            self.counter_authorize_button.setFocus()

    def _close_authorize(self) -> None:
        """Decided elsewhere (the queue, another desktop): 主管授权 has nothing left to approve. A check
        under way is left to finish; it is told who was first."""
        dialog = self.authorize_dialog
        if dialog is not None and dialog.isVisible() and dialog.task is None:
            dialog.reject()

    def _approved(self, record: ApplicationRecord | None) -> None:
        if record is None or self.flow is None:
            return
        self.flow.decided(record)
        self._card_changed()
        self._show_application()
        self._host.activateWindow()  # the supervisor's dialog has closed: F8 is the teller's next key
        self.print_button.setFocus()

    def preview_documents(self) -> PrintPreview | None:
        """F8: the documents the service issues for the counter (the agreement, the customer's
        authorisation, the letter) in a preview; 打印 prints them all."""
        from teller_assist.services.counter_flow import Action
        from teller_assist.services.documents import COUNTER_KINDS, previews
        from teller_assist.ui.print_preview import Preview, PrintPreview

        flow = self.flow
        app = self.application
        if flow is None or app is None or not flow.may(Action.PREVIEW):
            return None
        self._documents_ready()
        try:
            pages = previews(flow.ctx, app.id, COUNTER_KINDS)
        except UserFacingError as exc:
            self.application_status.setText(error_text(exc))
            return None
        shown = [Preview(title, make=make) for title, make in pages]
        self.preview = PrintPreview(shown, self.print_documents, self._host)
        # the window's F8 would be ambiguous with the preview's own F8 (print) while it is open
        self.f8.setEnabled(False)
        self.preview.finished.connect(lambda _result: self.f8.setEnabled(True))
        self.preview.open()
        # the first printing starts at once, to the counter's printer, the preview beside it; a reprint
        # (副本), or a desktop without a printer set (the print dialog asks which), waits for 打印
        if flow.first_print() and self.settings.printer:
            self.print_documents()
        return self.preview

    def _not_quiet(self) -> None:
        if self._warm_documents.isActive():
            self._warm_documents.start()  # again from now

    def _survey_begun(self) -> None:
        """The survey is being answered, at a person's pace: the documents need not wait any longer."""
        if self._warm_documents.isActive():
            self._warm_documents.stop()
            self._start_documents_warm_up()

    def _start_documents_warm_up(self) -> None:
        url, self._documents_url = self._documents_url, None
        if url is not None:
            self._warming = detached(lambda: _prepare_documents(url), "warm-documents")

    def _documents_ready(self) -> None:
        """The renderer's warm-up has finished, or will not start: ReportLab's font subsetting is not for
        two threads at once (a preview asked for in the first second raced it once)."""
        self._warm_documents.stop()
        self._documents_url = None  # a preview before the quiet moment renders cold, and alone
        if self._warming is not None:
            self._warming.join()
            self._warming = None

    def print_documents(self) -> None:
        """Issue each document (original or 副本, audited), keep it in the data folder, print it.

        With CUPS here and the counter's printer set, the documents go to the queue as the PDFs they
        are, through the same service as ``teller-assist print`` (``_print_through_cups``). Otherwise
        (no CUPS, as on Windows, or no printer set, so Qt's print dialog asks which) they are printed
        through Qt (``_print_through_qt``). Either way the window answers at once with 正在打印 and stays
        usable: the work runs on a worker thread."""
        from teller_assist.services.counter_flow import Action
        from teller_assist.services.printing import cups_available

        flow, app, preview = self.flow, self.application, self.preview
        if flow is None or app is None or preview is None or not flow.may(Action.PRINT):
            return
        if self.print_task is not None:
            return  # already printing
        self._documents_ready()
        if self.settings.printer and cups_available():
            self._print_through_cups(flow, app, preview)
        else:
            self._print_through_qt(flow, app, preview)

    def _printing_started(self, preview: PrintPreview, task: Task) -> None:
        if preview.focusWidget() is preview.print_button:
            preview.view.setFocus()  # not 关闭, which would take the focus: an Enter meanwhile closes nothing
        preview.print_button.setEnabled(False)
        preview.message.setText(self.tr("正在打印…"))
        self.application_status.setText(self.tr("正在打印…"))
        self.print_task = task
        task.start()

    def _print_report(
        self,
        app_id: int,
        preview: PrintPreview,
        destination: str,
        done: list[str],
        trouble: UserFacingError | None,
    ) -> None:
        if trouble is not None:
            text = self.tr("未能打印：{0}。文书已保存在 {1}，可稍后打印。")
            text = text.format(error_text(trouble), self.settings.paths.data_dir / "printed")
        else:
            text = self.tr("已送打印机 {0}：{1}").format(destination, "、".join(done))
        self._print_finished(app_id, preview, text, printed=trouble is None)

    def _print_through_cups(self, flow: CounterFlow, app: ApplicationRecord, preview: PrintPreview) -> None:
        """The print pipeline the command line uses too (``CounterFlow.print_documents``): the counter's
        printer checked (missing, disabled, a print-to-file queue), each document issued, kept in the
        data folder and handed to CUPS (``lp``) as it is, all on a worker thread: no rasterising, no Qt
        printing."""
        from teller_assist.documents.templates import KINDS
        from teller_assist.services.documents import COUNTER_KINDS

        name, folder = self.settings.printer, self.settings.paths.data_dir / "printed"
        copy_text = self.tr("（副本{0}）")

        def print_all(_report: Callable[..., None], _cancelled: Callable[[], bool]) -> PrintRun:
            return flow.print_documents(COUNTER_KINDS, name, folder)

        def printed(run: PrintRun) -> None:
            if self.print_task is not None:
                self.print_task.wait()
            flow.documents_issued(app.id)
            if run.problem is None:
                flow.documents_printed(app.id)
            done = [
                word(KINDS[d.kind]) + (copy_text.format(d.copy_no) if d.copy_no else "")
                for d in run.documents
                if d.job is not None
            ]
            self._print_report(app.id, preview, run.destination, done, run.problem)

        def failed(exc: BaseException) -> None:
            self._print_finished(app.id, preview, self.tr("打印出错：{0}").format(exc), printed=False)
            raise exc  # a bug, not a printer problem: the crash handler keeps its report

        task = Task(print_all, self)
        task.succeeded.connect(printed)
        task.failed.connect(failed)
        self._printing_started(preview, task)

    def _print_through_qt(self, flow: CounterFlow, app: ApplicationRecord, preview: PrintPreview) -> None:
        """Where CUPS's tools are not (Windows), or no printer is set and Qt's print dialog asks which:
        the printer is chosen here; issuing and keeping run on a worker thread; the documents are then
        loaded here, on the GUI thread, and a second worker rasterises them at 300 dpi and spools them
        without making or destroying a Qt object (see ``print_preview.print_document`` for why)."""
        from teller_assist.documents.templates import KINDS
        from teller_assist.services.documents import COUNTER_KINDS
        from teller_assist.services.printing import save_copy
        from teller_assist.ui.print_preview import choose_printer, load_pdf, prepare_printing, print_document

        try:
            printer = choose_printer(self.settings.printer, self._host)
            problem: UserFacingError | None = None
        except UserFacingError as exc:
            printer, problem = None, exc
        if printer is None and problem is None:
            return  # the teller closed the print dialog
        folder = self.settings.paths.data_dir / "printed"
        destination = printer.printerName() if printer else "file (printer unavailable)"
        copy_text = self.tr("（副本{0}）")
        Issued = list[tuple[str, bytes]]
        Spooled = tuple[list[str], object]

        def issue_all(_report: Callable[..., None], _cancelled: Callable[[], bool]) -> tuple[Issued, object]:
            issued_all: Issued = []

            def keep(issued: IssuedDocument) -> None:
                copy_no = issued.copy_no
                label = word(KINDS[issued.kind]) + (copy_text.format(copy_no) if copy_no else "")
                # kept in the data folder, whatever happens to the printer
                save_copy(issued.pdf, folder, f"app{app.id}-{issued.kind}-{issued.copy_no}")
                issued_all.append((label, issued.pdf))

            try:
                flow.issue_documents(COUNTER_KINDS, destination=destination, each=keep)
            except UserFacingError as exc:
                return issued_all, exc
            return issued_all, problem

        def report(done: list[str], trouble: UserFacingError | None) -> None:
            self._print_report(app.id, preview, destination, done, trouble)

        def failed(exc: BaseException) -> None:
            self._print_finished(app.id, preview, self.tr("打印出错：{0}").format(exc), printed=False)
            raise exc  # a bug, not a printer problem: the crash handler keeps its report

        def issued(result: tuple[Issued, UserFacingError | None]) -> None:
            issued_all, trouble = result
            if self.print_task is not None:
                self.print_task.wait()
            flow.documents_issued(app.id)
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
                if result[1] is None:
                    flow.documents_printed(app.id)
                report(*result)

            def spool_failed(exc: BaseException) -> None:
                let_go()
                failed(exc)

            task = Task(spool, self)
            task.succeeded.connect(spooled)
            task.failed.connect(spool_failed)
            self.print_task = task
            task.start()

        task = Task(issue_all, self)
        task.succeeded.connect(issued)
        task.failed.connect(failed)
        self._printing_started(preview, task)

    def _print_finished(self, app_id: int, preview: PrintPreview, text: str, *, printed: bool) -> None:
        if self.print_task is not None:
            self.print_task.wait()
        self.print_task = None
        preview.print_button.setEnabled(True)
        preview.print_button.setFocus()  # not printed: Enter tries again
        preview.message.setText(text)
        self._printer_changed()
        current = self.application is not None and self.application.id == app_id
        if current:
            self._show_application()  # issued: F9 is offered now
            self.application_status.setText(text)
        if printed and preview.isVisible():  # printed: back to the counter flow, where F9 marks the signature
            preview.accept()
            self._host.activateWindow()  # the keys come back here (F9) even when the print ended elsewhere
            if current and self.signed_button.isVisible():
                self.signed_button.setFocus()

    def mark_signed(self) -> QMessageBox | None:
        """F9: the customer signed the printed agreement. Offered only once the agreement was issued,
        and confirmed first (Enter), so a stray key records no signature."""
        from teller_assist.services.counter_flow import NOT_PRINTED, Action

        flow = self.flow
        app = self.application
        if flow is None or app is None or app.status != Status.APPROVED or flow.operator is None:
            return None
        if self.is_locked() or self._host.findChild(QMessageBox, "signConfirm") is not None:
            return None
        try:
            flow.refresh_issued(strict=True)
        except UserFacingError as exc:
            self.application_status.setText(error_text(exc))
            return None
        refusal = flow.why_not(Action.SIGN)
        if refusal is NOT_PRINTED:
            self.application_status.setText(self.tr("协议尚未打印：请先预览并打印 (F8)，客户签字后再按 F9"))
            return None
        if refusal is not None:
            return None
        box = messages.confirm(
            self._host,
            self.tr("登记客户签字"),
            self.tr("客户已在打印的预授信协议（协议号 {0}）上签字？").format(app.agreement_no),
            lambda signed: self._signed(app, signed),
            name="signConfirm",
            yes=self.tr("已签字 (Enter)"),
            no=self.tr("尚未签字 (Esc)"),
        )
        keep_on_screen(box)
        return box

    def _signed(self, app: ApplicationRecord, confirmed: bool) -> None:
        flow = self.flow
        if not confirmed or flow is None or flow.operator is None or flow.application is not app:
            self._host.activateWindow()
            return
        try:
            flow.sign()
        except UserFacingError as exc:
            self.application_status.setText(error_text(exc))
            return
        self._card_changed()
        self._show_application()
        self._host.activateWindow()
        self._focus_id()  # signed: the next key is the next customer's ID

    # --- identification sources ----------------------------------------------------------------------
    def start_sources(self, demo: bool) -> None:
        """Start the opt-in sources the settings ask for: clipboard watch, card reader, local hook."""
        from teller_assist.lookup.ga467 import open_serial
        from teller_assist.lookup.sources import LocalHook, ReaderWatcher
        from teller_assist.services.lookup import local_hook_token

        if self.settings.clipboard_watch:
            QGuiApplication.clipboard().dataChanged.connect(self._on_clipboard)
        if self.settings.card_reader:
            device = self.settings.card_reader
            self.reader_watcher = ReaderWatcher(
                lambda: open_serial(device),
                lambda rid: self._identified.emit(rid, "reader"),
                self.readerStatus.emit,
                today=self._today,
            )
            self.reader_watcher.start()
        if self.settings.local_hook_port:
            try:
                demo_file = self.settings.paths.data_dir / "DEMO-MODE-hook.token" if demo else None
                token = local_hook_token(demo_file)
                self.local_hook = LocalHook(
                    token,
                    lambda rid: self._identified.emit(rid, "hook"),
                    today=self._today,
                    port=self.settings.local_hook_port,
                )
                self.local_hook.start()
            except (UserFacingError, OSError) as exc:
                message = error_text(exc) if isinstance(exc, UserFacingError) else str(exc)
                self.readerStatus.emit(self.tr("柜员系统接口未启动：") + message)

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


@dataclass(frozen=True)
class _DraftToWrite:
    """A survey as typed, taken from the flow to be written on a worker thread: plain data only."""

    ctx: Context
    id_no: str
    survey: Survey
    operator: str
