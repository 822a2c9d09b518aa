"""«Đổi vai trò…» under Cài đặt: an existing account's roles, as ``motcua user roles`` (administrators only)."""

from __future__ import annotations

from motcua.services import accounts as auth
from motcua.ui.settings import settings_page, user_dialogs
from motcua.ui.settings.settings_page import SettingsPage


def _select(page: SettingsPage, username: str) -> None:
    model = page.users_model
    page.users.selectRow(next(r for r in range(model.rowCount()) if model.user_at(r).username == username))


def test_an_administrator_gives_a_desk_officer_a_second_role(qtbot, make_context, ui_store, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    page = SettingsPage(make_context("quantri"))
    qtbot.addWidget(page)
    shown: list[str] = []

    def tick(dialog: user_dialogs.RolesDialog) -> int:
        shown.append(dialog.role.currentData())
        dialog.more_roles["specialist"].setChecked(True)
        return 1

    monkeypatch.setattr(user_dialogs.RolesDialog, "exec", tick)
    _select(page, "tiepnhan01")
    page.change_roles()
    assert shown == ["receiver"]
    user = auth.get_user(ui_store.conn, "tiepnhan01")
    assert user is not None and user.role == "receiver" and set(user.roles) == {"receiver", "specialist"}


def test_the_last_administrator_keeps_the_role(qtbot, make_context, ui_store, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    page = SettingsPage(make_context("quantri"))
    qtbot.addWidget(page)
    errors: list[BaseException] = []
    monkeypatch.setattr(settings_page, "show_error", lambda _parent, error: errors.append(error))

    def demote(dialog: user_dialogs.RolesDialog) -> int:
        dialog.role.setCurrentIndex(dialog.role.findData("receiver"))
        return 1

    monkeypatch.setattr(user_dialogs.RolesDialog, "exec", demote)
    _select(page, "quantri")
    page.change_roles()
    assert len(errors) == 1 and "ít nhất một quản trị" in str(errors[0].errors)  # type: ignore[attr-defined]
    assert auth.get_user(ui_store.conn, "quantri").holds("admin")  # type: ignore[union-attr]


def test_a_desk_officer_has_no_roles_button(qtbot, make_context) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QPushButton

    page = SettingsPage(make_context("tiepnhan01"))
    qtbot.addWidget(page)
    button = next(b for b in page.findChildren(QPushButton) if b.text() == "Đổi vai trò…")
    assert not button.isVisibleTo(page)
