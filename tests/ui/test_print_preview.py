"""The print preview: loads any form PDF, prints it through QPrinter, saves it."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter

from motcua.forms import samples
from motcua.forms.render import render_form, render_guidance
from motcua.ui.print_preview import PrintPreview


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
