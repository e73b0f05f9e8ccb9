"""客群活动: the group campaigns the operator may see, one campaign's counts and members, and the three
things head office or a branch head does with them — make a campaign, load a group's roster, close it —
over ``services.campaign_desk`` (who may do what, the roster's reading and every audit row are
``services.campaigns``').

Keyboard first: ↑↓ choose a campaign (its counts and members follow), ``1``–``8`` sort by a column
(again: the other way), ``Enter`` goes to its members, where ↑↓ choose a member and ``Enter`` opens the
person's card at the counter (``Esc`` back to the campaigns). ``N`` makes a campaign (a dialog with the
scenario's fields, ``Enter`` makes it), ``I`` loads a roster into the chosen one (a file, then the
result: every row accounted for, the refused rows listed and, ``E``, written to a workbook for the
group), ``C`` closes it (confirmed with ``Y``). ``S`` submits its members as applications (the count and
the total shown first, ``Y`` submits), ``B`` shows its batch to an approver (``A`` then ``Y`` approves
what their authority covers in one step, ``R`` rejects the chosen one with a reason). Every read and
write runs on a worker thread; a refusal is said where it was asked, what was typed kept.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QDate,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QIntValidator, QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QFileDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from teller_assist.campaigns.campaign import GROUP_ZH, NEEDS_USCC, STATUS_ZH, CampaignInvalid, check_spec
from teller_assist.campaigns.delivery import DOCUMENT_CHOICES as CHOICES
from teller_assist.campaigns.roster import SCENARIO_ZH, SCENARIOS
from teller_assist.errors import UserFacingError
from teller_assist.identity.masking import Masking
from teller_assist.money import yuan_text
from teller_assist.ui import messages
from teller_assist.ui.i18n import error_text, pick
from teller_assist.ui.tasks import Task, kept_or_released
from teller_assist.ui.widgets import ERROR_STYLE, error_label, grow_to_fit, keep_on_screen
from teller_assist.ui.words import word

if TYPE_CHECKING:
    from teller_assist.campaigns.campaign import CampaignSpec
    from teller_assist.campaigns.grant import SubmissionPlan
    from teller_assist.services.applications import ApplicationRecord
    from teller_assist.services.campaign_batches import (
        BatchApproval,
        BatchRow,
        BatchView,
        ItemLine,
        Submission,
    )
    from teller_assist.services.campaign_desk import (
        CampaignDetail,
        CampaignLine,
        DeskMember,
        Imported,
        RefusedLine,
        SignedLine,
        TillDone,
    )
    from teller_assist.services.campaign_letters import LettersRun
    from teller_assist.services.campaigns import CampaignRow, CampaignShow
    from teller_assist.services.context import Context
    from teller_assist.services.operators import OperatorRecord

REFUSED_RED = QColor("#a11212")
GREY = QColor("#5f6368")
SELECT_SETTLE_MS = 200  # a campaign is read once the choice settles (↑↓ held does not read each one)
SORT_KEYS = {getattr(Qt.Key, f"Key_{n}"): n - 1 for n in range(1, 9)}
ROSTER_FILTER = QT_TRANSLATE_NOOP("CampaignsWorkspace", "名单文件 (*.xlsx *.csv *.xls);;所有文件 (*)")
SIGN_FILTER = QT_TRANSLATE_NOOP("CampaignsWorkspace", "签约名单 (*.csv *.txt);;所有文件 (*)")
TILL_FILTER = QT_TRANSLATE_NOOP("CampaignsWorkspace", "收银记录 (*.xlsx *.csv *.xls);;所有文件 (*)")
SIGN_COLUMNS = (
    QT_TRANSLATE_NOOP("ListResultDialog", "身份证号"),
    QT_TRANSLATE_NOOP("ListResultDialog", "姓名"),
    QT_TRANSLATE_NOOP("ListResultDialog", "结果"),
)
TILL_COLUMNS = (
    QT_TRANSLATE_NOOP("ListResultDialog", "行号"),
    QT_TRANSLATE_NOOP("ListResultDialog", "商户"),
    QT_TRANSLATE_NOOP("ListResultDialog", "原因"),
)
# the roster import's stages (services.campaigns.IMPORT_STAGE_ZH, a test holds them equal), translated
IMPORT_STAGES = {
    "read": QT_TRANSLATE_NOOP("RosterImportDialog", "读取文件"),
    "check": QT_TRANSLATE_NOOP("RosterImportDialog", "逐行核对"),
    "match": QT_TRANSLATE_NOOP("RosterImportDialog", "匹配本行客户"),
    "decide": QT_TRANSLATE_NOOP("RosterImportDialog", "测算额度"),
    "store": QT_TRANSLATE_NOOP("RosterImportDialog", "写入成员"),
}


def fit_by_hiding(view: QTableView, optional: tuple[int, ...], stretch: tuple[int, ...]) -> None:
    """Every shown column whole in the view's width, never a sideways scroll: the ``optional`` columns
    (said elsewhere too: the detail pane, the row's tooltip) are hidden in that order while the row
    would not fit, and shown again when it does; the ``stretch`` columns share what is left (a cut
    cell gives its text whole in its tooltip)."""
    header = view.horizontalHeader()
    count = header.count()
    room = view.width() - 2 * view.frameWidth() - view.verticalScrollBar().sizeHint().width()

    def need(col: int) -> int:
        return max(header.sectionSizeHint(col), view.sizeHintForColumn(col))

    widths = {col: need(col) for col in range(count)}
    shown = set(range(count))
    for col in optional:
        if sum(widths[c] for c in shown) <= room:
            break
        shown.discard(col)
    for col in range(count):
        view.setColumnHidden(col, col not in shown)
        mode = QHeaderView.ResizeMode.Stretch if col in stretch else QHeaderView.ResizeMode.ResizeToContents
        header.setSectionResizeMode(col, mode)


def compact_rows(view: QTableView) -> None:
    """Rows a line of text high: more of a list in a 640-pixel window."""
    header = view.verticalHeader()
    header.setVisible(False)
    header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    header.setDefaultSectionSize(view.fontMetrics().height() + 8)


def _plain_key(event: QKeyEvent) -> bool:
    return not (event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier & ~Qt.KeyboardModifier.ShiftModifier)


def _period(c: CampaignRow) -> str:
    return f"{c.starts_on.isoformat()}–{c.ends_on.isoformat()}"


_D = TypeVar("_D", bound=QDialog)  # a dialog of work on a campaign (see CampaignsWorkspace._opened)


class _DateEdit(QDateEdit):
    """A date whose Tab goes on to the next field, as in every other field of the form (a date edit's
    own Tab walks its year, month and day first: ←→ do that here, ↑↓ change the part)."""

    def focusNextPrevChild(self, forward: bool) -> bool:
        return QWidget.focusNextPrevChild(self, forward)


class _NumberItem(QTableWidgetItem):
    """A cell that sorts by its number (an empty one first), shown with thousands separators."""

    def __init__(self, value: int | None) -> None:
        super().__init__("—" if value is None else f"{value:,}")
        self.value = -1 if value is None else value
        self.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

    def __lt__(self, other: QTableWidgetItem) -> bool:
        if isinstance(other, _NumberItem):
            return self.value < other.value
        return super().__lt__(other)


class MembersModel(QAbstractTableModel):
    """A campaign's members as the service lists them, masked: a model, so a 10,000-row roster is a
    list of rows, not 80,000 widgets."""

    COLUMNS = (
        QT_TRANSLATE_NOOP("MembersModel", "行号"),
        QT_TRANSLATE_NOOP("MembersModel", "姓名"),
        QT_TRANSLATE_NOOP("MembersModel", "身份证号"),
        QT_TRANSLATE_NOOP("MembersModel", "手机号"),
        QT_TRANSLATE_NOOP("MembersModel", "状态"),
        QT_TRANSLATE_NOOP("MembersModel", "评议"),
        QT_TRANSLATE_NOOP("MembersModel", "标记"),
        QT_TRANSLATE_NOOP("MembersModel", "原因"),
    )

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.members: tuple[DeskMember, ...] = ()

    def set_members(self, members: tuple[DeskMember, ...]) -> None:
        self.beginResetModel()
        self.members = members
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.members)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.tr(str(self.COLUMNS[section]))
        return None

    def cells(self, m: DeskMember) -> list[str]:
        line = m.line
        marks = [
            self.tr("重点户") if line.key_household else "",
            self.tr("在编") if line.permanent_staff else "",
        ]
        return [
            str(line.line_no),
            line.name,
            line.id_masked,
            line.phone_masked or "",
            word(line.status_zh),
            word(line.evaluation_zh) if line.evaluation_zh else "",
            self.tr("、").join(x for x in marks if x),
            line.reason or "",
        ]

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.members):
            return None
        m = self.members[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.cells(m)[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole:
            line = m.line
            tip = [" · ".join(x for x in self.cells(m) if x)]
            if line.evaluated_by:
                tip.append(self.tr("评议人：{0}").format(line.evaluated_by))
            tip += [f"{k}：{v}" for k, v in line.extras.items() if v]
            return "\n".join(tip)
        if role == Qt.ItemDataRole.ForegroundRole and m.line.status in ("refused", "removed"):
            return QBrush(REFUSED_RED if m.line.status == "refused" else GREY)
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == 0:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class CampaignsWorkspace(QWidget):
    """The 客群活动 tab."""

    openCustomer = Signal(str)  # a resident ID: the window opens this person's card at the counter
    loaded = Signal()  # the list on screen is the latest asked for
    detailLoaded = Signal()  # the detail pane shows the campaign chosen last
    changed = Signal()  # a campaign was made, loaded or closed (the list is read again)

    COLUMNS = (
        QT_TRANSLATE_NOOP("CampaignsWorkspace", "活动代码"),
        QT_TRANSLATE_NOOP("CampaignsWorkspace", "场景"),
        QT_TRANSLATE_NOOP("CampaignsWorkspace", "客群"),
        QT_TRANSLATE_NOOP("CampaignsWorkspace", "网点"),
        QT_TRANSLATE_NOOP("CampaignsWorkspace", "活动期"),
        QT_TRANSLATE_NOOP("CampaignsWorkspace", "状态"),
        QT_TRANSLATE_NOOP("CampaignsWorkspace", "成员"),
        QT_TRANSLATE_NOOP("CampaignsWorkspace", "指标"),
    )
    BAND_COLUMNS = (
        QT_TRANSLATE_NOOP("CampaignsWorkspace", "额度段（元）"),
        QT_TRANSLATE_NOOP("CampaignsWorkspace", "可授人数"),
        QT_TRANSLATE_NOOP("CampaignsWorkspace", "可授额度"),
        QT_TRANSLATE_NOOP("CampaignsWorkspace", "调查后人数"),
        QT_TRANSLATE_NOOP("CampaignsWorkspace", "调查后额度"),
    )

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
        self.setObjectName("campaignsView")
        self.lines: dict[str, CampaignLine] = {}
        self.shown: CampaignDetail | None = None
        self.load_task: Task | None = None
        self.detail_task: Task | None = None
        self.action_task: Task | None = None
        self._load_again = False
        self._detail_again = False
        self._select_after: str | None = None
        self._stopped = False
        self.dialog: QDialog | None = None  # the one dialog open over the workspace
        self._sort: tuple[int, Qt.SortOrder] | None = None
        self._stale = False  # read again when shown (asked for while locked)
        # the settings: the bank's short name that signs an approval's text, the data folder the letters
        # are kept under, the configured printer
        self.settings = ctx.settings
        self.sms_sender: str | None = ctx.settings.bank_short_name
        self._roster_dir = Path.home()

        layout = QVBoxLayout(self)
        self.summary = QLabel(self.tr("正在读取客群活动…"), self)
        self.summary.setObjectName("campaignsSummary")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)

        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.setChildrenCollapsible(False)
        self.table = QTableWidget(0, len(self.COLUMNS), self.splitter)
        self.table.setObjectName("campaignsTable")
        self.table.setHorizontalHeaderLabels([self.tr(str(c)) for c in self.COLUMNS])
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSortIndicatorShown(True)
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)  # the service's order until asked
        header.sectionClicked.connect(self._header_clicked)
        compact_rows(self.table)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)  # Tab goes on to the detail, as everywhere else
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.table.doubleClicked.connect(lambda _index: self.go_to_members())
        self.table.installEventFilter(self)
        self.splitter.addWidget(self.table)

        self.detail = QTabWidget(self.splitter)
        self.detail.setObjectName("campaignDetail")
        self.detail.setDocumentMode(True)
        scroll = QScrollArea(self.detail)  # the figures scroll as one when the window is short
        scroll.setObjectName("campaignOverview")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # Tab to it, ↑↓ scroll it
        overview = QWidget(scroll)
        overview_layout = QVBoxLayout(overview)
        overview_layout.setContentsMargins(0, 4, 0, 0)
        self.facts = QLabel("", overview)
        self.facts.setObjectName("campaignFacts")
        self.facts.setWordWrap(True)
        self.facts.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        overview_layout.addWidget(self.facts)
        self.counts = QLabel("", overview)
        self.counts.setObjectName("campaignCounts")
        self.counts.setWordWrap(True)
        overview_layout.addWidget(self.counts)
        self.progress = QLabel("", overview)  # members, matched, ... used: as campaign show --json
        self.progress.setObjectName("campaignProgress")
        self.progress.setWordWrap(True)
        overview_layout.addWidget(self.progress)
        self.bands = QTableWidget(0, len(self.BAND_COLUMNS), overview)
        self.bands.setObjectName("campaignBands")
        self.bands.setHorizontalHeaderLabels([self.tr(str(c)) for c in self.BAND_COLUMNS])
        for col, tip in (
            (1, self.tr("不需调查即可授信的人数和额度（元）")),
            (2, self.tr("不需调查即可授信的人数和额度（元）")),
            (3, self.tr("完成调查后可授信的人数和额度（元）")),
            (4, self.tr("完成调查后可授信的人数和额度（元）")),
        ):
            header_item = self.bands.horizontalHeaderItem(col)
            if header_item is not None:
                header_item.setToolTip(tip)
        self.bands.horizontalHeader().setStretchLastSection(False)
        self.bands.installEventFilter(self)
        compact_rows(self.bands)
        self.bands.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # all bands, always
        self.bands.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.bands.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # figures to read, nothing to choose
        self.bands.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        overview_layout.addWidget(self.bands)
        overview_layout.addStretch(1)
        scroll.setWidget(overview)
        self.detail.addTab(scroll, self.tr("概况"))
        self.members_model = MembersModel(self)
        page = QWidget(self.detail)
        page_layout = QVBoxLayout(page)
        page_layout.setContentsMargins(0, 4, 0, 0)
        self.members = QTableView(page)
        self.members.setObjectName("membersTable")
        self.members.setModel(self.members_model)
        self.members.horizontalHeader().setStretchLastSection(False)
        compact_rows(self.members)
        self.members.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.members.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.members.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.members.setTabKeyNavigation(False)
        self.members.setWordWrap(False)
        self.members.doubleClicked.connect(lambda _index: self.open_selected())
        self.members.installEventFilter(self)
        self.members.selectionModel().selectionChanged.connect(lambda *_a: self._show_member())
        page_layout.addWidget(self.members, 1)
        self.member_detail = QLabel("", page)
        self.member_detail.setObjectName("memberDetail")
        self.member_detail.setWordWrap(True)
        page_layout.addWidget(self.member_detail)
        self.members_page = page
        self.detail.addTab(page, self.tr("成员名单"))
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 2)
        layout.addWidget(self.splitter, 1)

        buttons = QHBoxLayout()
        self.new_button = QPushButton(self.tr("新建 (N)"), self)
        self.new_button.setObjectName("campaignNewButton")
        self.new_button.clicked.connect(lambda _checked=False: self.new_campaign())
        self.import_button = QPushButton(self.tr("导入名单 (I)"), self)
        self.import_button.setObjectName("campaignImportButton")
        self.import_button.clicked.connect(lambda _checked=False: self.choose_roster())
        self.close_button = QPushButton(self.tr("结束活动 (C)"), self)
        self.close_button.setObjectName("campaignCloseButton")
        self.close_button.clicked.connect(lambda _checked=False: self.close_selected())
        self.submit_button = QPushButton(self.tr("提交审批 (S)"), self)
        self.submit_button.setObjectName("campaignSubmitButton")
        self.submit_button.clicked.connect(lambda _checked=False: self.submit_selected())
        self.batch_button = QPushButton(self.tr("批次 (B)"), self)
        self.batch_button.setObjectName("campaignBatchButton")
        self.batch_button.clicked.connect(lambda _checked=False: self.open_batch())
        self.entry_button = QPushButton(self.tr("录入 (G)"), self)
        self.entry_button.setObjectName("campaignEntryButton")
        self.entry_button.clicked.connect(lambda _checked=False: self.open_entry())
        self.letters_button = QPushButton(self.tr("通知书 (L)"), self)
        self.letters_button.setObjectName("campaignLettersButton")
        self.letters_button.clicked.connect(lambda _checked=False: self.letters_selected())
        self.sign_button = QPushButton(self.tr("登记签约 (Q)"), self)
        self.sign_button.setObjectName("campaignSignButton")
        self.sign_button.clicked.connect(lambda _checked=False: self.choose_sign_list())
        self.sign_one_button = QPushButton(self.tr("逐人签约 (K)"), self)
        self.sign_one_button.setObjectName("campaignSignOneButton")
        self.sign_one_button.clicked.connect(lambda _checked=False: self.sign_one())
        self.till_button = QPushButton(self.tr("收银记录 (T)"), self)
        self.till_button.setObjectName("campaignTillButton")
        self.till_button.clicked.connect(lambda _checked=False: self.choose_till())
        for button in (self.new_button, self.import_button, self.close_button):
            button.setAutoDefault(False)
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        granting = QHBoxLayout()  # the group's work in a row of its own: the window is 420 pixels wide
        for button in (self.submit_button, self.batch_button, self.entry_button):
            button.setAutoDefault(False)
            granting.addWidget(button)
        granting.addStretch(1)
        layout.addLayout(granting)
        notifying = QHBoxLayout()  # the group's paper: letters out, signatures back, a market's tills in
        for button in (self.letters_button, self.sign_button, self.sign_one_button, self.till_button):
            button.setAutoDefault(False)
            notifying.addWidget(button)
        notifying.addStretch(1)
        layout.addLayout(notifying)
        self.message = QLabel("", self)
        self.message.setObjectName("campaignsMessage")
        self.message.setWordWrap(True)
        self.message.setVisible(False)
        layout.addWidget(self.message)
        self.keys = QLabel(self._keys_text(), self)
        self.keys.setObjectName("campaignsKeys")
        self.keys.setWordWrap(True)
        self.keys.setStyleSheet("QLabel { color: #5f6368; }")
        layout.addWidget(self.keys)
        self.settle = QTimer(self)
        self.settle.setSingleShot(True)
        self.settle.setInterval(SELECT_SETTLE_MS)
        self.settle.timeout.connect(self.read_detail)
        self._enable_actions()

    def _keys_text(self) -> str:
        if self.members.hasFocus():
            return self.tr("↑↓ 选择成员 · Enter 打开客户卡片 · Esc 回到活动列表")
        return self.tr(
            "↑↓ 选择 · Enter 成员 · 1–8 按列排序\n"
            "N 新建 · I 导入名单 · C 结束活动 · S 提交审批 · B 批次 · G 录入\n"
            "L 通知书 · Q 登记签约 · K 逐人签约 · T 收银记录 · F7 刷新"
        )

    # --- the shell's calls ----------------------------------------------------------------------------
    def activate(self) -> None:
        """Shown (F7, or its tab): the list read again, the focus on it."""
        self.detail.setCurrentIndex(0)
        self.table.setFocus(Qt.FocusReason.TabFocusReason)
        self.refresh()

    def stop(self) -> None:
        """The session ends: the work under way finishes (its answers are dropped) before the store goes."""
        self._stopped = True
        self.settle.stop()
        if self.action_task is not None:
            self.action_task.cancel()  # a long run (the letters) stops between two members
        # a database that does not answer: the work is let go and ends on its own
        self.load_task = kept_or_released(self.load_task)
        self.detail_task = kept_or_released(self.detail_task)
        self.action_task = kept_or_released(self.action_task)
        if self.dialog is not None:
            self.dialog.done(QDialog.DialogCode.Rejected)  # (also the roster's, which Esc leaves open)

    def say(self, text: str, *, refusal: bool = False) -> None:
        """The workspace's line for results and refusals (the service's words)."""
        self.message.setText(text)
        self.message.setStyleSheet(f"QLabel {{ {ERROR_STYLE}; }}" if refusal else "")
        self.message.setVisible(bool(text))

    def _refused_here(self, exc: UserFacingError) -> None:
        self.say(error_text(exc, hint=True), refusal=True)

    def _locked_refusal(self, action: str, code: str | None) -> bool:
        """While locked nothing is done: the service refuses (and audits it); True when refused."""
        if not self.is_locked():
            return False
        from teller_assist.services import campaign_desk

        refusal: UserFacingError
        try:
            refusal = campaign_desk.refuse_locked(self.ctx, self._operator(), action, code)
        except UserFacingError as exc:  # the audit row could not be written: refused all the same
            refusal = exc
        self._refused_here(refusal)
        return True

    def _stale_while_locked(self) -> bool:
        """A reading asked for while locked (a load finishing behind the lock page) waits for the
        workspace to be shown again: nothing is read, or said, behind the lock."""
        if not self.is_locked():
            return False
        self._stale = True
        return True

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale and not self.is_locked():
            self._stale = False
            self.refresh()

    # --- the list ------------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Read the list again on a worker thread (one reading at a time; one more after it if asked)."""
        from teller_assist.services import campaign_desk

        operator = self._operator()
        if self._stopped or operator is None:
            return
        if self._stale_while_locked():
            return
        if self.load_task is not None:
            self._load_again = True
            return

        def work(_report: Callable[..., None], _cancelled: Callable[[], bool]) -> tuple[CampaignLine, ...]:
            return campaign_desk.overview(self.ctx, operator)

        task = Task(work, self)
        task.succeeded.connect(self._loaded)
        task.failed.connect(self._load_failed)
        self.load_task = task
        task.start()

    def _end(self, name: str) -> None:
        task: Task | None = getattr(self, name)
        if task is not None:
            task.wait()
            task.deleteLater()
        setattr(self, name, None)

    def _end_load(self) -> bool:
        self._end("load_task")
        if self._stopped:
            return False
        if self._load_again:
            self._load_again = False
            self.refresh()
            return False
        return True

    def _loaded(self, lines: tuple[CampaignLine, ...]) -> None:
        if not self._end_load():
            return
        self._show_list(lines)
        self.loaded.emit()

    def _load_failed(self, exc: BaseException) -> None:
        if not self._end_load():
            return
        if not isinstance(exc, UserFacingError):
            raise exc  # a bug, not a state of the world: the crash handler writes its report
        self.summary.setText(self.tr("客群活动未能读取"))
        self._refused_here(exc)
        self.loaded.emit()

    def _show_list(self, lines: tuple[CampaignLine, ...]) -> None:
        keep = self._select_after or self.selected_code()
        self._select_after = None
        self.lines = {line.campaign.code: line for line in lines}
        opened = sum(1 for line in lines if line.campaign.status == "open")
        self.summary.setText(
            self.tr("客群活动 {0} 个，其中进行中 {1} 个").format(len(lines), opened)
            if lines
            else self.tr("还没有客群活动：按 N 新建")
        )
        table = self.table
        table.blockSignals(True)
        table.setSortingEnabled(False)
        table.setRowCount(len(lines))
        for i, line in enumerate(lines):
            c = line.campaign
            cells: list[QTableWidgetItem] = [
                QTableWidgetItem(c.code),
                QTableWidgetItem(word(SCENARIO_ZH[c.scenario])),
                QTableWidgetItem(c.group_name),  # its code in the tooltip and the detail
                QTableWidgetItem(c.branch_code),
                QTableWidgetItem(_period(c)),
                QTableWidgetItem(word(STATUS_ZH[c.status])),
                _NumberItem(line.members),
                _NumberItem(c.indicator),
            ]
            cells[0].setData(Qt.ItemDataRole.UserRole, c.code)
            cells[2].setToolTip(c.group_name + (f"（{c.group_uscc}）" if c.group_uscc else ""))
            for j, item in enumerate(cells):
                if not item.toolTip():
                    item.setToolTip(item.text())  # whole, however narrow the column
                if c.status == "closed":
                    item.setForeground(QBrush(GREY))
                table.setItem(i, j, item)
        if self._sort is not None:
            table.sortItems(*self._sort)
        table.blockSignals(False)
        self._fit(table)
        rows = [self._code_at(r) for r in range(table.rowCount())]
        if rows:
            row = rows.index(keep) if keep in rows else 0
            table.selectRow(row)
            table.setCurrentCell(row, 0)
            self.settle.stop()
            self.read_detail()  # the counts and members as they are now
        else:
            self._show_detail(None)
        self._enable_actions()

    def _code_at(self, row: int) -> str | None:
        item = self.table.item(row, 0)
        return None if item is None else str(item.data(Qt.ItemDataRole.UserRole))

    def selected_code(self) -> str | None:
        if not self.table.selectedItems():
            return None
        return self._code_at(self.table.currentRow())

    def selected(self) -> CampaignLine | None:
        code = self.selected_code()
        return None if code is None else self.lines.get(code)

    def sort_by(self, column: int) -> None:
        """``1``–``8``, or a click on a column's header: sort by it; again, the other way."""
        if not 0 <= column < self.table.columnCount():
            return
        order = Qt.SortOrder.AscendingOrder
        if self._sort is not None and self._sort[0] == column and self._sort[1] == order:
            order = Qt.SortOrder.DescendingOrder
        self._sort = (column, order)
        code = self.selected_code()
        self.table.blockSignals(True)
        self.table.sortItems(column, order)
        self.table.horizontalHeader().setSortIndicator(column, order)
        self.table.blockSignals(False)
        rows = [self._code_at(r) for r in range(self.table.rowCount())]
        if code in rows:
            self.table.selectRow(rows.index(code))
            self.table.setCurrentCell(rows.index(code), 0)

    def _header_clicked(self, column: int) -> None:
        self.sort_by(column)

    def _selection_changed(self) -> None:
        self._enable_actions()
        code = self.selected_code()
        if code is None:
            return
        if self.shown is None or self.shown.shown.campaign.code != code:
            self._show_detail(None)  # nothing of the campaign chosen before stays under this one
            self.facts.setText(self.tr("正在读取 {0}…").format(code))
        self.settle.start()

    # --- one campaign --------------------------------------------------------------------------------
    def read_detail(self) -> None:
        """Read the chosen campaign (counts, lines by band, members) on a worker thread."""
        from teller_assist.services import campaign_desk

        operator, code = self._operator(), self.selected_code()
        if self._stopped or operator is None or code is None:
            return
        if self._stale_while_locked():
            return
        if self.detail_task is not None:
            self._detail_again = True
            return

        def work(_report: Callable[..., None], _cancelled: Callable[[], bool]) -> CampaignDetail:
            return campaign_desk.detail(self.ctx, operator, code)

        def done(found: CampaignDetail) -> None:
            if not self._end_detail():
                return
            if found.shown.campaign.code == self.selected_code():
                self._show_detail(found)
            self.detailLoaded.emit()

        def failed(exc: BaseException) -> None:
            if not self._end_detail():
                return
            if not isinstance(exc, UserFacingError):
                raise exc
            self._show_detail(None)
            self.facts.setText(self.tr("活动 {0} 未能读取").format(code))
            self._refused_here(exc)
            self.detailLoaded.emit()

        task = Task(work, self)
        task.succeeded.connect(done)
        task.failed.connect(failed)
        self.detail_task = task
        task.start()

    def _end_detail(self) -> bool:
        self._end("detail_task")
        if self._stopped:
            return False
        if self._detail_again:
            self._detail_again = False
            self.read_detail()
            return False
        return True

    def _show_detail(self, found: CampaignDetail | None) -> None:
        before = self.members.currentIndex().row()
        same = (
            found is not None
            and self.shown is not None
            and (found.shown.campaign.code == self.shown.shown.campaign.code)
        )
        self.shown = found
        if found is None:
            self.facts.setText("")
            self.counts.setText("")
            self.progress.setText("")
            self.progress.setToolTip("")
            self.bands.setRowCount(0)
            self.members_model.set_members(())
            self.detail.setTabText(1, self.tr("成员名单"))
            self._enable_actions()
            return
        shown = found.shown
        c = shown.campaign
        group = c.group_name + (f"（{c.group_uscc}）" if c.group_uscc else "")
        facts = [
            f"<b>{_html(c.code)}</b> · {_html(word(SCENARIO_ZH[c.scenario]))} · {_html(group)}",
            self.tr("网点 {0} · {1} 至 {2} · {3}").format(
                c.branch_code, c.starts_on.isoformat(), c.ends_on.isoformat(), word(STATUS_ZH[c.status])
            ),
        ]
        if c.indicator is not None:
            measure = self.tr("授信") if c.indicator_measure == "granted" else self.tr("签约")
            facts.append(self.tr("指标 {0} 人（按{1}人数）").format(f"{c.indicator:,}", measure))
        if c.village_groups:
            facts.append(_html(self.tr("村民小组：{0}").format(self.tr("、").join(c.village_groups))))
        if c.roster_at is not None:
            facts.append(
                _html(
                    self.tr("最近名单：{0}，{1} 行，{2} 于 {3} 导入").format(
                        c.roster_file or "—",
                        f"{c.roster_rows or 0:,}",
                        c.roster_by or "—",
                        c.roster_at.astimezone().strftime("%Y-%m-%d %H:%M"),
                    )
                )
            )
        elif c.status == "open":
            facts.append(self.tr("尚未导入名单：按 I 导入"))
        self.facts.setText("<br>".join(facts))
        by_status = self.tr("，").join(
            f"{word(zh)} {shown.counts.get(status, 0):,}" for status, zh in _member_statuses()
        )
        pre = shown.prequalified
        self.counts.setText(
            self.tr("成员 {0}：{1}").format(f"{shown.members:,}", by_status)
            + "\n"
            + self.tr("同时在其他活动中 {0} 人（额度按人只计一次）").format(f"{shown.on_other_campaigns:,}")
            + "\n"
            + self.tr(
                "测算日 {0}：待授信 {1} 人，其中可授信 {2}；已持有或在审预授信 {3} 人，额度 {4} 元"
            ).format(
                shown.as_of.isoformat(),
                f"{pre.decided - pre.holding:,}",
                f"{pre.eligible:,}",
                f"{pre.holding:,}",
                yuan_text(pre.holding_fen),
            )
        )
        self._show_progress(shown)
        self.bands.setRowCount(len(pre.grantable))
        for i, label in enumerate(pre.grantable):
            g, p = pre.grantable[label], pre.potential[label]
            g_yuan, p_yuan = yuan_text(g.exposure_fen), yuan_text(p.exposure_fen)
            values = [word(label), f"{g.people:,}", g_yuan, f"{p.people:,}", p_yuan]
            for j, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setToolTip(value)
                if j:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.bands.setItem(i, j, item)
        self._fit(self.bands)
        bands_height = (
            self.bands.horizontalHeader().height()
            + self.bands.verticalHeader().length()
            + 2 * self.bands.frameWidth()
        )
        self.bands.setFixedHeight(bands_height)
        self.members_model.set_members(found.members)
        self._fit(self.members)
        self.detail.setTabText(1, self.tr("成员名单 ({0})").format(f"{len(found.members):,}"))
        if found.members:
            row = before if same and 0 <= before < len(found.members) else 0
            self.members.selectRow(row)
        self._enable_actions()

    def _show_progress(self, shown: CampaignShow) -> None:
        """The campaign's progress at the date, as ``campaign show --json`` gives it (the service's
        figures; what each counts in ``campaigns.progress.MEANING``, in the tooltip), and its batches."""
        from teller_assist.campaigns.progress import FIGURE_ZH, FIGURES, MEANING

        p = shown.progress
        if p is None:
            self.progress.setText("")
            return
        figures = p.figures()
        cells = [
            f"<td align='center' style='padding:0 6px'>{_html(pick(FIGURE_ZH[k], k))}<br>"
            f"<b>{figures[k]:,}</b></td>"
            for k in FIGURES
        ]
        half = (len(cells) + 1) // 2
        table = f"<table><tr>{''.join(cells[:half])}</tr><tr>{''.join(cells[half:])}</tr></table>"
        waiting = sum(b.waiting for b in shown.batches)
        tail = self.tr("已授信额度 {0} 元，已签约额度 {1} 元").format(
            yuan_text(p.granted_fen), yuan_text(p.signed_fen)
        )
        if shown.batches:
            tail += "<br>" + _html(
                self.tr("提交批次 {0} 个，待审批 {1} 件：按 B 查看批次").format(
                    f"{len(shown.batches):,}", f"{waiting:,}"
                )
            )
        mark = shown.indicator
        if mark is not None and mark.indicator is not None and mark.completion is not None:
            done = mark.completion
            word = self.tr("已签约") if str(mark.indicator.measure) == "signed" else self.tr("已授信")
            tail += "<br>" + _html(
                self.tr("指标 {0}：{1} {2} 人，完成 {3}（与考核同口径）").format(
                    mark.indicator.label_zh, word, f"{done.numerator:,}", done.text()
                )
            )
        heading = _html(self.tr("进度（{0}，按人计）").format(p.day.isoformat()))
        self.progress.setText(f"{heading}{table}{tail}")
        self.progress.setToolTip("\n".join(f"{pick(FIGURE_ZH[k], k)}：{pick(*MEANING[k])}" for k in FIGURES))

    LIST_OPTIONAL = (3, 7, 4)  # branch, indicator, period: in the detail pane too
    LIST_STRETCH = (0, 2)  # the code and the group
    MEMBER_OPTIONAL = (6, 5, 3, 0, 7)  # marks, evaluation, phone, line, reason: under the list too
    MEMBER_STRETCH = (1,)  # the name

    def _fit(self, view: QObject) -> None:
        if view is self.table:
            fit_by_hiding(self.table, self.LIST_OPTIONAL, self.LIST_STRETCH)
        elif view is self.members:
            fit_by_hiding(self.members, self.MEMBER_OPTIONAL, self.MEMBER_STRETCH)
        elif view is self.bands:
            fit_by_hiding(self.bands, (), (0,))  # the band's words give way first, whole in the tooltip

    def _show_member(self) -> None:
        """The chosen member whole under the list, whatever columns the width hides."""
        m = self.selected_member()
        if m is None:
            self.member_detail.setText("")
            return
        line = m.line
        cells = self.members_model.cells(m)
        parts = [
            self.tr("第{0}行").format(line.line_no),
            f"{line.name} {line.id_masked}",
            line.phone_masked or "",
            cells[4],
            self.tr("评议 {0}").format(cells[5]) + (f"（{line.evaluated_by}）" if line.evaluated_by else "")
            if cells[5]
            else "",
            cells[6],
        ]
        text = " · ".join(p for p in parts if p)
        if line.reason:
            text += "\n" + self.tr("原因：{0}").format(line.reason)
        self.member_detail.setText(text)

    def go_to_members(self) -> None:
        """Enter on a campaign: its members, the focus on the first (or the one chosen before)."""
        if self.selected_code() is None:
            return
        self.detail.setCurrentWidget(self.members_page)
        self.members.setFocus(Qt.FocusReason.OtherFocusReason)
        if self.members_model.rowCount() and not self.members.selectionModel().hasSelection():
            self.members.selectRow(0)
        self.keys.setText(self._keys_text())

    def back_to_list(self) -> None:
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)
        self.keys.setText(self._keys_text())

    def selected_member(self) -> DeskMember | None:
        rows = self.members.selectionModel().selectedRows()
        if not rows:
            return None
        index = rows[0].row()
        members = self.members_model.members
        return members[index] if 0 <= index < len(members) else None

    def open_selected(self) -> None:
        """Enter on a member: the person's card at the counter (the window looks them up, audited as
        from a campaign)."""
        m = self.selected_member()
        if m is None:
            return
        if self._locked_refusal("open", self.selected_code()):
            return
        self.openCustomer.emit(m.id_no)

    def _enable_actions(self) -> None:
        line = self.selected()
        opened = line is not None and line.campaign.status == "open"
        self.import_button.setEnabled(opened)
        self.close_button.setEnabled(opened)
        self.submit_button.setEnabled(opened)
        self.batch_button.setEnabled(line is not None)
        self.entry_button.setEnabled(opened)
        self.letters_button.setEnabled(opened)
        self.sign_button.setEnabled(line is not None)  # a signature given is a fact, closed or not
        self.sign_one_button.setEnabled(line is not None)
        self.till_button.setEnabled(opened and line is not None and line.campaign.scenario == "market")

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusIn and watched in (self.table, self.members):
            self.keys.setText(self._keys_text())
        if event.type() == QEvent.Type.Resize and watched in (self.table, self.members, self.bands):
            self._fit(watched)
        if event.type() == QEvent.Type.ShortcutOverride and watched is self.members:
            assert isinstance(event, QKeyEvent)
            if event.key() == Qt.Key.Key_Escape and not event.modifiers():
                event.accept()  # Esc here goes back to the campaigns; it clears no counter behind the tab
                return True
        if event.type() != QEvent.Type.KeyPress or watched not in (self.table, self.members):
            return super().eventFilter(watched, event)
        assert isinstance(event, QKeyEvent)
        key = event.key()
        enter = key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not event.modifiers() & ~(
            Qt.KeyboardModifier.KeypadModifier
        )
        if watched is self.members:
            if enter:
                self.open_selected()
                return True
            if key == Qt.Key.Key_Escape:
                self.back_to_list()
                return True
        if watched is self.table:
            if enter:
                self.go_to_members()
                return True
            if key in SORT_KEYS and _plain_key(event):
                self.sort_by(SORT_KEYS[Qt.Key(key)])
                return True
        if _plain_key(event):
            action: Callable[[], object] | None = {
                Qt.Key.Key_N: self.new_campaign,
                Qt.Key.Key_I: self.choose_roster,
                Qt.Key.Key_C: self.close_selected,
                Qt.Key.Key_S: self.submit_selected,
                Qt.Key.Key_B: lambda: self.open_batch(),
                Qt.Key.Key_G: self.open_entry,
                Qt.Key.Key_L: self.letters_selected,
                Qt.Key.Key_Q: self.choose_sign_list,
                Qt.Key.Key_K: self.sign_one,
                Qt.Key.Key_T: self.choose_till,
            }.get(Qt.Key(key))
            if action is not None:
                action()
                return True
        return super().eventFilter(watched, event)

    def open_entry(self) -> QDialog | None:
        """G: the chosen campaign's entry grid (and, on a community campaign, its registration desk)."""
        from teller_assist.ui.workspaces.campaign_entry import open_entry

        return open_entry(self)

    # --- make ------------------------------------------------------------------------------------------
    def new_campaign(self) -> CampaignDialog | None:
        """N: the new campaign's fields in a dialog; Enter makes it (the service checks who may)."""
        if self.dialog is not None or self._operator() is None:
            return None
        if self._locked_refusal("create", None):
            return None
        operator = self._operator()
        dialog = CampaignDialog(self._today(), operator.branch_code if operator else None, self)
        dialog.chosen.connect(lambda spec: self._create(dialog, spec))
        self._open_dialog(dialog)
        return dialog

    def _open_dialog(self, dialog: QDialog) -> None:
        dialog.finished.connect(lambda _result: self._dialog_closed(dialog))
        self.dialog = dialog
        dialog.open()
        dialog.activateWindow()
        keep_on_screen(dialog)

    def _dialog_closed(self, dialog: QDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None
        dialog.deleteLater()
        if self._stopped:
            return
        self.window().activateWindow()  # the keys come back to the list
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def _run(
        self,
        work: Callable[[], Any],
        done: Callable[[Any], None],
        failed: Callable[[UserFacingError], None],
    ) -> bool:
        """One change at a time on a worker thread; False when another is still under way."""
        return self._start(lambda _report, _cancelled: work(), done, failed) is not None

    def _start(
        self,
        work: Callable[[Callable[..., None], Callable[[], bool]], Any],
        done: Callable[[Any], None],
        failed: Callable[[UserFacingError], None],
        progress: Callable[..., None] | None = None,
    ) -> Task | None:
        """``work(report, cancelled)`` on a worker thread, one change at a time (None when another is
        still under way); what it reports comes to ``progress`` on this thread; the task is returned
        for its ``cancel()``."""
        if self.action_task is not None:
            return None

        def succeeded(result: Any) -> None:
            self._end("action_task")
            if not self._stopped:
                done(result)

        def went_wrong(exc: BaseException) -> None:
            self._end("action_task")
            if not isinstance(exc, UserFacingError):
                raise exc
            if not self._stopped:
                failed(exc)

        task = Task(work, self)
        task.succeeded.connect(succeeded)
        task.failed.connect(went_wrong)
        if progress is not None:
            task.progress.connect(lambda args: None if self._stopped else progress(*args))
        self.action_task = task
        task.start()
        return task

    def _dialog_run(
        self,
        code: str,
        work: Callable[[Callable[..., None], Callable[[], bool]], Any],
        show: Callable[[Any], str],
        refuse: Callable[[UserFacingError], str | None],
        progress: Callable[..., None] | None = None,
    ) -> Task | None:
        """A dialog's work on campaign ``code`` (a roster, Q's signatures, T's till records, L's letters)
        through ``_start`` (None when another change is under way). Its result goes to the dialog by
        ``show``, which gives the line said under the list, and the campaign is chosen again in the list
        read again; a refusal goes to the dialog by ``refuse`` and is said under the list in red, with its
        hint, unless ``refuse`` gives its own line (a stop the teller asked for is no refusal)."""

        def done(result: Any) -> None:
            self.say(show(result))
            self._select_after = code
            self.changed.emit()
            self.refresh()

        def failed(exc: UserFacingError) -> None:
            said = refuse(exc)
            if said is None:
                self._refused_here(exc)
            else:
                self.say(said)

        return self._start(work, done, failed, progress)

    def _opened(self, dialog: _D, task: Task | None) -> _D | None:
        """The dialog of work just started, opened; gone unopened when the work could not start."""
        if task is None:
            dialog.deleteLater()
            return None
        self._open_dialog(dialog)
        return dialog

    def _create(self, dialog: CampaignDialog, spec: CampaignSpec) -> None:
        from teller_assist.services import campaign_desk

        operator, locked = self._operator(), self.is_locked()

        def done(made: CampaignRow) -> None:
            self.say(self.tr("已新建活动 {0}").format(made.code))
            self._select_after = made.code
            if self.dialog is dialog:
                dialog.accept()
            self.changed.emit()
            self.refresh()

        def failed(exc: UserFacingError) -> None:
            if self.dialog is dialog:
                dialog.refused(exc)  # said where it was asked, what was typed kept
            else:
                self._refused_here(exc)

        if self._run(lambda: campaign_desk.create(self.ctx, operator, spec, locked=locked), done, failed):
            dialog.set_busy(True)

    # --- close -----------------------------------------------------------------------------------------
    def close_selected(self) -> QMessageBox | None:
        """C: close the chosen campaign, confirmed first (Y; Enter and Esc keep it open)."""
        line = self.selected()
        if line is None or self.dialog is not None:
            return None
        code = line.campaign.code
        if self._locked_refusal("close", code):
            return None
        if line.campaign.status != "open":
            self.say(self.tr("活动 {0} 已结束").format(code), refusal=True)
            return None
        box = messages.confirm(
            self,
            self.tr("结束活动"),
            self.tr("结束活动 {0}（{1}）？").format(code, line.campaign.group_name),
            lambda yes: self._close_confirmed(code, yes),
            name="campaignCloseConfirm",
            yes=self.tr("结束活动(&Y)"),
            no=self.tr("取消 (Esc)"),
            default_yes=False,  # a stray Enter closes nothing
        )
        box.setInformativeText(self.tr("结束后该活动不再接收名单，也不能重新开启；成员与记录保留。"))
        self.dialog = box
        box.finished.connect(lambda _result: self._dialog_closed(box))
        box.activateWindow()
        keep_on_screen(box)
        return box

    def _close_confirmed(self, code: str, confirmed: bool) -> None:
        from teller_assist.services import campaign_desk

        if not confirmed or self._stopped:
            return
        operator, locked = self._operator(), self.is_locked()

        def done(closed: CampaignRow) -> None:
            self.say(self.tr("已结束活动 {0}，不再接收名单").format(closed.code))
            self.changed.emit()
            self.refresh()

        ctx = self.ctx
        self._run(lambda: campaign_desk.close(ctx, operator, code, locked=locked), done, self._refused_here)

    # --- rosters ---------------------------------------------------------------------------------------
    def choose_roster(self) -> QFileDialog | None:
        """I: a roster file for the chosen campaign (.xlsx, .csv), then the import."""
        line = self.selected()
        if line is None or self.dialog is not None:
            return None
        if self._locked_refusal("import", line.campaign.code):
            return None
        code = line.campaign.code
        if line.campaign.status != "open":  # the list says so; the service would refuse it too
            self.say(self.tr("活动 {0} 已结束，不再接收名单").format(code), refusal=True)
            return None
        dialog = QFileDialog(self, self.tr("选择 {0} 的名单文件").format(code), str(self._roster_dir))
        dialog.setObjectName("rosterFileDialog")
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptOpen)
        dialog.setNameFilter(self.tr(str(ROSTER_FILTER)))
        dialog.fileSelected.connect(lambda name: self._roster_chosen(code, name))
        self._open_dialog(dialog)
        return dialog

    def _roster_chosen(self, code: str, name: str) -> None:
        if name:
            self._roster_dir = Path(name).parent  # the next roster is likely beside this one
            QTimer.singleShot(0, lambda: self.import_roster(code, Path(name)))  # after the chooser goes

    def import_roster(self, code: str, path: Path) -> RosterImportDialog | None:
        """Load ``path`` into campaign ``code`` on a worker thread; the dialog shows the work, then the
        result (or the refusal)."""
        from teller_assist.services import campaign_desk

        if self.dialog is not None or self._operator() is None:
            return None
        if self._locked_refusal("import", code):
            return None
        operator, locked = self._operator(), self.is_locked()
        dialog = RosterImportDialog(code, path, self)
        dialog.export.connect(lambda out: self._export(dialog, out))

        def shown(imported: Imported) -> str:
            dialog.show_result(imported)
            return dialog.result_line()

        def refused(exc: UserFacingError) -> None:
            dialog.refused(exc)

        def tell(stage: str, done: int, total: int) -> None:  # on the worker: queued to the dialog
            with contextlib.suppress(RuntimeError):  # the dialog gone: the load goes on
                dialog.stage.emit(stage, done, total)

        def work(_report: Callable[..., None], _cancelled: Callable[[], bool]) -> Imported:
            return campaign_desk.import_file(
                self.ctx, operator, code, path, locked=locked, progress=tell
            )

        return self._opened(dialog, self._dialog_run(code, work, shown, refused))

    def _export(self, dialog: RosterImportDialog, out: Path) -> None:
        from teller_assist.services import campaign_desk

        imported = dialog.imported
        if imported is None:
            return
        if self._locked_refusal("export", imported.code):
            dialog.refused(campaign_desk.LOCKED, keep_result=True)
            return
        operator, locked = self._operator(), self.is_locked()

        def done(rows: int) -> None:
            dialog.exported(rows, out)

        def failed(exc: UserFacingError) -> None:
            dialog.refused(exc, keep_result=True)

        if self._run(
            lambda: campaign_desk.export_refused(
                self.ctx, operator, imported, out, locked=locked
            ),
            done,
            failed,
        ):
            dialog.set_busy(True)

    # --- the group's letters, signatures, till records ---------------------------------------------------
    def letters_selected(self) -> LettersDialog | None:
        """L: the agreement and the letter of every member the chosen campaign granted a line, merged in
        delivery order into print files (the folder asked for, by default one under the data folder),
        optionally sent to the configured printer; a worker does it with its progress shown, ``Esc``
        cancels between two members and ``Enter`` again goes on where it stopped."""
        line = self.selected()
        if line is None or self.dialog is not None or self._operator() is None:
            return None
        code = line.campaign.code
        if self._locked_refusal("letters", code):
            return None
        if line.campaign.status != "open":
            self.say(self.tr("活动 {0} 已结束，不再出具通知书").format(code), refusal=True)
            return None
        from teller_assist.services import campaign_desk

        dialog = LettersDialog(
            code, campaign_desk.letters_folder(self.settings, code), self.settings.printer.strip(), self
        )
        dialog.started.connect(lambda out, printer, kinds: self._letters(dialog, code, out, printer, kinds))
        self._open_dialog(dialog)
        return dialog

    def _letters(
        self, dialog: LettersDialog, code: str, out: Path, printer: str, kinds: tuple[str, ...]
    ) -> None:
        from teller_assist.services import campaign_desk
        from teller_assist.services.campaign_letters import LettersCancelled

        if self._locked_refusal("letters", code):
            dialog.refused(campaign_desk.LOCKED)
            return
        operator, locked = self._operator(), self.is_locked()

        def work(report: Callable[..., None], cancelled: Callable[[], bool]) -> LettersRun:
            return campaign_desk.letters(
                self.ctx, operator, code, out, printer=printer or None, progress=report,
                cancelled=cancelled, locked=locked, kinds=kinds,
            )  # fmt: skip

        def shown(run: LettersRun) -> str:
            dialog.show_result(run, out)
            return dialog.result_line()

        def refused(exc: UserFacingError) -> str | None:
            self.refresh()  # what was issued before the stop is counted
            if isinstance(exc, LettersCancelled):
                dialog.cancelled(exc)
                return error_text(exc)
            dialog.refused(exc)
            return None

        task = self._dialog_run(code, work, shown, refused, dialog.show_stage)
        if task is not None:
            dialog.running(task.cancel)

    def choose_sign_list(self) -> QFileDialog | None:
        """Q: a list file of the members who signed (one resident ID a line, or a CSV's first column),
        then their signatures recorded; the refused ones listed, masked, with the reason."""
        line = self.selected()
        if line is None or self.dialog is not None or self._operator() is None:
            return None
        code = line.campaign.code
        if self._locked_refusal("sign", code):
            return None
        chooser = QFileDialog(self, self.tr("选择 {0} 已签约成员的名单").format(code), str(self._roster_dir))
        chooser.setObjectName("signListFileDialog")
        chooser.setFileMode(QFileDialog.FileMode.ExistingFile)
        chooser.setAcceptMode(QFileDialog.AcceptMode.AcceptOpen)
        chooser.setNameFilter(self.tr(str(SIGN_FILTER)))
        chooser.fileSelected.connect(lambda name: self._then_file(name, lambda p: self.sign_list(code, p)))
        self._open_dialog(chooser)
        return chooser

    def _then_file(self, name: str, then: Callable[[Path], object]) -> None:
        if name:
            self._roster_dir = Path(name).parent
            QTimer.singleShot(0, lambda: then(Path(name)))  # after the chooser goes

    def sign_list(self, code: str, path: Path) -> ListResultDialog | None:
        """Record the signatures of the people ``path`` lists, on a worker; the dialog says the result."""
        from teller_assist.services import campaign_desk

        if self.dialog is not None or self._operator() is None:
            return None
        if self._locked_refusal("sign", code):
            return None
        operator = self._operator()
        locked = self.is_locked()
        dialog = ListResultDialog(
            "signResultDialog",
            self.tr("登记签约"),
            self.tr("活动 {0} ← {1}").format(code, path.name),
            self.tr("正在逐人登记签约…"),
            SIGN_COLUMNS,
            self,
        )

        def shown(lines: tuple[SignedLine, ...]) -> str:
            refused = [s for s in lines if not s.signed]
            said = self.tr("活动 {0}：登记签约 {1} 人，未登记 {2} 人").format(
                code, f"{len(lines) - len(refused):,}", f"{len(refused):,}"
            )
            rows = [
                (
                    [s.id_masked, s.name, self.tr("已签约") if s.signed else pick(s.reason_zh, s.reason_en)],
                    not s.signed,
                )
                for s in refused + [s for s in lines if s.signed]  # the refused first: they need doing
            ]
            dialog.show_rows(said, rows)
            return said

        def refused(exc: UserFacingError) -> None:
            dialog.refused(exc, self.tr("未登记任何签约"))

        def work(_report: Callable[..., None], _cancelled: Callable[[], bool]) -> tuple[SignedLine, ...]:
            return campaign_desk.sign_from_list(
                self.ctx, operator, code, path, locked=locked
            )

        return self._opened(dialog, self._dialog_run(code, work, shown, refused))

    def sign_one(self) -> SignOneDialog | None:
        """K: one member's signature by their resident ID (checked as typed, masked once entered), recorded
        as ``campaign sign --id`` records it; the dialog stays for the next one."""
        line = self.selected()
        if line is None or self.dialog is not None or self._operator() is None:
            return None
        code = line.campaign.code
        if self._locked_refusal("sign", code):
            return None
        dialog = SignOneDialog(code, self._today(), self.masking, self)
        dialog.entered.connect(lambda id_no: self._sign_one(dialog, code, id_no))
        self._open_dialog(dialog)
        return dialog

    def _sign_one(self, dialog: SignOneDialog, code: str, id_no: str) -> None:
        from teller_assist.services import campaign_desk

        if self._locked_refusal("sign", code):
            dialog.refused(campaign_desk.LOCKED)
            return
        operator = self._operator()
        locked = self.is_locked()

        def done(signed: SignedLine) -> None:
            dialog.show_result(signed)
            self.say(dialog.outcome.text())
            self._select_after = code
            self.changed.emit()
            self.refresh()

        def failed(exc: UserFacingError) -> None:
            dialog.refused(exc)
            self._refused_here(exc)

        if self._run(
            lambda: campaign_desk.sign_one(
                self.ctx, operator, code, id_no, locked=locked
            ),
            done,
            failed,
        ):
            dialog.set_busy(True)

    def choose_till(self) -> QFileDialog | None:
        """T: a market's till records (merchant's resident ID or shop's code, month, sales; full months)
        for the chosen market campaign, then loaded in one transaction; the refused rows listed, masked."""
        line = self.selected()
        if line is None or self.dialog is not None or self._operator() is None:
            return None
        code = line.campaign.code
        if self._locked_refusal("import_till", code):
            return None
        if line.campaign.scenario != "market":
            self.say(self.tr("收银记录只用于整市场活动；{0} 不是").format(code), refusal=True)
            return None
        if line.campaign.status != "open":
            self.say(self.tr("活动 {0} 已结束，不再接收收银记录").format(code), refusal=True)
            return None
        chooser = QFileDialog(self, self.tr("选择 {0} 的收银记录").format(code), str(self._roster_dir))
        chooser.setObjectName("tillFileDialog")
        chooser.setFileMode(QFileDialog.FileMode.ExistingFile)
        chooser.setAcceptMode(QFileDialog.AcceptMode.AcceptOpen)
        chooser.setNameFilter(self.tr(str(TILL_FILTER)))
        chooser.fileSelected.connect(lambda name: self._then_file(name, lambda p: self.import_till(code, p)))
        self._open_dialog(chooser)
        return chooser

    def import_till(self, code: str, path: Path) -> ListResultDialog | None:
        """Load the till records in ``path`` onto campaign ``code``'s merchants, on a worker."""
        from teller_assist.services import campaign_desk

        if self.dialog is not None or self._operator() is None:
            return None
        if self._locked_refusal("import_till", code):
            return None
        operator = self._operator()
        locked = self.is_locked()
        dialog = ListResultDialog(
            "tillResultDialog",
            self.tr("收银记录"),
            self.tr("活动 {0} ← {1}").format(code, path.name),
            self.tr("正在读取、核对并保存收银记录…（一个事务：全部保存或完全不保存）"),
            TILL_COLUMNS,
            self,
        )

        def shown(loaded: TillDone) -> str:
            t = loaded.done
            said = self.tr(
                "活动 {0} 已导入收银记录：{1} 行，商户 {2} 户共 {3} 个月，有变化 {4} 户，未通过 {5} 行"
            ).format(
                code, f"{t.rows:,}", f"{t.merchants:,}", f"{t.months:,}", f"{t.changed:,}",
                f"{len(loaded.refused):,}",
            )  # fmt: skip
            dialog.show_rows(said, [(_refused_cells(r), True) for r in loaded.refused])
            return said

        def refused(exc: UserFacingError) -> None:
            dialog.refused(exc, self.tr("收银记录未导入；成员的收银记录不变"))

        def work(_report: Callable[..., None], _cancelled: Callable[[], bool]) -> TillDone:
            return campaign_desk.import_till(
                self.ctx, operator, code, path, locked=locked
            )

        return self._opened(dialog, self._dialog_run(code, work, shown, refused))

    # --- batch grant -----------------------------------------------------------------------------------
    def submit_selected(self) -> SubmitDialog | None:
        """S: submit the chosen campaign's members as applications. What would be submitted is worked out
        first on a worker (nothing written) and shown — the count, the total, the bands, who is left and
        why — then ``Y`` submits them in one batch (``Enter`` and ``Esc`` submit nothing)."""
        from teller_assist.services import campaign_desk

        line = self.selected()
        operator = self._operator()
        if line is None or self.dialog is not None or operator is None:
            return None
        code = line.campaign.code
        if self._locked_refusal("submit", code):
            return None
        if line.campaign.status != "open":
            self.say(self.tr("活动 {0} 已结束，不能提交").format(code), refusal=True)
            return None
        dialog = SubmitDialog(code, self)
        dialog.confirmed.connect(lambda: self._submit(dialog, code))
        dialog.showBatch.connect(lambda batch_id: self._batch_after(dialog, batch_id))

        def failed(exc: UserFacingError) -> None:
            dialog.refused(exc)
            self._refused_here(exc)

        started = self._run(
            lambda: campaign_desk.plan_submission(self.ctx, operator, code),
            dialog.show_plan,
            failed,
        )
        if not started:
            dialog.deleteLater()
            return None
        self._open_dialog(dialog)
        return dialog

    def _submit(self, dialog: SubmitDialog, code: str) -> None:
        from teller_assist.services import campaign_desk

        if self._locked_refusal("submit", code):
            dialog.refused(campaign_desk.LOCKED)
            return
        operator = self._operator()
        locked = self.is_locked()

        def done(submitted: Submission) -> None:
            dialog.show_submitted(submitted)
            self.say(dialog.result_line())
            self._select_after = code
            self.changed.emit()
            self.refresh()

        def failed(exc: UserFacingError) -> None:
            dialog.refused(exc)
            self._refused_here(exc)

        if self._run(
            lambda: campaign_desk.submit(self.ctx, operator, code, locked=locked),
            done,
            failed,
        ):
            dialog.set_busy(True)

    def _batch_after(self, dialog: QDialog, batch_id: int) -> None:
        """B after a submission: the submission's dialog gives way to its batch."""
        dialog.done(QDialog.DialogCode.Accepted)
        QTimer.singleShot(0, lambda: self.open_batch(batch_id))

    def open_batch(self, batch_id: int | None = None) -> BatchDialog | None:
        """B: the chosen campaign's batch (the latest still waiting, else the latest) as this operator
        sees it: the count, the total, the bands, the exceptions first. ``A`` then ``Y`` approves in one
        step those within the operator's authority; ``R`` on an application asks its reason, ``Enter``
        rejects it. The service checks who may, as on the command line."""
        line = self.selected()
        operator = self._operator()
        if self.dialog is not None or operator is None:
            return None
        code = None if line is None else line.campaign.code
        if self._locked_refusal("batch_show", code):
            return None
        if batch_id is None:
            shown = None if self.shown is None else self.shown.shown
            if code is None or shown is None or shown.campaign.code != code or not shown.batches:
                if code is not None:
                    self.say(self.tr("活动 {0} 尚无提交批次：按 S 提交成员").format(code), refusal=True)
                return None
            waiting = [b for b in shown.batches if b.waiting]
            if len(waiting) > 1:  # the approver chooses which, newest first
                chooser = BatchChooser(code, waiting, self)
                chooser.chosen.connect(lambda chosen: self._batch_after(chooser, chosen))
                self._open_dialog(chooser)
                return None
            batch_id = (waiting or list(shown.batches))[-1].id
        dialog = BatchDialog(batch_id, operator.id, self)
        dialog.approve.connect(lambda: self._approve(dialog))
        dialog.rejectOne.connect(lambda app_id, reason: self._reject_one(dialog, app_id, reason))
        if not self._read_batch(dialog):
            dialog.deleteLater()
            return None
        self._open_dialog(dialog)
        return dialog

    def _read_batch(self, dialog: BatchDialog, said: str = "") -> bool:
        from teller_assist.services import campaign_desk

        operator = self._operator()
        locked, batch_id = self.is_locked(), dialog.batch_id

        def done(view: BatchView) -> None:
            if self.dialog is dialog:
                dialog.show_view(view, said)

        def failed(exc: UserFacingError) -> None:
            if self.dialog is dialog or not dialog.isVisible():
                dialog.refused(exc)
            self._refused_here(exc)

        return self._run(
            lambda: campaign_desk.batch(self.ctx, operator, batch_id, locked=locked),
            done,
            failed,
        )

    def _decided(self, dialog: BatchDialog, said: str) -> None:
        self.say(said)
        self.changed.emit()
        if self.dialog is dialog:
            self._read_batch(dialog, said)  # the batch as it is now
        self.refresh()

    def _approve(self, dialog: BatchDialog) -> None:
        from teller_assist.services import campaign_desk

        code = dialog.view.batch.campaign_code if dialog.view is not None else None
        if self._locked_refusal("batch_approve", code):
            dialog.refused(campaign_desk.LOCKED)
            return
        operator = self._operator()
        sms, batch_id, locked = self.sms_sender, dialog.batch_id, self.is_locked()

        def done(approved: BatchApproval) -> None:
            left = sum(approved.left.values())
            said = self.tr("批次 {0}：已批准 {1} 件，合计 {2} 元；留待他人或逐件处理 {3} 件").format(
                approved.batch.id, f"{len(approved.approved):,}", yuan_text(approved.total), f"{left:,}"
            )
            self._decided(dialog, said)

        if self._run(
            lambda: campaign_desk.approve(
                self.ctx, operator, batch_id, sms_sender=sms, code=code, locked=locked
            ),
            done,
            dialog.refused,
        ):
            dialog.set_busy(True)

    def _reject_one(self, dialog: BatchDialog, application_id: int, reason: str) -> None:
        from teller_assist.services import campaign_desk

        code = dialog.view.batch.campaign_code if dialog.view is not None else None
        if self._locked_refusal("batch_reject", code):
            dialog.refused(campaign_desk.LOCKED)
            return
        operator = self._operator()
        batch_id, locked = dialog.batch_id, self.is_locked()

        def done(record: ApplicationRecord) -> None:
            dialog.rejected_one()
            self._decided(dialog, self.tr("批次 {0}：已拒绝申请 {1}").format(batch_id, record.id))

        if self._run(
            lambda: campaign_desk.reject(
                self.ctx, operator, batch_id, application_id, reason, code=code, locked=locked
            ),
            done,
            dialog.refused,
        ):
            dialog.set_busy(True)


def _member_statuses() -> list[tuple[str, str]]:
    from teller_assist.services.campaigns import MEMBER_STATUS_ZH

    return list(MEMBER_STATUS_ZH.items())


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class CampaignDialog(QDialog):
    """新建活动: the scenario's fields (a village's 村民小组, an enterprise's or a bureau's USCC), the
    branch, the period and the indicator. Enter checks what was typed as the command line does
    (``check_spec``: the USCC to its check character, a bureau's an organ's) and asks the service;
    a refusal is said here, what was typed kept."""

    chosen = Signal(object)  # the checked CampaignSpec

    def __init__(self, today: dt.date, branch: str | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.today = today
        self.busy = False
        self._code_typed = False
        self.setObjectName("campaignCreateDialog")
        self.setWindowTitle(self.tr("新建客群活动"))
        layout = QVBoxLayout(self)
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.form = form
        self.scenario = QComboBox(self)
        self.scenario.setObjectName("campaignScenario")
        for s in SCENARIOS:
            self.scenario.addItem(word(SCENARIO_ZH[s]), s)
        self.group = QLineEdit(self)
        self.group.setObjectName("campaignGroup")
        self.group.setMaxLength(100)
        self.uscc = QLineEdit(self)
        self.uscc.setObjectName("campaignUscc")
        self.uscc.setMaxLength(18)
        self.village_groups = QLineEdit(self)
        self.village_groups.setObjectName("campaignVillageGroups")
        self.village_groups.setPlaceholderText(self.tr("一组、二组、三组"))
        self.code = QLineEdit(self)
        self.code.setObjectName("campaignCode")
        self.code.setMaxLength(64)
        self.branch = QLineEdit(branch or "", self)
        self.branch.setObjectName("campaignBranch")
        self.branch.setMaxLength(16)
        first = QDate(today.year, today.month, today.day)
        self.starts = _DateEdit(first, self)
        self.starts.setObjectName("campaignFrom")
        self.ends = _DateEdit(first.addMonths(4), self)
        self.ends.setObjectName("campaignTo")
        for edit in (self.starts, self.ends):
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setCalendarPopup(False)
        self.indicator = QLineEdit(self)
        self.indicator.setObjectName("campaignIndicator")
        self.indicator.setValidator(QIntValidator(1, 10_000_000, self))
        self.indicator.setPlaceholderText(self.tr("可不填"))
        self.granted = QCheckBox(self.tr("指标按授信人数计（默认按签约）(&R)"), self)
        self.granted.setObjectName("campaignGranted")

        self.scenario_label = QLabel(self.tr("场景(&S)"), self)
        self.group_label = QLabel(self)
        self.uscc_label = QLabel(self)
        self.groups_label = QLabel(self.tr("村民小组(&V)"), self)
        rows: list[tuple[QLabel, QWidget]] = [
            (self.scenario_label, self.scenario),
            (self.group_label, self.group),
            (self.uscc_label, self.uscc),
            (self.groups_label, self.village_groups),
            (QLabel(self.tr("活动代码(&C)"), self), self.code),
            (QLabel(self.tr("负责网点(&B)"), self), self.branch),
            (QLabel(self.tr("开始日期(&F)"), self), self.starts),
            (QLabel(self.tr("结束日期(&T)"), self), self.ends),
            (QLabel(self.tr("指标人数(&I)"), self), self.indicator),
        ]
        for label, field in rows:
            label.setBuddy(field)
            form.addRow(label, field)
        form.addRow("", self.granted)
        layout.addLayout(form)
        self.error = error_label("campaignCreateError", self)
        layout.addWidget(self.error)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.confirm_button = QPushButton(self.tr("新建 (Enter)"), self)
        self.confirm_button.setObjectName("campaignCreateButton")
        self.confirm_button.setDefault(True)
        self.confirm_button.clicked.connect(lambda _checked=False: self.confirm())
        self.cancel_button = QPushButton(self.tr("取消 (Esc)"), self)
        self.cancel_button.setObjectName("campaignCancelButton")
        self.cancel_button.setAutoDefault(False)
        self.cancel_button.clicked.connect(self.reject)
        buttons.addWidget(self.confirm_button)
        buttons.addWidget(self.cancel_button)
        layout.addLayout(buttons)
        self.scenario.currentIndexChanged.connect(lambda _i: self._scenario_changed())
        self.group.textEdited.connect(lambda _t: self._suggest_code())
        self.code.textEdited.connect(lambda text: setattr(self, "_code_typed", bool(text)))
        self.starts.dateChanged.connect(lambda _d: self._suggest_code())
        self._scenario_changed()
        self.scenario.setFocus()
        self.setMinimumWidth(self.MIN_WIDTH)

    MIN_WIDTH = 380

    def scenario_key(self) -> str:
        return str(self.scenario.currentData())

    def _scenario_changed(self) -> None:
        s = self.scenario_key()
        self.group_label.setText(self.tr("{0}名称(&G)").format(word(GROUP_ZH[s])))
        needs = s in NEEDS_USCC
        self.uscc_label.setText(
            self.tr("统一社会信用代码(&U)") + (self.tr("（必填）") if needs else self.tr("（选填）"))
        )
        village = s == "village"
        for w in (self.uscc_label, self.uscc):
            w.setVisible(not village)
        for w in (self.groups_label, self.village_groups):
            w.setVisible(village)
        self._suggest_code()
        layout = self.layout()
        if layout is not None:
            layout.activate()
        self.resize(max(self.width(), self.sizeHint().width()), self.sizeHint().height())

    def _suggest_code(self) -> None:
        """The code the bank's examples use (``village-后白镇后白村-2026``) until one is typed."""
        if self._code_typed:
            return
        name = "".join(self.group.text().split())
        if name:
            self.code.setText(f"{self.scenario_key()}-{name}-{self.starts.date().year()}")
        else:
            self.code.clear()

    def _day(self, edit: QDateEdit) -> dt.date:
        d = edit.date()
        return dt.date(d.year(), d.month(), d.day())

    def spec(self) -> CampaignSpec:
        """What was typed, checked as the command line checks it (raises CampaignInvalid)."""
        import re

        s = self.scenario_key()
        groups = (
            [g for g in re.split(r"[、,，;；\s]+", self.village_groups.text()) if g] if s == "village" else []
        )
        text = self.indicator.text().strip()
        return check_spec(
            code=self.code.text(),
            scenario=s,
            group_name=self.group.text(),
            branch_code=self.branch.text(),
            starts_on=self._day(self.starts),
            ends_on=self._day(self.ends),
            today=self.today,
            group_uscc=None if s == "village" else self.uscc.text(),
            village_groups=groups,
            indicator=int(text) if text else None,
            indicator_measure="granted" if self.granted.isChecked() else "signed",
        )

    def _field_of(self, exc: CampaignInvalid) -> QWidget:
        """The field a refusal of what was typed is about: the first that fails on its own."""
        from teller_assist.campaigns import campaign as rules

        s = self.scenario_key()
        checks: list[tuple[Callable[[], object], QWidget]] = [
            (lambda: rules.check_code(self.code.text()), self.code),
            (lambda: None if self.group.text().strip() else rules.check_code(""), self.group),
            (lambda: rules.check_uscc(s, None if s == "village" else self.uscc.text()), self.uscc),
            (lambda: rules.check_branch(self.branch.text()), self.branch),
        ]
        for check, field in checks:
            try:
                check()
            except CampaignInvalid:
                return field
        message = exc.message_zh
        if "村民小组" in message:
            return self.village_groups
        if "指标" in message:
            return self.indicator
        if "结束" in message or "活动期" in message:
            return self.ends
        return self.group

    def confirm(self) -> None:
        if self.busy:
            return
        try:
            spec = self.spec()
        except CampaignInvalid as exc:
            self._say(error_text(exc, hint=True))
            field = self._field_of(exc)
            field.setFocus()
            if isinstance(field, QLineEdit):
                field.selectAll()
            return
        self._say("")
        self.chosen.emit(spec)

    def set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.confirm_button.setEnabled(not busy)

    def refused(self, exc: UserFacingError) -> None:
        self.set_busy(False)
        self._say(error_text(exc, hint=True))
        # a code taken: the code to change; anything else (who may) nothing here mends: Esc or Enter closes
        (self.code if "代码" in exc.message_zh else self.cancel_button).setFocus()

    def _say(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))
        grow_to_fit(self)


