"""Print preview (QtPdf) and printing through Qt: the branch printer from the settings, or the print
dialog when none is set. A missing printer, no print system at all, or a printer Qt has quietly turned
into "print to a PDF file" is said plainly, and the documents are kept in the data folder.

The counter prints through Qt only where CUPS's tools are absent (Windows) or no printer is set (the
print dialog asks); otherwise the PDFs go to CUPS as they are (``services.printing``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QObject, QRect, Qt
from PySide6.QtGui import QImageReader, QImageWriter, QKeySequence, QPainter, QShowEvent
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrinterInfo
from PySide6.QtWidgets import QComboBox, QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from teller_assist.errors import UserFacingError
from teller_assist.ui.i18n import error_text
from teller_assist.ui.widgets import fit_on_screen


class QtPrintError(UserFacingError):
    pass


@dataclass
class Preview:
    """One document to show: its title and its PDF, or how to render it when it is first shown."""

    title: str
    pdf: bytes | None = None
    make: Callable[[], bytes] | None = None

    def bytes_(self) -> bytes:
        if self.pdf is None:
            assert self.make is not None, "a preview needs its PDF or how to make it"
            self.pdf = self.make()
        return self.pdf


def load_pdf(pdf: bytes, parent: QObject | None = None) -> QPdfDocument:
    document = QPdfDocument(parent) if parent is not None else QPdfDocument()
    buffer = QBuffer(document)
    buffer.setData(QByteArray(pdf))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document.load(buffer)
    if document.status() != QPdfDocument.Status.Ready:
        raise QtPrintError("文书无法显示（PDF 读取失败）", f"the PDF could not be read: {document.error()}")
    return document


def choose_printer(name: str, parent: QWidget | None) -> QPrinter | None:
    """The printer to use: the named one (checked), or the user's choice in the print dialog (None when
    they cancel). Raises when there is no print system, no such printer, or output went to a file."""
    available = [p.printerName() for p in QPrinterInfo.availablePrinters()]
    if not available:
        raise QtPrintError(
            "本机没有可用的打印机（打印服务未安装或未运行）",
            "no printers: the print system is missing or not running",
            hint_zh="请检查打印服务（CUPS）或联系科技部",
        )
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    if name:
        if name not in available:
            raise QtPrintError(
                f"找不到打印机 {name}", f"no printer named {name}", hint_zh="可用：" + "、".join(available)
            )
        printer.setPrinterName(name)
    else:
        dialog = QPrintDialog(printer, parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
    # Qt switches an unusable printer to PDF output without a word: paper would never come out
    if printer.outputFormat() != QPrinter.OutputFormat.NativeFormat or printer.outputFileName():
        raise QtPrintError(
            f"打印机 {printer.printerName() or name} 不可用，Qt 已改为“打印到文件”",
            "Qt turned the printer into print-to-file",
            hint_zh="请检查打印机后重试",
        )
    return printer


def prepare_printing() -> None:
    """Load, on the GUI thread, the image-format plugins Qt's PDF print engine asks for at its first
    image. Qt moves a plugin it loads to the GUI thread under one of its shared object locks; a worker
    doing that while it holds Python's lock can deadlock with the GUI thread, which PySide makes wait for
    Python's lock while it holds such a lock (disconnecting a slot whose Python owner died). Seen once:
    the test run hung in ``drawImage``."""
    QImageWriter.supportedImageFormats()
    QImageReader.supportedImageFormats()


def print_document(printer: QPrinter, document: QPdfDocument, title: str, dpi: int = 300) -> int:
    """Draw each page of ``document`` on ``printer`` (rasterised at ``dpi``); returns the page count.
    Safe on a worker thread once ``prepare_printing`` ran: it makes, moves and destroys no QObject (the
    document and the printer belong to the GUI thread and are only read here)."""
    printer.setDocName(title)
    printer.setResolution(dpi)
    painter = QPainter()
    if not painter.begin(printer):
        raise QtPrintError(f"无法开始打印到 {printer.printerName()}", "the printer could not start the job")
    try:
        for page in range(document.pageCount()):
            if page:
                printer.newPage()
            target: QRect = painter.viewport()
            image = document.render(page, target.size())
            painter.drawImage(target, image)
    finally:
        painter.end()
    return document.pageCount()


def print_pdf(printer: QPrinter, pdf: bytes, title: str, dpi: int = 300) -> int:
    """``print_document`` for PDF bytes, all on the calling (GUI) thread."""
    prepare_printing()
    return print_document(printer, load_pdf(pdf), title, dpi)


class PrintPreview(QDialog):
    """Shows the documents before they are printed; 打印 hands them to ``on_print``."""

    def __init__(
        self, previews: list[Preview], on_print: Callable[[], None], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("printPreview")
        self.setWindowTitle(self.tr("打印预览"))
        fit_on_screen(self, 640, 820)  # on a 768-pixel screen: shorter, its buttons in view
        self.previews = previews
        # the first document now; each of the others when the teller turns to it (F8 waits for one)
        self.documents: list[QPdfDocument | None] = [None] * len(previews)
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.choice = QComboBox(self)
        self.choice.setObjectName("previewChoice")
        for p in previews:
            self.choice.addItem(p.title)
        self.choice.currentIndexChanged.connect(self._show)
        top.addWidget(self.choice, 1)
        layout.addLayout(top)
        self.view = QPdfView(self)
        self.view.setObjectName("previewView")
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        layout.addWidget(self.view, 1)
        self.message = QLabel("", self)
        self.message.setObjectName("printMessage")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.message)
        buttons = QHBoxLayout()
        self.print_button = QPushButton(self.tr("打印全部 (F8)"), self)
        self.print_button.setObjectName("previewPrintButton")
        self.print_button.setDefault(True)
        self.print_button.setShortcut(QKeySequence(Qt.Key.Key_F8))  # F8 again prints, as the label says
        self.print_button.clicked.connect(on_print)
        buttons.addWidget(self.print_button)
        close = QPushButton(self.tr("关闭"), self)
        close.setObjectName("previewCloseButton")
        close.clicked.connect(self.reject)
        buttons.addWidget(close)
        layout.addLayout(buttons)
        self._show(0)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.print_button.setFocus()  # Enter prints (as does F8): the next key after looking

    def document(self, index: int) -> QPdfDocument:
        """The ``index``th document, rendered and loaded the first time it is asked for."""
        loaded = self.documents[index]
        if loaded is None:
            loaded = self.documents[index] = load_pdf(self.previews[index].bytes_(), self)
            self.choice.setItemText(
                index, self.tr("{0}（{1}页）").format(self.previews[index].title, loaded.pageCount())
            )
        return loaded

    def _show(self, index: int) -> None:
        if not 0 <= index < len(self.documents):
            return
        try:
            self.view.setDocument(self.document(index))
        except UserFacingError as exc:
            self.message.setText(error_text(exc))
