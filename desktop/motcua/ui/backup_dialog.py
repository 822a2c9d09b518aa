"""Sao lưu và khôi phục: backup now, set the backup passphrase, restore from a file (administrators only).

The same store functions as ``motcua backup``, ``motcua backup-passphrase`` and ``motcua restore``; every
write goes through the writer and re-checks that the account is still an active administrator. A restore
is opened and checked at once (a wrong passphrase or a file that is no store changes nothing), then left
beside the store; the app says so and closes, and the next start swaps it in before opening the store
(``ui/app.py``), when no connection has the file open.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from motcua.i18n import tr
from motcua.paths import store_file
from motcua.protocol.sealed import is_sealed
from motcua.services import accounts as auth
from motcua.services.changes import Changes
from motcua.store import backup as backups
from motcua.store import backup_keys
from motcua.store.db import available_migrations
from motcua.ui.context import AppContext
from motcua.ui.fitting import cap_width
from motcua.ui.user_dialogs import FieldForm

PERMISSION = auth.EDIT_SETTINGS   # backup and restore are the administrator's


def _backup_job(me: auth.User, data_dir: Path) -> Callable[[sqlite3.Connection], Path]:
    def job(conn: sqlite3.Connection) -> Path:
        auth.acting_user(conn, me.username, PERMISSION)   # still an active administrator
        return backups.backup(conn, data_dir)

    return job


def _passphrase_job(me: auth.User, passphrase: str) -> Callable[[sqlite3.Connection], Changes]:
    def job(conn: sqlite3.Connection) -> Changes:
        auth.acting_user(conn, me.username, PERMISSION)
        backup_keys.set_passphrase(conn, passphrase)
        return Changes(settings=True)

    return job


def _restore_job(me: auth.User, data_dir: Path, source: Path,
                 passphrase: str | None) -> Callable[[sqlite3.Connection], Path]:
    """Open and check the backup now; it replaces the store when the app next starts (nothing has it open)."""
    def job(conn: sqlite3.Connection) -> Path:
        auth.acting_user(conn, me.username, PERMISSION)
        latest = available_migrations()[-1].version
        return backups.stage_restore(store_file(data_dir), source, latest, passphrase=passphrase)

    return job


class PassphraseDialog(FieldForm):
    """The backup passphrase, typed twice."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(tr("Đặt mật khẩu sao lưu"), parent)
        note = QLabel(tr("Các bản sao lưu được mã hóa bằng mật khẩu này. Cất giữ mật khẩu cẩn thận: mất mật khẩu "
                         "thì không mở được bản sao lưu (trừ khi tỉnh giữ khóa khôi phục)."))
        note.setWordWrap(True)
        note.setObjectName("muted")
        self.root.insertWidget(0, note)
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.confirm = QLineEdit()
        self.confirm.setEchoMode(QLineEdit.EchoMode.Password)
        self.add_field("passphrase", tr("Mật khẩu sao lưu"), self.passphrase)
        self.add_field("confirm", tr("Nhập lại mật khẩu"), self.confirm)
        self.finish(tr("Đặt mật khẩu"))

    def checked(self) -> str | None:
        """The passphrase when both entries agree and it is long enough; else the errors are shown."""
        passphrase = self.passphrase.text()
        try:
            backup_keys.check_passphrase(passphrase)
        except ValueError as exc:
            self.show_errors({"passphrase": str(exc)})
            return None
        if passphrase != self.confirm.text():
            self.show_errors({"confirm": tr("Mật khẩu nhập lại không khớp.")})
            return None
        return passphrase


class RestoreDialog(FieldForm):
    """What a restore keeps and replaces, and the passphrase of a sealed backup."""

    def __init__(self, source: Path, sealed: bool, parent: QWidget | None = None):
        super().__init__(tr("Khôi phục từ bản sao lưu"), parent)
        text = QLabel(tr("Khôi phục từ tệp «{f}».\n\n"
                         "Bị thay thế: toàn bộ dữ liệu hiện tại trên máy này (hồ sơ, nhật ký, tài khoản, cài đặt) "
                         "được thay bằng dữ liệu trong bản sao lưu.\n"
                         "Được giữ lại: dữ liệu hiện tại được cất nguyên vẹn vào thư mục sao lưu trước khi thay "
                         "(đường dẫn được báo khi mở lại); tệp đính kèm trong thư mục dữ liệu không bị xóa.\n\n"
                         "Bản sao lưu được kiểm tra ngay; nếu hợp lệ, phần mềm đóng lại và dữ liệu được thay khi "
                         "mở lại.",
                         f=source.name))
        text.setWordWrap(True)
        text.setObjectName("restoreSummary")
        self.root.insertWidget(0, text)
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        if sealed:
            self.add_field("passphrase", tr("Mật khẩu sao lưu"), self.passphrase)
        self.sealed = sealed
        self.finish(tr("Khôi phục"))
        cap_width(self, 560)

    def value(self) -> str | None:
        return self.passphrase.text() if self.sealed else None


