"""Preview of any form PDF (receipt, guidance sheet…), printing through the system dialog, and
saving the PDF. The document is shown exactly as the forms package rendered it: what is printed
is what was previewed.

How a page reaches the printer (Qt can only rasterise a PDF page, ``QPdfDocument.render``):

* **Print to file (PDF)** chosen in the dialog, whole document: the PDF bytes themselves are written.
* **Linux and macOS**: the PDF file is handed to CUPS with ``lp -d <printer>`` (copies, page range,
  duplex from the dialog); CUPS filters it for the printer, so text and rules stay vector and a one-page
  receipt is a few tens of kilobytes, not a bitmap.
* **Windows, or no ``lp``**: there is no system spooler that takes a PDF as it is, so each page is
  rendered at the printer's own resolution capped at ``MAX_RASTER_DPI`` (300 dpi: sharp for 10–13 pt
  text, a sixteenth of the 1200-dpi bitmap Qt's HighResolution mode asks for).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMargins, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QKeySequence, QPainter, QResizeEvent, QShortcut
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QFileDialog, QHBoxLayout, QLabel, QMessageBox, QPushButton, QVBoxLayout, QWidget

from motcua.i18n import tr
from motcua.ui.qtcompat import emit
from motcua.ui.widgets.fitting import fit_size

MAX_RASTER_DPI = 300  # the raster fallback never sends more than this
LP_TIMEOUT_SECONDS = 60
_SIDES = {QPrinter.DuplexMode.DuplexNone: "one-sided", QPrinter.DuplexMode.DuplexLongSide: "two-sided-long-edge",
          QPrinter.DuplexMode.DuplexShortSide: "two-sided-short-edge"}


@dataclass(frozen=True)
class PrintJob:
    """What the print dialog chose, as plain values (the route is decided from these alone)."""

    printer_name: str
    to_file: str          # the dialog's "print to file" target, or ""
    copies: int = 1
    first_page: int = 0   # 1-based; 0 = the whole document
    last_page: int = 0
    sides: str = ""       # CUPS "sides" value, "" = the printer's default
    title: str = ""

    @property
    def whole(self) -> bool:
        return self.first_page == 0


def print_route(job: PrintJob, *, platform: str = sys.platform, lp: str | None = None) -> str:
    """"file" (the PDF bytes as they are), "cups" (``lp``) or "raster" (QPainter at ≤ 300 dpi)."""
    if job.to_file:
        return "file" if job.whole else "raster"
    if platform != "win32" and lp and job.printer_name:
        return "cups"
    return "raster"


def lp_command(lp: str, pdf: Path, job: PrintJob) -> list[str]:
    """The ``lp`` invocation that prints ``pdf`` as the dialog asked (CUPS lp(1) options)."""
    args = [lp, "-d", job.printer_name, "-n", str(max(1, job.copies))]
    if job.title:
        args += ["-t", job.title]
    if not job.whole:
        args += ["-P", f"{job.first_page}-{job.last_page or job.first_page}"]
    if job.copies > 1:
        args += ["-o", "collate=true"]
    if job.sides:
        args += ["-o", f"sides={job.sides}"]
    return [*args, "--", str(pdf)]


def job_of(printer: QPrinter) -> PrintJob:
    ranged = printer.printRange() == QPrinter.PrintRange.PageRange and printer.fromPage() > 0
    to_file = printer.outputFileName() if printer.outputFormat() == QPrinter.OutputFormat.PdfFormat else ""
    return PrintJob(printer_name=printer.printerName(), to_file=to_file, copies=printer.copyCount(),
                    first_page=printer.fromPage() if ranged else 0, last_page=printer.toPage() if ranged else 0,
                    sides=_SIDES.get(printer.duplex(), ""), title=printer.docName())


class PrintFailed(Exception):
    """The spooler refused the job (its own message is kept)."""


MAX_ZOOM = 1.15  # the widest an A4 page is shown by default, relative to its real size


class PrintPreview(QDialog):
    # The paper left the window: "print" (to a printer) or "pdf" (a file). Dossier papers record it as a disclosure.
    delivered = Signal(str)

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
    last_dir: Path | None = None  # where the previous PDF was saved, for the next one

    def save_to(self, path: Path) -> Path:
        path.write_bytes(self.pdf)
        return path

    def save_file_dialog(self) -> QFileDialog:
        """The save dialog, proposing ``file_name`` whole (the full dossier code, dots included)."""
        folder = PrintPreview.last_dir or Path.home()
        dialog = QFileDialog(self, tr("Lưu PDF"), str(folder), tr("Tệp PDF (*.pdf)"))
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix("pdf")
        dialog.selectFile(str(folder / self.file_name))
        return dialog

    def save_dialog(self) -> None:
        dialog = self.save_file_dialog()
        if dialog.exec() != QDialog.DialogCode.Accepted or not dialog.selectedFiles():
            return
        name = dialog.selectedFiles()[0]
        target = Path(name if name.lower().endswith(".pdf") else name + ".pdf")
        try:
            self.save_to(target)
        except OSError as exc:
            QMessageBox.warning(self, tr("Không lưu được"), tr("Không lưu được tệp {p}: {e}", p=str(target), e=exc))
            return
        PrintPreview.last_dir = target.parent
        emit(self.delivered, "pdf")

    # -- printing ------------------------------------------------------------------------------------
    def print_dialog(self) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        # The job's name in the printer queue, and the name "print to file" proposes: the whole dossier code.
        printer.setDocName(self.file_name)
        printer.setFromTo(1, max(1, self.page_count))
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle(tr("In giấy tờ"))
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        try:
            route = self.deliver(printer)
        except (OSError, PrintFailed, subprocess.TimeoutExpired) as exc:
            QMessageBox.warning(self, tr("Không in được"), tr("Máy in không nhận lệnh in: {e}", e=exc))
            return
        where = job_of(printer).to_file if route == "file" else printer.printerName()
        self.pages.setText(tr("{n} trang · đã gửi tới {where}", n=self.page_count, where=where))
        emit(self.delivered, "pdf" if route == "file" else "print")

    def deliver(self, printer: QPrinter) -> str:
        """Send the document where the dialog said, by the best route; returns the route taken."""
        job = job_of(printer)
        route = print_route(job, lp=shutil.which("lp"))
        if route == "file":
            Path(job.to_file).write_bytes(self.pdf)
        elif route == "cups":
            self.send_to_cups(job)
        else:
            self.print_to(printer)
        return route

    def send_to_cups(self, job: PrintJob, lp: str = "lp") -> None:
        """Hand the PDF file itself to CUPS (vector all the way to the printer's own filter)."""
        handle, name = tempfile.mkstemp(prefix="motcua-in-", suffix=".pdf")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(self.pdf)
            done = subprocess.run(lp_command(shutil.which(lp) or lp, Path(name), job), capture_output=True,
                                  text=True, timeout=LP_TIMEOUT_SECONDS, check=False)
        finally:
            Path(name).unlink(missing_ok=True)  # lp has sent the file to the scheduler by the time it returns
        if done.returncode != 0:
            raise PrintFailed((done.stderr or done.stdout).strip() or f"lp: {done.returncode}")

    def print_to(self, printer: QPrinter) -> int:
        """Render every page (or the range chosen) at the printer's resolution, at most MAX_RASTER_DPI;
        returns pages printed."""
        first = max(printer.fromPage(), 1) - 1 if printer.fromPage() else 0
        last = (printer.toPage() or self.page_count) - 1
        last = min(last, self.page_count - 1)
        printer.setFullPage(True)  # the PDF carries its own legal margins
        painter = QPainter()
        if not painter.begin(printer):
            return 0
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        printed = 0
        try:
            device_dpi = printer.resolution()
            dpi = min(device_dpi, MAX_RASTER_DPI)
            full = printer.pageLayout().fullRectPixels(device_dpi).size()
            for page in range(first, last + 1):
                if printed:
                    printer.newPage()
                size_pt = self.document.pagePointSize(page)
                pixels = QSize(int(size_pt.width() * dpi / 72), int(size_pt.height() * dpi / 72))
                image = self.document.render(page, pixels)
                target = QSize(int(size_pt.width() * device_dpi / 72), int(size_pt.height() * device_dpi / 72))
                target.scale(full, Qt.AspectRatioMode.KeepAspectRatio)
                painter.drawImage(QRectF(0, 0, target.width(), target.height()), image)
                printed += 1
        finally:
            painter.end()
        return printed
