"""Sao lưu và khôi phục from the window: the same store functions as ``motcua backup``/``restore``, for
administrators only, re-checked in the writer job; a bad passphrase or a file that is no store changes nothing."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QWidget

from motcua.store import backup as backups
from motcua.store import backup_keys
from motcua.store.db import open_store
from motcua.store.settings import get_value
from motcua.ui.app import finish_restore
from motcua.ui.settings.backup_dialog import BackupDialog, PassphraseDialog, RecoveryKeyDialog, RestoreDialog
from motcua.ui.settings.settings_page import SettingsPage

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


def test_backup_then_restore_round_trip(qtbot, make_context, ui_store, monkeypatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
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
    # the data replaced is kept sealed like a backup (a passphrase is set), not as a readable copy
    assert not list(backups.backups_dir(context.data_dir).glob("before-restore-*.sqlite3"))
    kept = list(backups.backups_dir(context.data_dir).glob(f"before-restore-*{backups.SEALED_SUFFIX}"))
    assert len(kept) == 1
    opened = tmp_path / "kept.sqlite3"
    backups.unseal_backup(kept[0], opened, passphrase=PASSPHRASE)
    assert "chuyenvien01" not in users(opened)
    assert finish_restore(ui_store.path)   # nothing pending: nothing happens
    assert len(list(backups.backups_dir(context.data_dir).glob("before-restore-*"))) == 1


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


def contents(path: Path) -> list[str]:
    """Every table's rows, as SQL: two stores with the same contents give the same list."""
    conn = sqlite3.connect(path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def add_dossiers(ui_store, count: int) -> None:  # type: ignore[no-untyped-def]
    from motcua.services.demo import SampleFactory
    from motcua.services.desk import Desk
    from motcua.services.intake import parse_intake

    factory = SampleFactory(seed=14)
    desk = Desk(ui_store.conn, ui_store.data_dir)
    for _ in range(count):
        desk.intake(parse_intake(factory.intake()), "tiepnhan01")


def restore_in_window(dialog: BackupDialog, act: Callable[[RestoreDialog], None]) -> list[str]:
    return answer([(RestoreDialog, act), (QMessageBox, lambda box: box.accept())])  # type: ignore[attr-defined]


def by_recovery_key(key_file: Path) -> Callable[[RestoreDialog], None]:
    def act(dialog: RestoreDialog) -> None:
        dialog.by_recovery.setChecked(True)
        assert not dialog.passphrase.isEnabled() and dialog.recovery_file.isEnabled()
        dialog.recovery_file.setText(str(key_file))
        dialog.accept()
    return act


def test_restore_with_the_passphrase_or_the_province_recovery_key_equals_the_original(  # type: ignore[no-untyped-def]
        qtbot, make_context, ui_store, monkeypatch, tmp_path, run_cli) -> None:
    province_key = tmp_path / "tinh" / "khoi-phuc.pem"
    province_key.parent.mkdir()
    public = backup_keys.write_recovery_keypair(province_key)
    context = make_context("quantri")
    dialog, quits = make_dialog(qtbot, context)
    assert "Chưa có khóa khôi phục của tỉnh" in dialog.keys_label.text()
    answer([(RecoveryKeyDialog, lambda d: (d.public_key.setText("không phải khóa"), d.accept())),  # type: ignore[attr-defined]
            (RecoveryKeyDialog, lambda d: (d.public_key.setText(public), d.accept()))])  # type: ignore[attr-defined]
    dialog.set_recovery_key()   # a wrong key is refused under its field; the right one is kept
    assert get_value(ui_store.conn, backup_keys.RECOVERY) == public
    assert "khóa khôi phục của tỉnh" in dialog.keys_label.text() and "Chưa có" not in dialog.keys_label.text()
    add_dossiers(ui_store, 12)
    answer([(PassphraseDialog, set_passphrase)])
    dialog.backup_now()
    dialog.backup_now()
    backup = sorted(backups.backups_dir(context.data_dir).glob(f"*{backups.SEALED_SUFFIX}"))[0]
    original = contents(ui_store.path)
    assert any("Công dân" in line or "INSERT INTO \"dossiers\"" in line for line in original)

    replaced: list[sqlite3.Connection] = []
    for act in (by_recovery_key(province_key), restore_with(PASSPHRASE)):
        add_dossiers(ui_store, 3)   # work done after the backup, which the restore takes back
        ui_store.conn.execute("DELETE FROM users WHERE username = 'chuyenvien01'")
        assert contents(ui_store.path) != original
        choose(monkeypatch, backup)
        seen = restore_in_window(dialog, act)
        dialog.choose_restore()
        assert seen == ["RestoreDialog", "QMessageBox"], dialog.status.text()
        answer([(QMessageBox, lambda box: box.accept())])  # type: ignore[attr-defined]
        assert finish_restore(ui_store.path)
        assert contents(ui_store.path) == original
        checked = run_cli("check", "--json")
        assert checked.returncode == 0 and json.loads(checked.stdout)["ok"], checked.stdout + checked.stderr
        assert json.loads(checked.stdout)["dossiers"] == 12
        replaced.append(ui_store.conn)   # the writer's connection still holds the file replaced; go on with the new
        ui_store.conn = open_store(ui_store.path)
    assert len(quits) == 2
    for conn in replaced:
        conn.close()


def test_a_wrong_recovery_key_or_passphrase_changes_nothing(qtbot, make_context, ui_store, monkeypatch,  # type: ignore[no-untyped-def]
                                                            tmp_path) -> None:
    province_key, other_key = tmp_path / "tinh.pem", tmp_path / "tinh-khac.pem"
    backup_keys.set_recovery_key(ui_store.conn, backup_keys.write_recovery_keypair(province_key))
    backup_keys.write_recovery_keypair(other_key)
    not_a_key = tmp_path / "ghi-chu.pem"
    not_a_key.write_text("không phải khóa", encoding="utf-8")
    context = make_context("quantri")
    dialog, quits, backup = backed_up(qtbot, context)
    add_dossiers(ui_store, 2)
    after = contents(ui_store.path)
    choose(monkeypatch, backup)
    for act, says in ((by_recovery_key(other_key), "Khóa khôi phục này không mở được bản sao lưu"),
                      (by_recovery_key(not_a_key), "không phải khóa khôi phục riêng của tỉnh"),
                      (by_recovery_key(tmp_path / "khong-co.pem"), "Không đọc được tệp khóa khôi phục"),
                      (restore_with("khong-phai-mat-khau"), "Mật khẩu sao lưu không đúng")):
        answer([(RestoreDialog, act)])
        dialog.choose_restore()
        assert says in dialog.status.text() and "dữ liệu hiện tại giữ nguyên" in dialog.status.text()
        assert dialog.status.objectName() == "fieldError"
    missing: list[str] = []

    def no_key_file(restore: RestoreDialog) -> None:
        restore.by_recovery.setChecked(True)
        restore.accept()   # no file chosen: said under the field, and the dialog comes back

    def read_and_cancel(restore: RestoreDialog) -> None:
        missing.append(restore.errors["recovery"].text())
        restore.reject()

    answer([(RestoreDialog, no_key_file), (RestoreDialog, read_and_cancel)])
    dialog.choose_restore()
    assert missing == ["Chọn tệp khóa khôi phục của tỉnh."]
    assert quits == [] and contents(ui_store.path) == after
    assert not backups.pending_restore_file(ui_store.path).exists()
    assert not list(backups.backups_dir(context.data_dir).glob("before-restore-*"))


def test_the_passphrase_can_be_changed_and_old_backups_keep_the_old_one(qtbot, make_context, ui_store,  # type: ignore[no-untyped-def]
                                                                        tmp_path) -> None:
    context = make_context("quantri")
    dialog, _quits, old_backup = backed_up(qtbot, context)
    assert dialog.passphrase_button.text() == "Đổi &mật khẩu sao lưu…"
    titles: list[str] = []
    new = "mua nuoc tren nuong Ea Kao"

    def weak_then_strong(change: PassphraseDialog) -> None:
        titles.append(change.windowTitle())
        change.passphrase.setText("1234567890")
        change.confirm.setText("1234567890")
        assert "Chưa dùng được" in change.strength.text()
        assert change.checked() is None and "dãy ký tự liên tiếp" in change.errors["passphrase"].text()
        change.passphrase.setText(new)
        change.confirm.setText(new)
        assert "Mạnh" in change.strength.text()
        change.accept()

    answer([(PassphraseDialog, weak_then_strong)])
    dialog.set_passphrase()
    assert titles == ["Đổi mật khẩu sao lưu"] and "Đã đổi mật khẩu sao lưu" in dialog.status.text()
    dialog.backup_now()
    new_backup = max(backups.backups_dir(context.data_dir).glob(f"*{backups.SEALED_SUFFIX}"),
                     key=lambda p: p.stat().st_mtime_ns)
    assert new_backup != old_backup
    backups.unseal_backup(old_backup, tmp_path / "old.sqlite3", passphrase=PASSPHRASE)
    backups.unseal_backup(new_backup, tmp_path / "new.sqlite3", passphrase=new)
    with pytest.raises(ValueError, match="Mật khẩu sao lưu không đúng"):
        backups.unseal_backup(new_backup, tmp_path / "x.sqlite3", passphrase=PASSPHRASE)
