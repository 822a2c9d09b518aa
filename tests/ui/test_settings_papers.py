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
