"""The window's print preview (QtPdf) and printing to a real CUPS queue, by the keyboard: F8 prints the
agreement and the letter at once, the preview beside them (a reprint, a 副本, waits for 打印), F9 marks the
application signed. With CUPS's tools here the PDFs go to the queue as they are (``lp``); without them
(Windows) through Qt."""

from __future__ import annotations

import dataclasses
import re
import subprocess
import time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from teller_assist.settings import Settings
from teller_assist.store import audit as store_audit
from teller_assist.ui.main_window import MainWindow
from teller_assist.ui.print_preview import PrintPreview
from teller_assist.ui.session import AuthorizeDialog
from tests.helpers import required
from tests.helpers.cups import CupsServer
from tests.helpers.extracts import MAN
from tests.helpers.keyrings import MemoryKeyring
from tests.helpers.operators import PASSWORD, make_operator
from tests.integration.test_printing import landed, pages
from tests.ui.test_card_panel import window_with_data
from tests.ui.test_session import fill_survey


def approved_at_the_counter(qtbot: QtBot, window: MainWindow) -> None:
    assert window.store is not None
    make_operator(window.store, "head1", "branch_head")
    qtbot.keyClicks(window.counter.id_input, MAN)
    qtbot.keyClick(window.counter.id_input, Qt.Key.Key_Return)
    fill_survey(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    dialog = window.findChild(AuthorizeDialog, "authorizeDialog")  # opened with the submission
    assert dialog is not None and dialog.isVisible()
    dialog.login.setText("head1")
    dialog.password.setText(PASSWORD)
    dialog.button.click()
    counter = window.counter
    qtbot.waitUntil(lambda: counter.application is not None and counter.application.status == "approved")


def test_preview_then_print_then_signed(
    qtbot: QtBot,
    printing_settings: Settings,
    memory_keyring: MemoryKeyring,
    cups_server: CupsServer,
    tmp_path: Path,
) -> None:
    window = window_with_data(qtbot, printing_settings, tmp_path)
    approved_at_the_counter(qtbot, window)
    counter = window.counter
    assert counter.print_button.objectName() == "printButton" and counter.print_button.isVisible()
    since = time.time() - 1
    qtbot.keyClick(window, Qt.Key.Key_F8)  # the first printing starts with the preview: no second key
    preview = window.findChild(PrintPreview, "printPreview")
    assert preview is not None and preview.isVisible()
    # the agreement's two parts (bank, customer) shown at once; the authorisation and the letter are
    # rendered when the teller turns to them, not before the printing can start
    first = preview.documents[0]
    assert first is not None and first.pageCount() == 4 and preview.documents[1:] == [None, None]
    assert preview.choice.itemText(0) == "预授信协议（4页）" and preview.choice.itemText(2) == "授信告知函"
    # issued and handed to CUPS on a worker thread: the window answers at once and stays usable
    assert preview.message.text() == "正在打印…" and not preview.print_button.isEnabled()
    assert preview.focusWidget() is preview.view  # not 关闭: an Enter while it prints closes nothing
    # turning to the others while the worker renders the paper: the builds take turns
    for index, count in ((1, 2), (2, 1)):
        preview.choice.setCurrentIndex(index)
        shown = preview.documents[index]
        assert shown is not None and shown.pageCount() == count and preview.view.document() is shown
    assert preview.choice.itemText(2) == "授信告知函（1页）"
    qtbot.waitUntil(lambda: "已送打印机" in preview.message.text(), timeout=30_000)
    assert "已送打印机 TA-PDF" in preview.message.text(), preview.message.text()
    assert not preview.isVisible() and window.counter.print_task is None
    qtbot.waitUntil(window.isActiveWindow, timeout=3000)  # the preview closed: the window has the keys
    out = landed(cups_server, since, 3, timeout=60)
    assert sorted(pages(p) for p in out) == [1, 2, 4]

    qtbot.keyClick(window, Qt.Key.Key_F9)
    confirm = window.findChild(QMessageBox, "signConfirm")
    assert confirm is not None
    qtbot.keyClick(confirm, Qt.Key.Key_Return)
    assert window.counter.application is not None and window.counter.application.status == "signed"
    assert "已签约" in window.counter.application_status.text()
    assert window.store is not None
    actions = [e.action for e in store_audit.export_rows(window.store, None, None)]
    assert actions.count("print") == 3 and actions[-1] == "sign"
    # the customer signed the agreement and, with it, the authorisation printed beside it
    from teller_assist.services.documents import signatures

    assert window.ctx is not None
    assert set(signatures(window.ctx, window.counter.application.id)) == {"agreement", "authorization"}

    # a reprint is a 副本: F8 shows it and waits for 打印 (Enter), printing nothing by itself
    qtbot.waitUntil(window.isActiveWindow, timeout=3000)
    qtbot.keyClick(window, Qt.Key.Key_F8)
    again = window.counter.preview
    assert again is not None and again is not preview and again.isVisible()
    assert window.counter.print_task is None and again.message.text() == ""
    assert again.print_button.isEnabled() and again.focusWidget() is again.print_button
    again.reject()
    actions = [e.action for e in store_audit.export_rows(window.store, None, None)]
    assert actions.count("print") == 3


@pytest.mark.parametrize(
    ("printer", "says"),
    [("NO-SUCH", "找不到打印机 NO-SUCH"), ("TA-OFF", "打印机 TA-OFF 已停用"), ("TA-FILE", "打印到文件")],
)
def test_a_missing_printer_is_said_and_the_documents_are_kept(
    qtbot: QtBot,
    printing_settings: Settings,
    memory_keyring: MemoryKeyring,
    tmp_path: Path,
    printer: str,
    says: str,
) -> None:
    """A missing printer, a disabled one, a queue that only writes files: said as the command line says
    them, nothing printed, the three documents kept."""
    window = window_with_data(qtbot, dataclasses.replace(printing_settings, printer=printer), tmp_path)
    approved_at_the_counter(qtbot, window)
    preview = window.counter.preview_documents()  # F8: printing starts with the preview
    assert preview is not None
    qtbot.waitUntil(lambda: "未能打印" in preview.message.text(), timeout=30_000)
    assert says in preview.message.text() and "已保存" in preview.message.text(), preview.message.text()
    assert preview.isVisible() and preview.print_button.isEnabled()  # the teller can try again
    assert preview.focusWidget() is preview.print_button  # with Enter
    kept = sorted((window.settings.paths.data_dir / "printed").glob("*.pdf"))
    assert len(kept) == 3
    pdftotext = required.program("pdftotext")
    text = subprocess.run([pdftotext, str(kept[0]), "-"], capture_output=True, text=True, check=True).stdout
    assert "预授信" in text or "授信告知函" in text


def test_the_print_worker_only_reads_qt_objects_the_gui_thread_made_and_loaded(
    qtbot: QtBot,
    printing_settings: Settings,
    memory_keyring: MemoryKeyring,
    cups_server: CupsServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Printing through Qt (no CUPS tools, as on Windows). The guard against a deadlock seen once (a
    worker holding Python's lock inside Qt's plugin loader, the GUI thread holding Qt's object lock and
    waiting for Python's): the plugins are loaded and the documents made on the GUI thread; the worker
    only draws them."""
    import threading

    from PySide6.QtWidgets import QApplication

    from teller_assist.services import printing
    from teller_assist.ui import print_preview

    calls: list[tuple[str, bool, bool]] = []
    real_prepare, real_print = print_preview.prepare_printing, print_preview.print_document

    def prepare() -> None:
        calls.append(("prepare", threading.current_thread() is threading.main_thread(), True))
        real_prepare()

    def draw(printer, document, title, dpi=300):  # type: ignore[no-untyped-def]
        gui = QApplication.instance()
        assert gui is not None
        made_by_gui = document.thread() is gui.thread()
        calls.append(("print", threading.current_thread() is threading.main_thread(), made_by_gui))
        return real_print(printer, document, title, dpi)

    monkeypatch.setattr(print_preview, "prepare_printing", prepare)
    monkeypatch.setattr(print_preview, "print_document", draw)
    # where CUPS's own tools are not (Windows) the window prints through Qt; here Qt still finds the
    # test's CUPS queue through its own client library
    monkeypatch.setattr(printing, "cups_available", lambda: False)
    window = window_with_data(qtbot, printing_settings, tmp_path)
    approved_at_the_counter(qtbot, window)
    since = time.time() - 1
    preview = window.counter.preview_documents()
    assert preview is not None
    preview.print_button.click()
    qtbot.waitUntil(lambda: window.counter.print_task is None, timeout=30_000)
    assert "已送打印机 TA-PDF" in window.counter.application_status.text()
    # loaded on the GUI thread first; each document drawn on a worker, made by the GUI thread
    assert calls == [("prepare", True, True)] + [("print", False, True)] * 3
    # in the queue as pictures of their pages: no font, no text
    out = landed(cups_server, since, 3, timeout=60)
    assert sorted(pages(p) for p in out) == [1, 2, 4]
    assert not any(fonts_of(p) or figures_in(p) for p in out)


def fonts_of(pdf: Path) -> list[str]:
    """The fonts ``pdffonts`` lists in ``pdf`` (none in a page printed as a picture)."""
    pdffonts = required.program("pdffonts")
    listing = subprocess.run([pdffonts, str(pdf)], capture_output=True, text=True, check=True).stdout
    return [line.split()[0] for line in listing.splitlines()[2:] if line.strip()]


def figures_in(pdf: Path) -> set[str]:
    """The figures of ``pdf``'s text layer: words of five characters or more with a digit (the agreement
    number, the ID, amounts, the verification code). They survive Ghostscript redrawing the CJK fonts
    in the queue, whose glyphs read back as stray characters."""
    pdftotext = required.program("pdftotext")
    text = subprocess.run([pdftotext, str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    words = re.findall(r"[0-9A-Za-z][0-9A-Za-z.,:/%*-]*", text)
    return {w for w in words if len(w) >= 5 and re.search(r"[0-9]", w)}


def test_the_window_hands_the_pdfs_themselves_to_cups(
    qtbot: QtBot,
    printing_settings: Settings,
    memory_keyring: MemoryKeyring,
    cups_server: CupsServer,
    tmp_path: Path,
) -> None:
    """With CUPS here the window prints as ``teller-assist print`` does: each issued PDF goes to the queue
    as it is (``lp``), not as pictures of its pages. What lands has the document's pages, fonts and text
    (its figures, read back), and no page-sized image; a page rasterised through Qt has one image, no
    font and no text."""
    before = frozenset(
        p for folder in cups_server.output_dirs() if folder.is_dir() for p in folder.glob("*.pdf")
    )
    window = window_with_data(qtbot, printing_settings, tmp_path)
    approved_at_the_counter(qtbot, window)
    since = time.time() - 1
    preview = window.counter.preview_documents()  # F8: printing starts with the preview
    assert preview is not None
    qtbot.waitUntil(lambda: window.counter.print_task is None, timeout=30_000)
    assert "已送打印机 TA-PDF" in window.counter.application_status.text()
    out = landed(cups_server, since, 3, timeout=60, besides=before)
    kept = sorted((window.settings.paths.data_dir / "printed").glob("*.pdf"))
    assert len(kept) == 3 and len(out) == 3
    # the three documents have 1, 2 and 4 pages: each printed file is matched to its issued one by them
    printed = {pages(p): p for p in out}
    issued = {pages(p): p for p in kept}
    assert sorted(printed) == sorted(issued) == [1, 2, 4]
    pdfimages = required.program("pdfimages")
    for count, document in issued.items():
        assert fonts_of(printed[count]), printed[count]
        images = subprocess.run([pdfimages, "-list", str(printed[count])], capture_output=True, text=True)
        big = [line for line in images.stdout.splitlines()[2:] if int(line.split()[3]) >= 1000]
        assert not big, images.stdout  # a page at 300 dpi would be an image about 2480 pixels wide
        figures = figures_in(document)
        assert any(f.startswith("YSX") for f in figures), figures  # the agreement number, on each
        assert figures <= figures_in(printed[count]), (figures, figures_in(printed[count]))
