"""Account dialogs: a new account, a new password. Errors are shown beside each field."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from motcua.i18n import tr
from motcua.services.accounts import MIN_PASSWORD, ROLE_LABELS, ROLES


class FieldForm(QDialog):
    """A dialog whose fields each carry an error label below them."""

    def __init__(self, title: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(460)
        self.root = QVBoxLayout(self)
        self.form = QFormLayout()
        self.root.addLayout(self.form)
        self.inputs: dict[str, QWidget] = {}
        self.errors: dict[str, QLabel] = {}

    def add_field(self, key: str, caption: str, widget: QWidget) -> None:
        widget.setObjectName(f"field_{key}")
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(widget)
        error = QLabel()
        error.setObjectName("fieldError")
        error.setWordWrap(True)
        error.hide()
        column.addWidget(error)
        label = QLabel(caption)
        label.setBuddy(widget)
        self.form.addRow(label, box)
        self.inputs[key] = widget
        self.errors[key] = error

    def finish(self, ok_text: str) -> None:
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(ok_text)
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("Hủy"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.root.addWidget(buttons)
        self.buttons = buttons

    def show_errors(self, errors: dict[str, str]) -> None:
        for key, label in self.errors.items():
            label.setText(errors.get(key, ""))
            label.setVisible(key in errors)
        self.fit_height()

    def add_role_fields(self) -> None:
        """The primary role and the roles held besides it (a desk officer who is also the administrator)."""
        self.role = QComboBox()
        for role in ROLES:
            self.role.addItem(tr(ROLE_LABELS[role]), role)
        self.add_field("role", tr("Vai trò"), self.role)
        self.more_roles: dict[str, QCheckBox] = {}
        more = QWidget()
        grid = QGridLayout(more)   # two by two: fits a 1024×768 screen at 150 %
        grid.setContentsMargins(0, 0, 0, 0)
        for index, role in enumerate(ROLES):
            box = QCheckBox(tr(ROLE_LABELS[role]))
            box.setObjectName(f"moreRole_{role}")
            self.more_roles[role] = box
            grid.addWidget(box, index // 2, index % 2)
        self.add_field("more_roles", tr("Kiêm nhiệm"), more)
        self.role.currentIndexChanged.connect(lambda _i: self._primary_changed())
        self._primary_changed()

    def _primary_changed(self) -> None:
        for role, box in self.more_roles.items():
            primary = role == self.role.currentData()
            box.setEnabled(not primary)
            if primary:
                box.setChecked(False)

    def extra_roles(self) -> tuple[str, ...]:
        """The roles ticked besides the primary one."""
        return tuple(r for r, box in self.more_roles.items() if box.isChecked() and r != self.role.currentData())

    def fit_height(self) -> None:
        """Grow to the height the wrapped messages need at the current width.

        A window's layout sizes it by minimum sizes, which ignore height-for-width: without this a long
        message under a field (or in a box) is clipped to the one or two lines the dialog had room for.
        """
        self.root.activate()
        needed = self.root.totalHeightForWidth(self.width())
        if needed > self.height():
            self.resize(self.width(), needed)


class NewUserDialog(FieldForm):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(tr("Thêm tài khoản"), parent)
        self.username = QLineEdit()
        self.username.setPlaceholderText(tr("chữ thường không dấu, ví dụ: tiepnhan02"))
        self.full_name = QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(tr("ít nhất {n} ký tự", n=MIN_PASSWORD))
        self.confirm = QLineEdit()
        self.confirm.setEchoMode(QLineEdit.EchoMode.Password)
        self.add_field("username", tr("Tên đăng nhập"), self.username)
        self.add_field("full_name", tr("Họ và tên"), self.full_name)
        self.add_role_fields()
        self.add_field("password", tr("Mật khẩu"), self.password)
        self.add_field("confirm", tr("Nhập lại mật khẩu"), self.confirm)
        self.finish(tr("Tạo tài khoản"))

    def values(self) -> tuple[str, str, str, str, str]:
        return (self.username.text().strip().lower(), self.full_name.text().strip(), self.role.currentData(),
                self.password.text(), self.confirm.text())


class PasswordDialog(FieldForm):
    def __init__(self, username: str, parent: QWidget | None = None):
        super().__init__(tr("Đặt mật khẩu mới cho {u}", u=username), parent)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.confirm = QLineEdit()
        self.confirm.setEchoMode(QLineEdit.EchoMode.Password)
        self.add_field("password", tr("Mật khẩu mới"), self.password)
        self.add_field("confirm", tr("Nhập lại mật khẩu"), self.confirm)
        self.finish(tr("Lưu mật khẩu"))


class RolesDialog(FieldForm):
    """An existing account's roles (as ``motcua user roles``)."""

    def __init__(self, username: str, roles: tuple[str, ...], parent: QWidget | None = None):
        super().__init__(tr("Vai trò của {u}", u=username), parent)
        self.add_role_fields()
        if roles:
            self.role.setCurrentIndex(max(self.role.findData(roles[0]), 0))
            for role in roles[1:]:
                if role in self.more_roles:
                    self.more_roles[role].setChecked(True)
        self.finish(tr("Lưu vai trò"))

    def roles(self) -> tuple[str, ...]:
        return (self.role.currentData(), *self.extra_roles())
