"""Search-as-you-type over the procedure catalog: a line edit, a debounce, a results list with the
matched words in bold. Shared by the intake wizard's first step and the guidance page.

Keyboard: type; ↑/↓ move in the results without leaving the box; Enter takes the selected result.

Speed (``bench/bench_typing.py``): a search takes a few milliseconds, so it runs on the turn of the event loop
after each key while searches stay fast (``FAST_MS``), and only waits for a pause in the typing
(``DEBOUNCE_MS``) after a slow one. Each result's rich text is laid out once per width (the same document
measures the row and paints it), and the list lays its rows out in batches, so the first rows show before the
last are measured.
"""

from __future__ import annotations

import re
import sqlite3
import statistics
import time
from collections import deque
from collections.abc import Callable

from PySide6.QtCore import (
    QAbstractListModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAbstractTextDocumentLayout, QKeyEvent, QPainter, QPalette, QTextDocument
from PySide6.QtWidgets import (
    QLabel,
    QLineEdit,
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from motcua.i18n import tr
from motcua.ui._adapters import SearchResult, escape, find_procedures, has_close_match, list_procedures
from motcua.ui.qtcompat import emit

DEBOUNCE_MS = 200   # the longest wait for a pause in the typing, after slow searches
FAST_MS = 60        # while searches (and their lists) take less, the next key searches at once
BATCH_ROWS = 8      # rows laid out per turn of the event loop: the first screenful shows first
DOCUMENTS_KEPT = 256
_COLOURED = re.compile(r" style='color:#[0-9a-fA-F]{3,6}'")
CODE_ROLE = Qt.ItemDataRole.UserRole + 1
HTML_ROLE = Qt.ItemDataRole.UserRole + 2

AnyIndex = QModelIndex | QPersistentModelIndex


class ResultsModel(QAbstractListModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[SearchResult] = []

    def set_results(self, rows: list[SearchResult]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{row.name} ({row.code})"
        if role == Qt.ItemDataRole.ToolTipRole:
            return row.snippet
        if role == CODE_ROLE:
            return row.code
        if role == HTML_ROLE:
            return (f"<b>{escape(row.name)}</b> &nbsp;<span style='color:#555'>{escape(row.code)}</span>"
                    f"<br/><span style='color:#333'>{row.snippet_html()}</span>")
        return None

    def code_at(self, row: int) -> str:
        return self._rows[row].code if 0 <= row < len(self._rows) else ""


class RichTextDelegate(QStyledItemDelegate):
    """Paints HTML_ROLE as rich text (the highlighted snippet), two lines per result.

    Laying out rich text is the costly part of showing results: a document is made once per text, width and
    selection, and serves both the row's size and its painting (``forget`` when the results change)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._documents: dict[tuple[str, int, bool], QTextDocument] = {}

    def forget(self) -> None:
        self._documents.clear()

    def _document(self, option: QStyleOptionViewItem, index: AnyIndex) -> QTextDocument:
        html = str(index.data(HTML_ROLE) or "")
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        width = max(100, option.rect.width() - 8)
        key = (html, width, selected)
        doc = self._documents.get(key)
        if doc is not None:
            return doc
        if len(self._documents) >= DOCUMENTS_KEPT:
            self._documents.clear()
        doc = QTextDocument()  # owned here, not by a Qt parent: dropped with the cache
        doc.setDefaultFont(option.font)
        # Selected: the palette's highlighted text colour, readable on the highlight.
        doc.setHtml(_COLOURED.sub("", html) if selected else html)
        doc.setTextWidth(width)
        self._documents[key] = doc
        return doc

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        self.initStyleOption(option, index)
        style = option.widget.style() if option.widget else None
        option_text_free = QStyleOptionViewItem(option)
        option_text_free.text = ""
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, option_text_free, painter, option.widget)
        doc = self._document(option, index)
        painter.save()
        painter.translate(option.rect.left() + 4, option.rect.top() + 2)
        context = QAbstractTextDocumentLayout.PaintContext()
        if option.state & QStyle.StateFlag.State_Selected:
            context.palette.setColor(QPalette.ColorRole.Text,
                                     option.palette.color(QPalette.ColorRole.HighlightedText))
        painter.setClipRect(QRect(0, 0, option.rect.width() - 4, option.rect.height() - 2))
        doc.documentLayout().draw(painter, context)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: AnyIndex) -> QSize:
        self.initStyleOption(option, index)
        width = option.widget.viewport().width() if isinstance(option.widget, QListView) else 400
        option.rect = QRect(0, 0, width, 0)
        doc = self._document(option, index)
        return QSize(width, int(doc.size().height()) + 6)


class ProcedureSearch(QWidget):
    """Emits ``current_changed(code)`` as the selection moves and ``activated(code)`` on a double click.

    Enter in the box is left to the page holding the search (it propagates, as QLineEdit ignores it).
    """

    current_changed = Signal(str)
    activated = Signal(str)

    def __init__(self, conn_getter: Callable[[], sqlite3.Connection], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._conn = conn_getter
        self.box = QLineEdit(self)
        self.box.setPlaceholderText(tr("Tên, mã hoặc lĩnh vực — gõ không dấu cũng được"))
        self.box.setClearButtonEnabled(True)
        self.results = QListView(self)
        self.model = ResultsModel(self)
        self.results.setModel(self.model)
        self.delegate = RichTextDelegate(self.results)
        self.results.setItemDelegate(self.delegate)
        self.results.setUniformItemSizes(False)
        self.results.setLayoutMode(QListView.LayoutMode.Batched)
        self.results.setBatchSize(BATCH_ROWS)
        self.results.setWordWrap(True)
        self.results.setAlternatingRowColors(True)
        self.results.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.status = QLabel(self)
        self.status.setObjectName("searchStatus")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.box)
        layout.addWidget(self.status)
        layout.addWidget(self.results, 1)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self.run_search)
        self._costs_ms: deque[float] = deque(maxlen=3)  # the last searches typed (one cold start is no rule)
        self.box.textChanged.connect(lambda _t: self._timer.start(self.delay_ms()))
        self.box.installEventFilter(self)
        self.results.selectionModel().currentChanged.connect(
            lambda cur, _prev: emit(self.current_changed, self.model.code_at(cur.row())))
        self.results.activated.connect(lambda index: emit(self.activated, self.model.code_at(index.row())))
        self.run_search()  # the full list before anything is typed

    # -- searching -----------------------------------------------------------------------------
    def run_search(self) -> None:
        started = time.perf_counter()
        self._timer.stop()
        query = self.box.text().strip()
        rows = find_procedures(self._conn(), query) if query else list_procedures(self._conn())
        self.delegate.forget()
        self.model.set_results(rows)
        close = has_close_match(rows)
        if query and not rows:
            self.status.setText(tr("Không tìm thấy thủ tục nào khớp «{q}».", q=query))
        elif query and not close:
            # Only look-alikes: nothing is pre-selected, so Enter cannot start the wrong dossier.
            self.status.setText(tr("Không có thủ tục nào mang tên khớp «{q}»; dưới đây chỉ là các thủ tục gần giống "
                                   "— kiểm tra kỹ trước khi chọn.", q=query))
        elif query:
            self.status.setText(tr("{n} thủ tục khớp — ↑/↓ để chọn, Enter để lấy thủ tục đang chọn.", n=len(rows)))
        else:
            self.status.setText(tr("Tất cả {n} thủ tục: của xã trước, dùng nhiều trước — gõ để tìm.", n=len(rows)))
        if query and close:
            self.results.setCurrentIndex(self.model.index(0, 0))
        else:
            self.results.setCurrentIndex(QModelIndex())  # nothing chosen before a real match is typed
        if query:  # the full list (before anything is typed) is not what typing costs
            self._costs_ms.append((time.perf_counter() - started) * 1000)

    def delay_ms(self) -> int:
        """How long a key waits before its search: none while searches are fast (the median of the last
        three); after slow ones about as long as one takes (a key typed meanwhile replaces it), never more
        than ``DEBOUNCE_MS``."""
        cost = statistics.median(self._costs_ms) if self._costs_ms else 0.0
        return 0 if cost < FAST_MS else min(DEBOUNCE_MS, int(cost))

    def current_code(self) -> str:
        return self.model.code_at(self.results.currentIndex().row())

    def flush(self) -> None:
        """Run a pending search now (Enter must act on what was typed, not on the last results)."""
        if self._timer.isActive():
            self.run_search()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.box and event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            key = event.key()
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.flush()  # not consumed: the line edit ignores Enter and the page above acts on it
                return False
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Up, Qt.Key.Key_PageDown, Qt.Key.Key_PageUp):
                if self._timer.isActive():
                    self.run_search()
                rows = self.model.rowCount()
                if rows:
                    step = {Qt.Key.Key_Down: 1, Qt.Key.Key_Up: -1, Qt.Key.Key_PageDown: 5,
                            Qt.Key.Key_PageUp: -5}[Qt.Key(key)]
                    row = min(max(self.results.currentIndex().row() + step, 0), rows - 1)
                    self.results.setCurrentIndex(self.model.index(row, 0))
                return True
        return super().eventFilter(watched, event)
