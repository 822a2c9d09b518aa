"""Matching what a person types with or without diacritics: «dak lak» finds «Đắk Lắk»."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, QSortFilterProxyModel, Qt

from motcua.domain.text import fold

FOLDED_ROLE = Qt.ItemDataRole.UserRole + 2  # each item's text, folded once when the item is made


class FoldingFilter(QSortFilterProxyModel):
    """Keeps the rows whose ``FOLDED_ROLE`` text contains the folded needle (all rows for an empty one)."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._needle = ""

    def set_needle(self, text: str) -> None:
        if hasattr(self, "beginFilterChange"):  # Qt ≥ 6.10
            self.beginFilterChange()
            self._needle = fold(text).strip()
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self._needle = fold(text).strip()
            self.invalidateFilter()

    def filterAcceptsRow(self, row: int, parent: Any) -> bool:
        if not self._needle:
            return True
        index = self.sourceModel().index(row, 0, parent)
        return self._needle in (index.data(FOLDED_ROLE) or "")
