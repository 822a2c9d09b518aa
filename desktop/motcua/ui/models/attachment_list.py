"""One dossier's attachments (the ``dossier_attachments`` projection) as a list model."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt

from motcua.ui.widgets import formatting

Index = QModelIndex | QPersistentModelIndex
SHA_ROLE = Qt.ItemDataRole.UserRole + 1


@dataclass(frozen=True)
class AttachmentRow:
    name: str
    sha256: str
    added_at: str
    size: int

    @property
    def text(self) -> str:
        return f"{self.name} ({max(self.size // 1024, 1)} KB, {formatting.moment(self.added_at)})"


class AttachmentListModel(QAbstractListModel):
    def __init__(self, parent: Any = None):
        super().__init__(parent)
        self._rows: list[AttachmentRow] = []

    def load(self, conn: sqlite3.Connection, dossier_id: str) -> None:
        rows = conn.execute(
            "SELECT da.name, da.sha256, da.added_at, a.size FROM dossier_attachments da "
            "JOIN attachments a USING (sha256) WHERE da.dossier_id = ? ORDER BY da.added_at", (dossier_id,))
        self.beginResetModel()
        self._rows = [AttachmentRow(r["name"], r["sha256"], r["added_at"], int(r["size"])) for r in rows]
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return row.text
        if role == SHA_ROLE:
            return row.sha256
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren
