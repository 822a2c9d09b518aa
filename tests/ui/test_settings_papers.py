"""Cài đặt: the issuing body, place and signers the papers print, checked by the one settings service."""

from __future__ import annotations

from motcua.store.settings import get_settings
from motcua.ui.settings.settings_page import SettingsPage


def test_administrator_sets_what_the_papers_print(qtbot, make_context, ui_store) -> None:
    page = SettingsPage(make_context("quantri"))
    qtbot.addWidget(page)
    assert page.inputs["desk_name"].placeholderText() == "Trung tâm Phục vụ hành chính công"  # the default
    assert page.inputs["report_signer_title"].placeholderText() == "CHỦ TỊCH"
    page.inputs["desk_phone"].setText("gọi bàn")
    page.save_settings()
    assert page.settings_error.isVisibleTo(page) and "Số điện thoại" in page.settings_error.text()
    assert get_settings(ui_store.conn).desk_phone == ""  # nothing written
    page.inputs["desk_phone"].setText("0262 3 812 345")
    page.inputs["desk_name"].setText("Trung tâm Phục vụ hành chính công xã Ea Kao")
    page.inputs["signer_name"].setText("Lê Thị Mai")
    page.save_settings()
    settings = get_settings(ui_store.conn)
    assert (settings.desk_phone, settings.desk_name, settings.signer_name) == (
        "0262 3 812 345", "Trung tâm Phục vụ hành chính công xã Ea Kao", "Lê Thị Mai")


def test_the_receipt_in_two_copies_from_settings_to_paper(qtbot, make_context, ui_store) -> None:
    import subprocess

    from ui_helpers import intake_one

    from motcua.ui._adapters import receipt_pdf

    dossier = intake_one(ui_store.conn, ui_store.data_dir)
    one = receipt_pdf(ui_store.conn, dossier)
    page = SettingsPage(make_context("quantri"))
    qtbot.addWidget(page)
    assert not page.receipt_copies.isChecked()
    page.receipt_copies.setChecked(True)
    page.save_settings()
    qtbot.waitUntil(lambda: get_settings(ui_store.conn).receipt_copies == 2, timeout=5000)
    two = receipt_pdf(ui_store.conn, dossier)  # what «Lưu và in» and «In biểu mẫu» print now

    def pages_and_text(pdf: bytes) -> tuple[int, str]:
        text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
        return text.count("\f"), text

    assert pages_and_text(one)[0] == 1 and "Liên" not in pages_and_text(one)[1]
    count, text = pages_and_text(two)
    assert count == 2 and "(Liên 1: Lưu)" in text and "(Liên 2: Giao khách hàng)" in text
    assert text.count("GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ") == 2
