"""The documents of a dossier (from its record) as a checkable list: ticked = received."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt, Signal

from motcua.catalog.model import KIND_LABELS
from motcua.i18n import tr
from motcua.ui.qtcompat import emit

Index = QModelIndex | QPersistentModelIndex



class DocumentListModel(QAbstractListModel):
    edited = Signal()

    def __init__(self, parent: Any = None):
        super().__init__(parent)
        self._documents: list[dict[str, Any]] = []
        self._editable = False

    def set_documents(self, documents: list[dict[str, Any]], *, editable: bool) -> None:
        self.beginResetModel()
        self._documents = [dict(d) for d in documents]
        self._editable = editable
        self.endResetModel()

    def documents(self) -> list[dict[str, Any]]:
        return [dict(d, received=bool(d.get("received", True))) for d in self._documents]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._documents)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._documents):
            return None
        doc = self._documents[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            kind = tr(KIND_LABELS.get(doc.get("kind", ""), doc.get("kind", "")))
            return f"{doc.get('name', '')} — {kind}, {int(doc.get('copies', 1))} {tr('bản')}"
        if role == Qt.ItemDataRole.CheckStateRole:
            return Qt.CheckState.Checked if doc.get("received", True) else Qt.CheckState.Unchecked
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not (self._editable and index.isValid() and role == Qt.ItemDataRole.CheckStateRole):
            return False
        checked = Qt.CheckState(value) == Qt.CheckState.Checked if not isinstance(value, bool) else value
        self._documents[index.row()]["received"] = checked
        emit(self.dataChanged, index, index, [Qt.ItemDataRole.CheckStateRole])
        emit(self.edited)
        return True

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren
        return flags | Qt.ItemFlag.ItemIsUserCheckable if self._editable else flags
