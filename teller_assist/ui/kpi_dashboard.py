"""The 考核 workspace: the programme's KPIs for head office and branch heads, over ``services.kpi``.

Tiles for the four headline rates with their change since a week before; the groups under the scope
(branches for the county, officers for a branch, campaigns for an officer) as a sortable league table
against their indicators; the weekly trend of the rates and the weekly flows as charts (QtCharts: see
BENCHMARKS.md for why); drill-down by Enter or a double click, from the county to a branch, to an
officer, to the people behind a number (masked). Enter on a person emits :attr:`personActivated` with
their resident ID, for the window to open their card. Backspace goes back up.

The figures are computed on a worker thread; the widget never touches the store itself. While the
window that owns it is locked, it shows nothing but that it is locked.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QDateTimeAxis,
    QLineSeries,
    QValueAxis,
)
from PySide6.QtCore import QDate, QDateTime, QModelIndex, QSortFilterProxyModel, Qt, QTime, QTimer, Signal
from PySide6.QtGui import QFont, QKeySequence, QPainter, QShortcut, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMainWindow,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from teller_assist.errors import UserFacingError
from teller_assist.kpi.definitions import COUNTY, HEADLINE, Kpi, Ratio, Scope
from teller_assist.kpi.records import Dashboard, GroupFigures, PeopleList
from teller_assist.money import yuan_text
from teller_assist.ui.i18n import error_text
from teller_assist.ui.tasks import Task

if TYPE_CHECKING:
    from teller_assist.services.context import Context
    from teller_assist.services.kpi import OperatorRecord

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
KEY_ROLE = Qt.ItemDataRole.UserRole + 2
ROLES_ALLOWED = ("hq_admin", "branch_head")
CHILD_SCOPE = {"branch": "branch", "officer": "officer", "campaign": "campaign"}


def _sort_key(value: object) -> float | str:
    """What a column sorts by: numbers as numbers (an empty cell last), text as text."""
    if value is None:
        return -1e18
    if isinstance(value, str):
        return value
    return float(value)  # type: ignore[arg-type]


def _percent(ratio: Ratio | None) -> float | None:
    value = None if ratio is None else ratio.value
    return None if value is None else float(value * 100)


class Tile(QFrame):
    """One headline rate: its value, its change since a week before, what it is made of."""

    def __init__(self, kpi: Kpi, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kpi = kpi
        self.setObjectName(f"kpiTile_{kpi.name.lower()}")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(self)
        self.title = QLabel(title, self)
        self.value = QLabel("—", self)
        self.value.setObjectName("tileValue")
        font = QFont(self.value.font())
        font.setPointSize(font.pointSize() + 10)
        font.setBold(True)
        self.value.setFont(font)
        self.change = QLabel("", self)
        self.change.setObjectName("tileChange")
        self.behind = QLabel("", self)
        self.behind.setObjectName("tileBehind")
        for w in (self.title, self.value, self.change, self.behind):
            layout.addWidget(w)

    def show_rate(self, now: Ratio, before: Ratio, change: Decimal | None, behind: str) -> None:
        self.value.setText(now.text())
        if change is None:
            self.change.setText(self.tr("较一周前：—"))
            self.change.setStyleSheet("")
        else:
            arrow = "▲" if change > 0 else ("▼" if change < 0 else "＝")
            self.change.setText(self.tr("较一周前 {0} {1} 个百分点").format(arrow, f"{change:+}"))
            self.change.setStyleSheet(
                "color: #1a7f37;" if change > 0 else ("color: #c62828;" if change < 0 else "")
            )
        self.behind.setText(behind)


class KpiDashboard(QWidget):
    """The 考核 workspace. ``scope`` is where it starts; a branch head starts (and stays) at their branch."""

    personActivated = Signal(str)  # a resident ID: open this person's card
    loaded = Signal()  # the figures on screen are the latest asked for

    def __init__(
        self,
        ctx: Context,
        *,
        operator: OperatorRecord,
        scope: Scope = COUNTY,
        is_locked: Callable[[], bool] = lambda: False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("kpiDashboard")
        self.ctx = ctx  # the day the date starts at and the moment the views are audited come from its clock
        self.operator = operator  # every figure and list is asked for as them, checked and audited
        self.is_locked = is_locked
        self.top = scope
        self.path: list[Scope] = [scope]
        self.people_category: str | None = None
        self.dashboard: Dashboard | None = None
        self.people_list: PeopleList | None = None
        self.task: Task | None = None
        self._generation = 0
        self._kpi_names = {
            Kpi.COVERAGE: self.tr("授信覆盖率"),
            Kpi.SIGNING: self.tr("签约率"),
            Kpi.USAGE: self.tr("用信率"),
            Kpi.DRAWN: self.tr("用信金额比"),
        }
        self._categories = {
            "unsigned": self.tr("已授信未签约"),
            "unused": self.tr("已签约未用信"),
            "signed": self.tr("已签约"),
            "used": self.tr("已用信"),
            "granted": self.tr("持有授信"),
        }

        self.stack = QStackedWidget(self)
        outer = QVBoxLayout(self)
        outer.addWidget(self.stack)
        self.locked_label = QLabel(self.tr("窗口已锁定：解锁后显示考核数据"), self)
        self.locked_label.setObjectName("kpiLocked")
        self.locked_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        page = QWidget(self)
        self.stack.addWidget(page)
        self.stack.addWidget(self.locked_label)
        layout = QVBoxLayout(page)

        bar = QHBoxLayout()
        self.back_button = QPushButton(self.tr("返回上一级"), page)
        self.back_button.setObjectName("kpiBack")
        self.back_button.clicked.connect(self.go_up)
        self.breadcrumb = QLabel(page)
        self.breadcrumb.setObjectName("kpiBreadcrumb")
        self.date_edit = QDateEdit(page)
        self.date_edit.setObjectName("kpiDate")
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("yyyy-MM-dd")
        day = ctx.today()
        self.date_edit.setDate(QDate(day.year, day.month, day.day))
        self.date_edit.setMaximumDate(QDate(day.year, day.month, day.day))
        self.date_edit.dateChanged.connect(lambda _d: self.refresh())
        self.people_button = QPushButton(self.tr("客户名单"), page)
        self.people_button.setObjectName("kpiPeopleButton")
        self.people_button.clicked.connect(lambda: self.show_people("unused"))
        self.refresh_button = QPushButton(self.tr("刷新"), page)
        self.refresh_button.setObjectName("kpiRefresh")
        self.refresh_button.clicked.connect(self.refresh)
        bar.addWidget(self.back_button)
        bar.addWidget(self.breadcrumb, 1)
        bar.addWidget(QLabel(self.tr("统计日"), page))
        bar.addWidget(self.date_edit)
        bar.addWidget(self.people_button)
        bar.addWidget(self.refresh_button)
        layout.addLayout(bar)

        self.status = QLabel(page)
        self.status.setObjectName("kpiStatus")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)

        tiles = QWidget(page)
        tiles.setObjectName("kpiTiles")
        grid = QGridLayout(tiles)
        self.tiles = {k: Tile(k, self._kpi_names[k], tiles) for k in HEADLINE}
        for i, k in enumerate(HEADLINE):
            grid.addWidget(self.tiles[k], 0, i)
        layout.addWidget(tiles)

        self.views = QStackedWidget(page)
        layout.addWidget(self.views, 1)

        # the groups and the charts
        split = QSplitter(Qt.Orientation.Horizontal, self.views)
        self.league_model = QStandardItemModel(self)
        self.league_proxy = QSortFilterProxyModel(self)
        self.league_proxy.setSourceModel(self.league_model)
        self.league_proxy.setSortRole(SORT_ROLE)
        self.league = QTableView(split)
        self.league.setObjectName("kpiLeague")
        self.league.setModel(self.league_proxy)
        self.league.setSortingEnabled(True)
        self.league.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.league.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.league.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.league.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.league.verticalHeader().setVisible(False)  # a row's number says nothing once sorted
        self.league.setTabKeyNavigation(False)  # Tab leaves the table; the arrows move in it
        self.league.doubleClicked.connect(self._drill)
        charts = QWidget(split)
        chart_layout = QVBoxLayout(charts)
        self.trend_view = QChartView(charts)
        self.trend_view.setObjectName("kpiTrendChart")
        self.trend_view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.flow_view = QChartView(charts)
        self.flow_view.setObjectName("kpiFlowChart")
        for chart_view in (self.trend_view, self.flow_view):
            chart_view.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # nothing to do there by keyboard
        chart_layout.addWidget(self.trend_view)
        chart_layout.addWidget(self.flow_view)
        split.addWidget(self.league)
        split.addWidget(charts)
        charts.setMinimumWidth(400)
        self.charts = charts  # room for the legends' words and the weeks' dates
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 1)
        split.setChildrenCollapsible(False)
        self.split = split
        self.views.addWidget(split)

        # the people behind a number
        people_page = QWidget(self.views)
        people_layout = QVBoxLayout(people_page)
        pick = QHBoxLayout()
        self.category = QComboBox(people_page)
        self.category.setObjectName("kpiCategory")
        for key, label in self._categories.items():
            self.category.addItem(label, key)
        self.category.currentIndexChanged.connect(
            lambda _i: self.show_people(self.category.currentData()) if self.people_category else None
        )
        self.people_summary = QLabel(people_page)
        self.people_summary.setObjectName("kpiPeopleSummary")
        pick.addWidget(self.category)
        pick.addWidget(self.people_summary, 1)
        people_layout.addLayout(pick)
        self.people_model = QStandardItemModel(self)
        self.people_proxy = QSortFilterProxyModel(self)
        self.people_proxy.setSourceModel(self.people_model)
        self.people_proxy.setSortRole(SORT_ROLE)
        self.people = QTableView(people_page)
        self.people.setObjectName("kpiPeople")
        self.people.setModel(self.people_proxy)
        self.people.setSortingEnabled(True)
        self.people.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.people.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.people.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.people.doubleClicked.connect(self._open_person)
        self.people.verticalHeader().setVisible(False)
        self.people.setTabKeyNavigation(False)
        self.people.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        people_layout.addWidget(self.people, 1)
        self.views.addWidget(people_page)

        for view, handler in ((self.league, self._drill), (self.people, self._open_person)):
            for enter in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                shortcut = QShortcut(QKeySequence(enter), view)
                shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
                shortcut.activated.connect(lambda v=view, h=handler: h(v.currentIndex()))
        back = QShortcut(QKeySequence(Qt.Key.Key_Backspace), self)
        back.activated.connect(self.go_up)

        self.lock_watch = QTimer(self)
        self.lock_watch.setInterval(300)
        self.lock_watch.timeout.connect(self.watch_lock)
        self.lock_watch.start()
        self._render_path()

    # --- navigation ---------------------------------------------------------------------------------
    @property
    def scope(self) -> Scope:
        return self.path[-1]

    @property
    def day(self) -> dt.date:
        d = self.date_edit.date()
        return dt.date(d.year(), d.month(), d.day())

    def _render_path(self) -> None:
        names = [self._scope_label(s) for s in self.path]
        if self.people_category:
            names.append(self._categories[self.people_category])
        self.breadcrumb.setText(" › ".join(names))
        self.back_button.setEnabled(len(self.path) > 1 or self.people_category is not None)

    def _scope_label(self, scope: Scope) -> str:
        words = {
            "county": self.tr("全县"),
            "branch": self.tr("网点"),
            "officer": self.tr("客户经理"),
            "campaign": self.tr("活动"),
            "scenario": self.tr("场景"),
        }
        return words[scope.kind] if scope.key is None else f"{words[scope.kind]} {scope.key}"

    def go_to(self, scope: Scope) -> None:
        self.path.append(scope)
        self.people_category = None
        self.refresh()

    def go_up(self) -> None:
        if self.people_category is not None:
            self.people_category = None
            self.views.setCurrentIndex(0)
            self._render_path()
            return
        if len(self.path) > 1:
            self.path.pop()
            self.refresh()

    def _drill(self, index: QModelIndex) -> None:
        if not index.isValid() or self.dashboard is None:
            return
        key = self.league_proxy.index(index.row(), 0).data(KEY_ROLE)
        kind = self.dashboard.view.children_kind
        if key is None or kind is None:
            return
        if kind == "officer" and not key:
            return  # people on the lists without an officer: no one to drill into
        if self.operator.role != "hq_admin" and kind != "officer":
            return  # a branch head's view ends at their officers (campaigns cross branches)
        self.go_to(Scope(kind, key))

    def _open_person(self, index: QModelIndex) -> None:
        if not index.isValid() or self.people_list is None or self.is_locked():
            return
        row = self.people_proxy.index(index.row(), 0).data(KEY_ROLE)
        if row is not None and 0 <= int(row) < len(self.people_list.id_nos):
            self.personActivated.emit(self.people_list.id_nos[int(row)])

    # --- loading ------------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Compute the figures of the current scope and date on a worker thread."""
        if self.is_locked():
            return
        from teller_assist.services import kpi

        self._generation += 1
        generation = self._generation
        ctx, scope, day, operator = self.ctx, self.scope, self.day, self.operator
        self.status.setText(self.tr("正在计算…"))
        self._render_path()

        def work(_report: Callable[..., None], _cancelled: Callable[[], bool]) -> Dashboard:
            return kpi.dashboard_for(ctx, operator, scope, day)

        self._start(work, lambda result: self._show(generation, result))

    def show_people(self, category: str) -> None:
        if self.is_locked():
            return
        from teller_assist.services import kpi

        self.people_category = category
        self.category.blockSignals(True)
        self.category.setCurrentIndex(max(0, self.category.findData(category)))
        self.category.blockSignals(False)
        self._generation += 1
        generation = self._generation
        ctx, scope, day = self.ctx, self.scope, self.day
        operator = self.operator
        self.status.setText(self.tr("正在读取名单…"))
        self._render_path()

        def work(_report: Callable[..., None], _cancelled: Callable[[], bool]) -> PeopleList:
            return kpi.people_for(ctx, operator, scope, day, category, purpose="window", limit=500)

        self._start(work, lambda result: self._show_people(generation, result))

    def _start(self, work: Callable[..., Any], done: Callable[[Any], None]) -> None:
        task = Task(work, self)
        task.succeeded.connect(done)
        task.failed.connect(self._failed)
        task.finished.connect(self._finished)  # a slot of this widget: runs on the GUI thread
        self.task = task
        task.start()

    def _finished(self) -> None:
        task = self.sender()
        if task is self.task:
            self.task = None
        if task is not None:
            task.deleteLater()

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, UserFacingError):
            self.status.setText(error_text(exc))
            return
        raise exc

    def wait(self, msecs: int = 60_000) -> None:
        """For tests and closing: wait for the figures being computed."""
        if self.task is not None:
            self.task.wait(msecs)

    def watch_lock(self) -> None:
        locked = self.is_locked()
        self.stack.setCurrentIndex(1 if locked else 0)

    # --- showing ------------------------------------------------------------------------------------
    def _provenance_text(self, p: Any) -> str:
        built = (
            self.tr("；每日汇总 {0}").format(p.snapshot_built_at.astimezone().strftime("%m-%d %H:%M"))
            if p.snapshot_built_at
            else ""
        )
        head = self.tr("统计日 {0}，授信政策 {1}。").format(p.as_of.isoformat(), p.policy_version)
        return f"{head}{p.freshness_zh}{built}"

    def _show(self, generation: int, dashboard: Dashboard) -> None:
        if generation != self._generation:
            return  # a later question is on its way
        self.dashboard = dashboard
        view = dashboard.view
        self.status.setText(self._provenance_text(view.provenance))
        for tile in dashboard.tiles:
            r = tile.now
            behind = (
                self.tr("{0} / {1} 元").format(f"{r.numerator / 100:,.2f}", f"{r.denominator / 100:,.2f}")
                if tile.kpi is Kpi.DRAWN
                else f"{r.numerator:,} / {r.denominator:,}"
            )
            self.tiles[tile.kpi].show_rate(tile.now, tile.week_ago, tile.change, behind)  # type: ignore[arg-type]
        self._fill_league(view.children_kind, view.children)
        self._draw_trend(view.trend)
        self._draw_flows(view.flows)
        self.views.setCurrentIndex(0)
        self._render_path()
        self.loaded.emit()

    def _fill_league(self, kind: str | None, rows: tuple[GroupFigures, ...]) -> None:
        group_word = {
            "branch": self.tr("网点"),
            "officer": self.tr("客户经理"),
            "campaign": self.tr("活动"),
            None: self.tr("—"),
        }[kind]
        head = [
            group_word,
            self.tr("合格"),
            self.tr("授信"),
            self.tr("签约"),
            self.tr("用信"),
            *self._kpi_names.values(),
            self.tr("指标"),
            self.tr("完成率"),
            self.tr("签约率周变化"),
        ]
        self.league_model.clear()
        self.league_model.setHorizontalHeaderLabels(head)
        for g in rows:
            s = g.stock
            cells: list[tuple[str, object]] = [
                (g.label_zh if g.key else self.tr("（未分配）"), g.key),
                (f"{s.eligible:,}", s.eligible),
                (f"{s.granted:,}", s.granted),
                (f"{s.signed:,}", s.signed),
                (f"{s.used:,}", s.used),
                *((s.rate(k).text(), _percent(s.rate(k))) for k in HEADLINE),
                ((f"{g.indicator.people:,}", g.indicator.people) if g.indicator else ("—", None)),
                ((g.completion.text(), _percent(g.completion)) if g.completion else ("—", None)),
                (
                    f"{g.change(Kpi.SIGNING):+}" if g.change(Kpi.SIGNING) is not None else "—",
                    g.change(Kpi.SIGNING),
                ),
            ]
            items = []
            for i, (text, sort) in enumerate(cells):
                item = QStandardItem(text)
                item.setData(_sort_key(sort), SORT_ROLE)
                if i == 0:
                    item.setData(g.key, KEY_ROLE)
                else:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                items.append(item)
            self.league_model.appendRow(items)
        # the league: by completion of the indicator where there are indicators, else by signing rate
        self.league.sortByColumn(10 if any(g.indicator for g in rows) else 6, Qt.SortOrder.DescendingOrder)
        if rows:
            self.league.selectRow(0)
        self._fit_split()

    def _fit_split(self) -> None:
        """The league table as wide as its columns, the charts the rest (at least their minimum)."""
        total = self.split.width()
        if total <= 0:
            return
        header = self.league.horizontalHeader()
        wanted = (
            header.length()
            + self.league.frameWidth() * 2
            + self.league.verticalScrollBar().sizeHint().width()
        )
        charts = self.charts.minimumWidth()
        table = max(total // 2, min(wanted, total - charts - self.split.handleWidth()))
        self.split.setSizes([table, total - table])

    def _draw_trend(self, trend: tuple[tuple[dt.date, Any], ...]) -> None:
        chart = QChart()
        chart.setTitle(self.tr("四项指标走势（每周）"))
        x_axis = QDateTimeAxis()
        x_axis.setFormat("MM-dd")
        x_axis.setTickCount(min(7, max(2, len(trend))))
        y_axis = QValueAxis()
        y_axis.setRange(0, 100)
        y_axis.setLabelFormat("%d%%")
        chart.addAxis(x_axis, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(y_axis, Qt.AlignmentFlag.AlignLeft)
        for kpi in HEADLINE:
            series = QLineSeries()
            series.setName(self._kpi_names[kpi])
            for day, stock in trend:
                value = _percent(stock.rate(kpi))
                if value is not None:
                    moment = QDateTime(QDate(day.year, day.month, day.day), QTime(12, 0))
                    series.append(float(moment.toMSecsSinceEpoch()), value)
            chart.addSeries(series)
            series.attachAxis(x_axis)
            series.attachAxis(y_axis)
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        self._set_chart(self.trend_view, chart)

    def _draw_flows(self, flows: tuple[Any, ...]) -> None:
        chart = QChart()
        chart.setTitle(self.tr("每周新增（按客户归属）"))
        series = QBarSeries()
        for label, field in (
            (self.tr("授信"), "granted"),
            (self.tr("签约"), "signed"),
            (self.tr("首次用信"), "first_drawn"),
            (self.tr("销号"), "struck"),
        ):
            bar = QBarSet(label)
            bar.append([float(getattr(f.people_view, field) or 0) for f in flows])
            series.append(bar)
        chart.addSeries(series)
        x_axis = QBarCategoryAxis()
        x_axis.append([str(f.period.start.isocalendar()[1]) for f in flows])  # ISO week numbers
        x_axis.setTitleText(self.tr("周次"))
        y_axis = QValueAxis()
        y_axis.setLabelFormat("%d")
        top = max([max(f.people_view.granted, f.people_view.struck or 0) for f in flows] + [1])
        y_axis.setRange(0, top * 1.1)
        y_axis.applyNiceNumbers()  # ticks at round numbers
        chart.addAxis(x_axis, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(y_axis, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(x_axis)
        series.attachAxis(y_axis)
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        self._set_chart(self.flow_view, chart)

    def _set_chart(self, view: QChartView, chart: QChart) -> None:
        font = QFont(self.font())  # the bundled CJK font, so every label reads in Chinese
        chart.setTitleFont(font)
        chart.legend().setFont(font)
        small = QFont(font)
        small.setPointSizeF(max(6.0, font.pointSizeF() * 0.8))  # a dozen weeks' numbers side by side
        for axis in chart.axes():
            axis.setLabelsFont(small if isinstance(axis, QBarCategoryAxis) else font)
            axis.setTitleFont(font)
        old = view.chart()
        view.setChart(chart)
        if old is not None:
            old.deleteLater()

    def _show_people(self, generation: int, listing: PeopleList) -> None:
        if generation != self._generation:
            return
        self.people_list = listing
        self.status.setText(self._provenance_text(listing.provenance))
        label = self._categories[listing.category]
        self.people_summary.setText(
            self.tr("{0}：共 {1} 人，显示 {2} 人（身份证号已脱敏；回车打开客户卡片）").format(
                label, f"{listing.total:,}", f"{len(listing.people):,}"
            )
        )
        self.people_model.clear()
        self.people_model.setHorizontalHeaderLabels(
            [
                self.tr("身份证号"),
                self.tr("姓名"),
                self.tr("归属"),
                self.tr("额度（元）"),
                self.tr("授信日"),
                self.tr("签约日"),
                self.tr("首次用信"),
                self.tr("已用信（元）"),
            ]
        )
        for n, p in enumerate(listing.people):
            cells: list[tuple[str, object]] = [
                (p.id_masked, n),
                (p.name, p.name),
                (p.group, p.group),
                (yuan_text(p.line_fen), p.line_fen),
                (p.decided_on.isoformat(), p.decided_on.isoformat()),
                (
                    p.signed_on.isoformat() if p.signed_on else "—",
                    p.signed_on.isoformat() if p.signed_on else "",
                ),
                (
                    p.first_drawn_on.isoformat() if p.first_drawn_on else "—",
                    p.first_drawn_on.isoformat() if p.first_drawn_on else "",
                ),
                (f"{p.drawn_fen / 100:,.2f}", p.drawn_fen),
            ]
            items = []
            for i, (text, sort) in enumerate(cells):
                item = QStandardItem(text)
                item.setData(sort, SORT_ROLE)
                if i == 0:
                    item.setData(n, KEY_ROLE)
                items.append(item)
            self.people_model.appendRow(items)
        self.people.sortByColumn(0, Qt.SortOrder.AscendingOrder)  # as the service lists them
        self.views.setCurrentIndex(1)
        if listing.people:
            self.people.selectRow(0)
        self.people.setFocus()
        self._render_path()
        self.loaded.emit()


class KpiWindow(QMainWindow):
    """The dashboard in a window of its own, beside the counter window."""

    def __init__(self, dashboard: KpiDashboard, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("kpiWindow")
        self.setWindowTitle(self.tr("考核看板"))
        self.dashboard = dashboard
        self.setCentralWidget(dashboard)
        self.resize(1200, 760)
        screen = self.screen()
        if screen is not None:  # a counter PC's 1366 × 768: the whole window on it, its frame too
            room = screen.availableGeometry()
            self.resize(min(1280, room.width() - 16), min(800, room.height() - 48))
            self.move(room.x() + (room.width() - self.width()) // 2, room.y())

    def closeEvent(self, event: Any) -> None:
        self.dashboard.lock_watch.stop()
        self.dashboard.wait()
        super().closeEvent(event)


def open_dashboard(
    parent: QWidget, ctx: Context | None, operator: Any, is_locked: Callable[[], bool]
) -> KpiWindow | None:
    """The 考核 window for the signed-in operator: the county for head office, their own branch for a
    branch head, nothing for anyone else (or while locked, or with no policy loaded)."""
    if ctx is None or ctx.policy is None or operator is None or is_locked():
        return None
    if operator.role not in ROLES_ALLOWED or not operator.active:
        return None
    if operator.role == "branch_head":
        if not operator.branch_code:
            return None
        scope = Scope("branch", operator.branch_code)
    else:
        scope = COUNTY
    dashboard = KpiDashboard(
        ctx, operator=operator, scope=scope, is_locked=is_locked
    )
    window = KpiWindow(dashboard, parent)
    window.show()
    dashboard.refresh()
    return window
