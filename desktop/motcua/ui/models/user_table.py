"""The accounts of this installation as a table model."""

from __future__ import annotations

import sqlite3
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from motcua.i18n import tr
from motcua.ui.auth import User, list_users

Index = QModelIndex | QPersistentModelIndex
HEADERS = ("Tên đăng nhập", "Họ và tên", "Vai trò", "Trạng thái")


class UserTableModel(QAbstractTableModel):
    def __init__(self, conn: sqlite3.Connection, parent: Any = None):
        super().__init__(parent)
        self._conn = conn
        self._users: list[User] = list_users(conn)

    def reload(self) -> None:
        self.beginResetModel()
        self._users = list_users(self._conn)
        self.endResetModel()

    def user_at(self, row: int) -> User | None:
        return self._users[row] if 0 <= row < len(self._users) else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._users)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal and \
                0 <= section < len(HEADERS):
            return tr(HEADERS[section])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role != Qt.ItemDataRole.DisplayRole or not 0 <= index.row() < len(self._users):
            return None
        user = self._users[index.row()]
        return (user.username, user.full_name, user.role_label,
                tr("Hoạt động") if user.active else tr("Đã khóa"))[index.column()]

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren
