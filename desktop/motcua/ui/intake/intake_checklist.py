"""The documents checklist of an intake: one row per dossier component of the procedure.

Keyboard (the view): ↑/↓ move, Space ticks "received", ←/→ change the kind of copy, digits or +/−
set the number of copies. Enter is left to the wizard (next step).
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QFont, QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from motcua.i18n import tr
from motcua.ui.intake.intake_state import DocumentChoice, kind_label
from motcua.ui.qtcompat import emit

AnyIndex = QModelIndex | QPersistentModelIndex
RECEIVED, NAME, KIND, COPIES = range(4)


class ChecklistModel(QAbstractTableModel):
    changed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.rows: list[DocumentChoice] = []

    def set_rows(self, rows: list[DocumentChoice]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else 4

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return (tr("Đã nhận"), tr("Giấy tờ (* bắt buộc)"), tr("Loại bản"), tr("Số bản"))[section]
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        return base | Qt.ItemFlag.ItemIsUserCheckable if index.column() == RECEIVED else base

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        doc, column = self.rows[index.row()], index.column()
        if role == Qt.ItemDataRole.CheckStateRole and column == RECEIVED:
            return Qt.CheckState.Checked if doc.received else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.DisplayRole:
            if column == NAME:
                if doc.condition:
                    return f"{doc.name} ({doc.condition})"
                return f"{doc.name} *" if doc.required else doc.name
            if column == KIND:
                return kind_label(doc.kind)
            if column == COPIES:
                return str(doc.copies)
        if role == Qt.ItemDataRole.ToolTipRole and column == NAME:
            parts = [tr("Danh mục ghi: {k}", k=kind_label(doc.catalog_kind))]
            return "\n".join([*parts, doc.note] if doc.note else parts)
        if role == Qt.ItemDataRole.FontRole and doc.required and not doc.condition and column == NAME:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (RECEIVED, COPIES):
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    def setData(self, index: AnyIndex, value: object, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if index.column() == RECEIVED and role == Qt.ItemDataRole.CheckStateRole:
            checked = value in (Qt.CheckState.Checked, Qt.CheckState.Checked.value, 2)
            self.rows[index.row()].received = checked
            self._row_changed(index.row())
            return True
        return False

    def append(self, doc: DocumentChoice) -> int:
        """Add a paper the checklist does not name (handed in anyway); returns its row."""
        row = len(self.rows)
        self.beginInsertRows(QModelIndex(), row, row)
        self.rows.append(doc)
        self.endInsertRows()
        emit(self.changed)
        return row

    # -- edits the keyboard makes ----------------------------------------------------------------
    def toggle(self, row: int) -> None:
        self.rows[row].received = not self.rows[row].received
        self._row_changed(row)

    def cycle_kind(self, row: int, step: int) -> None:
        self.rows[row].cycle_kind(step)
        self.rows[row].received = True
        self._row_changed(row)

    def set_copies(self, row: int, copies: int) -> None:
        self.rows[row].copies = min(max(copies, 1), 99)
        self.rows[row].received = True
        self._row_changed(row)

    def _row_changed(self, row: int) -> None:
        emit(self.dataChanged, self.index(row, 0), self.index(row, self.columnCount() - 1))
        emit(self.changed)


class ChecklistView(QTableView):
    def __init__(self, model: ChecklistModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setModel(model)
        self._model = model
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setTabKeyNavigation(False)
        self.setWordWrap(True)
        self.verticalHeader().setVisible(False)
        header = self.horizontalHeader()
        header.setSectionResizeMode(RECEIVED, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(KIND, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COPIES, QHeaderView.ResizeMode.ResizeToContents)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        model.modelReset.connect(self._select_first)

    def _select_first(self) -> None:
        if self._model.rowCount():
            self.setCurrentIndex(self._model.index(0, NAME))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        row = self.currentIndex().row()
        key, text = event.key(), event.text()
        if row < 0 or event.modifiers() & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier):
            super().keyPressEvent(event)
            return
        if key == Qt.Key.Key_Space:
            self._model.toggle(row)
        elif key in (Qt.Key.Key_Left, Qt.Key.Key_Right):
            self._model.cycle_kind(row, 1 if key == Qt.Key.Key_Right else -1)
        elif text in ("+", "-"):
            self._model.set_copies(row, self._model.rows[row].copies + (1 if text == "+" else -1))
        elif text.isdigit() and text != "0":
            self._model.set_copies(row, int(text))
        else:
            super().keyPressEvent(event)
