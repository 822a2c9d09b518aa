"""Conflicts with the province, shown to the official to resolve (never dropped silently).

A conflict is an event the hub refused (quarantined), or a hub event that no longer applies to the
dossier as it stands here. The official chooses: keep the commune's version, apply the province's, or
send the commune's event again once the cause was fixed. Resolutions go through the one writer.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from motcua.i18n import tr
from motcua.services.changes import Changes
from motcua.ui.context import AppContext

Index = QModelIndex | QPersistentModelIndex
_COLUMNS = (tr("Thời điểm"), tr("Hồ sơ"), tr("Nội dung"))
_CHOICES = (("keep_local", tr("Giữ bản của xã")), ("apply_remote", tr("Áp dụng bản của tỉnh")),
            ("resend", tr("Gửi lại lên tỉnh")))


class ConflictModel(QAbstractTableModel):
    """Open conflicts: few rows (a handful at most), read whole on each refresh."""

    def __init__(self, reader: sqlite3.Connection):
        super().__init__()
        self.reader = reader
        self.rows: list[tuple[int, str, str, str]] = []

    def refresh(self) -> None:
        from motcua.sync.conflicts import open_conflicts

        rows = []
        for conflict in open_conflicts(self.reader):
            found = self.reader.execute("SELECT code FROM dossiers WHERE id = ?", (conflict.dossier_id,)).fetchone()
            rows.append((conflict.id, conflict.created_at[:16].replace("T", " "), found[0] if found else "",
                         conflict.description))
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(_COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        return self.rows[index.row()][index.column() + 1]

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return _COLUMNS[section]
        return None

    def conflict_id(self, row: int) -> int:
        return self.rows[row][0]


class ConflictsPanel(QWidget):
    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        self.title = QLabel()
        self.title.setObjectName("sectionTitle")
        box.addWidget(self.title)
        self.model = ConflictModel(context.reader)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().hide()
        box.addWidget(self.table)
        buttons = QHBoxLayout()
        self.buttons: dict[str, QPushButton] = {}
        for resolution, label in _CHOICES:
            button = QPushButton(label)
            button.clicked.connect(lambda _=False, r=resolution: self.resolve_selected(r))
            buttons.addWidget(button)
            self.buttons[resolution] = button
        buttons.addStretch(1)
        box.addLayout(buttons)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._enable())
        self.refresh()

    def refresh(self) -> None:
        self.model.refresh()
        count = self.model.rowCount()
        self.title.setText(tr("Xung đột cần xử lý: {n}", n=count))
        self.setVisible(count > 0)
        self._enable()

    def _enable(self) -> None:
        chosen = bool(self.table.selectionModel().selectedRows())
        for button in self.buttons.values():
            button.setEnabled(chosen)

    def resolve_selected(self, resolution: str) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return
        conflict_id = self.model.conflict_id(rows[0].row())
        actor = self.context.signed_in.username

        def job(conn: sqlite3.Connection) -> Changes:
            from motcua.store.db import transaction
            from motcua.sync.resolution import resolve

            with transaction(conn):
                conflict = resolve(conn, conflict_id, resolution, actor)
            return Changes(frozenset({conflict.dossier_id}), dossiers=True, sync=True)

        from motcua.ui.widgets.dialogs import show_error

        self.context.runner.submit(job, on_error=lambda error: show_error(self, error),
                                   label=tr("Giải quyết xung đột"))
