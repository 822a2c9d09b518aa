"""First run, from the keyboard only: province, commune, agency code, hours, form set, administrator."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from typing_helpers import press, type_text

from motcua.paths import store_file
from motcua.services import accounts as auth
from motcua.store import backup_keys
from motcua.store.db import open_store
from motcua.store.settings import get_settings
from motcua.ui.bus import ChangesBus
from motcua.ui.settings.setup_wizard import SetupWizard
from motcua.ui.worker import SyncRunner

BACKUP_PASSPHRASE = "dong lua chin vang 2026"


def focused():
    QApplication.processEvents()
    widget = QApplication.focusWidget()
    assert widget is not None
    return widget


def type_here(text: str) -> None:
    type_text(focused(), text)


def key(k: Qt.Key) -> None:
    press(focused(), k)


@pytest.fixture
def fresh_store(tmp_path):
    conn = open_store(store_file(tmp_path / "data"))
    yield conn
    conn.close()


def test_setup_wizard_completes_with_the_keyboard(qtbot, fresh_store) -> None:
    wizard = SetupWizard(SyncRunner(fresh_store, ChangesBus()))
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.waitActive(wizard)
    assert focused() is wizard.place.province.search

    type_here("dak lak")                      # without diacritics still finds Đắk Lắk
    key(Qt.Key.Key_Return)                    # picks the first match, moves to the communes
    assert wizard.place.province.selected()[1] == "Đắk Lắk"
    assert focused() is wizard.place.commune.search
    type_here("Buôn Đôn")                     # with diacritics, typed as key events
    key(Qt.Key.Key_Return)
    assert wizard.place.commune.selected()[1] == "Xã Buôn Đôn"
    key(Qt.Key.Key_Return)                    # Enter on the list: "Tiếp tục"
    assert wizard.currentPage() is wizard.agency

    assert focused() is wizard.agency.agency_code
    type_here("000.17.22.h56")
    assert wizard.agency.agency_name.text() == "Ủy ban nhân dân xã Buôn Đôn"  # Nghị định 118/2025 defaults
    assert wizard.agency.papers["desk_name"].text() == "Trung tâm Phục vụ hành chính công"
    assert wizard.agency.papers["place_name"].text() == "Buôn Đôn"
    key(Qt.Key.Key_Tab)
    assert focused() is wizard.agency.agency_name
    key(Qt.Key.Key_Return)
    assert wizard.currentPage() is wizard.admin_page

    assert focused() is wizard.admin_page.inputs["username"]
    type_here("quantri.xa")
    for text in ("Phạm Thu Hà", "matkhau-2026", "matkhau-2026"):
        key(Qt.Key.Key_Tab)
        type_here(text)
    key(Qt.Key.Key_Return)                    # "Tiếp tục": the backup passphrase comes last
    assert wizard.currentPage() is wizard.backup_page
    assert focused() is wizard.backup_page.passphrase
    type_here(BACKUP_PASSPHRASE)
    assert "Mạnh" in wizard.backup_page.strength.text()
    key(Qt.Key.Key_Tab)
    type_here(BACKUP_PASSPHRASE)
    with qtbot.waitSignal(wizard.accepted, timeout=5000):
        key(Qt.Key.Key_Return)                # "Hoàn tất"

    settings = get_settings(fresh_store)
    assert (settings.province_name, settings.commune_name) == ("Đắk Lắk", "Xã Buôn Đôn")
    assert settings.agency_code == "000.17.22.H56" and settings.agency_name == "Ủy ban nhân dân xã Buôn Đôn"
    assert (settings.desk_name, settings.place_name, settings.signer_title) == (
        "Trung tâm Phục vụ hành chính công", "Buôn Đôn", "GIÁM ĐỐC")
    assert settings.office_hours == "07:00-11:30,13:30-17:00" and settings.form_set == "tt03_2025"
    assert settings.initialised and settings.device_id
    admin = auth.authenticate(fresh_store, "quantri.xa", "matkhau-2026")
    assert admin is not None and admin.role == "admin" and admin.full_name == "Phạm Thu Hà"
    assert wizard.admin == admin
    keys = backup_keys.backup_keys(fresh_store)   # the backup key pair, its private half sealed by the passphrase
    assert keys is not None and keys.sealed_private["scrypt"]
    assert not any(BACKUP_PASSPHRASE in str(row[0]) for row in fresh_store.execute("SELECT value FROM settings"))


def test_wizard_refuses_bad_input_and_says_why(qtbot, fresh_store) -> None:
    wizard = SetupWizard(SyncRunner(fresh_store, ChangesBus()))
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.waitActive(wizard)
    wizard.next()
    assert wizard.currentPage() is wizard.place and wizard.place.error.isVisible()
    wizard.place.province.search.setText("Cao Bằng")
    press(wizard.place.province.search, Qt.Key.Key_Return)
    wizard.place.commune.list.setCurrentIndex(wizard.place.commune.proxy.index(0, 0))
    wizard.next()
    wizard.agency.agency_code.setText("không phải mã")
    wizard.next()
    assert wizard.currentPage() is wizard.agency and wizard.agency.agency_code_error.isVisible()
    wizard.agency.agency_code.setText("000.00.00.H11")
    wizard.agency.papers["desk_phone"].setText("gọi bàn")  # the same check as Cài đặt and the CLI
    wizard.next()
    assert wizard.currentPage() is wizard.agency and wizard.agency.papers_error.isVisible()
    assert "Điện thoại" in wizard.agency.papers_error.text() or "điện thoại" in wizard.agency.papers_error.text()
    wizard.agency.papers["desk_phone"].setText("0262 3 812 345")
    wizard.next()
    page = wizard.admin_page
    page.inputs["full_name"].setText("Quản trị")
    page.inputs["password"].setText("ngan")
    wizard.next()
    assert wizard.currentPage() is page and page.errors["password"].isVisibleTo(wizard)
    page.inputs["password"].setText("song-hong-ea-kao")
    page.inputs["confirm"].setText("song-hong-ea-kao")
    wizard.next()
    backup = wizard.backup_page
    assert wizard.currentPage() is backup
    for weak, why in (("ngan", "ít nhất 10 ký tự"), ("1234567890", "dãy ký tự liên tiếp"),
                      ("matkhau2026", "từ thông dụng"), ("Song Hong Ea Kao", "khác mật khẩu đăng nhập")):
        backup.passphrase.setText(weak)
        backup.confirm.setText(weak)
        assert why in backup.strength.text() and "Chưa dùng được" in backup.strength.text()
        wizard.button(SetupWizard.WizardButton.FinishButton).click()
        assert not wizard.admin and why in backup.passphrase_error.text()
        assert backup.passphrase_error.isVisibleTo(wizard)
    backup.passphrase.setText(BACKUP_PASSPHRASE)
    backup.confirm.setText(BACKUP_PASSPHRASE + "x")
    wizard.button(SetupWizard.WizardButton.FinishButton).click()
    assert not wizard.admin and "không khớp" in backup.confirm_error.text()
    assert backup_keys.backup_keys(fresh_store) is None
    assert auth.user_count(fresh_store) == 0 and not get_settings(fresh_store).initialised


def test_all_34_provinces_and_3321_communes_tidy() -> None:
    from motcua.services.divisions import communes, provinces

    all_provinces = provinces()
    names = [c.name for p in all_provinces for c in communes(p.code)]
    assert len(all_provinces) == 34 and len(names) == 3321
    assert not [n for n in names if "  " in n]


def test_store_set_up_from_the_command_line_only_asks_for_the_administrator(qtbot, fresh_store) -> None:
    from motcua.store.db import transaction
    from motcua.store.settings import put_values

    with transaction(fresh_store):
        put_values(fresh_store, {"commune_name": "Xã Ea Kao", "agency_code": "000.17.22.H56"})
    both = SetupWizard(SyncRunner(fresh_store, ChangesBus()), only_admin=True)   # no backup passphrase yet
    qtbot.addWidget(both)
    assert [both.page(i) for i in both.pageIds()] == [both.admin_page, both.backup_page]
    # the command line set the backup passphrase too (app.py asks only when none is set)
    wizard = SetupWizard(SyncRunner(fresh_store, ChangesBus()), only_admin=True, ask_backup_passphrase=False)
    qtbot.addWidget(wizard)
    wizard.show()
    assert wizard.currentPage() is wizard.admin_page and wizard.pageIds() == [wizard.currentId()]
    page = wizard.admin_page
    page.inputs["full_name"].setText("Phạm Thu Hà")
    page.inputs["password"].setText("matkhau-2026")
    page.inputs["confirm"].setText("matkhau-2026")
    with qtbot.waitSignal(wizard.accepted, timeout=3000):
        wizard.button(SetupWizard.WizardButton.FinishButton).click()
    assert auth.authenticate(fresh_store, "quantri", "matkhau-2026") is not None
    assert get_settings(fresh_store).commune_name == "Xã Ea Kao"
