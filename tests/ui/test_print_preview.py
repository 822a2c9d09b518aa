"""The print preview: loads any form PDF, prints it through QPrinter, saves it."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter

from motcua.forms import samples
from motcua.forms.render import render_form, render_guidance
from motcua.ui.widgets.print_preview import PrintPreview


def test_the_receipt_pdf_loads_ready_with_its_pages(qtbot):  # type: ignore[no-untyped-def]
    pdf = render_form("receipt", samples.receipt())
    preview = PrintPreview(pdf, "Giấy tiếp nhận", "tiep-nhan.pdf")
    qtbot.addWidget(preview)
    preview.show()
    assert preview.document.status() == QPdfDocument.Status.Ready
    assert preview.page_count >= 1
    assert preview.pages.text() == f"{preview.page_count} trang"


def test_printing_renders_every_page_and_saving_writes_the_same_bytes(qtbot, tmp_path: Path):  # type: ignore[no-untyped-def]
    pdf = render_guidance(samples.guidance())
    preview = PrintPreview(pdf, "Hướng dẫn", "huong-dan.pdf")
    qtbot.addWidget(preview)
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    assert preview.print_to(printer) == preview.page_count
    printed = QPdfDocument()
    printed.load(str(tmp_path / "printed.pdf"))
    assert printed.status() == QPdfDocument.Status.Ready
    assert printed.pageCount() == preview.page_count
    assert preview.save_to(tmp_path / "saved.pdf").read_bytes() == pdf


def test_a_broken_pdf_is_reported_not_shown(qtbot):  # type: ignore[no-untyped-def]
    preview = PrintPreview(b"not a pdf", "Hỏng")
    qtbot.addWidget(preview)
    assert not preview.ready
    assert preview.page_count == 0
    assert "Không đọc được" in preview.pages.text()
    assert not preview.print_button.isEnabled()


def test_enter_prints_and_ctrl_s_saves_from_the_keyboard(qtbot, monkeypatch):  # type: ignore[no-untyped-def]
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    calls: list[str] = []
    monkeypatch.setattr(PrintPreview, "print_dialog", lambda self: calls.append("print"))
    monkeypatch.setattr(PrintPreview, "save_dialog", lambda self: calls.append("save"))
    preview = PrintPreview(render_form("receipt", samples.receipt()), "Giấy tiếp nhận")
    qtbot.addWidget(preview)
    preview.show()
    preview.activateWindow()
    qtbot.waitUntil(preview.isActiveWindow)
    QTest.keyClick(preview.view, Qt.Key.Key_Return)  # "In…" is the default button
    QTest.keyClick(preview.view, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert calls == ["print", "save"]


# -- how a page reaches the printer: vector PDF where possible, never a 1200-dpi bitmap -------------------------------

def _image_sizes(pdf: bytes) -> list[tuple[int, int]]:
    import subprocess

    listing = subprocess.run(["pdfimages", "-list", "-"], input=pdf, capture_output=True, check=True).stdout
    sizes = []
    for line in listing.decode().splitlines()[2:]:
        parts = line.split()
        sizes.append((int(parts[3]), int(parts[4])))
    return sizes


def test_the_raster_fallback_renders_at_most_300_dpi_even_on_a_1200_dpi_printer(qtbot, tmp_path: Path):  # type: ignore[no-untyped-def]
    from motcua.ui.widgets.print_preview import MAX_RASTER_DPI

    preview = PrintPreview(render_form("receipt", samples.receipt()), "Giấy tiếp nhận")
    qtbot.addWidget(preview)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setResolution(1200)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "raster.pdf"))
    assert printer.resolution() == 1200
    assert preview.print_to(printer) == preview.page_count
    sizes = _image_sizes((tmp_path / "raster.pdf").read_bytes())
    a4_at_cap = (round(210 / 25.4 * MAX_RASTER_DPI), round(297 / 25.4 * MAX_RASTER_DPI))
    assert sizes and all(w <= a4_at_cap[0] + 2 and h <= a4_at_cap[1] + 2 for w, h in sizes), sizes


def test_print_to_file_writes_the_vector_pdf_itself(qtbot, tmp_path: Path):  # type: ignore[no-untyped-def]
    pdf = render_form("receipt", samples.receipt())
    preview = PrintPreview(pdf, "Giấy tiếp nhận")
    qtbot.addWidget(preview)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "to-file.pdf"))
    assert preview.deliver(printer) == "file"
    assert (tmp_path / "to-file.pdf").read_bytes() == pdf   # no bitmap: the very bytes previewed


def test_the_route_and_the_lp_command() -> None:
    from motcua.ui.widgets.print_preview import PrintJob, lp_command, print_route

    job = PrintJob(printer_name="HP_LaserJet", to_file="", copies=2, first_page=1, last_page=2,
                   sides="two-sided-long-edge", title="Giấy tiếp nhận")
    assert print_route(job, platform="linux", lp="/usr/bin/lp") == "cups"
    assert print_route(job, platform="darwin", lp="/usr/bin/lp") == "cups"
    assert print_route(job, platform="win32", lp=None) == "raster"      # Windows: rendered at <= 300 dpi
    assert print_route(job, platform="linux", lp=None) == "raster"      # no CUPS client installed
    assert print_route(PrintJob("", "/tmp/x.pdf"), platform="win32") == "file"
    assert print_route(PrintJob("", "/tmp/x.pdf", first_page=2, last_page=2)) == "raster"
    assert lp_command("/usr/bin/lp", Path("/tmp/a b.pdf"), job) == [
        "/usr/bin/lp", "-d", "HP_LaserJet", "-n", "2", "-t", "Giấy tiếp nhận", "-P", "1-2", "-o", "collate=true",
        "-o", "sides=two-sided-long-edge", "--", "/tmp/a b.pdf"]
    assert lp_command("lp", Path("/tmp/x.pdf"), PrintJob("P", "")) == ["lp", "-d", "P", "-n", "1", "--", "/tmp/x.pdf"]


def test_cups_receives_the_pdf_file_and_its_refusal_is_reported(qtbot, tmp_path: Path, monkeypatch):  # type: ignore[no-untyped-def]
    import subprocess

    import pytest

    from motcua.ui.widgets import print_preview
    from motcua.ui.widgets.print_preview import PrintFailed, PrintJob

    pdf = render_form("receipt", samples.receipt())
    preview = PrintPreview(pdf, "Giấy tiếp nhận")
    qtbot.addWidget(preview)
    sent: list[tuple[list[str], bytes]] = []

    def fake_run(args, **_kwargs):  # type: ignore[no-untyped-def]
        sent.append((args, Path(args[-1]).read_bytes()))
        code = 0 if args[2] == "HP" else 1
        error = "" if code == 0 else "lp: The printer or class does not exist."
        return subprocess.CompletedProcess(args, code, "", error)

    monkeypatch.setattr(print_preview.subprocess, "run", fake_run)
    preview.send_to_cups(PrintJob("HP", ""))
    assert sent[0][0][:3] == ["lp", "-d", "HP"] or sent[0][0][1:3] == ["-d", "HP"]
    assert sent[0][1] == pdf and not Path(sent[0][0][-1]).exists()   # the PDF itself; the temporary file is gone
    with pytest.raises(PrintFailed, match="does not exist"):
        preview.send_to_cups(PrintJob("Missing", ""))


def test_the_print_button_sends_the_previewed_pdf_and_says_where(qtbot, tmp_path: Path, monkeypatch):  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QDialog

    from motcua.ui.widgets import print_preview

    names: list[str] = []

    class FileDialog:  # the system dialog, answered "print to file"
        def __init__(self, printer: QPrinter, _parent: object) -> None:
            self.printer = printer

        def setWindowTitle(self, _title: str) -> None:
            pass

        def exec(self) -> QDialog.DialogCode:
            names.append(self.printer.docName())
            self.printer.setOutputFileName(str(tmp_path / "printed.pdf"))
            return QDialog.DialogCode.Accepted

    monkeypatch.setattr(print_preview, "QPrintDialog", FileDialog)
    pdf = render_form("receipt", samples.receipt())
    preview = PrintPreview(pdf, "Giấy tiếp nhận", "bien-nhan-000.17.22.H56-261207-0001.pdf")
    qtbot.addWidget(preview)
    preview.print_button.click()
    assert names == ["bien-nhan-000.17.22.H56-261207-0001.pdf"]   # the queue's job name: the whole code
    assert (tmp_path / "printed.pdf").read_bytes() == pdf
    assert "printed.pdf" in preview.pages.text()
