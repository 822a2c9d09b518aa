"""The access-report dialog: an ID number in, every dossier holding it out, and the PDF export is recorded."""

from __future__ import annotations

from pathlib import Path

from ui_helpers import intake_one

from motcua.services.disclosure import disclosure_log
from motcua.ui.settings.access_dialog import AccessReportDialog


def test_dialog_finds_the_dossiers_and_records_the_export(qtbot, make_context, ui_store, tmp_path: Path) -> None:
    intake_one(ui_store.conn, ui_store.data_dir)
    dialog = AccessReportDialog(make_context("tiepnhan01"))
    qtbot.addWidget(dialog)
    dialog.id_number.setText("12")
    dialog.find()
    assert "không phải số định danh" in dialog.result.toPlainText() and not dialog.export.isEnabled()
    dialog.id_number.setText("066190001234")
    dialog.find()
    text = dialog.result.toPlainText()
    assert "1 hồ sơ" in text and "Nguyễn Thị Hoa" in text and dialog.export.isEnabled()
    target = tmp_path / "phieu.pdf"
    dialog.export_pdf(str(target))
    assert target.read_bytes().startswith(b"%PDF")
    log = disclosure_log(ui_store.conn)
    assert len(log) == 1 and log[0].actor == "tiepnhan01" and log[0].channel == "pdf"
