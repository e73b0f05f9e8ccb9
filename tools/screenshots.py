"""Screenshots of each step of the counter flow, for the README and the bank's trainers.

    xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python tools/screenshots.py \
        [--out docs/screenshots] [--language en]

Runs the real window on a throw-away demo-mode database with the test fixture's customer, under a
virtual X display of a counter PC's size (1366 × 768; the xcb platform, as at the counter), at the
window's own default size, and saves one PNG per step.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

TODAY = dt.date(2026, 11, 28)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    parser.add_argument("--language", default="zh_CN", choices=("zh_CN", "en"))
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="ta-shots-"))
    os.environ.update(
        {
            "TELLER_ASSIST_DATA_DIR": str(tmp / "data"),
            "TELLER_ASSIST_CONFIG": str(tmp / "none.toml"),
            "TELLER_ASSIST_KEY_STORE": "demo-file",
            "TELLER_ASSIST_BRANCH_NAME": "华阳支行",
            "TELLER_ASSIST_LANGUAGE": args.language,
        }
    )
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from teller_assist.services.clock import Clock
    from teller_assist.settings import load_settings
    from teller_assist.ui.app import make_application
    from teller_assist.ui.main_window import MainWindow
    from teller_assist.ui.session import LoginDialog
    from tests.helpers.extracts import MAN
    from tests.helpers.operators import PASSWORD, make_operator
    from tests.helpers.workflow import agreement_printed
    from tests.integration.test_lookup import load_fixture

    app = make_application([], language=args.language)
    screen = app.primaryScreen().size()
    if (screen.width(), screen.height()) != (1366, 768):
        print(f"note: the screen is {screen.width()}x{screen.height()}, not a counter PC's 1366x768")

    def settle() -> None:
        for _ in range(30):
            app.processEvents()
            QTest.qWait(10)

    def shot(widget: object, name: str) -> None:
        settle()
        widget.grab().save(str(args.out / f"{name}.png"))  # type: ignore[attr-defined]
        print(f"wrote {args.out / name}.png")

    window = MainWindow(load_settings(), clock=Clock.on(TODAY))  # its default size, as a first start
    window.show()
    window.start()
    assert window.store is not None
    load_fixture(window.store, tmp / "in")
    first = LoginDialog(window.ctx, window, first_admin=True)
    first.show()
    shot(first, "01-first-administrator")
    first.close()
    make_operator(window.store, "head1", "branch_head")
    window.sign_in(make_operator(window.store))
    shot(window, "02-ready-for-the-id")
    QTest.keyClicks(window.counter.id_input, MAN)
    QTest.keyClick(window.counter.id_input, Qt.Key.Key_Return)
    shot(window, "03-customer-card")
    window.counter.open_survey()
    form = window.counter.survey_form
    assert form is not None
    QTest.keyClicks(form.widgets["household_income"], "50000")
    QTest.keyClicks(form.widgets["debts"], "0")
    for key in ("owns_home", "owns_vehicle", "likely_need"):
        form.widgets[key].setCurrentIndex(1)  # type: ignore[attr-defined]
    for key in ("consent_credit_inquiry", "consent_personal_info"):
        form.widgets[key].setChecked(True)  # type: ignore[attr-defined]
    shot(window, "04-survey-and-line")
    window.counter.submit()
    dialog = window.counter.authorize_at_counter()
    assert dialog is not None
    dialog.login.setText("head1")
    shot(dialog, "05-supervisor-authorisation")
    dialog.password.setText(PASSWORD)
    dialog.authorize()
    while window.counter.application is None or window.counter.application.status != "approved":
        settle()  # the supervisor is checked on a worker thread
    shot(window, "06-approved")
    preview = window.counter.preview_documents()
    assert preview is not None  # its own size: fitted to the screen
    shot(preview, "07-print-preview")
    preview.reject()
    assert window.counter.application is not None
    counter = window.counter
    agreement_printed(window.store, counter.application.id)  # as the print records it (no printer here)
    window.counter._show_application()
    confirm = window.counter.mark_signed()
    assert confirm is not None
    shot(confirm, "08-confirm-signature")
    confirm.button(confirm.StandardButton.Yes).click()
    shot(window, "08-signed")
    window.lock()
    shot(window, "09-locked")
    window.lock_page.password.setText(PASSWORD)
    window.lock_page.try_unlock()
    window.sign_in(make_operator(window.store, "manager1", "lobby_manager"))
    assert window.ctx is not None and window.policy is not None
    ctx = window.ctx.on(TODAY)
    from teller_assist.prequal.survey import Survey
    from teller_assist.services import applications as apps
    from tests.helpers.extracts import rid
    from tests.helpers.surveys import walk_in_answers

    teller = apps.Actor(make_operator(window.store, "teller2"), ctx.workstation)
    for seq, income in ((401, 20_000), (402, 60_000)):
        survey = Survey("walk_in", walk_in_answers(household_income=income))
        apps.submit(ctx, rid(seq=seq), survey, teller, name="王五")
    assert window.queue is not None
    window.queue.refresh()
    window.workspaces.setCurrentWidget(window.queue)
    shot(window, "10-lobby-queue")
    window.close()


if __name__ == "__main__":
    main()
