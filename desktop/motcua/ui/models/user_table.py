"""The accounts of this installation as a table model."""

from __future__ import annotations

import sqlite3
from typing import Any

from PySide6.QtCore import Qt

from motcua.i18n import tr
from motcua.services.accounts import User, list_users
from motcua.ui.models.rows_table import Index, RowsTableModel

HEADERS = ("Tên đăng nhập", "Họ và tên", "Vai trò", "Trạng thái")


class UserTableModel(RowsTableModel[User]):
    headers = HEADERS

    def __init__(self, conn: sqlite3.Connection, parent: Any = None):
        super().__init__(parent)
        self._conn = conn
        self.rows = list_users(conn)

    def reload(self) -> None:
        self.set_rows(list_users(self._conn))

    def user_at(self, row: int) -> User | None:
        return self.row_at(row)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role != Qt.ItemDataRole.DisplayRole or not 0 <= index.row() < len(self.rows):
            return None
        user = self.rows[index.row()]
        return (user.username, user.full_name, user.role_label,
                tr("Hoạt động") if user.active else tr("Đã khóa"))[index.column()]

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren
