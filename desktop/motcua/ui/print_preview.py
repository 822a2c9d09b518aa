"""Preview of any form PDF (receipt, guidance sheet…), printing through the system dialog, and
saving the PDF. The document is shown exactly as the forms package rendered it: what is printed
is what was previewed.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMargins, QRectF, QSize, Qt
from PySide6.QtGui import QKeySequence, QPainter, QResizeEvent, QShortcut
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QFileDialog, QHBoxLayout, QLabel, QMessageBox, QPushButton, QVBoxLayout, QWidget

from motcua.i18n import tr
from motcua.ui.fitting import fit_size

MAX_ZOOM = 1.15  # the widest an A4 page is shown by default, relative to its real size


class PrintPreview(QDialog):
    def __init__(self, pdf: bytes, title: str, file_name: str = "giay-to.pdf",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.pdf = pdf
        self.file_name = file_name
        self._bytes = QByteArray(pdf)
        self._buffer = QBuffer(self._bytes, self)
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document = QPdfDocument(self)
        self.document.load(self._buffer)
        self.view = QPdfView(self)
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self._readable = True  # until a fit button is pressed: fit the width, but no wider than MAX_ZOOM
        self.view.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

        self.pages = QLabel(tr("{n} trang", n=self.document.pageCount()))
        self.print_button = QPushButton(tr("&In… (Ctrl+P)"))
        self.save_button = QPushButton(tr("&Lưu PDF… (Ctrl+S)"))
        self.fit_button = QPushButton(tr("&Vừa trang"))
        self.width_button = QPushButton(tr("Vừa &chiều ngang"))
        self.close_button = QPushButton(tr("Đó&ng (Esc)"))
        self.print_button.setDefault(True)
        self.print_button.clicked.connect(self.print_dialog)
        self.save_button.clicked.connect(self.save_dialog)
        self.fit_button.clicked.connect(lambda: self._zoom(QPdfView.ZoomMode.FitInView))
        self.width_button.clicked.connect(lambda: self._zoom(QPdfView.ZoomMode.FitToWidth))
        self.close_button.clicked.connect(self.reject)
        QShortcut(QKeySequence.StandardKey.Print, self, self.print_dialog)
        QShortcut(QKeySequence.StandardKey.Save, self, self.save_dialog)

        buttons = QHBoxLayout()
        for widget in (self.print_button, self.save_button, self.fit_button, self.width_button):
            buttons.addWidget(widget)
        buttons.addStretch(1)
        buttons.addWidget(self.pages)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.view, 1)
        fit_size(self, 900, 700)
        self.view.setFocus()
        if not self.ready:
            self.pages.setText(tr("Không đọc được tệp PDF này."))
            self.print_button.setEnabled(False)

    def _zoom(self, mode: QPdfView.ZoomMode) -> None:
        self._readable = False
        self.view.setDocumentMargins(QMargins(6, 6, 6, 6))
        self.view.setZoomMode(mode)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self._readable and self.ready:
            # Fit to width (rendered sharp), with side margins so an A4 page is not blown up on a wide screen.
            page_px = self.document.pagePointSize(0).width() * self.logicalDpiX() / 72 * MAX_ZOOM
            side = max(6, int((self.view.viewport().width() - page_px) / 2))
            self.view.setDocumentMargins(QMargins(side, 6, side, 6))

    @property
    def page_count(self) -> int:
        return self.document.pageCount()

    @property
    def ready(self) -> bool:
        return self.document.status() == QPdfDocument.Status.Ready

    # -- saving ------------------------------------------------------------------------------------
    def save_to(self, path: Path) -> Path:
        path.write_bytes(self.pdf)
        return path

    def save_dialog(self) -> None:
        name, _ = QFileDialog.getSaveFileName(self, tr("Lưu PDF"), str(Path.home() / self.file_name),
                                              tr("Tệp PDF (*.pdf)"))
        if not name:
            return
        target = Path(name if name.lower().endswith(".pdf") else name + ".pdf")
        try:
            self.save_to(target)
        except OSError as exc:
            QMessageBox.warning(self, tr("Không lưu được"), tr("Không lưu được tệp {p}: {e}", p=str(target), e=exc))

    # -- printing ------------------------------------------------------------------------------------
    def print_dialog(self) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self.windowTitle())
        printer.setFromTo(1, max(1, self.page_count))
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle(tr("In giấy tờ"))
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.print_to(printer)

    def print_to(self, printer: QPrinter) -> int:
        """Render every page (or the range chosen) at the printer's resolution; returns pages printed."""
        first = max(printer.fromPage(), 1) - 1 if printer.fromPage() else 0
        last = (printer.toPage() or self.page_count) - 1
        last = min(last, self.page_count - 1)
        printer.setFullPage(True)  # the PDF carries its own legal margins
        painter = QPainter()
        if not painter.begin(printer):
            return 0
        printed = 0
        try:
            dpi = printer.resolution()
            for page in range(first, last + 1):
                if printed:
                    printer.newPage()
                size_pt = self.document.pagePointSize(page)
                pixels = QSize(int(size_pt.width() * dpi / 72), int(size_pt.height() * dpi / 72))
                image = self.document.render(page, pixels)
                full = printer.pageLayout().fullRectPixels(dpi).size()
                scaled = QSize(pixels)
                scaled.scale(full, Qt.AspectRatioMode.KeepAspectRatio)
                painter.drawImage(QRectF(0, 0, scaled.width(), scaled.height()), image)
                printed += 1
        finally:
            painter.end()
        return printed
