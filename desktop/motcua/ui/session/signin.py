"""Sign in: username and password, checked against the users table; wrong answers are refused."""

from __future__ import annotations

import sqlite3
import time

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from motcua.i18n import tr
from motcua.services.accounts import User, authenticate

MAX_ATTEMPTS = 5
LOCKOUT_SECONDS = 30


class SignInDialog(QDialog):
    def __init__(self, reader: sqlite3.Connection, commune: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.reader = reader
        self.user: User | None = None
        self.failures = 0
        self._locked_until = 0.0
        self.setObjectName("signInDialog")
        self.setWindowTitle(tr("Đăng nhập — Một Cửa Xã"))
        self.setMinimumWidth(480)
        root = QVBoxLayout(self)
        root.setContentsMargins(24, 20, 24, 20)
        root.setSpacing(12)
        heading = QLabel(tr("Một Cửa Xã"))
        heading.setObjectName("pageTitle")
        root.addWidget(heading)
        if commune:
            where = QLabel(commune)
            where.setObjectName("muted")
            root.addWidget(where)
        form = QFormLayout()
        self.username = QLineEdit()
        self.username.setObjectName("username")
        self.username.setPlaceholderText(tr("ví dụ: tiepnhan01"))
        self.password = QLineEdit()
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        user_label = QLabel(tr("Tên đăng nhập"))  # no mnemonic: Qt under-measures "&" labels in forms
        user_label.setBuddy(self.username)
        password_label = QLabel(tr("Mật khẩu"))
        password_label.setBuddy(self.password)
        form.addRow(user_label, self.username)
        form.addRow(password_label, self.password)
        root.addLayout(form)
        self.error = QLabel("")
        self.error.setObjectName("fieldError")
        self.error.setWordWrap(True)
        self.error.hide()
        root.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(tr("Đăng nhập"))
        self.ok_button.setDefault(True)
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("Thoát"))
        buttons.accepted.connect(self.try_sign_in)
        buttons.rejected.connect(self.reject)
        root.addWidget(buttons)
        self.username.setFocus(Qt.FocusReason.OtherFocusReason)

    def remember(self, username: str) -> None:
        """The last user's name filled in: only the password is left to type."""
        self.username.setText(username)
        self.password.setFocus(Qt.FocusReason.OtherFocusReason)

    def try_sign_in(self) -> bool:
        if time.monotonic() < self._locked_until:
            self._refuse(tr("Nhập sai quá {n} lần. Vui lòng chờ {s} giây rồi thử lại.", n=MAX_ATTEMPTS,
                            s=int(self._locked_until - time.monotonic()) + 1))
            return False
        username, password = self.username.text().strip(), self.password.text()
        if not username or not password:
            self._refuse(tr("Nhập tên đăng nhập và mật khẩu."))
            return False
        user = authenticate(self.reader, username, password)
        if user is None:
            self.failures += 1
            if self.failures % MAX_ATTEMPTS == 0:
                self._locked_until = time.monotonic() + LOCKOUT_SECONDS
            self.password.clear()
            self._refuse(tr("Sai tên đăng nhập hoặc mật khẩu, hoặc tài khoản đã bị khóa."))
            self.password.setFocus()
            return False
        self.user = user
        self.accept()
        return True

    def _refuse(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()
