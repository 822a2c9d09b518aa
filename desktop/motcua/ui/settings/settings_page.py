"""Cài đặt: the commune's settings (administrators edit them) and the accounts of this installation."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QSize
from PySide6.QtGui import QIntValidator
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QFrame,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from motcua.domain.text import clean
from motcua.i18n import tr
from motcua.services import accounts as auth
from motcua.services import commune_settings
from motcua.services.changes import Changes
from motcua.services.validation import ValidationFailed
from motcua.store.db import transaction
from motcua.store.settings import put_values
from motcua.ui.context import AppContext
from motcua.ui.models.user_table import UserTableModel
from motcua.ui.settings.access_dialog import open_access_report
from motcua.ui.settings.backup_dialog import BackupDialog
from motcua.ui.settings.calendar_dialog import CalendarDialog
from motcua.ui.settings.catalog_import_dialog import CatalogImportDialog
from motcua.ui.settings.choices import FORM_SETS
from motcua.ui.settings.user_dialogs import NewUserDialog, PasswordDialog, RolesDialog
from motcua.ui.widgets.dialogs import show_error
from motcua.ui.widgets.fitting import Columns, FlowRow


class _WrappingCard(QFrame):
    """A card whose row of buttons wraps: it asks for no more width than a column on a 1366 screen has, so the
    settings and the accounts stay side by side there (Columns goes by the preferred widths)."""

    PREFERRED_WIDTH = 560

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        return QSize(min(hint.width(), max(self.PREFERRED_WIDTH, self.minimumSizeHint().width())), hint.height())


def check_settings(values: dict[str, Any]) -> dict[str, Any]:
    """The settings page's values checked by the one settings service (as the CLI and the wizard)."""
    return commune_settings.check_settings(values)


# The papers' issuing body, place and signers: empty means the default shown greyed in the field.
# Rows of (key, caption) pairs: two fields side by side.
# One field a row: at 1024×768 two fields side by side were too narrow to read a title or a name.
PAPER_FIELDS = (
    ("desk_name", "Cơ quan ban hành"),
    ("desk_short_name", "Viết tắt (Lưu: VT, …)"),
    ("place_name", "Địa danh trên văn bản"),
    ("desk_phone", "Điện thoại"),
    ("signer_title", "Người ký: chức vụ"),
    ("signer_name", "Người ký: họ tên"),
    ("apology_signer_title", "Ký văn bản xin lỗi: chức vụ"),
    ("apology_signer_name", "Ký văn bản xin lỗi: họ tên"),
    ("stop_signer_title", "Ký thông báo dừng: chức vụ"),
    ("stop_signer_name", "Ký thông báo dừng: họ tên"),
    ("report_signer_title", "Ký báo cáo: chức vụ"),
    ("report_signer_name", "Ký báo cáo: họ tên"),
)


def _create_user_job(me: auth.User, username: str, full_name: str, role: str,
                     password: str, extra_roles: tuple[str, ...] = ()) -> Callable[[sqlite3.Connection], Changes]:
    def job(conn: sqlite3.Connection) -> Changes:
        auth.acting_user(conn, me.username, auth.MANAGE_USERS)   # still an active administrator
        with transaction(conn):
            auth.create_user(conn, username, full_name, role, password, extra_roles=extra_roles)
        return Changes(settings=True)

    return job


def _password_job(me: auth.User, username: str, password: str, *,
                  admin: bool) -> Callable[[sqlite3.Connection], Changes]:
    def job(conn: sqlite3.Connection) -> Changes:
        if admin:
            auth.require(me, auth.MANAGE_USERS)
        elif me.username != username:
            raise auth.PermissionDenied(tr("Chỉ được đổi mật khẩu của chính mình."))
        with transaction(conn):
            auth.set_password(conn, username, password)
        return Changes(settings=True)

    return job


