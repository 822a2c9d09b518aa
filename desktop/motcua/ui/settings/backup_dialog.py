"""Sao lưu và khôi phục: backup now, set or change the backup passphrase, restore from a file with the passphrase
or with the province's recovery key (field support restoring a desk whose administrator is gone).

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
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from motcua.i18n import tr
from motcua.paths import store_file
from motcua.protocol.sealed import is_sealed
from motcua.protocol.sealing_keys import SealError
from motcua.services import accounts as auth
from motcua.services.changes import Changes
from motcua.store import backup as backups
from motcua.store import backup_keys
from motcua.store.db import available_migrations
from motcua.store.settings import get_value
from motcua.ui.context import AppContext
from motcua.ui.settings.passphrase_strength import StrengthLabel
from motcua.ui.settings.user_dialogs import FieldForm
from motcua.ui.widgets.fitting import cap_width

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


def _restore_job(me: auth.User, data_dir: Path, source: Path, passphrase: str | None,
                 recovery_file: Path | None = None) -> Callable[[sqlite3.Connection], Path]:
    """Open and check the backup now; it replaces the store when the app next starts (nothing has it open)."""
    def job(conn: sqlite3.Connection) -> Path:
        auth.acting_user(conn, me.username, PERMISSION)
        latest = available_migrations()[-1].version
        if recovery_file is None:
            return backups.stage_restore(store_file(data_dir), source, latest, passphrase=passphrase)
        try:
            key = backup_keys.load_recovery_key(recovery_file)
        except ValueError as exc:
            raise ValueError(f"{exc} {tr('Không khôi phục gì; dữ liệu hiện tại giữ nguyên.')}") from None
        return backups.stage_restore(store_file(data_dir), source, latest, recovery_key=key)

    return job


class PassphraseDialog(FieldForm):
    """The backup passphrase, typed twice."""

    def __init__(self, parent: QWidget | None = None, *, changing: bool = False):
        super().__init__(tr("Đổi mật khẩu sao lưu") if changing else tr("Đặt mật khẩu sao lưu"), parent)
        text = tr("Các bản sao lưu được mã hóa bằng mật khẩu này. Cất giữ mật khẩu cẩn thận: mất mật khẩu "
                  "thì không mở được bản sao lưu (trừ khi tỉnh giữ khóa khôi phục).")
        if changing:
            text += " " + tr("Các bản sao lưu đã làm trước đây vẫn mở bằng mật khẩu cũ; từ nay bản sao lưu mới "
                             "mở bằng mật khẩu mới.")
        note = QLabel(text)
        note.setWordWrap(True)
        note.setObjectName("muted")
        self.root.insertWidget(0, note)
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.confirm = QLineEdit()
        self.confirm.setEchoMode(QLineEdit.EchoMode.Password)
        self.add_field("passphrase", tr("Mật khẩu sao lưu mới") if changing else tr("Mật khẩu sao lưu"),
                       self.passphrase)
        self.strength = StrengthLabel(self.passphrase)
        self.form.addRow("", self.strength)
        self.add_field("confirm", tr("Nhập lại mật khẩu"), self.confirm)
        self.finish(tr("Đổi mật khẩu") if changing else tr("Đặt mật khẩu"))

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


def _recovery_job(me: auth.User, public_key: str) -> Callable[[sqlite3.Connection], Changes]:
    def job(conn: sqlite3.Connection) -> Changes:
        auth.acting_user(conn, me.username, PERMISSION)
        backup_keys.set_recovery_key(conn, public_key)
        return Changes(settings=True)

    return job


class RecoveryKeyDialog(FieldForm):
    """The province's recovery public key (the line «motcua recovery-keygen» printed for the communes)."""

    def __init__(self, current: str, parent: QWidget | None = None):
        super().__init__(tr("Khóa khôi phục của tỉnh"), parent)
        note = QLabel(tr("Bộ phận hỗ trợ của tỉnh giữ khóa riêng; xã chỉ nhập khóa công khai tỉnh gửi. Từ lần sao "
                         "lưu sau, bản sao lưu mở được bằng mật khẩu sao lưu hoặc bằng khóa của tỉnh, để khôi phục "
                         "được máy khi người quản trị vắng mặt. Để trống để thôi dùng khóa của tỉnh."))
        note.setWordWrap(True)
        note.setObjectName("muted")
        self.root.insertWidget(0, note)
        self.public_key = QLineEdit(current)
        self.public_key.setPlaceholderText(tr("44 ký tự, ví dụ: q3J…="))
        self.add_field("public_key", tr("Khóa công khai"), self.public_key)
        self.finish(tr("Lưu"))
        cap_width(self, 560)

    def checked(self) -> str | None:
        """The key as stored ("" to stop using one); None, with the reason shown, when it is not a key."""
        text = self.public_key.text().strip()
        if not text:
            return ""
        try:
            return backup_keys.public_of(text)
        except (SealError, ValueError):
            self.show_errors({"public_key": tr("Đây không phải khóa công khai khôi phục (44 ký tự base64).")})
            return None


