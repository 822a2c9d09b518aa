"""Sao lưu và khôi phục from the window: the same store functions as ``motcua backup``/``restore``, for
administrators only, re-checked in the writer job; a bad passphrase or a file that is no store changes nothing."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QWidget

from motcua.store import backup as backups
from motcua.ui.app import finish_restore
from motcua.ui.backup_dialog import BackupDialog, PassphraseDialog, RestoreDialog
from motcua.ui.settings_page import SettingsPage

PASSPHRASE = "mat-khau-sao-luu-2026"


def answer(steps: list[tuple[type, Callable[[QWidget], None]]]) -> list[str]:
    """Handle the modal dialogs as they come up, in order: each step's action runs on the next modal of its type."""
    seen: list[str] = []

    def poll() -> None:
        if not steps:
            return
        modal = QApplication.activeModalWidget()
        kind, action = steps[0]
        if isinstance(modal, kind):
            steps.pop(0)
            seen.append(kind.__name__)
            action(modal)
        QTimer.singleShot(10, poll)

    QTimer.singleShot(0, poll)
    return seen


def set_passphrase(dialog: PassphraseDialog) -> None:
    dialog.passphrase.setText(PASSPHRASE)
    dialog.confirm.setText(PASSPHRASE)
    dialog.accept()


def restore_with(passphrase: str) -> Callable[[RestoreDialog], None]:
    def act(dialog: RestoreDialog) -> None:
        dialog.passphrase.setText(passphrase)
        dialog.accept()
    return act


def users(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return [row[0] for row in conn.execute("SELECT username FROM users ORDER BY username")]
    finally:
        conn.close()


def make_dialog(qtbot, context) -> tuple[BackupDialog, list[int]]:  # type: ignore[no-untyped-def]
    quits: list[int] = []
    dialog = BackupDialog(context, quit_app=lambda: quits.append(1))
    qtbot.addWidget(dialog)
    return dialog, quits


def backed_up(qtbot, context) -> tuple[BackupDialog, list[int], Path]:  # type: ignore[no-untyped-def]
    dialog, quits = make_dialog(qtbot, context)
    assert "Chưa đặt mật khẩu sao lưu" in dialog.keys_label.text()
    seen = answer([(PassphraseDialog, set_passphrase)])
    dialog.backup_now()   # no passphrase yet: says so and offers to set one
    assert seen == ["PassphraseDialog"]
    assert "được mã hóa" in dialog.keys_label.text()
    dialog.backup_now()
    made = sorted(backups.backups_dir(context.data_dir).glob(f"*{backups.SEALED_SUFFIX}"))
    assert len(made) == 1 and str(made[0]) in dialog.status.text()
    return dialog, quits, made[0]


def choose(monkeypatch, path: Path) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(path), "")))


def test_backup_then_restore_round_trip(qtbot, make_context, ui_store, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    context = make_context("quantri")
    dialog, quits, backup = backed_up(qtbot, context)
    before = users(ui_store.path)
    ui_store.conn.execute("UPDATE users SET full_name = 'Đã đổi sau sao lưu' WHERE username = 'tiepnhan01'")
    ui_store.conn.execute("DELETE FROM users WHERE username = 'chuyenvien01'")
    assert users(ui_store.path) != before
    choose(monkeypatch, backup)
    summaries: list[str] = []

    def confirm_restore(restore: RestoreDialog) -> None:
        summaries.append(restore.findChild(QWidget, "restoreSummary").text())  # type: ignore[union-attr]
        restore_with(PASSPHRASE)(restore)

    seen = answer([(RestoreDialog, confirm_restore), (QMessageBox, lambda box: box.accept())])  # type: ignore[attr-defined]
    dialog.choose_restore()
    assert seen == ["RestoreDialog", "QMessageBox"]
    assert "Bị thay thế" in summaries[0] and "Được giữ lại" in summaries[0]
    assert quits == [1]   # the app closes: the store is replaced at the next start, when nothing has it open
    assert users(ui_store.path) != before and backups.pending_restore_file(ui_store.path).is_file()
    seen = answer([(QMessageBox, lambda box: box.accept())])  # type: ignore[attr-defined]
    assert finish_restore(ui_store.path)   # what the next start does before it opens the store
    assert seen == ["QMessageBox"]
    assert users(ui_store.path) == before and not backups.pending_restore_file(ui_store.path).exists()
    kept = list(backups.backups_dir(context.data_dir).glob("before-restore-*.sqlite3"))
    assert len(kept) == 1 and "chuyenvien01" not in users(kept[0])
    assert finish_restore(ui_store.path)   # nothing pending: nothing happens
    assert len(list(backups.backups_dir(context.data_dir).glob("before-restore-*.sqlite3"))) == 1


def test_wrong_passphrase_or_a_file_that_is_no_store_changes_nothing(qtbot, make_context, ui_store,  # type: ignore[no-untyped-def]
                                                                      monkeypatch, tmp_path) -> None:
    context = make_context("quantri")
    dialog, quits, backup = backed_up(qtbot, context)
    ui_store.conn.execute("DELETE FROM users WHERE username = 'chuyenvien01'")
    after = users(ui_store.path)
    choose(monkeypatch, backup)
    answer([(RestoreDialog, restore_with("khong-phai-mat-khau"))])
    dialog.choose_restore()
    assert "Mật khẩu sao lưu không đúng" in dialog.status.text()
    assert "dữ liệu hiện tại giữ nguyên" in dialog.status.text()
    not_a_store = tmp_path / "ghi-chu.sqlite3"
    not_a_store.write_text("không phải cơ sở dữ liệu", encoding="utf-8")
    choose(monkeypatch, not_a_store)
    answer([(RestoreDialog, lambda restore: restore.accept())])  # type: ignore[attr-defined]
    dialog.choose_restore()
    assert "không phải bản sao lưu hợp lệ" in dialog.status.text()
    assert quits == [] and users(ui_store.path) == after
    assert not list(backups.backups_dir(context.data_dir).glob("before-restore-*"))
    assert not backups.pending_restore_file(ui_store.path).exists()


def test_only_an_administrator_sees_and_runs_backup(qtbot, make_context, ui_store) -> None:  # type: ignore[no-untyped-def]
    desk = SettingsPage(make_context("tiepnhan01"))
    qtbot.addWidget(desk)
    assert not hasattr(desk, "backup_button")
    admin_page = SettingsPage(make_context("quantri"))
    qtbot.addWidget(admin_page)
    assert admin_page.backup_button.text() == "Sao lưu và khôi phục…"
    dialog, _quits = make_dialog(qtbot, make_context("tiepnhan01"))
    dialog.backup_now()
    dialog.choose_restore()
    assert "không có quyền" in dialog.status.text()
    # re-checked in the writer: an administrator locked after opening the dialog can no longer back up
    admin, _quits = make_dialog(qtbot, make_context("quantri"))
    ui_store.conn.execute("UPDATE users SET active = 0 WHERE username = 'quantri'")
    admin.has_passphrase = True
    admin.backup_now()
    assert not backups.backups_dir(ui_store.data_dir).exists() or \
        not list(backups.backups_dir(ui_store.data_dir).iterdir())
    assert admin.status.objectName() == "fieldError"
