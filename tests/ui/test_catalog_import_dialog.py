"""Nhập danh mục thủ tục from the window: the preview of ``motcua catalog import``, then apply; admins only."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog

from motcua.catalog.importer import plan_import
from motcua.services import accounts as auth
from motcua.ui.settings.catalog_import_dialog import CatalogImportDialog, apply_job

LIST = ("Mã TTHC;Tên thủ tục hành chính;Lĩnh vực;Cấp thực hiện;Quyết định công bố\n"
        "9.990002;Xác nhận một việc tỉnh tự quy định;Hộ tịch;Cấp xã;Quyết định số 99/QĐ-UBND\n")


def _count(conn, code: str) -> int:  # type: ignore[no-untyped-def]
    return int(conn.execute("SELECT count(*) FROM procedures WHERE code = ?", (code,)).fetchone()[0])


def test_the_preview_comes_first_then_apply_writes(qtbot, make_context, ui_store, monkeypatch,  # type: ignore[no-untyped-def]
                                                   tmp_path: Path) -> None:
    sheet = tmp_path / "danh-muc.csv"
    sheet.write_text(LIST, encoding="utf-8")
    dialog = CatalogImportDialog(make_context("quantri"))
    qtbot.addWidget(dialog)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(sheet), "")))
    dialog.choose_button.click()
    assert "Xem trước nhập danh mục từ danh-muc.csv" in dialog.preview.toPlainText()
    assert "9.990002" in dialog.preview.toPlainText()
    assert _count(ui_store.conn, "9.990002") == 0        # a preview writes nothing
    assert dialog.apply_button.isEnabled()
    dialog.apply_button.click()
    assert _count(ui_store.conn, "9.990002") == 1
    assert "Đã nhập 1 thủ tục" in dialog.status.text()


def test_a_file_with_errors_cannot_be_applied(qtbot, make_context, monkeypatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "hong.csv"
    bad.write_text("Cột lạ;Khác\n1;2\n", encoding="utf-8")
    dialog = CatalogImportDialog(make_context("quantri"))
    qtbot.addWidget(dialog)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(bad), "")))
    dialog.choose_button.click()
    assert not dialog.apply_button.isEnabled() and "Tệp có lỗi" in dialog.status.text()


def test_a_non_administrator_cannot_import(qtbot, make_context, ui_store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    dialog = CatalogImportDialog(make_context("tiepnhan01"))
    qtbot.addWidget(dialog)
    dialog.choose_button.click()
    assert "không có quyền" in dialog.status.text()
    sheet = tmp_path / "danh-muc.csv"
    sheet.write_text(LIST, encoding="utf-8")
    plan = plan_import(ui_store.conn, sheet)
    with pytest.raises(auth.PermissionDenied):   # the writer job checks the role again
        apply_job(auth.get_user(ui_store.conn, "tiepnhan01"), plan)(ui_store.conn)
    assert _count(ui_store.conn, "9.990002") == 0