class BackupDialog(QDialog):
    def __init__(self, context: AppContext, parent: QWidget | None = None,
                 quit_app: Callable[[], None] | None = None):
        super().__init__(parent)
        self.context = context
        self.quit_app = quit_app or QApplication.quit
        self.setObjectName("backupDialog")
        self.setWindowTitle(tr("Sao lưu và khôi phục"))
        cap_width(self, 560)
        root = QVBoxLayout(self)
        self.keys_label = QLabel()
        self.keys_label.setWordWrap(True)
        root.addWidget(self.keys_label)
        row = QHBoxLayout()
        self.backup_button = QPushButton(tr("&Sao lưu ngay"))
        self.backup_button.setProperty("primary", True)
        self.backup_button.clicked.connect(self.backup_now)
        self.passphrase_button = QPushButton(tr("Đặt &mật khẩu sao lưu…"))
        self.passphrase_button.clicked.connect(self.set_passphrase)
        self.restore_button = QPushButton(tr("&Khôi phục từ tệp…"))
        self.restore_button.clicked.connect(self.choose_restore)
        for button in (self.backup_button, self.passphrase_button, self.restore_button):
            row.addWidget(button)
        row.addStretch(1)
        root.addLayout(row)
        self.status = QLabel()
        self.status.setObjectName("backupStatus")
        self.status.setWordWrap(True)
        root.addWidget(self.status)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.button(QDialogButtonBox.StandardButton.Close).setText(tr("Đóng"))
        close.rejected.connect(self.reject)
        root.addWidget(close)
        self.refresh()

    def refresh(self) -> None:
        keys = backup_keys.backup_keys(self.context.reader)
        self.has_passphrase = keys is not None
        self.keys_label.setText(
            tr("Bản sao lưu được mã hóa bằng mật khẩu sao lưu và lưu trong thư mục {d}.",
               d=str(backups.backups_dir(self.context.data_dir))) if keys else
            tr("Chưa đặt mật khẩu sao lưu nên chưa sao lưu được: bản sao lưu chứa thông tin của công dân và phải "
               "được mã hóa. Hãy bấm «Đặt mật khẩu sao lưu…»."))
        self.passphrase_button.setText(tr("Đổi &mật khẩu sao lưu…") if keys else tr("Đặt &mật khẩu sao lưu…"))

    def _say(self, text: str, *, error: bool = False) -> None:
        self.status.setObjectName("fieldError" if error else "backupStatus")
        self.status.style().unpolish(self.status)
        self.status.style().polish(self.status)
        self.status.setText(text)

    def _failed(self, error: BaseException) -> None:
        self._say(str(error), error=True)

    def backup_now(self) -> None:
        me = self.context.signed_in
        try:
            auth.require(me, PERMISSION)
        except auth.PermissionDenied as exc:
            self._failed(exc)
            return
        if not self.has_passphrase:
            self._say(tr("Chưa đặt mật khẩu sao lưu. Hãy đặt mật khẩu trước khi sao lưu."), error=True)
            self.set_passphrase()
            return
        self.context.write(_backup_job(me, self.context.data_dir), label=tr("Sao lưu"),
                           on_done=lambda target: self._say(tr("Đã sao lưu (mã hóa) vào {p}.", p=str(target))),
                           on_error=self._failed)

    def set_passphrase(self) -> None:
        me = self.context.signed_in
        try:
            auth.require(me, PERMISSION)
        except auth.PermissionDenied as exc:
            self._failed(exc)
            return
        dialog = PassphraseDialog(self)
        while dialog.exec():
            passphrase = dialog.checked()
            if passphrase is None:
                continue
            self.context.write(_passphrase_job(me, passphrase), label=tr("Đặt mật khẩu sao lưu"),
                               on_done=lambda _c: self._passphrase_set(), on_error=self._failed)
            return

    def _passphrase_set(self) -> None:
        self.refresh()
        self._say(tr("Đã đặt mật khẩu sao lưu: từ nay các bản sao lưu được mã hóa."))

    def choose_restore(self) -> None:
        me = self.context.signed_in
        try:
            auth.require(me, PERMISSION)
        except auth.PermissionDenied as exc:
            self._failed(exc)
            return
        name, _filter = QFileDialog.getOpenFileName(
            self, tr("Chọn bản sao lưu"), str(backups.backups_dir(self.context.data_dir)),
            tr("Bản sao lưu (*{s} *.sqlite3);;Mọi tệp (*)", s=backups.SEALED_SUFFIX))
        if not name:
            return
        source = Path(name)
        dialog = RestoreDialog(source, is_sealed(source), self)
        while dialog.exec():
            passphrase = dialog.value()
            if dialog.sealed and not passphrase:
                dialog.show_errors({"passphrase": tr("Cần mật khẩu sao lưu để mở bản sao lưu này.")})
                continue
            self.context.write(_restore_job(me, self.context.data_dir, source, passphrase),
                               label=tr("Khôi phục"), on_done=self._restored, on_error=self._failed)
            return

    def _restored(self, _pending: Path) -> None:
        message = tr("Bản sao lưu đã mở được và hợp lệ. Phần mềm sẽ đóng bây giờ; khi mở lại, dữ liệu được thay "
                     "bằng bản sao lưu (dữ liệu hiện tại được cất vào thư mục sao lưu, phần mềm báo đường dẫn).")
        self._say(message)
        box = QMessageBox(QMessageBox.Icon.Information, tr("Đã khôi phục"), message,
                          QMessageBox.StandardButton.Ok, self)
        box.setObjectName("restoredBox")
        box.button(QMessageBox.StandardButton.Ok).setText(tr("Đóng phần mềm"))
        box.exec()
        self.quit_app()