class RestoreDialog(FieldForm):
    """What a restore keeps and replaces; a sealed backup opens with the backup passphrase or, for field support,
    with the province's recovery key file."""

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
        self.by_passphrase = QRadioButton(tr("Mở bằng &mật khẩu sao lưu"))
        self.by_recovery = QRadioButton(tr("Mở bằng khóa khôi phục của &tỉnh (bộ phận hỗ trợ)"))
        self.by_passphrase.setChecked(True)
        self.recovery_file = QLineEdit()
        self.recovery_file.setPlaceholderText(tr("tệp khóa riêng do «motcua recovery-keygen» tạo"))
        self.recovery_browse = QPushButton(tr("Chọn &tệp…"))
        self.recovery_browse.clicked.connect(self.choose_recovery_file)
        if sealed:
            ways = QButtonGroup(self)
            choice = QVBoxLayout()
            for radio in (self.by_passphrase, self.by_recovery):
                ways.addButton(radio)
                choice.addWidget(radio)
                radio.toggled.connect(self._show_way)
            self.form.addRow(tr("Cách mở"), choice)
            self.add_field("passphrase", tr("Mật khẩu sao lưu"), self.passphrase)
            key_row = QWidget()
            row = QHBoxLayout(key_row)
            row.setContentsMargins(0, 0, 0, 0)
            row.addWidget(self.recovery_file, 1)
            row.addWidget(self.recovery_browse)
            self.add_field("recovery", tr("Tệp khóa khôi phục"), key_row)
            self._show_way()
        self.sealed = sealed
        self.finish(tr("Khôi phục"))
        cap_width(self, 560)

    def _show_way(self) -> None:
        recovery = self.by_recovery.isChecked()
        self.passphrase.setEnabled(not recovery)
        self.recovery_file.setEnabled(recovery)
        self.recovery_browse.setEnabled(recovery)

    def choose_recovery_file(self) -> None:
        name, _filter = QFileDialog.getOpenFileName(self, tr("Chọn tệp khóa khôi phục của tỉnh"), "",
                                                    tr("Khóa khôi phục (*.pem);;Mọi tệp (*)"))
        if name:
            self.recovery_file.setText(name)

    def value(self) -> str | None:
        return self.passphrase.text() if self.sealed and not self.by_recovery.isChecked() else None

    def recovery_key_file(self) -> Path | None:
        """The recovery key file, when the backup is to be opened with it."""
        text = self.recovery_file.text().strip()
        return Path(text) if self.sealed and self.by_recovery.isChecked() and text else None

    def checked(self) -> bool:
        """What the chosen way needs is there; else the error is shown under its field."""
        if not self.sealed:
            return True
        if self.by_recovery.isChecked():
            if self.recovery_key_file() is None:
                self.show_errors({"recovery": tr("Chọn tệp khóa khôi phục của tỉnh.")})
                return False
        elif not self.passphrase.text():
            self.show_errors({"passphrase": tr("Cần mật khẩu sao lưu để mở bản sao lưu này.")})
            return False
        return True


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
        self.recovery_button = QPushButton(tr("Khóa khôi phục của &tỉnh…"))
        self.recovery_button.clicked.connect(self.set_recovery_key)
        for button in (self.backup_button, self.passphrase_button, self.restore_button, self.recovery_button):
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
        self.recovery_public_key = str(get_value(self.context.reader, backup_keys.RECOVERY) or "")
        self.keys_label.setText(self.keys_label.text() + "\n" + (
            tr("Bản sao lưu cũng mở được bằng khóa khôi phục của tỉnh.") if self.recovery_public_key else
            tr("Chưa có khóa khôi phục của tỉnh: quên mật khẩu sao lưu là không mở được bản sao lưu.")))

    def set_recovery_key(self) -> None:
        me = self.context.signed_in
        try:
            auth.require(me, PERMISSION)
        except auth.PermissionDenied as exc:
            self._failed(exc)
            return
        dialog = RecoveryKeyDialog(self.recovery_public_key, self)
        while dialog.exec():
            key = dialog.checked()
            if key is None:
                continue
            self.context.write(_recovery_job(me, key), label=tr("Khóa khôi phục của tỉnh"),
                               on_done=self._recovery_saved if key else self._recovery_cleared, on_error=self._failed)
            return

    def _recovery_saved(self, _changes: Changes) -> None:
        self.refresh()
        self._say(tr("Đã lưu khóa khôi phục của tỉnh: từ lần sao lưu sau, bản sao lưu mở được bằng khóa này."))

    def _recovery_cleared(self, _changes: Changes) -> None:
        self.refresh()
        self._say(tr("Đã thôi dùng khóa khôi phục của tỉnh cho các bản sao lưu sau."))

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
        dialog = PassphraseDialog(self, changing=self.has_passphrase)
        while dialog.exec():
            passphrase = dialog.checked()
            if passphrase is None:
                continue
            self.context.write(_passphrase_job(me, passphrase), label=tr("Đặt mật khẩu sao lưu"),
                               on_done=lambda _c: self._passphrase_set(), on_error=self._failed)
            return

    def _passphrase_set(self) -> None:
        changed = self.has_passphrase
        self.refresh()
        self._say(tr("Đã đổi mật khẩu sao lưu: bản sao lưu mới mở bằng mật khẩu mới, bản cũ vẫn mở bằng mật khẩu "
                     "cũ.") if changed else tr("Đã đặt mật khẩu sao lưu: từ nay các bản sao lưu được mã hóa."))

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
            if not dialog.checked():
                continue
            self.context.write(_restore_job(me, self.context.data_dir, source, dialog.value(),
                                            dialog.recovery_key_file()),
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
