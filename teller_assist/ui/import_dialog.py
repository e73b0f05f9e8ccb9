"""The import dialog for head-office staff: files or a folder, progress, cancel, summary, refused rows."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from teller_assist.errors import UserFacingError
from teller_assist.services.context import Context
from teller_assist.services.imports import (
    ImportCancelled,
    Importer,
    ImportRefused,
    ImportReport,
    export_rejects,
    future_extract,
    plan,
    refused_rows,
    run_import,
)
from teller_assist.services.operators import OperatorRecord
from teller_assist.ui import messages
from teller_assist.ui.i18n import error_text
from teller_assist.ui.tasks import Task

STATUS_ZH = {
    "loaded": QT_TRANSLATE_NOOP("ImportDialog", "已导入"),
    "skipped": QT_TRANSLATE_NOOP("ImportDialog", "已跳过（此前已导入）"),
    "refused": QT_TRANSLATE_NOOP("ImportDialog", "已拒绝"),
}
MAX_REJECTS_SHOWN = 2_000


class ImportDialog(QDialog):
    """The import, for a head-office administrator (``operator``), never while the window is locked
    (``locked``): both are checked again when the import starts, and the run is audited."""

    def __init__(
        self,
        ctx: Context,
        parent: QWidget | None = None,
        *,
        operator: OperatorRecord | None,
        locked: Callable[[], bool] = lambda: False,
    ) -> None:
        super().__init__(parent)
        self.operator = operator
        self._locked = locked
        self.setObjectName("importDialog")
        self.setWindowTitle(self.tr("导入核心系统数据"))
        self.resize(760, 560)
        self.ctx = ctx
        self.paths: list[Path] = []
        self.task: Task | None = None
        self.report: ImportReport | None = None
        self._reject_batches: list[int] = []

        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(
                self.tr("选择夜间数据文件或所在文件夹。每个文件单独导入：要么全部导入，要么完全不导入。"),
                self,
            )
        )
        pick = QHBoxLayout()
        self.files_button = QPushButton(self.tr("选择文件…"), self)
        self.folder_button = QPushButton(self.tr("选择文件夹…"), self)
        self.files_button.clicked.connect(self._pick_files)
        self.folder_button.clicked.connect(self._pick_folder)
        pick.addWidget(self.files_button)
        pick.addWidget(self.folder_button)
        pick.addStretch(1)
        layout.addLayout(pick)
        self.path_list = QListWidget(self)
        self.path_list.setObjectName("importPaths")
        self.path_list.setMaximumHeight(90)
        layout.addWidget(self.path_list)

        self.progress = QProgressBar(self)
        self.progress.setObjectName("importProgress")
        self.progress.setRange(0, 1000)
        self.progress.setValue(0)
        self.progress_label = QLabel("", self)
        layout.addWidget(self.progress)
        layout.addWidget(self.progress_label)

        self.summary = QTableWidget(0, 7, self)
        self.summary.setObjectName("importSummary")
        self.summary.setHorizontalHeaderLabels(
            [
                self.tr("文件"),
                self.tr("类型"),
                self.tr("状态"),
                self.tr("行数"),
                self.tr("导入"),
                self.tr("拒绝"),
                self.tr("说明"),
            ]
        )
        self.summary.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.summary.horizontalHeader().setSectionResizeMode(6, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.summary, 1)

        layout.addWidget(QLabel(self.tr("被拒绝的行（身份证号、手机号已遮蔽）："), self))
        self.rejects_table = QTableWidget(0, 4, self)
        self.rejects_table.setObjectName("importRejects")
        self.rejects_table.setHorizontalHeaderLabels(
            [self.tr("文件"), self.tr("行号"), self.tr("原因"), self.tr("内容")]
        )
        self.rejects_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.rejects_table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.rejects_table, 1)

        buttons = QHBoxLayout()
        self.export_button = QPushButton(self.tr("导出拒绝行…"), self)
        self.export_button.setObjectName("exportRejects")
        self.export_button.setEnabled(False)
        self.export_button.clicked.connect(self._export)
        self.start_button = QPushButton(self.tr("开始导入"), self)
        self.start_button.setObjectName("startImport")
        self.start_button.setEnabled(False)
        self.start_button.clicked.connect(self.start)
        self.cancel_button = QPushButton(self.tr("取消"), self)
        self.cancel_button.setObjectName("cancelImport")
        self.cancel_button.clicked.connect(self._cancel_or_close)
        buttons.addWidget(self.export_button)
        buttons.addStretch(1)
        buttons.addWidget(self.start_button)
        buttons.addWidget(self.cancel_button)
        layout.addLayout(buttons)

    # --- choosing ---------------------------------------------------------------------------------
    def set_paths(self, paths: list[Path]) -> None:
        """New files or a new folder: the last run's results go, and a file dated after today is
        said before anything is loaded."""
        self.paths = paths
        self.path_list.clear()
        self.path_list.addItems([str(p) for p in paths])
        for i, p in enumerate(paths):
            self.path_list.item(i).setToolTip(str(p))
        self.start_button.setEnabled(bool(paths) and self.task is None)
        if self.start_button.isEnabled():  # chosen: Enter starts it
            self.start_button.setDefault(True)
            self.start_button.setFocus()
        self.report = None
        self._reject_batches = []
        self.summary.setRowCount(0)
        self.rejects_table.setRowCount(0)
        self.export_button.setEnabled(False)
        self.progress.setValue(0)
        today = self.ctx.today()
        future = [p.name for p, _kind in plan(paths) if future_extract(p, today) is not None]
        self.progress_label.setStyleSheet("QLabel { color: #8a5a00; }" if future else "")
        self.progress_label.setText(
            self.tr("注意：以下文件名的日期晚于今天 {0}，请核对文件或本机日期：{1}").format(
                today.isoformat(), self.tr("、").join(future)
            )
            if future
            else ""
        )

    def _pick_files(self) -> None:
        names, _ = QFileDialog.getOpenFileNames(
            self, self.tr("选择数据文件"), "", self.tr("数据文件 (*.csv *.txt *.dat);;所有文件 (*)")
        )
        if names:
            self.set_paths([Path(n) for n in names])

    def _pick_folder(self) -> None:
        name = QFileDialog.getExistingDirectory(self, self.tr("选择数据文件夹"))
        if name:
            self.set_paths([Path(name)])

    # --- running -----------------------------------------------------------------------------------
    def start(self) -> None:
        if not self.paths or self.task is not None:
            return
        try:
            by = Importer.operator(self.operator)
            if self._locked():
                raise ImportRefused("屏幕已锁定，不能导入", "the screen is locked; nothing was imported")
        except ImportRefused as exc:
            self.progress_label.setText(error_text(exc, hint=True))
            return
        self.summary.setRowCount(0)
        self.rejects_table.setRowCount(0)
        self.progress_label.setStyleSheet("")
        self.export_button.setEnabled(False)
        self.start_button.setEnabled(False)
        self.files_button.setEnabled(False)
        self.folder_button.setEnabled(False)
        self.cancel_button.setText(self.tr("取消"))
        ctx, paths = self.ctx, list(self.paths)

        def work(report, cancelled):
            return run_import(ctx, paths, by=by, purpose="window", progress=report, cancelled=cancelled)

        self.task = Task(work, self)
        self.task.progress.connect(self._on_progress)
        self.task.succeeded.connect(self._on_done)
        self.task.failed.connect(self._on_failed)
        self.task.start()

    def _on_progress(self, args: tuple[str, int, int]) -> None:
        name, done, total = args
        self.progress.setValue(int(1000 * done / total) if total else 0)
        self.progress_label.setText(
            self.tr("正在导入 {name} （{done:.1f} / {total:.1f} MB）").format(
                name=name, done=done / 1e6, total=total / 1e6
            )
        )

    def _finish_task(self) -> None:
        if self.task is not None:
            self.task.wait()
        self.task = None
        self.files_button.setEnabled(True)
        self.folder_button.setEnabled(True)
        self.start_button.setEnabled(bool(self.paths))
        self.cancel_button.setText(self.tr("关闭"))

    def _on_done(self, report: ImportReport) -> None:
        self._finish_task()
        self.report = report
        self.progress.setValue(1000)
        self.summary.setRowCount(len(report.files))
        for row, f in enumerate(report.files):
            note = f.error or self.tr("；").join(f.warnings)
            skipped = f.status == "skipped"  # nothing read or loaded now: its rows came in earlier
            values = [
                Path(f.path).name,
                f.kind or "?",
                self.tr(str(STATUS_ZH[f.status])),
                "—" if skipped else f"{f.rows:,}",
                f"{f.loaded:,}",
                "—" if skipped else f"{f.rejected:,}",
                note,
            ]
            for col, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setToolTip(value)  # a column too narrow for it still tells it whole
                if col in (3, 4, 5):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.summary.setItem(row, col, item)
        self.summary.resizeColumnsToContents()
        self._cap_columns(self.summary)
        refused = sum(f.rejected for f in report.files)
        failed = sum(f.status == "refused" for f in report.files)
        self.progress_label.setText(
            self.tr("完成：{n}个文件，{r}行被拒绝，{f}个文件被拒绝。").format(
                n=len(report.files), r=refused, f=failed
            )
        )
        self._show_rejects(report)

    def _show_rejects(self, report: ImportReport) -> None:
        batches = [f.batch_id for f in report.files if f.status == "loaded" and f.rejected and f.batch_id]
        rows = refused_rows(self.ctx, batches, limit=MAX_REJECTS_SHOWN)
        self.rejects_table.setRowCount(len(rows))
        for i, (file_name, line_no, reason, raw) in enumerate(rows):
            for col, value in enumerate((file_name, str(line_no), reason, raw)):
                item = QTableWidgetItem(value)
                item.setToolTip(value)
                self.rejects_table.setItem(i, col, item)
        self.rejects_table.resizeColumnsToContents()
        self._cap_columns(self.rejects_table)
        self.export_button.setEnabled(bool(batches))
        self._reject_batches = batches

    def _cap_columns(self, table: QTableWidget, most: int = 240) -> None:
        """Fitted columns no wider than ``most`` pixels (the rest of a long note is in its tooltip);
        the last one stretches."""
        for col in range(table.columnCount() - 1):
            table.setColumnWidth(col, min(table.columnWidth(col), most))

    def _on_failed(self, exc: BaseException) -> None:
        self._finish_task()
        if isinstance(exc, ImportCancelled):
            self.progress.setValue(0)
            self.progress_label.setText(self.tr("已取消：当前文件未写入任何数据。"))
            return
        if not isinstance(exc, UserFacingError):
            self.progress_label.setText(self.tr("导入失败：程序出错，已写入错误报告"))
            raise exc  # a bug, not a state of the world: the crash handler writes its report
        self.progress_label.setText(self.tr("导入失败：") + exc.describe())
        messages.error(self, self.tr("导入失败"), exc, name="importFailed")

    def _cancel_or_close(self) -> None:
        if self.task is not None:
            self.task.cancel()
            self.progress_label.setText(self.tr("正在取消…"))
        else:
            self.accept()

    def _export(self) -> None:
        name, _ = QFileDialog.getSaveFileName(self, self.tr("导出拒绝行"), "rejects.csv", "CSV (*.csv)")
        if name:
            self.export_to(Path(name))

    def export_to(self, path: Path) -> int:
        try:  # who exports is checked and audited as for the import itself; never while locked
            by = Importer.operator(self.operator)
            if self._locked():
                raise ImportRefused("屏幕已锁定，未导出", "the screen is locked; nothing was exported")
        except ImportRefused as exc:
            self.progress_label.setText(error_text(exc, hint=True))
            return 0
        total = export_rejects(self.ctx, path, self._reject_batches, by=by)
        self.progress_label.setText(self.tr("已导出 {n} 行到 {p}").format(n=total, p=path))
        return total

    def reject(self) -> None:  # Esc / window close: cancel running work first
        if self.task is not None:
            self.task.cancel()
            self.task.wait()
        super().reject()