class RosterImportDialog(QDialog):
    """导入名单: the load under way (a busy bar: it is one transaction, done whole or not at all), then
    every row accounted for — added, updated, unchanged, removed, refused — the refused rows listed
    with their reason, and ``E`` writes them to a workbook for the group to correct."""

    export = Signal(object)  # the workbook's path
    stage = Signal(str, int, int)  # the import's progress (services.campaigns.ImportProgress), any thread

    REFUSED_COLUMNS = (
        QT_TRANSLATE_NOOP("RosterImportDialog", "行号"),
        QT_TRANSLATE_NOOP("RosterImportDialog", "姓名"),
        QT_TRANSLATE_NOOP("RosterImportDialog", "身份证号"),
        QT_TRANSLATE_NOOP("RosterImportDialog", "原因"),
    )

    def __init__(self, code: str, path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.code, self.path = code, path
        self.imported: Imported | None = None
        self.busy = False
        self.setObjectName("rosterImportDialog")
        self.setWindowTitle(self.tr("导入名单"))
        layout = QVBoxLayout(self)
        self.heading = QLabel(self.tr("活动 {0} ← {1}").format(code, path.name), self)
        self.heading.setObjectName("rosterHeading")
        self.heading.setWordWrap(True)
        layout.addWidget(self.heading)
        self.progress = QProgressBar(self)
        self.progress.setObjectName("rosterProgress")
        self.progress.setRange(0, 0)  # busy: read, checked, decided and stored in one go
        self.progress.setTextVisible(False)
        layout.addWidget(self.progress)
        self.stage.connect(self._stage)
        self.status = QLabel(self.tr("正在读取、核对并保存名单…（一个事务：全部保存或完全不保存）"), self)
        self.status.setObjectName("rosterStatus")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self.table = QTableWidget(0, len(self.REFUSED_COLUMNS), self)
        self.table.setObjectName("rosterRefused")
        self.table.setHorizontalHeaderLabels([self.tr(str(c)) for c in self.REFUSED_COLUMNS])
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        compact_rows(self.table)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setTabKeyNavigation(False)
        self.table.setVisible(False)
        self.table.itemSelectionChanged.connect(self._show_row)
        layout.addWidget(self.table, 1)
        self.row_detail = QLabel("", self)  # the chosen refused row whole: its reason may be long
        self.row_detail.setObjectName("rosterRefusedDetail")
        self.row_detail.setWordWrap(True)
        self.row_detail.setVisible(False)
        layout.addWidget(self.row_detail)
        self.error = error_label("rosterError", self)
        layout.addWidget(self.error)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.export_button = QPushButton(self.tr("导出未通过的行… (E)"), self)
        self.export_button.setObjectName("rosterExportButton")
        self.export_button.setAutoDefault(False)
        self.export_button.setVisible(False)
        self.export_button.clicked.connect(lambda _checked=False: self.choose_export())
        self.close_button = QPushButton(self.tr("关闭 (Esc)"), self)
        self.close_button.setObjectName("rosterCloseButton")
        self.close_button.clicked.connect(self.reject)
        self.close_button.setAutoDefault(False)
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.close_button)
        layout.addLayout(buttons)
        self.setMinimumWidth(self.MIN_WIDTH)
        self.resize(self.MIN_WIDTH, 200)

    MIN_WIDTH = 400
    WIDE = 680  # with refused rows: their reasons are long; the dialog may be wider than the window

    def _show_row(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if self.imported is None or not rows or not 0 <= rows[0].row() < len(self.imported.refused):
            self.row_detail.setText("")
            return
        r = self.imported.refused[rows[0].row()]
        self.row_detail.setText(
            self.tr("第{0}行 {1} {2}：{3}").format(
                r.line_no, r.name, r.id_masked, pick(r.reason_zh, r.reason_en)
            )
        )

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_E and _plain_key(event) and self.export_button.isVisible():
            self.choose_export()
            return
        if event.key() == Qt.Key.Key_Escape and self.imported is None and self.error.isHidden():
            return  # the load runs on: closing would hide its result, not stop it
        super().keyPressEvent(event)

    def reject(self) -> None:
        if self.imported is None and self.error.isHidden() and self.progress.isVisible():
            return  # see keyPressEvent
        super().reject()

    def _stage(self, stage: str, done: int, total: int) -> None:
        """The bar follows the import's stage (read, check, match, decide, store), the line names it."""
        if self.imported is not None or not self.error.isHidden():
            return  # a late report: the result (or the refusal) is what the line says now
        if total > 0:
            self.progress.setRange(0, total)
            self.progress.setValue(done)
        name = self.tr(str(IMPORT_STAGES[stage])) if stage in IMPORT_STAGES else stage
        counted = "" if stage == "read" or total <= 0 else f" {done:,}/{total:,}"
        self.status.setText(self.tr("{0}{1}…（一个事务：全部保存或完全不保存）").format(name, counted))

    def _done_working(self) -> None:
        self.progress.setVisible(False)
        self.close_button.setFocus()

    def show_result(self, imported: Imported) -> None:
        self.imported = imported
        self._done_working()
        done, refused = imported.done, imported.refused
        plan, counts = done.plan, done.counts
        self.status.setText(
            self.tr("{0} 行：本行客户 {1}，新客户 {2}，未通过 {3} 行（其中 {4} 人保留为未通过成员）").format(
                f"{plan.rows:,}",
                f"{plan.count('matched'):,}",
                f"{plan.count('new_to_bank'):,}",
                f"{len(refused):,}",
                f"{plan.count('refused'):,}",
            )
            + "\n"
            + self.tr("成员：新增 {0}，更新 {1}，未变 {2}，已移出 {3}").format(
                f"{counts.added:,}", f"{counts.updated:,}", f"{counts.unchanged:,}", f"{counts.removed:,}"
            )
            + "\n"
            + self.tr("可授信 {0}，已持有或在审预授信 {1}（额度按人只计一次）").format(
                f"{plan.eligible:,}", f"{plan.holding:,}"
            )
            + self._held_lines(imported)
        )
        self.table.setRowCount(len(refused))
        for i, r in enumerate(refused):
            values = [str(r.line_no), r.name, r.id_masked, pick(r.reason_zh, r.reason_en)]
            for j, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setToolTip(value)
                self.table.setItem(i, j, item)
        self.table.setVisible(bool(refused))
        self.export_button.setVisible(bool(refused))
        self.row_detail.setVisible(bool(refused))
        if refused:
            self.table.selectRow(0)
            self.export_button.setFocus()
            self.resize(max(self.width(), self.WIDE), max(self.height(), 460))
            parent = self.parentWidget()
            if parent is not None:  # centred over the window again, now that it is wider
                centre = parent.window().frameGeometry().center()
                self.move(centre.x() - self.width() // 2, self.y())
            keep_on_screen(self)
        grow_to_fit(self)

    def _held_lines(self, imported: Imported) -> str:
        """The members kept rather than removed because a refused row could be them."""
        said = self.tr("{0} {1} 未移除：第 {2} 行被拒，请更正后重新导入")
        lines = [said.format(h.id_masked, h.name, h.line_no) for h in imported.held[:6]]
        if len(imported.held) > 6:
            lines.append(self.tr("…另 {0} 人未移除").format(len(imported.held) - 6))
        return "".join("\n" + line for line in lines)

    def result_line(self) -> str:
        if self.imported is None:
            return ""
        done = self.imported.done
        c = done.counts
        return self.tr(
            "活动 {0} 已导入名单 {1}：新增 {2}，更新 {3}，未变 {4}，已移出 {5}，未通过 {6} 行"
        ).format(
            done.campaign.code,
            done.file_name,
            f"{c.added:,}",
            f"{c.updated:,}",
            f"{c.unchanged:,}",
            f"{c.removed:,}",
            f"{len(self.imported.refused):,}",
        ) + (self.tr("；未移除 {0} 人").format(len(self.imported.held)) if self.imported.held else "")

    def choose_export(self) -> QFileDialog | None:
        if self.imported is None or self.busy:
            return None
        chooser = QFileDialog(self, self.tr("导出未通过的行"))
        chooser.setObjectName("refusedFileDialog")
        chooser.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        chooser.setFileMode(QFileDialog.FileMode.AnyFile)
        chooser.setNameFilter("Excel (*.xlsx)")
        chooser.setDefaultSuffix("xlsx")
        chooser.setDirectory(str(self.path.parent))
        chooser.selectFile(self.tr("{0}-未通过的行.xlsx").format(self.code))
        chooser.fileSelected.connect(lambda name: self.export.emit(Path(name)) if name else None)
        chooser.finished.connect(lambda _r: chooser.deleteLater())
        chooser.open()
        return chooser

    def set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.export_button.setEnabled(not busy)

    def exported(self, rows: int, out: Path) -> None:
        self.set_busy(False)
        self._say("")
        self.status.setText(
            self.status.text()
            + "\n"
            + self.tr("未通过的 {0} 行已导出 → {1}（交回更正后重新导入）").format(rows, out)
        )
        self.close_button.setFocus()
        grow_to_fit(self)

    def refused(self, exc: UserFacingError, *, keep_result: bool = False) -> None:
        self.set_busy(False)
        if not keep_result:
            self._done_working()
            self.status.setText(self.tr("名单未导入；活动的成员不变"))
        self._say(error_text(exc, hint=True))
        if not keep_result:
            self.resize(self.width(), self.sizeHint().height())  # no room kept for rows that never came

    def _say(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))
        grow_to_fit(self)


def _bands_text(bands: dict[str, Any]) -> str:
    """The lines by band, the empty bands left out: ``band n 人 / amount 元``."""
    parts = [
        QCoreApplication.translate("CampaignsWorkspace", "{0}：{1} 人 / {2} 元").format(
            word(label), f"{t.people:,}", yuan_text(t.exposure_fen)
        )
        for label, t in bands.items()
        if t.people
    ]
    return "；".join(parts)


class SubmitDialog(QDialog):
    """提交审批: who a submission would take now (worked out on a worker, nothing written) — the count,
    the total, the bands, who is left and why — then ``Y`` submits them in one batch; the result said,
    ``B`` goes on to the batch."""

    confirmed = Signal()
    showBatch = Signal(int)

    MIN_WIDTH = 400

    def __init__(self, code: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.code = code
        self.plan: SubmissionPlan | None = None
        self.submitted: Submission | None = None
        self.busy = True
        self.setObjectName("campaignSubmitDialog")
        self.setWindowTitle(self.tr("提交审批"))
        layout = QVBoxLayout(self)
        self.heading = QLabel(self.tr("活动 {0}：提交成员的预授信申请").format(code), self)
        self.heading.setObjectName("submitHeading")
        self.heading.setWordWrap(True)
        layout.addWidget(self.heading)
        self.progress = QProgressBar(self)
        self.progress.setObjectName("submitProgress")
        self.progress.setRange(0, 0)
        self.progress.setTextVisible(False)
        layout.addWidget(self.progress)
        self.status = QLabel(self.tr("正在逐人测算额度…（尚未提交）"), self)
        self.status.setObjectName("submitStatus")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self.error = error_label("submitError", self)
        layout.addWidget(self.error)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.submit_button = QPushButton(self.tr("提交 (Y)"), self)
        self.submit_button.setObjectName("submitConfirmButton")
        self.submit_button.setAutoDefault(False)
        self.submit_button.setVisible(False)
        self.submit_button.clicked.connect(lambda _checked=False: self.confirm())
        self.close_button = QPushButton(self.tr("关闭 (Esc)"), self)
        self.close_button.setObjectName("submitCloseButton")
        self.close_button.setAutoDefault(False)
        self.close_button.clicked.connect(self.reject)
        buttons.addWidget(self.submit_button)
        buttons.addWidget(self.close_button)
        layout.addLayout(buttons)
        self.setMinimumWidth(self.MIN_WIDTH)
        self.resize(self.MIN_WIDTH, 160)

    def show_plan(self, plan: SubmissionPlan) -> None:
        from teller_assist.services.campaign_batches import SKIP_ZH

        self.plan = plan
        self.busy = False
        self.progress.setVisible(False)
        n = len(plan.submit)
        lines = [
            "<b>"
            + _html(self.tr("将提交 {0} 人，合计 {1} 元").format(f"{n:,}", yuan_text(plan.total)))
            + "</b>"
        ]
        if n:
            lines.append(_html(_bands_text(plan.bands())))
            lines.append(
                _html(
                    self.tr("其中含完整调查 {0} 人；按基础额度提交、完成调查可提高 {1} 人").format(
                        f"{plan.with_survey:,}", f"{plan.survey_needed:,}"
                    )
                )
            )
        left = {k: v for k, v in plan.skipped_counts.items() if v}
        if left:
            lines.append(
                _html(
                    self.tr("不提交 {0} 人：{1}").format(
                        f"{sum(left.values()):,}",
                        "；".join(f"{pick(*SKIP_ZH[k])} {v:,}" for k, v in left.items()),
                    )
                )
            )
        if n:
            lines.append(_html(self.tr("按 Y 提交（一个事务，每件各自留痕），Esc 取消")))
        else:
            lines.append(_html(self.tr("没有可提交的成员")))
        self.status.setText("<br>".join(lines))
        self.submit_button.setVisible(bool(n))
        (self.submit_button if n else self.close_button).setFocus()
        self._fit_height()

    def confirm(self) -> None:
        if self.busy or self.plan is None or not self.plan.submit or self.submitted is not None:
            return
        self.confirmed.emit()

    def set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.progress.setVisible(busy)
        self.submit_button.setEnabled(not busy)
        if busy:
            self._say("")
            self.status.setText(self.tr("正在提交…（一个事务：全部提交或完全不提交）"))

    def show_submitted(self, submitted: Submission) -> None:
        self.submitted = submitted
        self.set_busy(False)
        self.submit_button.setVisible(False)
        text = self.result_line()
        if submitted.batch_id is not None:
            text += "\n" + self.tr("按 B 查看批次，交另一位有审批权限的人员审批")
        self.status.setText(text)
        self.close_button.setFocus()
        self._fit_height()

    def result_line(self) -> str:
        s = self.submitted
        if s is None:
            return ""
        if s.batch_id is None:
            return self.tr("活动 {0}：没有成员被提交").format(s.campaign.code)
        return self.tr("活动 {0}：已提交 {1} 人，合计 {2} 元，批次 {3}，待审批").format(
            s.campaign.code, f"{s.submitted:,}", yuan_text(s.total), s.batch_id
        )

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key == Qt.Key.Key_Y and _plain_key(event):
            self.confirm()
            return
        if key == Qt.Key.Key_B and _plain_key(event) and self.submitted and self.submitted.batch_id:
            self.showBatch.emit(self.submitted.batch_id)
            return
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.submitted is None:
            return  # a stray Enter submits nothing
        if key == Qt.Key.Key_Escape and self.busy and self.error.isHidden():
            return  # the work runs on: closing would hide its result, not stop it
        super().keyPressEvent(event)

    def reject(self) -> None:
        if self.busy and self.error.isHidden():
            return
        super().reject()

    def refused(self, exc: UserFacingError) -> None:
        self.set_busy(False)
        self.submit_button.setVisible(False)
        if self.submitted is None:
            self.status.setText(self.tr("未提交；活动的成员不变"))
        self._say(error_text(exc, hint=True))
        self.close_button.setFocus()

    def _say(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))
        self._fit_height()

    def _fit_height(self) -> None:
        """As tall as what it says now: no room kept for the busy bar or a longer text gone."""
        grow_to_fit(self)
        self.resize(self.width(), self.sizeHint().height())


class SignOneDialog(QDialog):
    """逐人签约: one resident ID typed (checked as the counter checks it), shown masked once entered, and
    ``Enter`` records that member's signature; the result said under it, the field cleared for the next;
    ``Esc`` closes."""

    entered = Signal(str)  # the resident ID, whole (never shown)

    def __init__(self, code: str, today: dt.date, masking: Masking, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.today, self.masking, self.busy = today, masking, False
        self.setObjectName("signOneDialog")
        self.setWindowTitle(self.tr("逐人签约"))
        layout = QVBoxLayout(self)
        heading = QLabel(
            self.tr("活动 {0}：输入已签约成员的身份证号，按 Enter 登记；Esc 关闭。").format(code), self
        )
        heading.setWordWrap(True)
        layout.addWidget(heading)
        label = QLabel(self.tr("身份证号(&I)"), self)
        layout.addWidget(label)
        self.id_edit = QLineEdit(self)
        self.id_edit.setObjectName("signOneId")
        self.id_edit.setMaxLength(18)
        label.setBuddy(self.id_edit)
        layout.addWidget(self.id_edit)
        self.outcome = QLabel("", self)
        self.outcome.setObjectName("signOneResult")
        self.outcome.setWordWrap(True)
        layout.addWidget(self.outcome)
        self.error = error_label("signOneError", self)
        layout.addWidget(self.error)
        self.setMinimumWidth(400)
        self.id_edit.setFocus()

    def submit(self) -> None:
        if self.busy:
            return
        from teller_assist.identity.resident_id import InvalidResidentId, parse_resident_id

        typed = self.id_edit.text().strip()
        try:
            id_no = parse_resident_id(typed, today=self.today).value
        except InvalidResidentId as exc:  # what was typed stays, to be put right
            self._say(self.tr("身份证号无效：{0}").format(pick(exc.rule.zh, exc.rule.en)))
            self.id_edit.setFocus()
            return
        self._say("")
        self.id_edit.setText(self.masking.resident_id(id_no))  # masked once entered
        self.entered.emit(id_no)

    def set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.id_edit.setReadOnly(busy)
        if busy:
            self.outcome.setText(self.tr("正在登记…"))

    def show_result(self, signed: SignedLine) -> None:
        self.set_busy(False)
        if signed.signed:
            self.outcome.setText(self.tr("{0} {1} 已签约").format(signed.id_masked, signed.name))
        else:
            self.outcome.setText(
                self.tr("{0} {1} 未登记：{2}").format(
                    signed.id_masked, signed.name, pick(signed.reason_zh, signed.reason_en)
                )
            )
        self.id_edit.clear()
        self.id_edit.setFocus()

    def refused(self, exc: UserFacingError) -> None:
        self.set_busy(False)
        self.outcome.setText("")
        self._say(error_text(exc, hint=True))

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        grow_to_fit(self)

    def _say(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))
        grow_to_fit(self)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.submit()
            return
        super().keyPressEvent(event)


class BatchChooser(QDialog):
    """选择批次: the campaign's batches still waiting, newest first (number, submitted by and when,
    applications, how many wait); ``Up``/``Down`` choose, ``Enter`` opens it, ``Esc`` opens none."""

    chosen = Signal(int)  # the batch id

    def __init__(self, code: str, waiting: Sequence[BatchRow], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("campaignBatchChooser")
        self.setWindowTitle(self.tr("选择批次"))
        layout = QVBoxLayout(self)
        heading = QLabel(
            self.tr("活动 {0} 有 {1} 个批次待审批（最新的在前）：上下键选择，Enter 打开，Esc 取消").format(
                code, len(waiting)
            ),
            self,
        )
        heading.setObjectName("batchChooserHeading")
        heading.setWordWrap(True)
        layout.addWidget(heading)
        self.list = QListWidget(self)
        self.list.setObjectName("batchChooserList")
        for b in sorted(waiting, key=lambda b: (b.submitted_at, b.id), reverse=True):
            when = b.submitted_at.astimezone().strftime("%Y-%m-%d %H:%M")
            said = self.tr("批次 {0}　{1} 提交于 {2}　{3} 件，待审批 {4} 件")
            item = QListWidgetItem(
                said.format(b.id, b.submitted_by, when, f"{b.applications:,}", f"{b.waiting:,}")
            )
            item.setData(Qt.ItemDataRole.UserRole, b.id)
            self.list.addItem(item)
        self.list.setCurrentRow(0)
        self.list.itemActivated.connect(lambda _item: self.open_chosen())
        layout.addWidget(self.list, 1)
        self.setMinimumWidth(400)
        self.resize(460, 260)
        self.list.setFocus()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        grow_to_fit(self)

    def open_chosen(self) -> None:
        item = self.list.currentItem()
        if item is not None:
            self.chosen.emit(int(item.data(Qt.ItemDataRole.UserRole)))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.open_chosen()
            return
        super().keyPressEvent(event)


class BatchDialog(QDialog):
    """提交批次 for an approver: the count, the total, the lines by band, every application with the
    exceptions first; ``A`` then ``Y`` approves in one step those within the approver's authority that
    nothing holds back; ``R`` on an application asks the reason the customer will read, ``Enter`` rejects
    it (``Esc`` keeps it). The batch's maker is told, before any key, that they cannot decide it."""

    approve = Signal()
    rejectOne = Signal(int, str)  # application id, reason

    COLUMNS = (
        QT_TRANSLATE_NOOP("BatchDialog", "行号"),
        QT_TRANSLATE_NOOP("BatchDialog", "姓名"),
        QT_TRANSLATE_NOOP("BatchDialog", "身份证号"),
        QT_TRANSLATE_NOOP("BatchDialog", "额度（元）"),
        QT_TRANSLATE_NOOP("BatchDialog", "状态"),
        QT_TRANSLATE_NOOP("BatchDialog", "提示"),
    )
    MIN_WIDTH = 400
    WIDE = 680

    def __init__(self, batch_id: int, approver_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.batch_id, self.approver_id = batch_id, approver_id
        self.view: BatchView | None = None
        self.busy = True
        self.confirming = False
        self.setObjectName("campaignBatchDialog")
        self.setWindowTitle(self.tr("提交批次 {0}").format(batch_id))
        layout = QVBoxLayout(self)
        self.heading = QLabel(self.tr("正在读取批次 {0}…").format(batch_id), self)
        self.heading.setObjectName("batchHeading")
        self.heading.setWordWrap(True)
        layout.addWidget(self.heading)
        self.progress = QProgressBar(self)
        self.progress.setObjectName("batchProgress")
        self.progress.setRange(0, 0)
        self.progress.setTextVisible(False)
        layout.addWidget(self.progress)
        self.summary = QLabel("", self)
        self.summary.setObjectName("batchSummary")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.notice = error_label("batchNotice", self)  # why this operator cannot decide it
        layout.addWidget(self.notice)
        self.table = QTableWidget(0, len(self.COLUMNS), self)
        self.table.setObjectName("batchTable")
        self.table.setHorizontalHeaderLabels([self.tr(str(c)) for c in self.COLUMNS])
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        compact_rows(self.table)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setTabKeyNavigation(False)
        self.table.itemSelectionChanged.connect(self._show_row)
        self.table.installEventFilter(self)
        layout.addWidget(self.table, 1)
        self.row_detail = QLabel("", self)
        self.row_detail.setObjectName("batchRowDetail")
        self.row_detail.setWordWrap(True)
        layout.addWidget(self.row_detail)
        self.reason = QLineEdit(self)
        self.reason.setObjectName("batchRejectReason")
        self.reason.setPlaceholderText(self.tr("拒绝原因（客户将看到）：输入后按 Enter，Esc 取消"))
        self.reason.setVisible(False)
        self.reason.returnPressed.connect(self._reason_given)
        self.reason.installEventFilter(self)
        layout.addWidget(self.reason)
        self.error = error_label("batchError", self)
        layout.addWidget(self.error)
        self.keys = QLabel(self.tr("↑↓ 选择 · A 一步审批权限内的 · R 拒绝所选 · Esc 关闭"), self)
        self.keys.setObjectName("batchKeys")
        self.keys.setWordWrap(True)
        self.keys.setStyleSheet("QLabel { color: #5f6368; }")
        layout.addWidget(self.keys)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.approve_button = QPushButton(self.tr("审批 (A)"), self)
        self.approve_button.setObjectName("batchApproveButton")
        self.approve_button.clicked.connect(lambda _checked=False: self.ask_approve())
        self.reject_button = QPushButton(self.tr("拒绝 (R)"), self)
        self.reject_button.setObjectName("batchRejectButton")
        self.reject_button.clicked.connect(lambda _checked=False: self.ask_reason())
        self.close_button = QPushButton(self.tr("关闭 (Esc)"), self)
        self.close_button.setObjectName("batchCloseButton")
        self.close_button.clicked.connect(self.reject)
        for button in (self.approve_button, self.reject_button, self.close_button):
            button.setAutoDefault(False)
            buttons.addWidget(button)
        layout.addLayout(buttons)
        self.setMinimumWidth(self.MIN_WIDTH)
        self.resize(self.MIN_WIDTH, 220)

    def show_view(self, view: BatchView, said: str = "") -> None:
        from teller_assist.services.campaign_batches import EXCEPTION_ZH

        before = self.selected_line()
        self.view = view
        self.set_busy(False)
        b, review = view.batch, view.review
        waiting = review.by_status()["submitted"]
        self.heading.setText(
            self.tr("批次 {0} · 活动 {1} · {2} 于 {3} 提交").format(
                b.id, b.campaign_code, b.submitted_by, b.submitted_at.astimezone().strftime("%Y-%m-%d %H:%M")
            )
        )
        lines = [
            "<b>"
            + _html(
                self.tr("共 {0} 件，合计 {1} 元；待审批 {2} 件").format(
                    f"{review.count:,}", yuan_text(review.total), f"{waiting:,}"
                )
            )
            + "</b>",
            _html(_bands_text(review.bands())),
        ]
        flagged = {k: v for k, v in review.exception_counts().items() if v}
        if flagged:
            lines.append(
                _html(
                    self.tr("需注意（排在前面）：{0}").format(
                        "；".join(f"{pick(*EXCEPTION_ZH[k])} {v:,}" for k, v in flagged.items())
                    )
                )
            )
        if view.authority_fen is not None:
            lines.append(
                _html(
                    self.tr("您的审批权限 {0} 元：可一步审批 {1} 件，合计 {2} 元").format(
                        yuan_text(view.authority_fen), f"{len(review.approvable):,}",
                        yuan_text(review.approvable_total),
                    )
                )
            )
        if said:
            lines.append(_html(said))
        self.summary.setText("<br>".join(lines))
        if b.maker_id == self.approver_id:
            self.notice.setText(
                self.tr(
                    "这是您提交的批次：经办人不能审批自己提交的批次（四眼原则），请由另一位有审批权限的人员审批"
                )
            )
        elif view.authority_fen is None:
            self.notice.setText(self.tr("您的角色没有审批权限，只能查看"))
        else:
            self.notice.setText("")
        self.notice.setVisible(bool(self.notice.text()))
        self.table.setRowCount(len(view.lines))
        for i, item in enumerate(view.lines):
            notes = "；".join(pick(*EXCEPTION_ZH[e]) for e in item.exceptions)
            if item.reject_reason:
                notes = (notes + "；" if notes else "") + self.tr("拒绝原因：{0}").format(item.reject_reason)
            values = [
                "" if item.line_no is None else str(item.line_no),
                item.name or "",
                item.id_masked,
                yuan_text(item.line_fen),
                word(item.status_zh),
                notes,
            ]
            for j, value in enumerate(values):
                cell = QTableWidgetItem(value)
                cell.setToolTip(value)
                if j == 3:
                    cell.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if item.held:
                    cell.setForeground(QBrush(REFUSED_RED))
                elif item.status != "submitted":
                    cell.setForeground(QBrush(GREY))
                self.table.setItem(i, j, cell)
        if view.lines:
            ids = [x.application_id for x in view.lines]
            kept = before is not None and before.application_id in ids
            row = ids.index(before.application_id) if before is not None and kept else 0
            self.table.selectRow(row)
        self.approve_button.setEnabled(bool(review.approvable))
        self.table.setFocus()
        if view.lines:
            self.resize(max(self.width(), self.WIDE), max(self.height(), 460))
            parent = self.parentWidget()
            if parent is not None:
                centre = parent.window().frameGeometry().center()
                self.move(centre.x() - self.width() // 2, self.y())
            keep_on_screen(self)
        grow_to_fit(self)

    def selected_line(self) -> ItemLine | None:
        if self.view is None:
            return None
        rows = self.table.selectionModel().selectedRows()
        if not rows or not 0 <= rows[0].row() < len(self.view.lines):
            return None
        return self.view.lines[rows[0].row()]

    def _show_row(self) -> None:
        from teller_assist.services.campaign_batches import EXCEPTION_ZH

        item = self.selected_line()
        if item is None:
            self.row_detail.setText("")
            return
        parts = [
            self.tr("申请 {0}").format(item.application_id),
            f"{item.name or ''} {item.id_masked}",
            self.tr("{0} 元").format(yuan_text(item.line_fen)),
            word(item.status_zh),
        ]
        if item.checker:
            parts.append(self.tr("审批人 {0}").format(item.checker))
        text = " · ".join(p for p in parts if p)
        notes = [pick(*EXCEPTION_ZH[e]) for e in item.exceptions]
        if notes:
            text += "\n" + "；".join(notes)
        if item.reject_reason:
            text += "\n" + self.tr("拒绝原因：{0}").format(item.reject_reason)
        self.row_detail.setText(text)

    def ask_approve(self) -> None:
        """A: the one-step approval said, then Y approves (Enter and Esc approve nothing)."""
        if self.busy or self.view is None:
            return
        review = self.view.review
        if self.view.batch.maker_id == self.approver_id or self.view.authority_fen is None:
            self.approve.emit()  # the service refuses it in its own words, and audits the refusal
            return
        if not review.approvable:
            self._say(self.tr("没有可一步审批的申请（需注意的请逐件处理）"))
            return
        self.confirming = True
        self._say("")
        self.keys.setText(
            self.tr("一步审批 {0} 件，合计 {1} 元？按 Y 确认，Esc 取消").format(
                f"{len(review.approvable):,}", yuan_text(review.approvable_total)
            )
        )

    def _confirmed(self) -> None:
        self.confirming = False
        self._reset_keys()
        self.approve.emit()

    def ask_reason(self) -> None:
        """R: the reason for the chosen application, typed; Enter rejects it."""
        item = self.selected_line()
        if self.busy or item is None:
            return
        if item.status != "submitted":
            self._say(self.tr("申请 {0} 已{1}，不能再拒绝").format(item.application_id, word(item.status_zh)))
            return
        self.confirming = False
        self._reset_keys()
        self.reason.setVisible(True)
        self.reason.setFocus()
        grow_to_fit(self)

    def _reason_given(self) -> None:
        item = self.selected_line()
        reason = self.reason.text().strip()
        if self.busy or item is None:
            return
        if not reason:
            self._say(self.tr("请输入拒绝原因（客户将看到）"))
            return
        self.rejectOne.emit(item.application_id, reason)

    def rejected_one(self) -> None:
        self.reason.clear()
        self.reason.setVisible(False)
        self.table.setFocus()

    def _cancel_reason(self) -> None:
        self.reason.setVisible(False)  # what was typed stays for the next R
        self.table.setFocus()
        self._say("")

    def _reset_keys(self) -> None:
        self.keys.setText(self.tr("↑↓ 选择 · A 一步审批权限内的 · R 拒绝所选 · Esc 关闭"))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and watched is self.reason:
            assert isinstance(event, QKeyEvent)
            if event.key() == Qt.Key.Key_Escape:
                self._cancel_reason()
                return True
        if event.type() == QEvent.Type.KeyPress and watched is self.table:
            assert isinstance(event, QKeyEvent)
            if _plain_key(event) and event.key() in (Qt.Key.Key_A, Qt.Key.Key_R, Qt.Key.Key_Y):
                self.keyPressEvent(event)
                return True
            if event.key() == Qt.Key.Key_Escape and self.confirming:
                self.confirming = False
                self._reset_keys()
                return True
        return super().eventFilter(watched, event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            return  # Enter decides nothing here (the reason's own Enter rejects)
        if key == Qt.Key.Key_Escape and self.confirming:
            self.confirming = False
            self._reset_keys()
            return
        if key == Qt.Key.Key_Escape and self.busy and self.error.isHidden():
            return
        if _plain_key(event) and key in (Qt.Key.Key_A, Qt.Key.Key_R, Qt.Key.Key_Y):
            if key == Qt.Key.Key_A:
                self.ask_approve()
            elif key == Qt.Key.Key_R:
                self.ask_reason()
            elif self.confirming and not self.busy:
                self._confirmed()
            return
        super().keyPressEvent(event)

    def reject(self) -> None:
        if self.busy and self.error.isHidden():
            return
        super().reject()

    def set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.progress.setVisible(busy)
        approvable = self.view is not None and bool(self.view.review.approvable)
        self.approve_button.setEnabled(not busy and approvable)
        self.reject_button.setEnabled(not busy)
        if busy:
            self._say("")

    def refused(self, exc: UserFacingError) -> None:
        self.set_busy(False)
        self._say(error_text(exc, hint=True))
        if self.reason.isVisible():
            self.reason.setFocus()  # the reason typed is kept
        else:
            self.table.setFocus()

    def _say(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))
        grow_to_fit(self)


def _refused_cells(r: RefusedLine) -> list[str]:
    return [str(r.line_no), r.id_masked, pick(r.reason_zh, r.reason_en)]


class LettersDialog(QDialog):
    """出具通知书: where the print files go (by default a folder of the campaign's under the data
    folder; ``F4`` chooses another), whether they go to the configured printer (``P``), then ``Enter``
    runs it: the progress by stage, ``Esc`` cancels between two members (everything issued kept) and
    ``Enter`` again goes on where it stopped; at the end the counts (originals, 副本, kept before, texts
    queued), the files and where they are, and what kept paper from coming out."""

    started = Signal(object, str, object)  # the folder, the printer queue ("" for none), the kinds

    def __init__(self, code: str, folder: Path, printer: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.code, self.printer = code, printer
        self.run: LettersRun | None = None
        self.out: Path | None = None
        self.busy = False
        self._cancel: Callable[[], None] | None = None
        self.setObjectName("lettersDialog")
        self.setWindowTitle(self.tr("出具通知书"))
        layout = QVBoxLayout(self)
        heading = QLabel(
            self.tr(
                "活动 {0}：为已授信的每位成员出具预授信协议和授信告知函，或只出具其一（每份保存一份），"
                "按送达顺序合并为打印文件；有手机号的成员加入短信待发。"
            ).format(code),
            self,
        )
        heading.setObjectName("lettersHeading")
        heading.setWordWrap(True)
        layout.addWidget(heading)
        where = QLabel(self.tr("打印文件存放位置(&F)"), self)
        layout.addWidget(where)
        row = QHBoxLayout()
        self.folder = QLineEdit(str(folder), self)
        self.folder.setObjectName("lettersFolder")
        where.setBuddy(self.folder)
        row.addWidget(self.folder, 1)
        self.browse_button = QPushButton(self.tr("选择… (F4)"), self)
        self.browse_button.setObjectName("lettersBrowseButton")
        self.browse_button.setAutoDefault(False)
        self.browse_button.clicked.connect(lambda _checked=False: self.browse())
        row.addWidget(self.browse_button)
        layout.addLayout(row)
        which = QHBoxLayout()
        what = QLabel(self.tr("出具文书(&D)"), self)
        which.addWidget(what)
        self.kinds = QComboBox(self)
        self.kinds.setObjectName("lettersKinds")
        for kinds, (zh, en) in CHOICES.items():
            self.kinds.addItem(pick(zh, en), kinds)
        what.setBuddy(self.kinds)
        which.addWidget(self.kinds, 1)
        layout.addLayout(which)
        self.print_box = QCheckBox(
            self.tr("同时送打印机 {0}(&P)").format(printer)
            if printer
            else self.tr("未设置打印机：只生成打印文件"),
            self,
        )
        self.print_box.setObjectName("lettersPrint")
        self.print_box.setEnabled(bool(printer))
        layout.addWidget(self.print_box)
        self.progress = QProgressBar(self)
        self.progress.setObjectName("lettersProgress")
        self.progress.setVisible(False)
        layout.addWidget(self.progress)
        self.status = QLabel(self.tr("按 Enter 开始；中途可按 Esc 取消，再次开始即从中断处继续。"), self)
        self.status.setObjectName("lettersStatus")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.status)
        self.error = error_label("lettersError", self)
        layout.addWidget(self.error)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.start_button = QPushButton(self.tr("开始 (Enter)"), self)
        self.start_button.setObjectName("lettersStartButton")
        self.start_button.setAutoDefault(False)
        self.start_button.clicked.connect(lambda _checked=False: self.start())
        self.close_button = QPushButton(self.tr("关闭 (Esc)"), self)
        self.close_button.setObjectName("lettersCloseButton")
        self.close_button.setAutoDefault(False)
        self.close_button.clicked.connect(self.reject)
        buttons.addWidget(self.start_button)
        buttons.addWidget(self.close_button)
        layout.addLayout(buttons)
        self.setMinimumWidth(self.MIN_WIDTH)
        self.resize(self.MIN_WIDTH, 220)
        self.folder.setFocus()

    MIN_WIDTH = 400

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        grow_to_fit(self)  # the heading wraps to more lines in English: the dialog as tall as it needs

    def browse(self) -> QFileDialog | None:
        """F4: another folder for the print files."""
        if self.busy:
            return None
        chooser = QFileDialog(self, self.tr("打印文件存放位置"), self.folder.text())
        chooser.setObjectName("lettersFolderDialog")
        chooser.setFileMode(QFileDialog.FileMode.Directory)
        chooser.setOption(QFileDialog.Option.ShowDirsOnly, True)
        chooser.fileSelected.connect(lambda name: self.folder.setText(name) if name else None)
        chooser.finished.connect(lambda _r: chooser.deleteLater())
        chooser.open()
        return chooser

    def start(self) -> None:
        """Enter: run (again: go on where it stopped)."""
        if self.busy:
            return
        typed = self.folder.text().strip()
        if not typed:
            self._say(self.tr("请填写打印文件的存放位置"))
            self.folder.setFocus()
            return
        self._say("")
        self.out = Path(typed).expanduser()
        printer = self.printer if self.print_box.isChecked() else ""
        self.started.emit(self.out, printer, self.kinds.currentData())

    def running(self, cancel: Callable[[], None]) -> None:
        self.busy, self._cancel = True, cancel
        self.folder.setEnabled(False)
        self.browse_button.setEnabled(False)
        self.kinds.setEnabled(False)
        self.print_box.setEnabled(False)
        self.start_button.setEnabled(False)
        self.close_button.setText(self.tr("取消 (Esc)"))
        self.progress.setRange(0, 0)
        self.progress.setVisible(True)
        self.status.setText(self.tr("正在出具…"))
        grow_to_fit(self)

    def show_stage(self, stage: str, done: int, of: int) -> None:
        """The run's progress (``campaign_letters.Progress``), on this thread."""
        if not self.busy:
            return
        if of > 0:
            self.progress.setRange(0, of)
            self.progress.setValue(done)
        if stage == "issue":
            zh, en = CHOICES[self.kinds.currentData()]
            self.status.setText(self.tr("出具{0}：{1}/{2} 人").format(pick(zh, en), f"{done:,}", f"{of:,}"))
        elif stage == "merge":
            self.status.setText(self.tr("合并打印文件：{0}/{1}").format(f"{done:,}", f"{of:,}"))

    def ask_cancel(self) -> None:
        """Esc while running: stop after the member being done (what was issued is kept)."""
        if self.busy and self._cancel is not None:
            self._cancel()
            self.status.setText(self.tr("正在取消：做完当前这一人即停止，已出具的均保存…"))

    def _idle(self) -> None:
        self.busy, self._cancel = False, None
        self.folder.setEnabled(True)
        self.browse_button.setEnabled(True)
        self.kinds.setEnabled(True)
        self.print_box.setEnabled(bool(self.printer))
        self.start_button.setEnabled(True)
        self.close_button.setText(self.tr("关闭 (Esc)"))
        self.progress.setVisible(False)

    def cancelled(self, exc: UserFacingError) -> None:
        self._idle()
        self.status.setText(error_text(exc, hint=True))
        self.start_button.setText(self.tr("继续 (Enter)"))
        self.start_button.setFocus()
        grow_to_fit(self)

    def show_result(self, run: LettersRun, out: Path) -> None:
        self._idle()
        self.run = run
        printed = sum(1 for f in run.files if f.stem in run.printed)
        lines = [
            self.tr(
                "已授信 {0} 人：本次出具原件 {1} 份、副本 {2} 份，沿用已出具 {3} 份；短信入队 {4} 条"
            ).format(
                f"{run.people:,}",
                f"{run.originals:,}",
                f"{run.copies:,}",
                f"{run.kept_before:,}",
                f"{run.texts:,}",
            ),
            self.tr("打印文件 {0} 个（按送达顺序）→ {1}").format(f"{len(run.files):,}", out),
        ]
        lines += [f"  {f.name}" for f in run.files[:8]]
        if len(run.files) > 8:
            lines.append(self.tr("  …另 {0} 个").format(f"{len(run.files) - 8:,}"))
        if run.printed:
            lines.append(self.tr("已送打印机：{0} 个文件").format(f"{printed:,}"))
        paper = [r for r in run.refused if r.paper]
        if paper:
            lines.append(
                self.tr("未出具 {0} 人（不在打印文件中，更正后再按 L 即补出）：").format(f"{len(paper):,}")
            )
        for r in paper[:8]:
            said = self.tr("  第{0}行 {1} {2}：{3}")
            lines.append(said.format(r.line_no, r.id_masked, r.name, r.reason_zh))
        if len(paper) > 8:
            lines.append(self.tr("  …另 {0} 人").format(f"{len(paper) - 8:,}"))
        texts = [r for r in run.refused if not r.paper]
        if texts:
            lines.append(self.tr("未发短信 {0} 人（手机号无效）：").format(f"{len(texts):,}"))
        for r in texts[:4]:
            lines.append(self.tr("  第{0}行 {1} {2}").format(r.line_no, r.id_masked, r.name))
        if len(texts) > 4:
            lines.append(self.tr("  …另 {0} 人").format(f"{len(texts) - 4:,}"))
        self.status.setText("\n".join(lines))
        if run.problem is not None:
            self._say(self.tr("未打印：") + error_text(run.problem, hint=True))
        self.start_button.setVisible(False)
        self.close_button.setFocus()
        grow_to_fit(self)

    def result_line(self) -> str:
        if self.run is None:
            return ""
        run = self.run
        line = self.tr("活动 {0}：通知书 {1} 人，原件 {2} 份、副本 {3} 份，打印文件 {4} 个 → {5}").format(
            run.campaign, f"{run.people:,}", f"{run.originals:,}", f"{run.copies:,}", f"{len(run.files):,}",
            self.out,
        )  # fmt: skip
        paper = sum(1 for r in run.refused if r.paper)
        if paper:
            line += self.tr("；未出具 {0} 人").format(f"{paper:,}")
        return line

    def refused(self, exc: UserFacingError) -> None:
        self._idle()
        self.status.setText(self.tr("未出具；已出具的文书均已保存"))
        self._say(error_text(exc, hint=True))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if self.run is not None:
                self.accept()
            else:
                self.start()
            return
        if key == Qt.Key.Key_F4 and not event.modifiers():
            self.browse()
            return
        super().keyPressEvent(event)

    def reject(self) -> None:
        if self.busy:
            self.ask_cancel()  # Esc while running cancels; the dialog stays to say where it stopped
            return
        super().reject()

    def _say(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))
        grow_to_fit(self)


class ListResultDialog(QDialog):
    """A list's result (signatures recorded, till records loaded): the work under way, then the counts
    and the rows, the refused ones in red with their reason (IDs masked); the chosen row whole below."""

    def __init__(
        self,
        name: str,
        title: str,
        heading: str,
        working: str,
        columns: tuple[object, ...],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.done_ = False
        self.setObjectName(name)
        self.setWindowTitle(title)
        layout = QVBoxLayout(self)
        label = QLabel(heading, self)
        label.setWordWrap(True)
        layout.addWidget(label)
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 0)
        self.progress.setTextVisible(False)
        layout.addWidget(self.progress)
        self.status = QLabel(working, self)
        self.status.setObjectName(name + "Status")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self.table = QTableWidget(0, len(columns), self)
        self.table.setObjectName(name + "Rows")
        self.table.setHorizontalHeaderLabels([self.tr(str(c)) for c in columns])
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        compact_rows(self.table)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setTabKeyNavigation(False)
        self.table.setVisible(False)
        self.table.itemSelectionChanged.connect(self._show_row)
        layout.addWidget(self.table, 1)
        self.row_detail = QLabel("", self)
        self.row_detail.setObjectName(name + "Detail")
        self.row_detail.setWordWrap(True)
        self.row_detail.setVisible(False)
        layout.addWidget(self.row_detail)
        self.error = error_label(name + "Error", self)
        layout.addWidget(self.error)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.close_button = QPushButton(self.tr("关闭 (Esc)"), self)
        self.close_button.setObjectName(name + "CloseButton")
        self.close_button.setAutoDefault(False)
        self.close_button.clicked.connect(self.reject)
        buttons.addWidget(self.close_button)
        layout.addLayout(buttons)
        self.setMinimumWidth(400)
        self.resize(400, 180)

    def rows(self) -> list[list[str]]:
        return [
            [self.table.item(r, c).text() for c in range(self.table.columnCount())]  # type: ignore[union-attr]
            for r in range(self.table.rowCount())
        ]

    def _show_row(self) -> None:
        chosen = self.table.selectionModel().selectedRows()
        if not chosen:
            self.row_detail.setText("")
            return
        r = chosen[0].row()
        self.row_detail.setText(
            " ".join(self.table.item(r, c).text() for c in range(self.table.columnCount()))  # type: ignore[union-attr]
        )

    def show_rows(self, summary: str, rows: list[tuple[list[str], bool]]) -> None:
        self.done_ = True
        self.progress.setVisible(False)
        self.status.setText(summary)
        self.table.setRowCount(len(rows))
        for i, (cells, refused) in enumerate(rows):
            for j, value in enumerate(cells):
                item = QTableWidgetItem(value)
                item.setToolTip(value)
                if refused:
                    item.setForeground(QBrush(REFUSED_RED))
                self.table.setItem(i, j, item)
        self.table.setVisible(bool(rows))
        self.row_detail.setVisible(bool(rows))
        if rows:
            self.table.selectRow(0)
            self.table.setFocus()
            self.resize(max(self.width(), RosterImportDialog.WIDE), max(self.height(), 420))
            keep_on_screen(self)
        else:
            self.close_button.setFocus()
        grow_to_fit(self)

    def refused(self, exc: UserFacingError, status: str) -> None:
        self.done_ = True
        self.progress.setVisible(False)
        self.status.setText(status)
        self.error.setText(error_text(exc, hint=True))
        self.error.setVisible(True)
        self.close_button.setFocus()
        grow_to_fit(self)

    def reject(self) -> None:
        if not self.done_:
            return  # the work runs on: closing would hide its result, not stop it
        super().reject()
