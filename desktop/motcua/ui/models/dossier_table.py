"""The dossier list model: ids for the current filter and sort, rows fetched lazily in pages.

Only the ids of the current list are held (about 40 bytes each); rows come from ``dossiers_by_ids`` a
page at a time and live in a small LRU cache, so scrolling through 100,000 dossiers keeps at most
``max_pages`` pages of records in memory. Sorting and filtering happen in SQL (``dossier_ids``).
"""

from __future__ import annotations

import sqlite3
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from motcua.domain.calendar import Timeliness
from motcua.domain.projection import DossierRecord
from motcua.domain.states import Status
from motcua.i18n import tr
from motcua.services.accounts import full_names
from motcua.services.changes import Changes
from motcua.store.queries import DossierFilter, dossier_ids, dossiers_by_ids
from motcua.ui.qtcompat import emit
from motcua.ui.widgets import formatting

PAGE_SIZE = 200
MAX_PAGES = 4
ID_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_KEY_ROLE = Qt.ItemDataRole.UserRole + 2

Index = QModelIndex | QPersistentModelIndex


Names = Mapping[str, str]   # username → full name


@dataclass(frozen=True)
class Column:
    title: str
    sort_key: str | None
    text: Callable[[DossierRecord, Names], str]


def _status(record: DossierRecord) -> str:
    return Status(record.status).label if record.status else ""


def _due(record: DossierRecord) -> str:
    text = formatting.moment(formatting.effective_due(record))
    return text + (" *" if record.rescheduled_due_at else "")


def _returned(record: DossierRecord) -> str:
    """«05/12/2026 10:00 — đúng hạn» once the result was handed back."""
    if not record.returned_at:
        return ""
    timeliness = record.return_timeliness()
    text = formatting.moment(record.returned_at)
    return text + (f" — {timeliness.label.lower()}" if timeliness is not None else "")


COLUMNS: tuple[Column, ...] = (
    Column("Mã hồ sơ", "code", lambda r, _n: r.code or ""),
    Column("Người nộp", "applicant_name", lambda r, _n: r.applicant_name),
    Column("Thủ tục", "procedure_code", lambda r, _n: r.procedure_name or r.procedure_code),
    Column("Ngày tiếp nhận", "received_at", lambda r, _n: formatting.moment(r.received_at)),
    Column("Hạn trả", "due_at", lambda r, _n: _due(r)),
    Column("Trả kết quả", "returned_at", lambda r, _n: _returned(r)),
    Column("Trạng thái", "status", lambda r, _n: _status(r)),
    Column("Người xử lý", "assigned_to", formatting.holder_name),
    Column("Bước — hạn bước", "step_due_at", lambda r, _n: formatting.step_text(r)),
)


