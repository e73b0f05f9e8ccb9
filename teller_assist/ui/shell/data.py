"""The 数据 and 管理 menus' jobs: the import dialog, the demo county (generated and imported on a worker
thread, with progress and cancel) and 操作员管理. A head-office administrator's, never on a locked
screen; the services check the role again."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QProgressDialog

from teller_assist.errors import UserFacingError
from teller_assist.ui import messages
from teller_assist.ui.i18n import error_text
from teller_assist.ui.tasks import Task

if TYPE_CHECKING:
    from teller_assist.services.imports import ImportReport
    from teller_assist.ui.import_dialog import ImportDialog
    from teller_assist.ui.main_window import MainWindow
    from teller_assist.ui.operators_dialog import OperatorsDialog

DEMO_PEOPLE = 20_000


class DataJobs(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.w = window

    def may_load(self) -> bool:
        """Imports and the demo county: a head-office administrator's, never on a locked screen."""
        from teller_assist.services.imports import IMPORTER_ROLE

        w = self.w
        operator = w.operator
        return (
            w.store is not None
            and operator is not None
            and operator.role == IMPORTER_ROLE
            and operator.active
            and not w.is_locked()
        )

    def update_actions(self) -> None:
        allowed = self.may_load()
        self.w.import_action.setEnabled(allowed)
        self.w.demo_action.setEnabled(allowed)

    def refusal(self) -> UserFacingError | None:
        """Why this operator may not import now (the menu is greyed out too; this is the action's own
        check, and the service checks the role again)."""
        from teller_assist.services.imports import Importer, ImportRefused

        if self.w.is_locked():
            return ImportRefused("屏幕已锁定，不能导入", "the screen is locked")
        try:
            Importer.operator(self.w.operator)
        except ImportRefused as exc:
            return exc
        return None

    def open_import_dialog(self) -> ImportDialog | None:
        from teller_assist.ui.import_dialog import ImportDialog

        w = self.w
        if w.ctx is None:
            return None
        refusal = self.refusal()
        if refusal is not None:
            messages.say(w, error_text(refusal))
            return None
        dialog = ImportDialog(w.ctx, w, operator=w.operator, locked=w.is_locked)
        dialog.finished.connect(lambda _result: w.startup.refresh_overview())
        dialog.open()
        return dialog

    def open_operators_dialog(self) -> OperatorsDialog | None:
        """操作员管理, for a signed-in head-office administrator on an unlocked window only."""
        from teller_assist.ui.operators_dialog import OperatorsDialog

        w = self.w
        admin = w.operator is not None and w.operator.role == "hq_admin"
        if w.ctx is None or w.operator is None or not admin or w.is_locked():
            return None
        dialog = OperatorsDialog(w.ctx, w.operator, w, is_locked=w.is_locked)
        dialog.open()
        return dialog

    # --- the demo county -----------------------------------------------------------------------------------
    def load_demo(self, *, ask: bool, people: int = DEMO_PEOPLE) -> None:
        """Generate and import the demo county in the background, with progress and cancel: a
        head-office administrator's, never while locked, never into a database with real data."""
        from teller_assist.services.imports import Importer, RealDataPresent, demo_county
        from teller_assist.services.imports import real_data_present as holds_real_data

        w = self.w
        if w.ctx is None or w.demo_task is not None:
            return
        refusal = self.refusal()
        if refusal is not None:
            messages.say(w, error_text(refusal))
            return
        by = Importer.operator(w.operator)
        try:
            real = holds_real_data(w.ctx)  # said before asking (the service checks it again)
        except UserFacingError as exc:
            messages.say(w, error_text(exc))
            return
        if real:
            messages.error(w, self.tr("演示数据"), RealDataPresent.for_this_database(), name="warningBox")
            return
        if ask:
            question = self.tr("生成并导入一个{n}人的演示县（虚构数据），用于熟悉软件。是否继续？")
            if not messages.ask(w, self.tr("载入演示数据"), question.format(n=f"{people:,}")):
                return
        ctx, work_dir = w.ctx, w.settings.paths.data_dir

        def work(report, cancelled):
            return demo_county(ctx, work_dir, by=by, people=people, progress=report, cancelled=cancelled)

        progress = QProgressDialog(self.tr("正在生成并导入演示县数据…"), self.tr("取消"), 0, 1000, w)
        progress.setObjectName("demoProgress")
        progress.setWindowTitle(self.tr("演示数据"))
        progress.setMinimumDuration(0)
        progress.setAutoClose(False)
        progress.setAutoReset(False)
        task = Task(work, w)
        progress.canceled.connect(task.cancel)
        task.progress.connect(lambda args: progress.setValue(int(1000 * args[1] / args[2]) if args[2] else 0))
        task.succeeded.connect(self._loaded)
        task.failed.connect(self._failed)
        w.demo_task, w.demo_progress = task, progress
        progress.show()
        task.start()

    def _end_demo(self) -> None:
        w = self.w
        if w.demo_task is not None:
            w.demo_task.wait()
        if w.demo_progress is not None:
            w.sessions.forget_hidden(w.demo_progress)
            w.demo_progress.close()
        w.demo_task = w.demo_progress = None

    def _loaded(self, report: ImportReport) -> None:
        self._end_demo()
        self.w.startup.refresh_overview()
        if report.exit_code == 2:
            failed = [f.error or "" for f in report.files if f.status == "refused"]
            messages.warning(self.w, self.tr("演示数据"), self.tr("部分文件未能导入：") + "\n".join(failed))

    def _failed(self, exc: BaseException) -> None:
        from teller_assist.services.imports import ImportCancelled

        self._end_demo()
        if isinstance(exc, ImportCancelled):
            messages.say(self.w, error_text(exc))
        elif isinstance(exc, UserFacingError):
            messages.error(self.w, self.tr("演示数据"), exc, name="warningBox")
        else:
            raise exc

    def stop(self) -> None:
        """The window closes: a demo county in progress is cancelled and waited for."""
        if self.w.demo_task is not None:
            self.w.demo_task.cancel()
            self.w.demo_task.wait()