class SettingsPage(QWidget):
    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self.setObjectName("settingsPage")
        user = context.signed_in
        editable = user.may(auth.EDIT_SETTINGS)
        root = QVBoxLayout(self)
        root.setContentsMargins(20, 16, 20, 16)
        root.setSpacing(12)
        title = QLabel(tr("Cài đặt"))
        title.setObjectName("pageTitle")
        root.addWidget(title)
        columns = Columns()  # side by side, or one under the other on a narrow screen
        columns.setSpacing(16)
        root.addLayout(columns, 1)

        unit = QFrame()
        unit.setObjectName("card")
        unit_box = QVBoxLayout(unit)
        heading = QLabel(tr("Đơn vị và máy trạm"))
        heading.setObjectName("sectionTitle")
        unit_box.addWidget(heading)
        form = QFormLayout()
        form.setVerticalSpacing(8)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)  # captions above fields on a narrow screen
        self.inputs: dict[str, QWidget] = {}
        for key, caption in (("province_name", "Tỉnh / thành phố"), ("commune_name", "Xã / phường"),
                             ("agency_name", "Cơ quan chủ quản (in trên biểu mẫu)"), ("agency_code", "Mã cơ quan"),
                             ("office_hours", "Giờ làm việc"), ("return_place", "Nơi trả kết quả")):
            line = QLineEdit()
            line.setObjectName(f"setting_{key}")
            line.setReadOnly(not editable)
            self.inputs[key] = line
            form.addRow(tr(caption), line)
        self.workstation = QLineEdit()
        self.workstation.setObjectName("setting_workstation")
        self.workstation.setValidator(QIntValidator(0, 99, self.workstation))
        self.workstation.setReadOnly(not editable)
        form.addRow(tr("Số máy trạm"), self.workstation)
        self.form_set = QComboBox()
        for value, label in FORM_SETS:
            self.form_set.addItem(tr(label), value)
        self.form_set.setEnabled(editable)
        form.addRow(tr("Bộ biểu mẫu"), self.form_set)
        self.receipt_copies = QCheckBox(tr("In giấy tiếp nhận thành 2 liên"))
        self.receipt_copies.setToolTip(tr("Hai bản trong một tệp, mỗi bản một trang mới: «Liên 1: Lưu» kèm phiếu "
                                          "kiểm soát, «Liên 2: Giao khách hàng» cho người nộp hồ sơ."))
        self.receipt_copies.setObjectName("setting_receipt_copies")
        self.receipt_copies.setEnabled(editable)
        form.addRow("", self.receipt_copies)
        unit_box.addLayout(form)
        self.settings_error = QLabel()
        self.settings_error.setObjectName("fieldError")
        self.settings_error.setWordWrap(True)
        self.settings_error.hide()
        unit_box.addWidget(self.settings_error)
        self.save_button = QPushButton(tr("Lưu cài đặt"))
        self.save_button.setProperty("primary", True)
        self.save_button.setVisible(editable)
        self.save_button.clicked.connect(self.save_settings)
        unit_box.addWidget(self.save_button)
        if not editable:
            note = QLabel(tr("Chỉ quản trị hệ thống được sửa các cài đặt này."))
            note.setObjectName("muted")
            unit_box.addWidget(note)
        columns_left = QWidget()
        left_box = QVBoxLayout(columns_left)
        left_box.setContentsMargins(0, 0, 0, 0)
        left_box.setSpacing(12)
        left_box.addWidget(unit)

        papers = QFrame()
        papers.setObjectName("card")
        papers_box = QVBoxLayout(papers)
        heading = QLabel(tr("Biểu mẫu: cơ quan ban hành, địa danh, người ký"))
        heading.setObjectName("sectionTitle")
        heading.setWordWrap(True)
        papers_box.addWidget(heading)
        paper_grid = QFormLayout()
        paper_grid.setVerticalSpacing(6)
        paper_grid.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        for key, caption in PAPER_FIELDS:
            line = QLineEdit()
            line.setObjectName(f"setting_{key}")
            line.setReadOnly(not editable)
            self.inputs[key] = line
            paper_grid.addRow(tr(caption), line)
        papers_box.addLayout(paper_grid)
        hint = QLabel(tr("Để trống: in giá trị mặc định (chữ mờ) theo Nghị định 118/2025/NĐ-CP."))
        hint.setObjectName("muted")
        hint.setWordWrap(True)
        papers_box.addWidget(hint)
        left_box.addWidget(papers)
        if editable:   # administrators only
            care = QFrame()
            care.setObjectName("card")
            care_box = QVBoxLayout(care)
            heading = QLabel(tr("Quản trị"))
            heading.setObjectName("sectionTitle")
            care_box.addWidget(heading)
            care_row = FlowRow()
            self.backup_button = QPushButton(tr("Sao lưu và khôi phục…"))
            self.backup_button.setObjectName("backupButton")
            self.backup_button.clicked.connect(self.open_backup)
            self.calendar_button = QPushButton(tr("Lịch làm việc chính thức…"))
            self.calendar_button.setObjectName("calendarButton")
            self.calendar_button.clicked.connect(lambda: CalendarDialog(self.context, self).exec())
            self.catalog_button = QPushButton(tr("Nhập danh mục thủ tục…"))
            self.catalog_button.setObjectName("catalogImportButton")
            self.catalog_button.clicked.connect(lambda: CatalogImportDialog(self.context, self).exec())
            care_row.addWidget(self.backup_button)
            care_row.addWidget(self.calendar_button)
            care_row.addWidget(self.catalog_button)
            care_row.addStretch(1)
            care_box.addLayout(care_row)
            left_box.addWidget(care)
        left_box.addStretch(1)
        scroll = QScrollArea()
        scroll.setObjectName("settingsScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(columns_left)
        columns.addWidget(scroll, 5)

        people = _WrappingCard()
        people.setObjectName("card")
        people_box = QVBoxLayout(people)
        heading = QLabel(tr("Tài khoản"))
        heading.setObjectName("sectionTitle")
        people_box.addWidget(heading)
        self.users_model = UserTableModel(context.reader, self)
        self.users = QTableView()
        self.users.setObjectName("usersTable")
        self.users.setModel(self.users_model)
        self.users.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.users.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.users.verticalHeader().hide()
        header = self.users.horizontalHeader()
        for column, mode in enumerate((QHeaderView.ResizeMode.ResizeToContents, QHeaderView.ResizeMode.Stretch,
                                       QHeaderView.ResizeMode.Stretch, QHeaderView.ResizeMode.ResizeToContents)):
            header.setSectionResizeMode(column, mode)
        self.users.setMinimumHeight(150)  # a few accounts in view even when the cards are one under the other
        people_box.addWidget(self.users, 1)
        buttons = FlowRow()
        manage = user.may(auth.MANAGE_USERS)
        for text, handler, visible in ((tr("Thêm tài khoản…"), self.add_user, manage),
                                       (tr("Khóa / mở khóa"), self.toggle_user, manage),
                                       (tr("Đặt lại mật khẩu…"), self.reset_password, manage),
                                       (tr("Đổi vai trò…"), self.change_roles, manage),
                                       (tr("Đổi mật khẩu của tôi…"), self.change_own_password, True),
                                       (tr("Thông tin cá nhân của một người…"),
                                        lambda: open_access_report(context, self), True)):
            button = QPushButton(text)
            button.clicked.connect(handler)
            button.setVisible(visible)
            buttons.addWidget(button)
        buttons.addStretch(1)
        people_box.addLayout(buttons)
        columns.addWidget(people, 6)
        context.bus.changed.connect(self.on_changes)
        self.load()

    def load(self) -> None:
        settings = self.context.settings()
        defaults = commune_settings.printed_defaults(settings)
        for key, widget in self.inputs.items():
            assert isinstance(widget, QLineEdit)
            widget.setText(str(getattr(settings, key)))
            widget.setCursorPosition(0)  # a long value shows its beginning, not its tail
            widget.setPlaceholderText(defaults.get(key, ""))
        self.workstation.setText(str(settings.workstation))
        self.form_set.setCurrentIndex(max(self.form_set.findData(settings.form_set), 0))
        self.receipt_copies.setChecked(settings.receipt_copies == 2)

    def on_changes(self, changes: Changes) -> None:
        if changes.settings:
            self.load()
            self.users_model.reload()

    def values(self) -> dict[str, Any]:
        values: dict[str, Any] = {k: clean(w.text()) for k, w in self.inputs.items() if isinstance(w, QLineEdit)}
        values["workstation"] = self.workstation.text() or "0"
        values["form_set"] = self.form_set.currentData()
        values["receipt_copies"] = 2 if self.receipt_copies.isChecked() else 1
        return values

    def save_settings(self) -> None:
        user = self.context.signed_in
        try:
            auth.require(user, auth.EDIT_SETTINGS)
            values = check_settings(self.values())
        except ValidationFailed as exc:
            self._settings_errors(exc.errors)
            return
        except auth.PermissionDenied as exc:
            show_error(self, exc)
            return
        self.settings_error.hide()

        def job(conn: sqlite3.Connection) -> Changes:
            auth.require(user, auth.EDIT_SETTINGS)
            with transaction(conn):
                put_values(conn, values)
            return Changes(settings=True)

        self.context.write(job, label=tr("Lưu cài đặt"), on_error=lambda e: show_error(self, e))

    def open_backup(self) -> None:
        BackupDialog(self.context, self).exec()

    def _settings_errors(self, errors: dict[str, str]) -> None:
        self.settings_error.setText("\n".join(f"{commune_settings.key_label(k)}: {v}" for k, v in errors.items()))
        self.settings_error.show()

    # -- accounts --------------------------------------------------------------------------------
    def selected_user(self) -> auth.User | None:
        index = self.users.currentIndex()
        return self.users_model.user_at(index.row()) if index.isValid() else None

    def add_user(self) -> None:
        me = self.context.signed_in
        dialog = NewUserDialog(self)
        while dialog.exec():
            username, full_name, role, password, confirm = dialog.values()
            try:
                auth.check_new_user(username, full_name, role, password, confirm)
            except ValidationFailed as exc:
                dialog.show_errors(exc.errors)
                continue
            job = _create_user_job(me, username, full_name, role, password, dialog.extra_roles())
            self.context.write(job, label=tr("Thêm tài khoản"), on_error=lambda e: show_error(self, e))
            return

    def toggle_user(self) -> None:
        me, target = self.context.signed_in, self.selected_user()
        if target is None:
            return

        def job(conn: sqlite3.Connection) -> Changes:
            auth.require(me, auth.MANAGE_USERS)
            with transaction(conn):
                auth.set_active(conn, target.username, not target.active)
            return Changes(settings=True)

        self.context.write(job, label=tr("Khóa / mở khóa"), on_error=lambda e: show_error(self, e))

    def change_roles(self) -> None:
        me, target = self.context.signed_in, self.selected_user()
        if target is None:
            return
        dialog = RolesDialog(target.username, (target.role, *(r for r in target.roles if r != target.role)), self)
        if not dialog.exec():
            return
        roles = dialog.roles()

        def job(conn: sqlite3.Connection) -> Changes:
            auth.acting_user(conn, me.username, auth.MANAGE_USERS)   # still an active administrator
            with transaction(conn):
                auth.set_roles(conn, target.username, roles)   # the last administrator is kept (as the CLI)
            return Changes(settings=True)

        self.context.write(job, label=tr("Đổi vai trò"), on_error=lambda e: show_error(self, e))

    def reset_password(self) -> None:
        target = self.selected_user()
        if target is not None:
            self._password_for(target.username, admin=True)

    def change_own_password(self) -> None:
        self._password_for(self.context.signed_in.username, admin=False)

    def _password_for(self, username: str, *, admin: bool) -> None:
        me = self.context.signed_in
        dialog = PasswordDialog(username, self)
        while dialog.exec():
            password, confirm = dialog.password.text(), dialog.confirm.text()
            if len(password) < auth.MIN_PASSWORD:
                dialog.show_errors({"password": tr("Mật khẩu cần ít nhất {n} ký tự.", n=auth.MIN_PASSWORD)})
                continue
            if password != confirm:
                dialog.show_errors({"confirm": tr("Mật khẩu nhập lại không khớp.")})
                continue
            job = _password_job(me, username, password, admin=admin)
            self.context.write(job, label=tr("Đổi mật khẩu"), on_error=lambda e: show_error(self, e))
            return
