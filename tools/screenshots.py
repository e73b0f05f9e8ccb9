"""Screenshots of each step of the counter flow, for the README and the bank's trainers.

    xvfb-run -a .venv/bin/python tools/screenshots.py [--out docs/screenshots] [--language en]

Runs the real window on a throw-away demo-mode database with the test fixture's customer, under a
virtual X display (the xcb platform, as on a counter PC), and saves one PNG per step.
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

    from teller_assist.settings import load_settings
    from teller_assist.ui.app import make_application
    from teller_assist.ui.main_window import MainWindow
    from teller_assist.ui.session import LoginDialog
    from tests.helpers.extracts import MAN
    from tests.helpers.operators import PASSWORD, make_operator
    from tests.integration.test_lookup import load_fixture

    app = make_application([], language=args.language)

    def settle() -> None:
        for _ in range(30):
            app.processEvents()
            QTest.qWait(10)

    def shot(widget: object, name: str) -> None:
        settle()
        widget.grab().save(str(args.out / f"{name}.png"))  # type: ignore[attr-defined]
        print(f"wrote {args.out / name}.png")

    window = MainWindow(load_settings(), today=lambda: TODAY)
    window.resize(420, 900)
    window.show()
    window.start()
    assert window.store is not None
    load_fixture(window.store, tmp / "in")
    first = LoginDialog(window.store, window, first_admin=True)
    first.show()
    shot(first, "01-first-administrator")
    first.close()
    make_operator(window.store, "head1", "branch_head")
    window.sign_in(make_operator(window.store))
    shot(window, "02-ready-for-the-id")
    QTest.keyClicks(window.id_input, MAN)
    QTest.keyClick(window.id_input, Qt.Key.Key_Return)
    shot(window, "03-customer-card")
    window.open_survey()
    form = window.survey_form
    assert form is not None
    QTest.keyClicks(form.widgets["household_income"], "50000")
    QTest.keyClicks(form.widgets["debts"], "0")
    for key in ("owns_home", "owns_vehicle", "likely_need"):
        form.widgets[key].setCurrentIndex(1)  # type: ignore[attr-defined]
    for key in ("consent_credit_inquiry", "consent_personal_info"):
        form.widgets[key].setChecked(True)  # type: ignore[attr-defined]
    shot(window, "04-survey-and-line")
    window.submit()
    dialog = window.authorize_at_counter()
    assert dialog is not None
    dialog.login.setText("head1")
    shot(dialog, "05-supervisor-authorisation")
    dialog.password.setText(PASSWORD)
    dialog.authorize()
    while window.application is None or window.application.status != "approved":
        settle()  # the supervisor is checked on a worker thread
    shot(window, "06-approved")
    preview = window.preview_documents()
    assert preview is not None
    preview.resize(620, 860)
    shot(preview, "07-print-preview")
    preview.reject()
    window.mark_signed()
    shot(window, "08-signed")
    window.lock()
    shot(window, "09-locked")
    window.close()


if __name__ == "__main__":
    main()