class DossierTableModel(QAbstractTableModel):
    def __init__(self, conn: sqlite3.Connection, flt: DossierFilter | None = None, *, sort: str = "received_at",
                 descending: bool = True, page_size: int = PAGE_SIZE, max_pages: int = MAX_PAGES,
                 parent: Any = None):
        super().__init__(parent)
        self._conn = conn
        self._filter = flt or DossierFilter()
        self._sort = sort
        self._descending = descending
        self._page_size = page_size
        self._max_pages = max_pages
        self._ids: list[str] = []
        self._pages: OrderedDict[int, list[DossierRecord | None]] = OrderedDict()
        self.pages_fetched = 0
        self.names: dict[str, str] = {}
        self._load_ids()

    # -- what the rest of the UI asks ------------------------------------------------------------
    @property
    def filter(self) -> DossierFilter:
        return self._filter

    @property
    def sort_key(self) -> str:
        return self._sort

    @property
    def descending(self) -> bool:
        return self._descending

    def id_at(self, row: int) -> str:
        return self._ids[row]

    def record_at(self, row: int) -> DossierRecord | None:
        if not 0 <= row < len(self._ids):
            return None
        page = self._page(row // self._page_size)
        return page[row % self._page_size]

    def row_of(self, dossier_id: str) -> int:
        try:
            return self._ids.index(dossier_id)
        except ValueError:
            return -1

    def cached_row_count(self) -> int:
        return sum(len(p) for p in self._pages.values())

    def set_filter(self, flt: DossierFilter) -> None:
        if flt == self._filter:
            return
        self._filter = flt
        self.reload()

    def reload(self) -> None:
        self.beginResetModel()
        self._load_ids()
        self.endResetModel()

    def apply_changes(self, changes: Changes) -> None:
        """Redraw after a write: reset if the list itself changed, else refresh the rows shown."""
        if not (changes.dossiers or changes.dossier_ids):
            return
        old = self._ids
        new = self._query_ids()
        if new != old:
            self.beginResetModel()
            self._ids = new
            self._pages.clear()
            self.endResetModel()
            return
        touched = {self.row_of(i) // self._page_size for i in changes.dossier_ids if i in set(old)}
        for number in touched:
            self._pages.pop(number, None)
            first = number * self._page_size
            last = min(first + self._page_size, len(self._ids)) - 1
            emit(self.dataChanged, self.index(first, 0), self.index(last, len(COLUMNS) - 1))

    # -- QAbstractTableModel ---------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(COLUMNS):
            if role == Qt.ItemDataRole.DisplayRole:
                return tr(COLUMNS[section].title)
            if role == SORT_KEY_ROLE:
                return COLUMNS[section].sort_key
        if orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole and section >= 0:
            return section + 1
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._ids) or not 0 <= index.column() < len(COLUMNS):
            return None
        if role == ID_ROLE:
            return self._ids[index.row()]
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.ForegroundRole,
                        Qt.ItemDataRole.AccessibleTextRole):
            return None
        record = self.record_at(index.row())
        if record is None:
            return None
        column = COLUMNS[index.column()]
        if role == Qt.ItemDataRole.ForegroundRole:
            if column.sort_key == "due_at" and formatting.is_overdue(record):
                return QBrush(QColor(formatting.OVERDUE_COLOUR))
            if column.sort_key == "returned_at" and record.return_timeliness() is Timeliness.LATE:
                return QBrush(QColor(formatting.OVERDUE_COLOUR))
            if column.sort_key == "step_due_at" and formatting.step_is_overdue(record):
                return QBrush(QColor(formatting.OVERDUE_COLOUR))
            if column.sort_key == "status" and record.status in formatting.STATUS_COLOURS:
                return QBrush(QColor(formatting.STATUS_COLOURS[record.status][0]))
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            if column.sort_key == "due_at" and formatting.is_overdue(record):
                return tr("Quá hạn")
            if column.sort_key == "procedure_code":
                return f"{record.procedure_code} — {record.procedure_name}"
            return column.text(record, self.names) or None
        return column.text(record, self.names)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(COLUMNS) or COLUMNS[column].sort_key is None:
            return
        key = COLUMNS[column].sort_key
        descending = order == Qt.SortOrder.DescendingOrder
        if key == self._sort and descending == self._descending:
            return
        self._sort, self._descending = key, descending
        emit(self.layoutAboutToBeChanged)
        self._load_ids()
        self.changePersistentIndexList(self.persistentIndexList(),
                                       [QModelIndex() for _ in self.persistentIndexList()])
        emit(self.layoutChanged)

    def sort_column(self) -> int:
        for number, column in enumerate(COLUMNS):
            if column.sort_key == self._sort:
                return number
        return -1

    # -- internals -------------------------------------------------------------------------------
    def _query_ids(self) -> list[str]:
        return dossier_ids(self._conn, self._filter, sort=self._sort, descending=self._descending, limit=-1)

    def _load_ids(self) -> None:
        self._ids = self._query_ids()
        self._pages.clear()
        self.names = full_names(self._conn)

    def _page(self, number: int) -> list[DossierRecord | None]:
        page = self._pages.get(number)
        if page is not None:
            self._pages.move_to_end(number)
            return page
        ids = self._ids[number * self._page_size:(number + 1) * self._page_size]
        found = dossiers_by_ids(self._conn, ids)
        page = [found.get(i) for i in ids]
        self.pages_fetched += 1
        self._pages[number] = page
        while len(self._pages) > self._max_pages:
            self._pages.popitem(last=False)
        return page
