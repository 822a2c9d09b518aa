"""The dossier table view used by the Today board and the Hồ sơ page (sorting delegated to SQL)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from motcua.ui.models.dossier_table import COLUMNS, ID_ROLE, DossierTableModel
from motcua.ui.qtcompat import emit

# Wide enough for a whole dossier code and a date with its time; the procedure's name takes what is left.
_WIDTHS = {"code": 200, "applicant_name": 160, "received_at": 135, "due_at": 135, "returned_at": 170, "status": 150,
           "assigned_to": 140, "step_due_at": 190}


class DossierTableView(QTableView):
    open_requested = Signal(str)  # dossier id

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.setTabKeyNavigation(False)
        self.verticalHeader().hide()
        self.verticalHeader().setDefaultSectionSize(30)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)  # no per-row measuring
        self.horizontalHeader().setHighlightSections(False)
        self.horizontalHeader().setSectionsClickable(True)
        self._sort_target: Callable[..., None] | None = None
        self._hidden: frozenset[str] = frozenset()
        self.doubleClicked.connect(lambda index: emit(self.open_requested, index.data(ID_ROLE)))

    def hide_columns(self, sort_keys: frozenset[str]) -> None:
        """Show every column but these (a 1366-wide window has room for eight, not nine)."""
        self._hidden = sort_keys
        for number, column in enumerate(COLUMNS):
            self.setColumnHidden(number, column.sort_key in sort_keys)

    def setModel(self, model: DossierTableModel) -> None:  # type: ignore[override]
        super().setModel(model)
        self.hide_columns(self._hidden)
        header = self.horizontalHeader()
        for number, column in enumerate(COLUMNS):
            if column.sort_key in _WIDTHS:
                header.resizeSection(number, _WIDTHS[column.sort_key])
        procedure = [c.sort_key for c in COLUMNS].index("procedure_code")
        header.setSectionResizeMode(procedure, QHeaderView.ResizeMode.Stretch)
        header.setSortIndicator(model.sort_column(), Qt.SortOrder.DescendingOrder if model.descending
                                else Qt.SortOrder.AscendingOrder)
        header.setSortIndicatorShown(True)
        if self._sort_target is not None:
            header.sortIndicatorChanged.disconnect(self._sort_target)
        header.sortIndicatorChanged.connect(model.sort)
        self._sort_target = model.sort

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            emit(self.open_requested, self.currentIndex().data(ID_ROLE))
            return
        super().keyPressEvent(event)
