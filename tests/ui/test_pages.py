"""Settings, accounts, sync status and error messages."""

from __future__ import annotations

import sqlite3

from PySide6.QtWidgets import QLineEdit

from motcua.domain.states import TransitionRefused
from motcua.services import accounts as auth
from motcua.services.validation import ValidationFailed
from motcua.store.settings import get_settings
from motcua.ui.settings.settings_page import SettingsPage
from motcua.ui.sync.sync_page import SyncPage
from motcua.ui.widgets.dialogs import describe


def test_only_an_administrator_edits_settings(qtbot, make_context, ui_store) -> None:
    leader = SettingsPage(make_context("lanhdao01"))
    qtbot.addWidget(leader)
    assert not leader.save_button.isVisibleTo(leader)
    assert all(isinstance(w, QLineEdit) and w.isReadOnly() for w in leader.inputs.values())

    admin = SettingsPage(make_context("quantri"))
    qtbot.addWidget(admin)
    admin.inputs["agency_code"].setText("sai mã")
    admin.save_settings()
    assert admin.settings_error.isVisibleTo(admin) and "Mã cơ quan" in admin.settings_error.text()
    admin.inputs["agency_code"].setText("000.17.22.H56")
    admin.inputs["office_hours"].setText("07:30-11:30, 13:30-17:00")
    admin.save_settings()
    assert get_settings(ui_store.conn).office_hours == "07:30-11:30,13:30-17:00"
    assert admin.inputs["office_hours"].text() == "07:30-11:30,13:30-17:00"  # redrawn from the bus


def test_administrator_adds_and_locks_accounts(qtbot, make_context, ui_store, monkeypatch) -> None:
    from motcua.ui.settings import user_dialogs

    page = SettingsPage(make_context("quantri"))
    qtbot.addWidget(page)
    before = page.users_model.rowCount()

    def fill(dialog: user_dialogs.NewUserDialog) -> int:
        dialog.username.setText("tiepnhan02")
        dialog.full_name.setText("Đỗ Thị Lan")
        dialog.role.setCurrentIndex(dialog.role.findData("receiver"))
        dialog.password.setText("matkhau-456")
        dialog.confirm.setText("matkhau-456")
        return 1

    monkeypatch.setattr(user_dialogs.NewUserDialog, "exec", fill)
    page.add_user()
    assert page.users_model.rowCount() == before + 1
    assert auth.authenticate(ui_store.conn, "tiepnhan02", "matkhau-456") is not None

    row = next(r for r in range(page.users_model.rowCount()) if page.users_model.user_at(r).username == "tiepnhan02")
    page.users.selectRow(row)
    page.toggle_user()
    assert auth.authenticate(ui_store.conn, "tiepnhan02", "matkhau-456") is None


def test_sync_page_says_the_desk_is_not_enrolled(qtbot, make_context) -> None:
    page = SyncPage(make_context())
    qtbot.addWidget(page)
    assert "chưa đăng ký máy" in page.state.text() and not page.sync_button.isEnabled()


def test_every_failure_has_a_vietnamese_message() -> None:
    title, text = describe(ValidationFailed({"applicant.name": "Chưa nhập họ tên người nộp hồ sơ."}))
    assert title == "Thông tin chưa hợp lệ" and "Họ tên người nộp: Chưa nhập" in text
    assert describe(TransitionRefused("Không thể trả kết quả …"))[0] == "Không thực hiện được thao tác"
    assert describe(auth.PermissionDenied("…"))[0] == "Không có quyền"
    assert describe(sqlite3.OperationalError("database is locked"))[0] == "Dữ liệu đang bận"
    assert describe(FileNotFoundError("x.pdf"))[0] == "Không tìm thấy tệp"
    assert describe(RuntimeError("boom"))[0] == "Đã xảy ra lỗi"


def test_user_model_passes_qtmodeltester(qtmodeltester, ui_store) -> None:
    from motcua.ui.models.user_table import UserTableModel

    model = UserTableModel(ui_store.reader())
    assert model.rowCount() == 4
    qtmodeltester.check(model)
